"""Repository operations on real databases (SQLite file and PostgreSQL, see conftest)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

import bot.store.repository as repository
from bot.answers import Budget
from bot.funnel import conversation_key, record_progress
from bot.leads import TranscriptLine
from bot.store.errors import (
    DealNotFound,
    InvalidFilter,
    InvalidMoney,
    InvalidTransition,
    LeadErased,
    LeadNotFound,
    UnknownLostReason,
    UnknownStage,
)
from bot.metrics import MetricsFilter
from bot.metrics.stuck import stuck
from bot.store.outbox import due_events, held_events, mark_delivered, mark_failed
from bot.store.pipeline import PipelineSettings
from bot.store.repository import (
    delete_lead,
    email_hash,
    export_person,
    get_lead,
    is_stale,
    list_leads,
    move_stage,
    pipeline_summary,
    record_followup_optin,
    save_lead,
    sha256_hex,
)
from bot.store.schema import ConsentEvent, ConversationFunnel, Deal, Lead, OutboxEvent, Rep, StageHistory, Tombstone
from tests.store.builders import EMAIL, NOW, submission

LATER = NOW + timedelta(hours=1)


def save(sessions: sessionmaker[Session], sub: Any, now: datetime = NOW,
         pipeline: PipelineSettings | None = None) -> repository.SaveResult:
    with sessions.begin() as session:
        return save_lead(session, sub, now=now, pipeline=pipeline or PipelineSettings())


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    return {m.__tablename__: count(sessions, m) for m in (Lead, Deal, StageHistory, OutboxEvent, ConsentEvent)}


def events(sessions: sessionmaker[Session]) -> list[tuple[str, int]]:
    with sessions() as session:
        return [(e.event_type, e.aggregate_id) for e in session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))]


def move(sessions: sessionmaker[Session], deal_id: int, stage: str, now: datetime = LATER, **kw: Any) -> Deal:
    with sessions.begin() as session:
        return move_stage(session, deal_id, stage, now=now, by=kw.pop("by", "alice"),
                          pipeline=PipelineSettings(), **kw)


# --- creating and deduplicating ---------------------------------------------------------


def test_first_save_writes_lead_deal_history_outbox_and_consent(sessions) -> None:
    result = save(sessions, submission(source={"utm_source": "newsletter"}))
    assert result.created and result.stage == "qualified"
    assert counts(sessions) == {"leads": 1, "deals": 1, "stage_history": 1, "outbox": 2, "consent_events": 1}
    assert events(sessions) == [("lead.created", result.lead_id), ("deal.stage_changed", result.lead_id)]
    with sessions() as session:
        lead = get_lead(session, result.lead_id)
        assert lead.email == EMAIL
        assert (lead.budget_min, lead.budget_max, lead.budget_currency, lead.budget_period) == (12000, 12000, "USD", "yearly")
        assert lead.authority_level == "decision_maker" and lead.need_level == "specific"
        assert lead.timeline_target_date.isoformat() == "2027-01-31"
        assert lead.raw_answers["budget"] == "$12k"
        assert lead.created_at == NOW and lead.created_at.tzinfo is not None
        assert lead.consent_shown_at == NOW - timedelta(minutes=5)
        assert lead.source == {"utm_source": "newsletter"}
        assert [t["sender"] for t in lead.transcript] == ["bot", "user"]
        deal = lead.current_deal()
        assert (deal.stage, deal.value, deal.currency) == ("qualified", 12000, "USD")
        assert [(h.from_stage, h.to_stage, h.changed_by) for h in deal.history] == [(None, "qualified", "bot")]
        payload = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).first().payload
        assert payload["email"] == EMAIL and payload["stage"] == "qualified"


def test_another_conversation_giving_a_known_email_is_linked_never_written_over(sessions) -> None:
    """Typing an address proves nothing: a second conversation with a lead's e-mail (any case)
    is kept beside the lead for its rep; name, company, score, status and conversation stay."""
    first = save(sessions, submission("conv-1"))
    before = events(sessions)
    stranger = replace(submission("conv-2", email="  Sam.ORTIZ@Brightwell.Example ", name="Mallory Mole",
                                  status="disqualified", points=5),
                       transcript=(TranscriptLine("user", "i am sam, honest", LATER),))
    second = save(sessions, stranger, LATER)
    again = save(sessions, replace(stranger, transcript=(*stranger.transcript,
                                                         TranscriptLine("user", "call me", LATER))), LATER)
    assert second.lead_id == again.lead_id == first.lead_id and second.linked_to == first.lead_id
    assert not second.created and count(sessions, Lead) == 1 and count(sessions, Deal) == 1
    with sessions() as session:
        lead = get_lead(session, "SAM.ortiz@brightwell.example")
        assert (lead.conversation_id, lead.name, lead.score, lead.status) == ("conv-1", "Sam Ortiz", 82, "qualified")
        [link] = lead.linked_conversations
        assert (link.conversation_id, link.score, link.status) == ("conv-2", 5, "disqualified")
        assert link.answers["contact"]["name"] == "Mallory Mole"
        assert [line["text"] for line in link.transcript] == ["i am sam, honest", "call me"]
    assert events(sessions) == before, "nothing for the CRM: the lead did not change"


def test_the_conversation_that_owns_the_lead_still_updates_it(sessions) -> None:
    first = save(sessions, submission("conv-1", status="nurture", points=40))
    again = save(sessions, submission("conv-1", email=EMAIL.upper()), LATER)
    assert again.lead_id == first.lead_id and again.linked_to is None
    with sessions() as session:
        assert (get_lead(session, EMAIL).score, get_lead(session, EMAIL).status) == (82, "qualified")
    assert events(sessions)[-2] == ("lead.updated", first.lead_id)


def test_same_conversation_without_email_updates_its_lead(sessions) -> None:
    first = save(sessions, submission("anon", email=None, status="nurture", points=40))
    second = save(sessions, submission("anon", email=None, status="nurture", points=45), LATER)
    assert second.lead_id == first.lead_id and not second.created
    with sessions() as session:
        assert get_lead(session, first.lead_id).score == 45
        assert get_lead(session, first.lead_id).email is None
    assert count(sessions, Lead) == 1
    assert count(sessions, ConsentEvent) == 1, "the same notice in the same conversation is recorded once"


def test_two_anonymous_conversations_are_two_leads(sessions) -> None:
    assert save(sessions, submission("a", email=None)).lead_id != save(sessions, submission("b", email=None)).lead_id


def test_conversation_without_email_gains_it(sessions) -> None:
    first = save(sessions, submission("conv-9", email=None, status="nurture"))
    second = save(sessions, submission("conv-9", email="Late@Example.com"), LATER)
    assert second.lead_id == first.lead_id
    with sessions() as session:
        assert get_lead(session, "late@example.com").id == first.lead_id


def test_email_corrected_in_the_same_conversation_replaces_it(sessions) -> None:
    first = save(sessions, submission("conv-3", email="dana@gmial.com"))
    save(sessions, submission("conv-3", email="dana@gmail.com"), LATER)
    with sessions() as session:
        assert get_lead(session, "dana@gmail.com").id == first.lead_id
        with pytest.raises(LeadNotFound):
            get_lead(session, "dana@gmial.com")


def test_email_given_later_that_belongs_to_another_lead_links_and_keeps_both(sessions) -> None:
    """A conversation stored without an e-mail that then gives another lead's: its own lead
    keeps its answers (not that e-mail), and it is linked to the other lead for its rep."""
    known = save(sessions, submission("conv-old", status="nurture", points=50, name="Sam Ortiz"))
    anon = save(sessions, submission("conv-new", email=None, status="nurture", points=40, name="Mallory",
                                     consent_at=LATER - timedelta(minutes=1)), LATER)
    later = save(sessions, submission("conv-new", status="qualified", name="Mallory"), LATER + timedelta(hours=1))

    assert later.lead_id == anon.lead_id and later.linked_to == known.lead_id and later.merged_from is None
    assert count(sessions, Lead) == 2
    with sessions() as session:
        own, theirs = get_lead(session, anon.lead_id), get_lead(session, known.lead_id)
        assert own.email is None and own.status == "qualified" and own.conversation_id == "conv-new"
        assert (theirs.name, theirs.status, theirs.conversation_id) == ("Sam Ortiz", "nurture", "conv-old")
        assert [c.conversation_id for c in theirs.linked_conversations] == ["conv-new"]


# --- one transaction ---------------------------------------------------------------------


def _unserialisable_payload(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail at the last write (the outbox row), after lead, deal and history were flushed."""
    monkeypatch.setattr(repository, "lead_to_export", lambda lead: {"not json": object()})


