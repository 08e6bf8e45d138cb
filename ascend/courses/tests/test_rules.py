"""The course portal's rules: drip release in the learner's time zone, progress, video embeds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ascend.courses import rules


def test_a_lesson_uses_its_own_release_days_else_its_modules():
    assert rules.release_days(7, None) == 7
    assert rules.release_days(7, 2) == 2
    assert rules.release_days(None, None) == 0


def test_drip_days_are_counted_in_the_learners_time_zone():
    # 23:30 UTC on 1 March is already 2 March in Tokyo, still 1 March in New York.
    start = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert rules.release_date(start, 3, "Asia/Tokyo") == date(2026, 3, 5)
    assert rules.release_date(start, 3, "America/New_York") == date(2026, 3, 4)


def test_a_dripped_lesson_opens_at_the_learners_midnight():
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    # Tokyo is UTC+9: 4 March 15:00 UTC is 5 March 00:00 there.
    assert not rules.is_released(start, 4, "Asia/Tokyo", datetime(2026, 3, 4, 14, 59, tzinfo=UTC))
    assert rules.is_released(start, 4, "Asia/Tokyo", datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    assert not rules.is_released(start, 4, "UTC", datetime(2026, 3, 4, 15, 0, tzinfo=UTC))


def test_no_release_days_means_open_at_once():
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert rules.is_released(start, 0, "UTC", start)


@given(st.integers(0, 500), st.integers(0, 500))
def test_progress_is_a_whole_percentage_never_above_100(completed, total):
    value = rules.progress_percent(completed, total)
    assert 0 <= value <= 100
    if total and completed >= total:
        assert value == 100


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://home.wistia.com/medias/e4a27b971d", "https://fast.wistia.net/embed/iframe/e4a27b971d"),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example.com/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)", None),
        ("https://www.youtube.com/watch?v=a%22onload", None),
        ("", None),
    ],
)  # fmt: skip
def test_only_known_video_hosts_are_embedded(url, embed):
    assert rules.embed_url(url) == embed
