"""How dates read on the dashboard: "2 hours ago" in words, the exact time on hover."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from web.format import ago

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("before, words", [
    (timedelta(seconds=20), "20 seconds ago"),
    (timedelta(minutes=2), "2 minutes ago"),
    (timedelta(minutes=50), "50 minutes ago"),
    (timedelta(minutes=55), "1 hour ago"),       # CLDR words round up from 85% of the next unit
    (timedelta(hours=2, minutes=10), "2 hours ago"),
    (timedelta(days=1, hours=3), "1 day ago"),
    (timedelta(days=9), "1 week ago"),
    (timedelta(days=62), "2 months ago"),
    (timedelta(days=400), "1 year ago"),
    (-timedelta(hours=3), "in 3 hours"),         # a date after the clock (a next nurture e-mail)
])
def test_ago_in_words_with_the_exact_time_on_hover(before: timedelta, words: str) -> None:
    then = NOW - before
    assert str(ago(then, NOW)) == (f'<time datetime="{then.isoformat()}" '
                                   f'title="{then:%Y-%m-%d %H:%M} UTC">{words}</time>')


def test_no_date_is_a_dash() -> None:
    assert ago(None, NOW) == "–"
