from __future__ import annotations

from ascend.lib.periodic import PeriodicCommand
from ascend.notifications.tasks import retry_stale_emails


class Command(PeriodicCommand):
    help = "Deliver emails that stayed queued (e.g. after a broker outage)."
    default_interval = 300

    def run_once(self) -> str:
        return f"Retried {retry_stale_emails()} stale emails."
