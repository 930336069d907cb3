"""Meetings on the real dashboard (`leadbot dashboard`, a subprocess on loopback, clock pinned by
LEADBOT_NOW): the rep's list and the lead page show them; the visitor's signed link opens a page
that moves or cancels the meeting, and a forged or expired link opens nothing."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from bot.meetings.booking import book
from bot.meetings.links import MeetingLinks
from bot.meetings.settings import MeetingSettings
from bot.meetings.slots import Slot
from bot.store.schema import Lead, Meeting, MeetingInvitation
from tests.store.builders import NOW
from tests.web.conftest import client
from tests.web.server import ALICE, BOB, DashboardServer

SECRET = "meeting-link-secret-" + "y" * 30
SLOT = Slot(datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc), datetime(2026, 11, 23, 10, 30, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DashboardServer, int]]:
    server = DashboardServer(Path(tmp_path_factory.mktemp("meetings-dashboard")))
    server.seed()
    sessions = server.sessions()
    with sessions.begin() as session:
        lead_id = server.seeded.alice[1]
        rep_id = session.get(Lead, lead_id).owner_rep_id
        meeting_id = book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="Europe/Berlin",
                          now=NOW, settings=MeetingSettings()).id
    sessions.kw["bind"].dispose()
    server.start({"LEADBOT_NOW": NOW.isoformat(), "LEADBOT_MEETING_SECRET": SECRET})
    yield server, meeting_id
    server.stop()


def _token(meeting_id: int, at: datetime = NOW) -> str:
    settings = MeetingSettings()
    return MeetingLinks(SECRET.encode(), settings.manage_link, timedelta(days=settings.link_days)).token(meeting_id, now=at)


def test_the_reps_list_and_the_lead_page_show_the_meeting(dashboard) -> None:  # noqa: ANN001
    server, meeting_id = dashboard
    alice = client(server, ALICE)
    listing = alice.page("/meetings")
    assert listing.status_code == 200 and "Mon 23 Nov 2026, 10:00 (UTC)" in listing.text
    assert f'href="/leads/{server.seeded.alice[1]}"' in listing.text
    lead = alice.page(f"/leads/{server.seeded.alice[1]}")
    assert "Mon 23 Nov 2026, 10:00 (UTC) with Alice Ng" in lead.text and "Europe/Berlin" in lead.text
    assert "No upcoming meetings." in client(server, BOB).page("/meetings").text  # Bob's own list


def test_the_visitor_moves_then_cancels_the_meeting_from_the_link(dashboard) -> None:  # noqa: ANN001
    server, meeting_id = dashboard
    url = f"{server.url}/meetings/manage/{_token(meeting_id)}"
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "Mon 23 Nov, 11:00 (Europe/Berlin)" in page.text  # 10:00 UTC
    choices = re.findall(r'name="slot" value="([^"]+)">([^<]+)<', page.text)
    assert choices and SLOT.key() not in [k for k, _ in choices]
    key, title = choices[-1]
    moved = requests.post(f"{url}/reschedule", data={"slot": key}, timeout=10)
    assert moved.status_code == 200 and title in moved.text  # redirected back to the page
    cancelled = requests.post(f"{url}/cancel", timeout=10)
    assert "is cancelled" in cancelled.text
    with server.sessions()() as session:
        meeting = session.get(Meeting, meeting_id)
        assert (meeting.status, meeting.sequence, meeting.cancelled_by) == ("cancelled", 2, "visitor")
        assert meeting.start_at.strftime("%Y-%m-%dT%H:%MZ") == key
        kinds = [i.kind for i in session.scalars(select(MeetingInvitation).where(
            MeetingInvitation.meeting_id == meeting_id).order_by(MeetingInvitation.id))]
    assert kinds == ["request", "request", "request", "request", "cancel", "cancel"]


@pytest.mark.parametrize("token, words", [
    (lambda m: _token(m)[:-3] + "xyz", "not valid"),
    (lambda m: _token(m, NOW - timedelta(days=31)), "expired"),
])
def test_a_forged_or_expired_link_opens_nothing(dashboard, token, words: str) -> None:  # noqa: ANN001
    server, meeting_id = dashboard
    for response in (requests.get(f"{server.url}/meetings/manage/{token(meeting_id)}", timeout=10),
                     requests.post(f"{server.url}/meetings/manage/{token(meeting_id)}/cancel", timeout=10)):
        assert response.status_code == 404 and words in response.text