def test_failure_midway_writes_nothing(sessions, monkeypatch) -> None:
    _unserialisable_payload(monkeypatch)
    with pytest.raises((StatementError, TypeError)):
        save(sessions, submission())
    assert counts(sessions) == {"leads": 0, "deals": 0, "stage_history": 0, "outbox": 0, "consent_events": 0}


def test_failure_midway_is_rolled_back_even_if_the_caller_commits(sessions, monkeypatch) -> None:
    with sessions() as session:
        _unserialisable_payload(monkeypatch)
        with pytest.raises((StatementError, TypeError)):
            save_lead(session, submission(), now=NOW, pipeline=PipelineSettings())
        session.commit()
    assert counts(sessions)["leads"] == 0 and counts(sessions)["stage_history"] == 0


def test_failed_update_leaves_the_stored_lead_unchanged(sessions, monkeypatch) -> None:
    first = save(sessions, submission(status="nurture", points=40))
    before = counts(sessions)
    _unserialisable_payload(monkeypatch)
    with pytest.raises((StatementError, TypeError)):
        save(sessions, submission(status="qualified", points=90), LATER)
    assert counts(sessions) == before
    with sessions() as session:
        lead = get_lead(session, first.lead_id)
        assert (lead.score, lead.status, lead.current_deal().stage) == (40, "nurture", "new")


