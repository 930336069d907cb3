"""Every metric against the hand-computed pipeline of fixtures.py, on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from bot.metrics import MetricsFilter, report
from bot.metrics import indexes
from bot.store.errors import InvalidFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Base
from tests.metrics.fixtures import NOW, START

PERIOD = MetricsFilter(START, NOW)


def run(sessions: sessionmaker[Session], f: MetricsFilter = PERIOD) -> dict:
    with sessions() as session:
        return report(session, f, now=NOW, pipeline=PipelineSettings()).to_dict()


def test_outcomes_in_the_period(filled: sessionmaker[Session]) -> None:
    o = run(filled)["outcomes"]
    # won D1, D3; lost D2, D7 (D6 lost before the period, D8 merged)
    assert o == {"won": 2, "lost": 2, "win_rate": 0.5, "won_value": {"USD": 30000},
                 "avg_deal_size": {"USD": 15000}, "avg_days_to_close": 25.0, "median_days_to_close": 25.0}


def test_forecast_weights_open_deals_by_stage_probability(filled: sessionmaker[Session]) -> None:
    f = run(filled)["forecast"]
    stages = {s["key"]: s for s in f["stages"]}
    assert f["open_deals"] == 2
    assert stages["new"] == {"key": "new", "label": "New", "probability": 0.05, "count": 1,
                             "value": {"EUR": 3000}, "weighted": {"EUR": 150}}
    assert stages["proposal"]["weighted"] == {"USD": 4800}
    assert stages["qualified"]["count"] == 0 and stages["qualified"]["weighted"] == {}
    assert f["weighted_total"] == {"EUR": 150, "USD": 4800}
    assert [s["key"] for s in f["stages"]] == ["new", "qualified", "meeting", "proposal", "negotiation"]


def test_velocity_and_its_undefined_currency(filled: sessionmaker[Session]) -> None:
    v = run(filled)["velocity"]
    # USD: 1 open deal x 0.5 x 15,000 / 25 days = 300 a day; EUR: no won EUR deal -> n/a
    assert v == {"open_deals": 2, "win_rate": 0.5, "avg_days_to_close": 25.0, "per_currency": {
        "EUR": {"open_deals": 1, "avg_deal_size": None, "value_per_day": None},
        "USD": {"open_deals": 1, "avg_deal_size": 15000, "value_per_day": 300}}}


def test_stage_flow_conversion_and_median_days(filled: sessionmaker[Session]) -> None:
    flow = {s["key"]: s for s in run(filled)["stage_flow"]}
    assert flow["new"] == {"key": "new", "label": "New", "entered": 1, "advanced": 0, "conversion": 0.0,
                           "median_days": None}
    # D3 (2 days, to meeting), D5 (5 days, to proposal), D7 (5 days, to lost: not advancing)
    assert (flow["qualified"]["entered"], flow["qualified"]["advanced"]) == (3, 2)
    assert flow["qualified"]["conversion"] == 0.6667 and flow["qualified"]["median_days"] == 5.0
    assert (flow["meeting"]["entered"], flow["meeting"]["conversion"], flow["meeting"]["median_days"]) == (1, 1.0, 2.0)
    assert (flow["proposal"]["entered"], flow["proposal"]["advanced"], flow["proposal"]["median_days"]) == (2, 1, 6.0)
    assert flow["negotiation"] == {"key": "negotiation", "label": "Negotiation", "entered": 0, "advanced": 0,
                                   "conversion": None, "median_days": None}


@pytest.mark.parametrize(("f", "expected"), [
    # team 2 = rep 3: D3 qualified 2 d -> meeting 2 d -> proposal 6 d -> won; D5 qualified 5 d -> proposal (open)
    (MetricsFilter(START, NOW, team_id=2), {"new": (0, 0, None), "qualified": (2, 2, 3.5), "meeting": (1, 1, 2.0),
                                            "proposal": (2, 1, 6.0), "negotiation": (0, 0, None)}),
    # team 1: only D4 entered a stage in the period (D1, D2 entered theirs in October; D8 is merged)
    (MetricsFilter(START, NOW, team_id=1), {"new": (1, 0, None), "qualified": (0, 0, None), "meeting": (0, 0, None),
                                            "proposal": (0, 0, None), "negotiation": (0, 0, None)}),
    # all time: D1 (10 d to meeting, 30 d to won), D2 (14 d to lost), D6 (19 d to lost) join the period's stays
    (MetricsFilter(None, None), {"new": (1, 0, None), "qualified": (6, 3, 7.5), "meeting": (2, 2, 16.0),
                                 "proposal": (2, 1, 6.0), "negotiation": (0, 0, None)}),
    (MetricsFilter(None, None, rep_id=2), {"new": (0, 0, None), "qualified": (2, 0, 16.5), "meeting": (0, 0, None),
                                           "proposal": (0, 0, None), "negotiation": (0, 0, None)}),
    # team 1, all time: qualified D1 10 d -> meeting, D2 14 d -> lost, D6 19 d -> lost; meeting D1 30 d -> won;
    # D8 (rep 1, merged) stayed 0.25 d in qualified and 0.75 d in meeting: out of the counts and the medians' ranks
    (MetricsFilter(None, None, team_id=1), {"new": (1, 0, None), "qualified": (3, 1, 14.0), "meeting": (1, 1, 30.0),
                                            "proposal": (0, 0, None), "negotiation": (0, 0, None)}),
])
def test_stage_flow_per_team_rep_and_all_time(filled: sessionmaker[Session], f: MetricsFilter,
                                              expected: dict[str, tuple]) -> None:
    """Everyone, a team and a rep (the same index ranges, led by the owner for a team or a
    rep) against hand-computed stays; the merged D8's stays never count."""
    flow = {s["key"]: (s["entered"], s["advanced"], s["median_days"]) for s in run(filled, f)["stage_flow"]}
    assert flow == expected


