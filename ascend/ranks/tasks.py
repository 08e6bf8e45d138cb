"""The ranks' periodic work for Celery beat; ``manage.py ranks_daily`` runs the same."""

from __future__ import annotations

from celery import shared_task

from . import evaluation


@shared_task(name="ranks.run_daily")
def run_daily() -> dict[str, int]:
    """Seniority and visits for every ranked client, then the notices; safe twice, or at once."""
    return evaluation.run_daily()


@shared_task(name="ranks.evaluate_client")
def evaluate_client(client_id: int) -> dict[str, int]:
    """One client's ranks after a visit (the id of their membership)."""
    return evaluation.evaluate_client(client_id)