def test_constraint_violation_writes_nothing(sessions) -> None:
    bad = replace(submission(), score=replace(submission().score, status="hot"))  # not a lead status
    with pytest.raises(IntegrityError):
        save(sessions, bad)
    assert counts(sessions) == {"leads": 0, "deals": 0, "stage_history": 0, "outbox": 0, "consent_events": 0}


def test_naive_datetimes_are_refused(sessions) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        save(sessions, submission(), now=datetime(2026, 11, 22, 10, 0))


# --- stages ------------------------------------------------------------------------------


def test_deal_only_moves_forward_automatically(sessions) -> None:
    r = save(sessions, submission(status="nurture", points=45))
    assert r.stage == "new"
    r = save(sessions, submission(status="qualified"), LATER)
    assert r.stage == "qualified"
    r = save(sessions, submission(status="disqualified", points=10), LATER + timedelta(minutes=1))
    assert r.stage == "qualified", "a lower score never moves a deal back"
    move(sessions, r.deal_id, "proposal", LATER + timedelta(minutes=2))
    r = save(sessions, submission(status="qualified"), LATER + timedelta(minutes=3))
    assert r.stage == "proposal"
    with sessions() as session:
        history = [(h.from_stage, h.to_stage, h.changed_by) for h in session.get(Deal, r.deal_id).history]
    assert history == [(None, "new", "bot"), ("new", "qualified", "bot"), ("qualified", "proposal", "alice")]
    assert [e for e, _ in events(sessions)].count("deal.stage_changed") == 3


def test_closed_deal_is_never_reopened_by_the_bot(sessions) -> None:
    r = save(sessions, submission("conv-1"))
    move(sessions, r.deal_id, "lost", lost_reason="wrong_timing")
    again = save(sessions, submission("conv-1", budget=Budget("stated", "35k", 35000, 35000, "USD")), LATER)
    assert again.deal_id == r.deal_id and again.stage == "lost"
    assert count(sessions, Deal) == 1
    # A new conversation giving the address later is linked for the rep, who decides.
    fresh = save(sessions, submission("conv-2"), LATER + timedelta(days=90))
    assert fresh.linked_to == r.lead_id and fresh.deal_id == r.deal_id and count(sessions, Deal) == 1
    with sessions() as session:
        assert session.get(Deal, r.deal_id).stage == "lost"


