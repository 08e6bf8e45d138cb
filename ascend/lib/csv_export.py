"""CSV exports streamed row by row, so a large table never sits whole in memory."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from django_scopes import scope


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed answer."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    workspace: Any, rows: Callable[[], Iterable[list[Any]]], name: str
) -> StreamingHttpResponse:
    """Stream ``rows()`` as a CSV download named ``<name>-<today>.csv``.

    The body is produced after the view has returned, outside the request's
    workspace scope, so the rows are read inside the workspace's scope again.
    """
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        with scope(workspace=workspace):
            for row in rows():
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
