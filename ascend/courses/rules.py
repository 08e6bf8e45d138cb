"""The course portal's rules, as pure functions (DESIGN.md "Course portal")."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

# Video hosts whose players may be embedded; the CSP's frame-src lists the same hosts.
VIDEO_FRAME_HOSTS = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://fast.wistia.net",
)


def release_days(module_days: int | None, lesson_days: int | None) -> int:
    """Days after access starts before a lesson opens: its own number, else its module's, else 0."""
    if lesson_days is not None:
        return lesson_days
    return module_days or 0


def release_date(access_start: datetime, days: int, time_zone: str) -> date:
    """The learner's calendar day on which a lesson opens.

    Rule: the day access started, in the learner's time zone, plus ``days``;
    the lesson opens at midnight of that day in the learner's time zone.
    """
    tz = zoneinfo.ZoneInfo(time_zone or "UTC")
    return access_start.astimezone(tz).date() + timedelta(days=days)


def is_released(access_start: datetime, days: int, time_zone: str, now: datetime) -> bool:
    """Whether the lesson is open now: today, in the learner's zone, is on or after its day."""
    if days <= 0:
        return True
    tz = zoneinfo.ZoneInfo(time_zone or "UTC")
    return now.astimezone(tz).date() >= release_date(access_start, days, time_zone)


def progress_percent(completed: int, total: int) -> int:
    """Completed lessons as a whole percentage of the product's lessons (0 with no lessons)."""
    if total <= 0:
        return 0
    return min(100, (100 * completed) // total)


def embed_url(video_url: str) -> str | None:
    """The player address to embed for a YouTube, Vimeo or Wistia link; None for anything else.

    Only these hosts are embedded, so the page's frame-src can name them exactly.
    """
    if not video_url:
        return None
    url = urlparse(video_url.strip())
    if url.scheme != "https":
        return None
    host = (url.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    parts = [p for p in url.path.split("/") if p]
    video_id = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if parts[:1] == ["watch"]:
            video_id = parse_qs(url.query).get("v", [""])[0]
        elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live"):
            video_id = parts[1]
        return _checked(video_id, "https://www.youtube-nocookie.com/embed/{}")
    if host == "youtu.be" and parts:
        return _checked(parts[0], "https://www.youtube-nocookie.com/embed/{}")
    if host == "vimeo.com" and parts and parts[0].isdigit():
        return _checked(parts[0], "https://player.vimeo.com/video/{}")
    if host == "player.vimeo.com" and len(parts) >= 2 and parts[0] == "video":
        return _checked(parts[1], "https://player.vimeo.com/video/{}")
    if host.endswith("wistia.com") or host.endswith("wistia.net"):
        if len(parts) >= 2 and parts[0] in ("medias", "iframe"):
            return _checked(parts[1], "https://fast.wistia.net/embed/iframe/{}")
        if len(parts) >= 3 and parts[:2] == ["embed", "iframe"]:
            return _checked(parts[2], "https://fast.wistia.net/embed/iframe/{}")
    return None


def _checked(video_id: str, pattern: str) -> str | None:
    if video_id and video_id.replace("-", "").replace("_", "").isalnum() and len(video_id) <= 40:
        return pattern.format(video_id)
    return None