def test_deal_values_are_bounded_by_the_documented_maximum(sessions) -> None:
    """MAX_MONEY (10^12) is kept exactly in both databases; more, less than 0 or NaN is refused
    before anything changes, and a budget past it gives the deal no value."""
    from bot.store.schema import MAX_MONEY

    r = save(sessions, submission())
    for value in (MAX_MONEY + 0.01, 1.7e308, float("inf"), float("nan"), -50000.0):
        with pytest.raises(InvalidMoney, match="a value must be a number from 0 to 1,000,000,000,000"):
            move(sessions, r.deal_id, "won", value=value, currency="USD")
    assert count(sessions, StageHistory) == 1, "refused moves leave no trace"
    assert move(sessions, r.deal_id, "won", value=float(MAX_MONEY), currency="USD").value == MAX_MONEY
    with sessions() as session:
        assert session.get(Deal, r.deal_id).value == MAX_MONEY
        assert pipeline_summary(session, PipelineSettings())[-2].value == {"USD": MAX_MONEY}

    huge = save(sessions, submission("conv-huge", email="huge@example.com",
                                     budget=Budget("stated", "2e12 USD", 2e12, 2e12, "USD", None)))
    with sessions() as session:
        assert session.get(Deal, huge.deal_id).value is None


def test_move_stage_validates_stage_and_lost_reason(sessions) -> None:
    r = save(sessions, submission())
    with pytest.raises(UnknownStage, match="stages in settings/pipeline.yml: new, qualified"):
        move(sessions, r.deal_id, "closed_won")
    with pytest.raises(UnknownLostReason, match="required"):
        move(sessions, r.deal_id, "lost")
    with pytest.raises(UnknownLostReason, match="unknown lost reason 'too_pricey'"):
        move(sessions, r.deal_id, "lost", lost_reason="too_pricey")
    with pytest.raises(InvalidTransition, match="only applies"):
        move(sessions, r.deal_id, "meeting", lost_reason="wrong_timing")
    with pytest.raises(InvalidTransition, match="already in stage"):
        move(sessions, r.deal_id, "qualified")
    with pytest.raises(DealNotFound):
        move(sessions, 999, "meeting")
    assert count(sessions, StageHistory) == 1, "refused moves leave no trace"

    deal = move(sessions, r.deal_id, "lost", lost_reason="price_above_budget", note="too expensive")
    assert (deal.stage, deal.lost_reason, deal.closed_at) == ("lost", "price_above_budget", LATER)
    with sessions() as session:
        last = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id.desc())).first()
    assert last.event_type == "deal.stage_changed"
    expected = {"from_stage": "qualified", "to_stage": "lost", "lost_reason": "price_above_budget",
                "changed_by": "alice", "probability": 0.0, "deal_id": r.deal_id, "lead_id": r.lead_id}
    assert {k: last.payload[k] for k in expected} == expected

    reopened = move(sessions, r.deal_id, "proposal", LATER + timedelta(days=1))
    assert reopened.closed_at is None and reopened.lost_reason is None


def test_reopening_is_refused_while_another_deal_is_open(sessions) -> None:
    r = save(sessions, submission("conv-1"))
    move(sessions, r.deal_id, "won")
    with sessions.begin() as session:  # a second, open deal (as a merge of two leads leaves one)
        session.add(Deal(lead_id=r.lead_id, stage="qualified", value_source="budget", created_at=LATER,
                         updated_at=LATER))
    with pytest.raises(InvalidTransition, match="already has open deal"):
        move(sessions, r.deal_id, "negotiation", LATER + timedelta(days=31))


def test_manual_value_is_kept_when_the_budget_changes(sessions) -> None:
    r = save(sessions, submission())
    move(sessions, r.deal_id, "meeting", value=20000, currency="usd")
    save(sessions, submission(budget=Budget("stated", "9k", 9000, 9000, "USD")), LATER + timedelta(minutes=1))
    with sessions() as session:
        deal = session.get(Deal, r.deal_id)
        assert (deal.value, deal.currency, deal.value_source) == (20000, "USD", "manual")


def test_budget_value_follows_the_latest_budget(sessions) -> None:
    r = save(sessions, submission())
    save(sessions, submission(budget=Budget("stated", "between 30 and 40k EUR", 30000, 40000, "EUR")), LATER)
    with sessions() as session:
        assert (session.get(Deal, r.deal_id).value, session.get(Deal, r.deal_id).currency) == (40000, "EUR")