def test_stuck_deals_past_their_stage_limit(filled: sessionmaker[Session]) -> None:
    s = run(filled)["stuck"]
    assert s["total"] == 1
    assert s["deals"] == [{"deal_id": 4, "lead_id": 4, "stage": "new", "days": 21, "max_days": 7,
                           "owner_rep_id": 1}]
    assert {b["key"]: b["count"] for b in s["by_stage"]} == {
        "new": 1, "qualified": 0, "meeting": 0, "proposal": 0, "negotiation": 0}


def test_stuck_boundary_is_more_than_max_days_whole_days(filled: sessionmaker[Session]) -> None:
    # D4 entered new on Nov 1: 7 whole days on Nov 8 10:00 is not stuck, 8 on Nov 9 is.
    with filled() as session:
        at_limit = report(session, PERIOD, now=datetime(2026, 11, 8, 23, tzinfo=timezone.utc))
        over = report(session, PERIOD, now=datetime(2026, 11, 9, 0, 1, tzinfo=timezone.utc))
    assert 4 not in [d.deal_id for d in at_limit.stuck.deals]
    assert 4 in [d.deal_id for d in over.stuck.deals]


def test_lost_reason_mix(filled: sessionmaker[Session]) -> None:
    lost = run(filled)["lost_reasons"]
    shares = {r["key"]: (r["count"], r["share"]) for r in lost["reasons"]}
    assert lost["total"] == 2
    assert shares["price_above_budget"] == (1, 0.5) and shares["chose_competitor"] == (1, 0.5)
    assert shares["wrong_timing"] == (0, 0.0)  # lost before the period
    assert [r["key"] for r in lost["reasons"]] == [r.key for r in PipelineSettings().lost_reasons]


def test_bot_funnel_with_drop_off_and_channels(filled: sessionmaker[Session]) -> None:
    funnel = run(filled)["funnel"]
    steps = {s["key"]: (s["count"], s["drop_off"]) for s in funnel["steps"]}
    assert steps == {"started": (4, None), "need": (3, 0.25), "budget": (1, 0.6667), "authority": (1, 0.0),
                     "timeline": (1, 0.0), "contact": (1, 0.0), "qualified": (1, 0.0), "meeting_booked": (0, 1.0),
                     "handed_to_rep": (1, None)}
    assert funnel["steps"][1]["share_of_started"] == 0.75
    socketio = {s["key"]: (s["count"], s["drop_off"]) for s in funnel["by_channel"]["socketio"]}
    # C3 answered need, timeline, authority but no budget: it stops at budget
    assert socketio["need"] == (1, 0.5) and socketio["budget"] == (0, 1.0) and socketio["authority"] == (0, None)
    assert socketio["handed_to_rep"] == (1, None)
    assert [s["count"] for s in funnel["by_channel"]["rest"]] == [2, 2, 1, 1, 1, 1, 1, 0, 0]


