from __future__ import annotations

from ascend.lib.periodic import PeriodicCommand
from ascend.messaging.notices import send_unread_emails


class Command(PeriodicCommand):
    help = (
        "Email people whose messages have stayed unread for the workspace's number of "
        "minutes: one email per unread run. Safe to run twice, or twice at once."
    )
    default_interval = 60

    def run_once(self) -> str:
        return f"Unread-message emails sent: {send_unread_emails()}."