@pytest.mark.parametrize("column, value", [
    ("to_stage", "won"), ("from_stage", "meeting"), ("changed_at", LATER), ("changed_by", "mallory"),
    ("note", "rewritten"), ("from_entered_at", NOW), ("stay_days", 99.0), ("deal_id", StageHistory.deal_id)])
def test_stage_history_is_append_only(sessions, column: str, value: Any) -> None:
    save(sessions, submission())
    with pytest.raises(DBAPIError, match="append-only"):
        with sessions.begin() as session:
            session.execute(update(StageHistory).values({column: value}))


def test_stage_history_lets_only_its_owner_copy_change(sessions) -> None:
    """The owner on a history row is a copy kept by triggers, not part of the history."""
    with sessions.begin() as session:
        session.add(Rep(id=5, name="Rep 5", email="rep5@example.com", territories=[], working_hours={}, notify={},
                        created_at=NOW, updated_at=NOW))
    save(sessions, submission())
    with sessions.begin() as session:
        session.execute(update(StageHistory).values(owner_rep_id=5))
    with sessions() as session:
        assert session.scalars(select(StageHistory.owner_rep_id)).all() == [5]


# --- reading -----------------------------------------------------------------------------


def test_get_and_list_leads(sessions) -> None:
    save(sessions, submission("c1", email="a@x.example", status="qualified"))
    save(sessions, submission("c2", email="b@x.example", status="nurture"), LATER)
    save(sessions, submission("c3", email="c@x.example", status="disqualified"), LATER + timedelta(minutes=1))
    with sessions() as session:
        assert [lead.email for lead in list_leads(session)] == ["c@x.example", "b@x.example", "a@x.example"]
        assert [lead.email for lead in list_leads(session, status="nurture")] == ["b@x.example"]
        assert len(list_leads(session, limit=2)) == 2
        with pytest.raises(InvalidFilter, match="one of: qualified, nurture, disqualified"):
            list_leads(session, status="hot")
        with pytest.raises(LeadNotFound, match="no lead with id 42"):
            get_lead(session, 42)
        with pytest.raises(LeadNotFound, match="no lead with email nobody@x.example"):
            get_lead(session, "nobody@x.example")
        with pytest.raises(LeadNotFound, match="neither a lead id"):
            get_lead(session, "Sam")


def test_pipeline_summary_counts_and_values_per_currency(sessions) -> None:
    save(sessions, submission("c1", email="a@x.example"))  # qualified, 12,000 USD
    save(sessions, submission("c2", email="b@x.example", budget=Budget("stated", "8k", 8000, 8000, "USD")))
    save(sessions, submission("c3", email="c@x.example", budget=Budget("stated", "5.000 EUR", 5000, 5000, "EUR")))
    save(sessions, submission("c4", email="d@x.example", budget=Budget("stated", "25k", 25000, 25000, None)))
    save(sessions, submission("c5", email="e@x.example", status="nurture", budget=Budget("unknown", "skip")))
    r = save(sessions, submission("c6", email="f@x.example", budget=Budget("stated", "1k", 1000, 1000, "USD")))
    move(sessions, r.deal_id, "won")
    with sessions() as session:
        summary = {s.stage: s for s in pipeline_summary(session, PipelineSettings())}
        assert list(summary) == ["new", "qualified", "meeting", "proposal", "negotiation", "won", "lost"]
        assert summary["qualified"].count == 4
        assert summary["qualified"].value == {"USD": 20000, "EUR": 5000, None: 25000}
        assert (summary["new"].count, summary["new"].value) == (1, {})
        assert (summary["won"].count, summary["won"].value) == (1, {"USD": 1000})
        assert summary["meeting"].count == 0 and summary["won"].closed


def test_deals_in_a_stage_removed_from_the_config_still_show(sessions) -> None:
    save(sessions, submission())
    with sessions.begin() as session:
        session.execute(text("UPDATE deals SET stage = 'demo'"))
    with sessions() as session:
        last = pipeline_summary(session, PipelineSettings())[-1]
    assert (last.stage, last.count, last.configured) == ("demo", 1, False)


