"""The programs' periodic work for Celery beat; ``manage.py programs_daily`` runs the same."""

from __future__ import annotations

from celery import shared_task

from . import notices


@shared_task(name="programs.run_daily")
def run_daily() -> dict[str, int]:
    """Start notices, off-track spells and their notices; safe to run twice, or twice at once."""
    return notices.run_daily()
