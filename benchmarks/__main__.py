"""`make bench`: page timings and query counts on generated data, printed as ratios.

Each scenario builds the same page at a small and a large size and prints the
query count of each and how much slower the large one is. Figures vary with the
machine; the ratios and the query counts are what to compare between runs.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascend.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from benchmarks import course_reports, scenarios  # noqa: E402


def measure(fn: Callable[[], object], repeat: int = 7) -> tuple[float, int]:
    fn()  # warm caches and templates
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> int:
    # No setup_test_environment(): it instruments template rendering and would skew timings.
    logging.disable(logging.INFO)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failures = 0
    try:
        with scopes_disabled():
            for scenario in [*scenarios.ALL, *course_reports.ALL]:
                rows = []
                for size in scenario.sizes:
                    fn = scenario.build(size)
                    seconds, queries = measure(fn)
                    rows.append((size, seconds, queries))
                base_seconds = rows[0][1]
                print(f"\n{scenario.title}")
                for size, seconds, queries in rows:
                    ratio = seconds / base_seconds if base_seconds else 0.0
                    print(
                        f"  {scenario.unit} = {size:>5}: {queries:>3} queries, "
                        f"{seconds * 1000:7.1f} ms, ×{ratio:4.2f} of the smallest"
                    )
                if len({q for _s, _t, q in rows}) > 1:
                    failures += 1
                    print("  ! the query count grows with the data")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