def test_a_change_closes_the_previous_stay_and_restarts_the_clock_in_stage(sessions) -> None:
    r = save(sessions, submission())  # qualified: max_days 7
    pipeline = PipelineSettings()

    def stuck_now(days: float) -> list[tuple[int, str, int, int]]:
        with sessions() as session:
            found = stuck(session, MetricsFilter(), pipeline, NOW + timedelta(days=days), limit=None).deals
        return [(s.deal_id, s.stage, s.days, s.max_days) for s in found]

    assert stuck_now(7) == []
    assert stuck_now(9) == [(r.deal_id, "qualified", 9, 7)]
    with sessions.begin() as session:
        move_stage(session, r.deal_id, "meeting", now=NOW + timedelta(days=9, hours=12), by="rep", pipeline=pipeline)
    assert stuck_now(10) == []  # the clock restarted in the new stage
    with sessions() as session:
        deal = session.get(Deal, r.deal_id)
        first, second = deal.history
        assert deal.stage_entered_at == NOW + timedelta(days=9, hours=12)
        assert (first.from_entered_at, first.stay_days) == (None, None)  # creation ends no stay
        assert (second.from_stage, second.from_entered_at, second.stay_days) == ("qualified", NOW, 9.5)
    with sessions.begin() as session:
        move_stage(session, r.deal_id, "won", now=NOW + timedelta(days=12), by="rep", value=1000, currency="USD",
                   pipeline=pipeline)
    with sessions() as session:
        assert session.get(Deal, r.deal_id).days_to_close == 12.0  # time to close, written as it closes
    with sessions.begin() as session:
        move_stage(session, r.deal_id, "proposal", now=NOW + timedelta(days=13), by="rep", pipeline=pipeline)
    with sessions() as session:
        reopened = session.get(Deal, r.deal_id)
        assert (reopened.closed_at, reopened.days_to_close, reopened.history[-1].stay_days) == (None, None, 1.0)


def test_deals_history_and_funnel_rows_always_carry_their_leads_owner(sessions) -> None:
    """deals.owner_rep_id mirrors leads.owner_rep_id, stage_history's the deal's and
    conversation_funnel's the lead's (database triggers), whatever writes it: a new row, an
    owner change by any SQL, a conversation linked to its lead, a merge that moves a deal, a
    deleted rep."""
    def owners() -> dict[str, Any]:
        with sessions() as session:
            deals = dict(session.execute(select(Deal.id, Deal.owner_rep_id)).all())
            history = {(deal_id, owner) for deal_id, owner in session.execute(
                select(StageHistory.deal_id, StageHistory.owner_rep_id))}
            funnel = {key[:6]: owner for key, owner in session.execute(
                select(ConversationFunnel.conversation_key, ConversationFunnel.owner_rep_id))}
        assert history == set(deals.items()), "every history row carries its deal's owner"
        return {"deals": deals, "funnel": funnel}

    def progress(conversation: str, lead_id: int | None = None) -> str:
        with sessions.begin() as session:
            record_progress(session, conversation, "rest", ["need"], now=NOW, lead_id=lead_id)
        return conversation_key(conversation)[:6]

    with sessions.begin() as session:
        session.add_all([Rep(id=rep_id, name=f"Rep {rep_id}", email=f"rep{rep_id}@example.com", territories=[],
                             working_hours={}, notify={}, created_at=NOW, updated_at=NOW) for rep_id in (1, 2)])
    known = save(sessions, submission("conv-old", status="nurture", points=50))
    old_talk, lone_talk = progress("conv-old", known.lead_id), progress("conv-lone")
    with sessions.begin() as session:
        session.execute(update(Lead).where(Lead.id == known.lead_id).values(owner_rep_id=1))
    assert owners() == {"deals": {known.deal_id: 1}, "funnel": {old_talk: 1, lone_talk: None}}
    move(sessions, known.deal_id, "meeting")
    assert owners()["deals"] == {known.deal_id: 1}, "a new history row takes its deal's owner"
    anon = save(sessions, submission("conv-new", email=None, status="nurture", points=40,
                                     consent_at=LATER - timedelta(minutes=1)), LATER)
    new_talk = progress("conv-new")
    with sessions.begin() as session:
        session.execute(update(Lead).where(Lead.id == anon.lead_id).values(owner_rep_id=2))
    assert owners()["funnel"][new_talk] is None, "a conversation not linked to a lead belongs to nobody"
    progress("conv-new", anon.lead_id)
    assert owners() == {"deals": {known.deal_id: 1, anon.deal_id: 2},
                        "funnel": {old_talk: 1, lone_talk: None, new_talk: 2}}
    with sessions.begin() as session:  # the deal moves to the other lead (as a merge does)
        session.execute(update(Deal).where(Deal.id == known.deal_id).values(closed_at=LATER,
                                                                            merged_into_id=anon.deal_id))
        session.execute(update(Deal).where(Deal.id == anon.deal_id).values(lead_id=known.lead_id))
    assert owners()["deals"] == {known.deal_id: 1, anon.deal_id: 1}, "a deal moved to another lead takes its owner"
    with sessions.begin() as session:
        session.execute(text("DELETE FROM reps WHERE id = 1"))
    assert owners()["deals"] == {known.deal_id: None, anon.deal_id: None}
    assert owners()["funnel"][old_talk] is None


