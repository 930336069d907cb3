"""`leadbot demo-data`: a realistic pipeline to try the dashboard and measure it at scale.

Leads as the bot stores them (answers, score breakdown, transcript, channel), owned by reps
in three teams, each with a deal that moved through the stages over the last year (stage
history with real gaps; won or lost with a configured reason), plus the bot funnel: one
conversation per lead and more that stopped before becoming a lead. Whether a deal is won
depends on its lead's answers (`WIN_EFFECTS`) plus noise, as a win model should find. Written with bulk
INSERTs (100k leads in about a minute on SQLite). Demo leads are marked by their scoring
version "demo"; the command refuses a store holding other leads unless forced.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.funnel import chain_depth, conversation_key
from bot.store.errors import StoreError
from bot.store.pipeline import PipelineSettings
from bot.store.repository import stay_days
from bot.store.schema import ConversationFunnel, Deal, Lead, Rep, StageHistory, Team

DEMO_VERSION = "demo"
TEAMS = ("EMEA", "Americas", "APAC")
CHANNELS = (("socketio", 5), ("rest", 2), ("telegram", 2), ("whatsapp", 2), ("slack", 1))
NEEDS = (("We need a chatbot to book consultations", "appointment_booking"),
         ("Qualify inbound leads on our website", "lead_capture"),
         ("Answer support questions after hours", "customer_support"),
         ("Automate demo scheduling for sales", "sales_automation"))
# How each answer moves a demo deal's chance to be won (log-odds), so that a win model has
# something real to learn (bot/winprob); a deal's outcome is drawn from these plus noise.
WIN_EFFECTS: dict[str, dict[Any, float]] = {
    "authority": {"decision_maker": 1.0, "influencer": -0.2, "unknown": -0.6},
    "budget": {5_000: -0.6, 12_000: -0.1, 25_000: 0.3, 60_000: 0.6, 120_000: 0.8},
    "timeline": {0.5: 0.7, 2: 0.4, 5: 0.0, 10: -0.4, 18: -0.8, None: -0.3},
    "need": {"appointment_booking": 0.3, "lead_capture": 0.2, "customer_support": -0.3, "sales_automation": 0.0},
    "company_size": {5: -0.4, 30: 0.0, 120: 0.2, 600: 0.3, 3000: 0.1},
    "channel": {"socketio": 0.2, "whatsapp": -0.2},
    "source": {"linkedin": 0.3, "newsletter": 0.2, "google": 0.0, None: -0.1},
}
WIN_BASE, WIN_NOISE = -0.4, 0.5
BATCH = 5_000


class RealLeadsPresent(StoreError):
    """The store holds leads that are not demo data."""


@dataclass(frozen=True)
class DemoResult:
    leads: int
    conversations: int
    reps: int


def _reps(session: Session, now: datetime, count: int = 24) -> list[int]:
    """Demo teams and reps (reused when they exist); their ids."""
    teams = {}
    for name in TEAMS:
        team = session.scalars(select(Team).where(Team.name == name)).first()
        if team is None:
            team = Team(name=name, created_at=now)
            session.add(team)
            session.flush()
        teams[name] = team.id
    ids = []
    for i in range(1, count + 1):
        email = f"rep{i:02d}@demo.example"
        rep = session.scalars(select(Rep).where(Rep.email == email)).first()
        if rep is None:
            rep = Rep(name=f"Demo Rep {i:02d}", email=email, team_id=teams[TEAMS[i % len(TEAMS)]], active=True,
                      territories=[], timezone="UTC", working_hours={}, notify={"email": False},
                      created_at=now, updated_at=now)
            session.add(rep)
            session.flush()
        ids.append(rep.id)
    return ids


def generate(session: Session, leads: int, *, now: datetime, pipeline: PipelineSettings, seed: int = 7,
             force: bool = False) -> DemoResult:
    """Add `leads` demo leads (and their deals, history, conversations) to the store."""
    if leads < 1:
        raise ValueError(f"--leads must be at least 1, got {leads}")
    real = session.scalar(select(func.count(Lead.id)).where(Lead.scoring_version != DEMO_VERSION)) or 0
    if real and not force:
        raise RealLeadsPresent(f"the store holds {real} lead(s) that are not demo data; "
                               "use --force to add demo data anyway")
    rnd = random.Random(seed)
    rep_ids = _reps(session, now)
    lead_base = session.scalar(select(func.coalesce(func.max(Lead.id), 0))) or 0
    deal_base = session.scalar(select(func.coalesce(func.max(Deal.id), 0))) or 0
    open_stages = [s.key for s in pipeline.stages if not s.closed]
    won, lost = pipeline.won_stage.key, pipeline.lost_stage.key
    reasons = [r.key for r in pipeline.lost_reasons if r.key != "duplicate"] or [r.key for r in pipeline.lost_reasons]
    channels, weights = zip(*CHANNELS)
    conversations = 0
    for start in range(0, leads, BATCH):
        rows, deals, history, funnel = [], [], [], []
        for n in range(start, min(start + BATCH, leads)):
            lead_id, deal_id = lead_base + n + 1, deal_base + n + 1
            created = now - timedelta(minutes=rnd.randint(30, 365 * 24 * 60))
            status = rnd.choices(("qualified", "nurture", "disqualified"), (5, 3, 2))[0]
            score = rnd.randint(60, 100) if status == "qualified" else rnd.randint(10, 59)
            budget = rnd.choice((5_000, 12_000, 25_000, 60_000, 120_000))
            currency = rnd.choices(("USD", "EUR", "GBP"), (6, 3, 1))[0]
            channel = rnd.choices(channels, weights)[0]
            human = rnd.random() < 0.08
            owner = rnd.choice(rep_ids) if status == "qualified" or human else None
            need, category = rnd.choice(NEEDS)
            authority = rnd.choice(("decision_maker", "influencer", "unknown"))
            months = rnd.choice(tuple(WIN_EFFECTS["timeline"]))
            size = rnd.choice(tuple(WIN_EFFECTS["company_size"]))
            campaign = rnd.choices(("google", "linkedin", "newsletter", None), (4, 2, 1, 3))[0]
            answers = {"authority": authority, "budget": budget, "timeline": months, "need": category,
                       "company_size": size, "channel": channel, "source": campaign}
            logit = WIN_BASE + sum(WIN_EFFECTS[k].get(v, 0.0) for k, v in answers.items()) + rnd.gauss(0, WIN_NOISE)
            p_win = 1 / (1 + math.exp(-logit))
            source: dict[str, Any] = {"company_size": str(size)}
            if campaign:
                source["utm_source"] = campaign
            rows.append(dict(
                id=lead_id, email=f"person{lead_id}@demo.example", name=f"Demo Person {lead_id}",
                company=f"Demo Company {lead_id % 3000}", status=status, score=score,
                grade="A" if score >= 80 else "B" if score >= 60 else "C",
                score_breakdown=[{"dimension": d, "points": 10, "max_points": 25, "known": True,
                                  "reason": "demo data"} for d in ("need", "budget", "authority", "timeline")],
                scoring_version=DEMO_VERSION,
                need={"text": need, "level": "specific", "status": "stated", "category": category},
                timeline=({"status": "stated", "text": f"within {months:g} months", "months": months}
                          if months is not None else {"status": "unknown", "text": "not sure"}),
                budget={"text": f"{budget // 1000}k {currency}", "min": budget, "max": budget, "currency": currency,
                        "period": "yearly", "status": "stated"},
                raw_answers={"need": need, "budget": f"{budget // 1000}k {currency}"},
                budget_min=budget, budget_max=budget, budget_currency=currency, budget_period="yearly",
                authority_level=authority,
                channel=channel, conversation_id=f"demo-{lead_id}", conversation_date=created.date(),
                human_requested=human, source=source, transcript=[
                    {"sender": "user" if k % 2 else "bot", "text": f"demo message {k}", "at": created.isoformat()}
                    for k in range(6)],
                owner_rep_id=owner, assignment_rule="round_robin" if owner else None,
                assigned_at=created if owner else None, created_at=created, updated_at=created))
            path, at, moved = [pipeline.entry_stage_for(status)], created, [created]
            stalled_reason = None
            while path[-1] in open_stages:
                step = at + timedelta(days=rnd.randint(1, 25), minutes=rnd.randint(0, 600))
                if step >= now:
                    break  # still open in this stage
                if rnd.random() < 0.12 * (1.5 - p_win):  # stalled: usually lost later, sometimes left stuck
                    if rnd.random() < 0.85:
                        path.append(lost)
                        stalled_reason = "unresponsive"
                        at = step
                        moved.append(at)
                    break
                roll = rnd.random()
                following = open_stages.index(path[-1]) + 1
                if roll < 0.3 or following >= len(open_stages):  # closes: won with the deal's chance
                    path.append(won if rnd.random() < p_win else lost)
                else:
                    path.append(open_stages[following])
                at = step
                moved.append(at)
            previous, entered = None, None
            for stage, when in zip(path, moved):
                history.append(dict(deal_id=deal_id, from_stage=previous, to_stage=stage, changed_at=when,
                                    changed_by="bot" if previous is None else "demo", from_entered_at=entered,
                                    stay_days=stay_days(entered, when)))
                previous, entered = stage, when
            closed = path[-1] in (won, lost)
            value = budget * rnd.choice((0.8, 1, 1, 1.2)) if path[-1] == won else budget
            deals.append(dict(id=deal_id, lead_id=lead_id, stage=path[-1], value=value, currency=currency,
                              value_source="budget", lost_reason=(stalled_reason or rnd.choice(reasons)) if path[-1] == lost else None,
                              owner=None, created_at=created, updated_at=at, closed_at=at if closed else None,
                              stage_entered_at=at, days_to_close=stay_days(created, at) if closed else None))
            stamp = created - timedelta(minutes=rnd.randint(2, 15))
            funnel.append(_conversation(f"demo-{lead_id}", channel, stamp, lead_id, status, human))
            if rnd.random() < 0.6:  # a visitor who stopped before leaving a lead
                stamp = created - timedelta(hours=rnd.randint(1, 48))
                funnel.append(_abandoned(rnd, f"demo-{lead_id}-abandoned", rnd.choices(channels, weights)[0], stamp))
        session.execute(insert(Lead), rows)
        session.execute(insert(Deal), deals)
        session.execute(insert(StageHistory), history)
        session.execute(insert(ConversationFunnel), funnel)
        conversations += len(funnel)
    return DemoResult(leads, conversations, len(rep_ids))


def _conversation(conversation_id: str, channel: str, started: datetime, lead_id: int, status: str,
                  human: bool) -> dict[str, Any]:
    minute = timedelta(minutes=1)
    row = dict(conversation_key=conversation_key(conversation_id), channel=channel, started_at=started,
               need_at=started + minute, timeline_at=started + 2 * minute, authority_at=started + 3 * minute,
               budget_at=started + 4 * minute, contact_at=started + 5 * minute,
               qualified_at=started + 6 * minute if status == "qualified" else None,
               handed_to_rep_at=started + 7 * minute if human else None, lead_id=lead_id, updated_at=started)
    return {**row, "depth": chain_depth(row)}


def _abandoned(rnd: random.Random, conversation_id: str, channel: str, started: datetime) -> dict[str, Any]:
    """Asked in the bot's order (need, timeline, authority, budget), stopping somewhere."""
    minute, row = timedelta(minutes=1), {}
    for k, step in enumerate(("need", "timeline", "authority", "budget")):
        if rnd.random() < 0.35:
            break
        row[f"{step}_at"] = started + (k + 1) * minute
    return dict(conversation_key=conversation_key(conversation_id), channel=channel, started_at=started,
                need_at=row.get("need_at"), timeline_at=row.get("timeline_at"),
                authority_at=row.get("authority_at"), budget_at=row.get("budget_at"), contact_at=None,
                qualified_at=None, handed_to_rep_at=None, lead_id=None, updated_at=started, depth=chain_depth(row))
