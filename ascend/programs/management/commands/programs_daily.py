from __future__ import annotations

from ascend.lib.periodic import PeriodicCommand
from ascend.programs.notices import run_daily


class Command(PeriodicCommand):
    help = (
        "Send the programs' daily notices (cohort starting tomorrow, habit off track) and "
        "keep off-track spells in step. Safe to run twice, or twice at once."
    )
    default_interval = 3600

    def run_once(self) -> str:
        counts = run_daily()
        return (
            f"Start notices: {counts['start_notices']}, "
            f"off-track changes: {counts['off_track_changes']}, "
            f"off-track notices: {counts['off_track_notices']}."
        )