def test_followup_optin_is_recorded(sessions) -> None:
    r = save(sessions, submission("conv-n", status="nurture"))
    with sessions.begin() as session:
        assert record_followup_optin(session, "conv-n", True, now=LATER) == r.lead_id
    with sessions() as session:
        assert get_lead(session, r.lead_id).followup_optin is True
        with pytest.raises(LeadNotFound):
            record_followup_optin(session, "nope", True, now=LATER)


# --- personal data -------------------------------------------------------------------------


def test_export_person_holds_everything_about_them(sessions) -> None:
    save(sessions, submission(source={"page": "/pricing"}))
    with sessions() as session:
        data = export_person(session, EMAIL.upper())
        with pytest.raises(LeadNotFound):
            export_person(session, "nobody@x.example")
    assert data["email"] == EMAIL
    assert data["lead"]["name"] == "Sam Ortiz" and data["lead"]["source"] == {"page": "/pricing"}
    assert data["raw_answers"]["need"] == "We need a chatbot to book consultations"
    assert data["transcript"][1]["text"] == "We need a chatbot to book consultations"
    assert data["consent_events"][0]["notice_version"] == "2026-11-v1"
    assert data["deals"][0]["history"][0]["to_stage"] == "qualified"
    assert {d["event_type"] for d in data["disclosures"]} == {"lead.created", "deal.stage_changed"}


def test_delete_erases_personal_data_and_leaves_a_tombstone(sessions, engine) -> None:
    keep = save(sessions, submission("other", email="other@x.example", name="Olga Other"))
    r = save(sessions, submission())
    move(sessions, r.deal_id, "meeting")
    with sessions.begin() as session:
        result = delete_lead(session, EMAIL.upper(), now=LATER)
    assert result.lead_id == r.lead_id and result.deal_ids == (r.deal_id,)
    assert counts(sessions) == {"leads": 1, "deals": 1, "stage_history": 1, "outbox": 3, "consent_events": 1}
    with sessions() as session:
        tomb = session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "lead.deleted")).one()
        assert tomb.aggregate_id == r.lead_id and tomb.event_id == result.outbox_event_id
        assert tomb.payload == {"lead_id": r.lead_id, "deal_ids": [r.deal_id],
                                "email_sha256": email_hash(EMAIL), "deleted_at": "2026-11-22T11:00:00+00:00"}
        assert get_lead(session, keep.lead_id).email == "other@x.example"
        with pytest.raises(LeadNotFound):
            delete_lead(session, r.lead_id, now=LATER)
    # Nothing anywhere still mentions the person.
    with engine.connect() as conn:
        for table in ("leads", "deals", "stage_history", "outbox", "consent_events"):
            dump = " ".join(str(row) for row in conn.execute(text(f"SELECT * FROM {table}")))
            assert "sam.ortiz" not in dump.lower() and "Sam Ortiz" not in dump, table


