"""The conversation's language on the dashboard (docs/languages.md): the lead page, the inbox's
and board's filter, and the bot funnel per language on the metrics page, through the pages and
the JSON API of the seeded dashboard."""
from __future__ import annotations

from sqlalchemy import select, update

from bot.funnel import record_progress
from bot.store.schema import ConversationFunnel, Lead
from tests.store.builders import NOW
from tests.web.conftest import Client
from tests.web.server import DashboardServer

ALL_QUALIFIED = "/api/leads?status=qualified&all=1"


def _speak(server: DashboardServer, languages: dict[str, str]) -> dict[str, int]:
    """Give the named seeded leads (and their conversations' funnel rows) a language; their ids."""
    with server.sessions().begin() as s:
        ids = {}
        for name, code in languages.items():
            lead_id = s.scalars(select(Lead.id).where(Lead.name == name)).one()
            s.execute(update(Lead).where(Lead.id == lead_id).values(language=code))
            s.execute(update(ConversationFunnel).where(ConversationFunnel.lead_id == lead_id).values(language=code))
            ids[name] = lead_id
        return ids


def test_the_inbox_filters_by_language(server: DashboardServer, manager: Client) -> None:
    _speak(server, {"Prospect 03": "ru", "Prospect 05": "ru", "Prospect 07": "zh"})
    rows = manager.get(manager.base + ALL_QUALIFIED + "&language=ru").json()["leads"]
    assert sorted(r["name"] for r in rows) == ["Prospect 03", "Prospect 05"]
    assert {r["language"] for r in rows} == {"ru"}
    assert manager.get(manager.base + ALL_QUALIFIED + "&language=de").status_code == 400
    page = manager.page("/inbox?status=qualified&all=1&language=zh").text
    assert '<option value="zh" selected>Chinese</option>' in page and "Prospect 07" in page
    assert "Prospect 03" not in page
    stages = manager.get(manager.base + "/api/pipeline?language=zh").json()["stages"]
    assert [c["name"] for s in stages for c in s["cards"]] == ["Prospect 07"]


def test_the_lead_page_shows_the_language(server: DashboardServer, manager: Client) -> None:
    ids = _speak(server, {"Prospect 04": "fa"})
    page = manager.page(f"/leads/{ids['Prospect 04']}").text
    assert "Persian <small>(fa)</small>" in page


def test_the_metrics_page_splits_the_bot_funnel_by_language(server: DashboardServer, manager: Client) -> None:
    with server.sessions().begin() as s:  # two Malay conversations of this test: one told its need
        record_progress(s, "web-languages-ms-1", "socketio", {"need"}, now=NOW, language="ms")
        record_progress(s, "web-languages-ms-2", "socketio", (), now=NOW, language="ms")
    by_language = manager.get(manager.base + "/api/metrics?period=all").json()["funnel"]["by_language"]
    malay = {step["key"]: step["count"] for step in by_language["ms"]}
    assert (malay["started"], malay["need"], malay["budget"]) == (2, 1, 0)
    assert "Bot funnel in Malay" in manager.page("/metrics?period=all").text
