"""An open lead's page shows the learned win probability beside the rule score, with the
features that moved it, or says that there is no model yet."""
from __future__ import annotations

from bot.winprob.model import Evaluation, WinModel, save
from tests.web.conftest import Client
from tests.web.server import DashboardServer


def test_the_lead_page_shows_the_win_probability_and_why(server: DashboardServer, manager: Client) -> None:
    lead = server.seeded.alice[3]  # $12k a year, decision maker, in 8-10 weeks (tests/store/builders.py)
    before = manager.page(f"/leads/{lead}").text
    assert "Win probability" in before and "not learned yet" in before and "rule score stands alone" in before

    model = WinModel(version=4, trained_at="2026-11-20T08:00:00+00:00", intercept=-0.5,
                     weights={"authority=decision_maker": 1.2, "timeline=<=3m": 0.8, "budget=10k-25k": -0.1,
                              "channel=rest": 0.0, "authority=unknown": -2.0},
                     closed_deals=500, won=200, evaluation=Evaluation(375, 125, 0.71, 0.2, 0.4, []))
    path = save(model, server.workdir / "win-model.json")
    try:
        page = manager.page(f"/leads/{lead}").text
        inbox = manager.page("/inbox?all=1").text
    finally:
        path.unlink()
    assert 'title="learned from closed deals (model v4)">Win</th>' in inbox
    assert inbox.count('<td data-label="Win" class="num">80%</td>') >= 1  # the seeded leads share their answers
    assert 'data-label="Win"' not in manager.page("/inbox?all=1").text, "no model: no column"
    assert "Win probability 80%" in page  # logistic(-0.5 + 1.2 + 0.8 - 0.1) = 0.802
    assert "model v4, 2026-11-20" in page
    reasons = page[page.index('class="win-reasons"'):]
    assert reasons.index("authority: decision maker") < reasons.index("timeline: &lt;=3m") < reasons.index("budget: 10k-25k")
    assert "+1.20" in reasons and "channel: rest" not in reasons.split("</ul>")[0]
