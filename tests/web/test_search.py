"""The inbox's and board's search (words in the name, company or e-mail) and owner filter,
through the pages and the JSON API on the seeded dashboard."""
from __future__ import annotations

import html as markup

from sqlalchemy import select

from bot.store.schema import Rep
from tests.web.conftest import Client
from tests.web.server import ALICE, XSS_NAME, DashboardServer

ALL_QUALIFIED = "/api/leads?status=qualified&all=1"


def rep_id(server: DashboardServer, email: str) -> int:
    with server.sessions()() as s:
        return s.scalars(select(Rep.id).where(Rep.email == email)).one()


def names(client: Client, query: str) -> list[str]:
    response = client.get(client.base + ALL_QUALIFIED + query)
    assert response.status_code == 200, response.text
    return [r["name"] for r in response.json()["leads"]]


def test_every_word_must_be_somewhere_in_the_name_company_or_email(manager: Client) -> None:
    everyone = names(manager, "")
    assert names(manager, "&q=prospect+03") == [n for n in everyone if n == "Prospect 03"] == ["Prospect 03"]
    assert names(manager, "&q=PROSPECT5%40WEB") == ["Prospect 05"]  # the e-mail, any case
    # every seeded lead: "Prospect NN", and the one whose name is markup has a prospect0@ address
    assert sorted(names(manager, "&q=prospect")) == sorted(n for n in everyone if "Prospect" in n or n == XSS_NAME)
    # LIKE wildcards are plain letters here ("prospect_0" would match prospect10@ as a pattern)
    assert names(manager, "&q=%25") == [] and names(manager, "&q=prospect_0") == []


def test_a_manager_filters_by_owner_and_a_rep_sees_only_their_own(server: DashboardServer, manager: Client,
                                                                   alice: Client) -> None:
    alice_id = rep_id(server, ALICE[0])
    rows = manager.get(manager.base + ALL_QUALIFIED + f"&owner={alice_id}").json()["leads"]
    assert rows and {r["owner"] for r in rows} == {"Alice Ng"}
    assert all(r["owner"] is None for r in manager.get(manager.base + ALL_QUALIFIED + "&owner=none").json()["leads"])
    bob_id = rep_id(server, "bob@example.com")
    assert {r["owner"] for r in alice.get(alice.base + ALL_QUALIFIED + f"&owner={bob_id}").json()["leads"]} == \
        {"Alice Ng"}, "a rep's owner filter is ignored: they see their own leads"
    assert manager.get(manager.base + ALL_QUALIFIED + "&owner=abc").status_code == 400


def test_the_board_counts_and_shows_only_what_matches(manager: Client) -> None:
    stages = manager.get(manager.base + "/api/pipeline?q=prospect+07").json()["stages"]
    cards = [c for s in stages for c in s["cards"]]
    assert sum(s["count"] for s in stages) == len(cards) == 1 and cards[0]["name"] == "Prospect 07"
    everything = manager.get(manager.base + "/api/pipeline").json()["stages"]
    assert sum(s["count"] for s in everything) > 1


def test_the_pages_keep_the_filters_in_their_links(server: DashboardServer, manager: Client) -> None:
    alice_id = rep_id(server, ALICE[0])
    page = manager.page(f"/inbox?status=qualified&all=1&q=prospect&owner={alice_id}").text
    assert 'name="q" value="prospect"' in page and f'<option value="{alice_id}" selected>' in page
    assert markup.escape(f"/inbox?status=nurture&all=1&q=prospect&owner={alice_id}") in page  # the status tabs
    board = manager.page("/board?q=prospect+07").text
    assert 'name="q" value="prospect 07"' in board and "Prospect 07" in board and "Prospect 08" not in board


def test_the_board_finds_the_same_cards_whether_few_or_many_leads_match(server: DashboardServer,
                                                                          monkeypatch) -> None:
    """Few matches read the matching leads' ids first; many walk each column's deals: the same
    columns, counts and cards either way, on the seeded store."""
    import web.queries as queries
    from bot.store.pipeline import load_pipeline_settings
    from web.viewer import Viewer

    manager = Viewer(1, "manager@example.com", "M", "manager", None)
    pipeline = load_pipeline_settings()
    with server.sessions()() as s:
        for words in ("prospect", "prospect 03", "web", "no-such-lead"):
            search = queries.LeadSearch(words)
            few = queries.board(s, manager, pipeline, cards_per_stage=3, search=search)
            monkeypatch.setattr(queries, "FEW_MATCHES", 0)
            many = queries.board(s, manager, pipeline, cards_per_stage=3, search=search)
            monkeypatch.undo()
            assert few == many, words
            if words == "prospect":
                assert sum(c.summary.count for c in few) > 3 and any(c.cards for c in few)