def test_an_erased_lead_is_never_stored_again_and_its_tombstones_hold_only_hashes(sessions, engine) -> None:
    r = save(sessions, submission("conv-1", phone="+14155550132"))
    save(sessions, submission("conv-2"), LATER)  # linked: erased with the lead
    with sessions.begin() as session:
        result = delete_lead(session, r.lead_id, now=LATER)
    assert result.conversation_ids == ("conv-1", "conv-2")
    assert (result.email_sha256, result.phone_sha256) == (email_hash(EMAIL), sha256_hex("+14155550132"))
    with sessions() as session:
        tombs = {(t.kind, t.key_sha256, t.lead_id) for t in session.scalars(select(Tombstone))}
        stale = replace(submission("conv-1"), lead_id=r.lead_id)
        assert is_stale(session, stale) and not is_stale(session, replace(stale, conversation_id="conv-3"))
    assert tombs == {("conversation", conversation_key("conv-1"), r.lead_id),
                     ("conversation", conversation_key("conv-2"), r.lead_id),
                     ("email", email_hash(EMAIL), r.lead_id), ("phone", sha256_hex("+14155550132"), r.lead_id)}
    with engine.connect() as conn:
        dump = " ".join(str(row) for t in ("tombstones", "linked_conversations")
                        for row in conn.execute(text(f"SELECT * FROM {t}")))
    assert "sam" not in dump.lower() and "conv-" not in dump and "4155550132" not in dump
    # The conversation's state from before the deletion (a spooled copy, a tracker) names the lead:
    with pytest.raises(LeadErased):
        save(sessions, replace(submission("conv-1"), lead_id=r.lead_id), LATER + timedelta(minutes=1))
    assert count(sessions, Lead) == 0
    # A conversation starting afresh (no lead remembered) is a new visitor's choice: stored anew.
    fresh = save(sessions, submission("conv-1"), LATER + timedelta(minutes=2))
    assert fresh.created
    remembered = save(sessions, replace(submission("conv-1"), lead_id=fresh.lead_id), LATER + timedelta(minutes=3))
    assert remembered.lead_id == fresh.lead_id, "a new lead that took the erased lead's id (SQLite) is not stale"


# --- outbox --------------------------------------------------------------------------------


def test_outbox_hands_out_one_event_per_lead_in_order_with_backoff(sessions) -> None:
    a = save(sessions, submission("c1", email="a@x.example"))
    b = save(sessions, submission("c2", email="b@x.example"))
    with sessions.begin() as session:
        due = due_events(session, now=NOW)
        assert [(e.event_type, e.aggregate_id) for e in due] == [("lead.created", a.lead_id), ("lead.created", b.lead_id)]
        mark_delivered(due[0], now=NOW)
        mark_failed(due[1], now=NOW, error="CRM timeout")
    with sessions.begin() as session:
        due = due_events(session, now=NOW + timedelta(seconds=1))
        assert [(e.event_type, e.aggregate_id) for e in due] == [("deal.stage_changed", a.lead_id)]
        retry = session.scalars(select(OutboxEvent).where(OutboxEvent.status == "pending",
                                                          OutboxEvent.aggregate_id == b.lead_id)
                                .order_by(OutboxEvent.id)).first()
        assert retry.attempts == 1 and retry.next_attempt_at == NOW + timedelta(seconds=30)
        for _ in range(9):
            mark_failed(retry, now=NOW, error="CRM down")
        assert retry.status == "dead" and retry.last_error == "CRM down"
    with sessions() as session:  # a dead event holds its lead's later ones (`leadbot sync status` shows it)
        assert [(e.event_type, e.aggregate_id) for e in due_events(session, now=NOW + timedelta(days=1))] == [
            ("deal.stage_changed", a.lead_id)]
        [(dead, held)] = held_events(session)
        assert (dead.aggregate_id, dead.event_type, held) == (b.lead_id, "lead.created", 1)


def test_created_at_is_utc_whatever_zone_now_is_in(sessions) -> None:
    from zoneinfo import ZoneInfo
    r = save(sessions, submission(), now=NOW.astimezone(ZoneInfo("America/New_York")))
    with sessions() as session:
        created = get_lead(session, r.lead_id).created_at
    assert created == NOW and created.utcoffset() == timedelta(0) and created.tzinfo == timezone.utc