@pytest.mark.parametrize(("f", "won", "lost", "open_deals", "started"), [
    (MetricsFilter(START, NOW, rep_id=1), 1, 0, 1, 1),        # D1 won; D4 open; C1
    (MetricsFilter(START, NOW, rep_id=2), 0, 1, 0, 0),        # D2 lost
    (MetricsFilter(START, NOW, team_id=1), 1, 1, 1, 1),       # reps 1 and 2
    (MetricsFilter(START, NOW, team_id=2), 1, 0, 1, 0),       # rep 3: D3 won, D5 open
    (MetricsFilter(None, None), 2, 3, 2, 5),                  # all time: D6 counts, C5 too
    (MetricsFilter(START, NOW, team_id=1, rep_id=3), 0, 0, 0, 0),  # rep 3 is not in team 1
])
def test_filters_by_rep_team_and_period(filled: sessionmaker[Session], f: MetricsFilter, won: int, lost: int,
                                        open_deals: int, started: int) -> None:
    d = run(filled, f)
    assert (d["outcomes"]["won"], d["outcomes"]["lost"], d["forecast"]["open_deals"],
            d["funnel"]["steps"][0]["count"]) == (won, lost, open_deals, started)


def test_rep_filter_outcomes_hand_computed(filled: sessionmaker[Session]) -> None:
    o = run(filled, MetricsFilter(START, NOW, rep_id=1))["outcomes"]
    assert o["win_rate"] == 1.0 and o["avg_deal_size"] == {"USD": 10000} and o["avg_days_to_close"] == 40.0


def test_an_empty_period_is_n_a_not_zero_and_never_a_crash(filled: sessionmaker[Session]) -> None:
    d = run(filled, MetricsFilter(datetime(2020, 1, 1, tzinfo=timezone.utc), datetime(2020, 2, 1, tzinfo=timezone.utc)))
    assert d["outcomes"] == {"won": 0, "lost": 0, "win_rate": None, "won_value": {}, "avg_deal_size": {},
                             "avg_days_to_close": None, "median_days_to_close": None}
    assert d["velocity"]["per_currency"]["USD"] == {"open_deals": 1, "avg_deal_size": None, "value_per_day": None}
    assert all(s["conversion"] is None and s["median_days"] is None for s in d["stage_flow"])
    assert d["lost_reasons"]["total"] == 0 and all(r["share"] is None for r in d["lost_reasons"]["reasons"])
    assert all(s["count"] == 0 and s["share_of_started"] is None and s["drop_off"] is None
               for s in d["funnel"]["steps"])
    assert d["forecast"]["open_deals"] == 2 and d["stuck"]["total"] == 1  # state at now: the period does not apply


def test_an_empty_store(sessions: sessionmaker[Session]) -> None:
    d = run(sessions)
    assert d["outcomes"]["win_rate"] is None and d["velocity"]["per_currency"] == {}
    assert d["forecast"]["weighted_total"] == {} and d["stuck"] == {
        "total": 0, "deals": [], "by_stage": d["stuck"]["by_stage"]}
    assert d["funnel"]["by_channel"] == {}


def test_all_lost_gives_a_zero_win_rate_and_no_deal_size(filled: sessionmaker[Session]) -> None:
    d = run(filled, MetricsFilter(START, NOW, rep_id=2))
    assert d["outcomes"]["win_rate"] == 0.0 and d["outcomes"]["avg_deal_size"] == {}
    assert d["outcomes"]["avg_days_to_close"] is None and d["velocity"]["per_currency"] == {}


