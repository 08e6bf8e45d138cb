"""Background work of the CRM: large contact imports."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .imports import import_chunk
from .models import ImportJob


@shared_task(name="crm.import_contacts")
def import_contacts(job_id: int) -> int:
    """Create a confirmed import's contacts, chunk by chunk; safe to run twice, or twice at once.

    Returns the number of contacts the import has created so far.
    """
    with scopes_disabled():
        job = ImportJob.objects.select_related("workspace").filter(pk=job_id).first()
    if job is None:
        return 0
    with scope(workspace=job.workspace):
        while import_chunk(job_id):
            pass
        job.refresh_from_db()
        return job.created_count
