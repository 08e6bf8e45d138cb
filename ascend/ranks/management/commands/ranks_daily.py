from __future__ import annotations

from ascend.lib.periodic import PeriodicCommand
from ascend.ranks.evaluation import run_daily


class Command(PeriodicCommand):
    help = (
        "Check every ranked client's visits and days in their rank: promote them (automatic "
        "categories) or mark them eligible and send the notices. Safe to run twice, or twice "
        "at once."
    )
    default_interval = 3600

    def run_once(self) -> str:
        counts = run_daily()
        return (
            f"Promoted: {counts['promoted']}, newly eligible: {counts['eligible']}, "
            f"eligibilities announced: {counts['notices']}."
        )