def test_named_periods_and_bad_filters() -> None:
    f = MetricsFilter.for_period("30d", now=NOW, team_id=2)
    assert (f.period_start, f.period_end, f.team_id) == (datetime(2026, 10, 23, 10, tzinfo=timezone.utc), NOW, 2)
    assert MetricsFilter.for_period("all", now=NOW) == MetricsFilter()
    with pytest.raises(InvalidFilter, match="unknown period"):
        MetricsFilter.for_period("fortnight", now=NOW)
    with pytest.raises(InvalidFilter, match="after it ends"):
        MetricsFilter(NOW, START)
    with pytest.raises(InvalidFilter, match="aware"):
        MetricsFilter(datetime(2026, 11, 1))


def test_the_filter_is_echoed(filled: sessionmaker[Session]) -> None:
    assert run(filled, MetricsFilter(START, NOW, team_id=1))["filter"] == {
        "period_start": "2026-11-01T00:00:00+00:00", "period_end": "2026-11-22T10:00:00+00:00",
        "team_id": 1, "rep_id": None, "now": "2026-11-22T10:00:00+00:00"}


@pytest.mark.parametrize("f", [PERIOD, MetricsFilter(None, None), MetricsFilter(START, NOW, team_id=1),
                               MetricsFilter(None, None, rep_id=1)], ids=["period", "all time", "team", "rep"])
def test_each_metric_query_reads_the_index_named_for_it(filled: sessionmaker[Session], f: MetricsFilter) -> None:
    """SQLite's planner, left alone, read the whole pipeline's indexes for a team and tested
    each row's owner (0.4 s for a year of a team at 100k leads): the queries name their
    index (bot.metrics.indexes), and SQLite reads it."""
    with filled() as session:
        engine = session.get_bind()
        if engine.dialect.name != "sqlite":
            pytest.skip("INDEXED BY is SQLite's; PostgreSQL plans on its own")
        statements: list[tuple[str, Any]] = []

        def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", record)
        try:
            report(session, f, now=NOW, pipeline=PipelineSettings())
        finally:
            event.remove(engine, "before_cursor_execute", record)
        owned = f.team_id is not None or f.rep_id is not None
        allowed = {r.owned if owned else r.whole for r in indexes.ALL}
        named = []
        for sql, params in statements:
            for index in re.findall(r"INDEXED BY (\w+)", sql):
                named.append(index)
                assert index in allowed, (index, sql)
                plan = " | ".join(row[3] for row in session.connection().exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + sql, params))
                assert re.search(rf"USING (COVERING )?INDEX {index}\b", plan), (sql, plan)
        assert len(named) >= 9, named  # outcomes (2), forecast, stage flow (2+), stuck, lost reasons, funnel


def test_the_indexes_the_metrics_name_exist() -> None:
    defined = {index.name for table in Base.metadata.tables.values() for index in table.indexes}
    for reads in indexes.ALL:
        assert {reads.whole, reads.owned} <= defined, reads


def test_leads_qualified_and_won_per_week(filled: sessionmaker[Session]) -> None:
    # Weeks from Monday: Nov 1 (a Sunday) is in the week of Oct 26; Nov 22 in the week of Nov 16.
    # Leads: D4 Nov 01; D3 Nov 02, D7 Nov 03, D8's lead Nov 05; D5 Nov 15 (Sunday). Won: D1 Nov 10,
    # D3 Nov 12 (D8's win on Nov 06 was merged away).
    assert run(filled)["trend"]["weeks"] == [
        {"week_start": "2026-10-26", "leads": 1, "qualified": 1, "won": 0},
        {"week_start": "2026-11-02", "leads": 3, "qualified": 3, "won": 0},
        {"week_start": "2026-11-09", "leads": 1, "qualified": 1, "won": 2},
        {"week_start": "2026-11-16", "leads": 0, "qualified": 0, "won": 0},
    ]
    rep3 = run(filled, MetricsFilter(START, NOW, rep_id=3))["trend"]["weeks"]
    assert [(w["leads"], w["won"]) for w in rep3] == [(0, 0), (1, 0), (1, 1), (0, 0)]
    # All time starts at the first lead (D6, Sep 01), at most 26 weeks.
    weeks = run(filled, MetricsFilter())["trend"]["weeks"]
    assert weeks[0]["week_start"] == "2026-08-31" and weeks[-1]["week_start"] == "2026-11-16" and len(weeks) == 12
    assert sum(w["won"] for w in weeks) == 2 and sum(w["leads"] for w in weeks) == 8
