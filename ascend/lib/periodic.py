"""Running a periodic job from a management command, once or in a loop."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser


class PeriodicCommand(BaseCommand):
    """A command that runs ``run_once`` once, or every ``--interval`` seconds with ``--loop``.

    The same function is scheduled by Celery beat in production; the loop is for
    hosts without beat. Jobs must be safe to run twice and twice at once.
    """

    default_interval = 60
    run_once: Callable[[], str]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=int, default=self.default_interval)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        while True:
            self.stdout.write(self.run_once())
            if not options["loop"]:
                return
            time.sleep(max(1, options["interval"]))
