"""The store's tables, as SQLAlchemy 2 declarative models.

Why this shape:
- `leads` keeps each answer twice: the `to_dict()` JSON (the visitor's words, status and
  normalised value; lossless) and a few flat columns (budget range, target date,
  authority level) that reports can index and filter on without JSON functions.
- `deals` is the sales side of a lead; stages are keys from `settings/pipeline.yml`, not
  a database enum, so sales can rename or add stages without a migration. At most one
  deal per lead is open (`closed_at IS NULL`), enforced by a partial unique index.
- `stage_history` is append-only (a trigger refuses UPDATE of anything but its copy of
  the deal's owner): every pipeline metric (time in stage, conversion, stuck deals) is
  derived from it, never from mutable counters. A row
  that ends a stay also says when that stay began (`from_entered_at`, `stay_days`), and a
  deal knows since when it is in its stage (`stage_entered_at`): written with the change,
  so that metrics aggregate indexes instead of pairing rows at read time.
- `outbox` holds every event a CRM must receive, written in the same transaction as the
  change, with the delivery bookkeeping a retrying worker needs.
- `consent_events` records each consent notice shown, per conversation.
- `teams` and `reps` are who leads are assigned to (`leads.owner_rep_id`, with the rule
  that chose them); `notes` are what reps write on a lead.
- `notifications` are the lead cards owed to reps, each retried until sent or dead.
- `crm_links` map a lead to the ids the CRM gave its objects. No foreign key: the link
  must outlive the lead, so that a deletion can still reach the CRM.
- `crm_field_states`, `crm_changes`, `crm_cursors` and `crm_connections` are the read-back
  side of CRM sync: what both sides last agreed, what the CRM changed (append-only), how far
  polling has read, and whether the CRM's credentials still work (docs/crm.md).
- `tombstones` are the hashed identifiers of erased leads (nothing erased comes back);
  `linked_conversations` are other conversations that gave a lead's e-mail (docs/security.md).
- `meetings` are booked in the chat (one visitor per rep and slot, by a unique index),
  `meeting_invitations` the .ics e-mails owed for them, `rep_calendars` the reps' CalDAV
  calendars read for busy times (docs/meetings.md).
- `conversation_events` is the conversation analytics' append-only log, fed by the event
  stream when Rasa publishes to RabbitMQ (bot/event_stream, docs/deploy.md).

Every timestamp is timezone-aware UTC (`UTCDateTime`), also on SQLite, which has no
time zone type. The Alembic migrations in `migrations/versions` create exactly this
schema; `tests/store/test_migrations.py` checks that they agree.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Float,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    and_,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.answers import Authority, Budget, Need, Timeline

LEAD_STATUSES = ("qualified", "nurture", "disqualified")
OUTBOX_STATUSES = ("pending", "delivered", "dead")
EVENT_TYPES = (
    "lead.created", "lead.updated", "lead.merged", "lead.deleted", "deal.stage_changed",
    "lead.assigned", "note.added",
)
NOTIFICATION_STATUSES = ("pending", "sent", "dead")
NOTIFICATION_CHANNELS = ("slack", "webhook", "email")
VALUE_SOURCES = ("budget", "manual")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    Naive datetimes are refused when written: their time zone is a guess, and a guessed
    consent time is worthless. SQLite returns naive values, which are UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# JSON documents: JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
JSONDoc = JSON().with_variant(postgresql.JSONB(), "postgresql")
# Money in the currency the visitor stated; floats at the Python boundary (JSON-friendly).
Money = Numeric(18, 2, asdecimal=False)
# The largest amount the store accepts (docs/dashboard.md): far above any deal, far inside
# Numeric(18, 2), and sums of a whole pipeline of such values stay finite floats.
MAX_MONEY = 1_000_000_000_000
# The largest row id: ids are 32-bit integers in PostgreSQL, and SQLite overflows at 2^63.
MAX_ID = 2**31 - 1


def as_id(key: str) -> int | None:
    """The row id `key` names ("42"), or None when it names none (not ASCII digits, or past MAX_ID)."""
    key = key.strip()
    if not (key.isascii() and key.isdigit()):
        return None
    value = int(key)
    return value if 0 < value <= MAX_ID else None


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# Deterministic constraint names: migrations (and later ALTERs) can refer to them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base; constraint names follow NAMING_CONVENTION on every backend."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Lead(Base):
    """A person (or an anonymous conversation) and what they told us, with its score."""

    __tablename__ = "leads"
    __table_args__ = (
        CheckConstraint(_in("status", LEAD_STATUSES), name="status"),
        Index("ix_leads_status_score", "status", "score"),
        Index("ix_leads_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased and stripped, so the unique index is case-insensitive; NULL when
    # the visitor has not given one (many NULLs are allowed by a unique index).
    email: Mapped[Optional[str]] = mapped_column(String(320), unique=True)
    name: Mapped[Optional[str]] = mapped_column(String(200))
    company: Mapped[Optional[str]] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(32))  # E.164 ("+14155550132"); personal data like email

    status: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(8))
    score_breakdown: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)
    scoring_version: Mapped[str] = mapped_column(String(50))
    disqualified_by: Mapped[Optional[str]] = mapped_column(String(100))

    need: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONDoc)
    budget: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONDoc)
    authority: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONDoc)
    timeline: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONDoc)
    raw_answers: Mapped[dict[str, Any]] = mapped_column(JSONDoc)  # per field: the visitor's words

    need_level: Mapped[Optional[str]] = mapped_column(String(20))
    budget_min: Mapped[Optional[float]] = mapped_column(Money)
    budget_max: Mapped[Optional[float]] = mapped_column(Money)
    budget_currency: Mapped[Optional[str]] = mapped_column(String(3))
    budget_period: Mapped[Optional[str]] = mapped_column(String(20))
    timeline_target_date: Mapped[Optional[date]] = mapped_column(Date, index=True)
    authority_level: Mapped[str] = mapped_column(String(20), default="unknown")

    channel: Mapped[str] = mapped_column(String(50))
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)  # the latest one
    conversation_date: Mapped[date] = mapped_column(Date)
    human_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where a requested hand-off stands (bot.handoff: waiting, with_rep, returned) and since when.
    handoff_state: Mapped[Optional[str]] = mapped_column(String(20))
    handoff_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    followup_optin: Mapped[Optional[bool]] = mapped_column(Boolean)  # None = never asked
    consent_shown_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    consent_version: Mapped[Optional[str]] = mapped_column(String(50))
    source: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)  # of the latest conversation

    owner_rep_id: Mapped[Optional[int]] = mapped_column(ForeignKey("reps.id", ondelete="SET NULL"), index=True)
    assignment_rule: Mapped[Optional[str]] = mapped_column(String(100))  # the rule that chose the owner
    assignment_reason: Mapped[Optional[str]] = mapped_column(Text)  # why, in words, for the rep
    assigned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The A/B test of the bot's script this lead's conversation was in, and its variant
    # (bot/experiments, migration 0022); None when no experiment was running.
    experiment: Mapped[Optional[str]] = mapped_column(String(64))
    variant: Mapped[Optional[str]] = mapped_column(String(64))
    # The language the visitor was answered in (bot/language: "en", "ru", "nb", "fa", "ms", "zh"),
    # migration 0025; None for leads stored before it was recorded.
    language: Mapped[Optional[str]] = mapped_column(String(8), index=True)  # the inbox's filter

    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    owner: Mapped[Optional[Rep]] = relationship()
    notes: Mapped[list[Note]] = relationship(
        back_populates="lead", order_by="Note.id", cascade="all, delete-orphan", passive_deletes=True
    )

    # Deleting a lead deletes what hangs off it (loaded rows by the ORM, the rest by
    # ON DELETE CASCADE): deletion of personal data is real deletion.
    deals: Mapped[list[Deal]] = relationship(
        back_populates="lead", order_by="Deal.id", cascade="all, delete-orphan", passive_deletes=True
    )
    consent_events: Mapped[list[ConsentEvent]] = relationship(
        back_populates="lead", order_by="ConsentEvent.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )
    linked_conversations: Mapped[list["LinkedConversation"]] = relationship(
        back_populates="lead", order_by="LinkedConversation.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )

    # The stored answers read back as their types (bot/answers.py): every reader of an answer
    # goes through these, never through the JSON columns' dicts.
    @property
    def need_answer(self) -> Need | None:
        return Need.from_dict(self.need)

    @property
    def budget_answer(self) -> Budget | None:
        return Budget.from_dict(self.budget)

    @property
    def authority_answer(self) -> Authority | None:
        return Authority.from_dict(self.authority)

    @property
    def timeline_answer(self) -> Timeline | None:
        return Timeline.from_dict(self.timeline)

    def current_deal(self) -> Deal | None:
        """The open deal, else the latest closed one that was not merged away."""
        live = [d for d in self.deals if d.merged_into_id is None]
        open_deals = [d for d in live if d.closed_at is None]
        if open_deals:
            return open_deals[-1]
        return live[-1] if live else None


class Deal(Base):
    """The sales opportunity for a lead, moving through the configured stages."""

    __tablename__ = "deals"
    __table_args__ = (
        CheckConstraint(_in("value_source", VALUE_SOURCES), name="value_source"),
        Index("ix_deals_stage", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(50))
    value: Mapped[Optional[float]] = mapped_column(Money)
    currency: Mapped[Optional[str]] = mapped_column(String(3))
    # "budget": the bot keeps the value in step with the stated budget; "manual": a rep set
    # it, and the bot never overwrites it.
    value_source: Mapped[str] = mapped_column(String(10), default="budget")
    lost_reason: Mapped[Optional[str]] = mapped_column(String(50))
    owner: Mapped[Optional[str]] = mapped_column(String(100))
    merged_into_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("deals.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # won, lost or merged
    # When the deal entered its current stage: its latest stage_history row's changed_at.
    stage_entered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    days_to_close: Mapped[Optional[float]] = mapped_column(Float)  # created_at -> closed_at, once closed
    # The lead's owner (`leads.owner_rep_id`), kept equal by database triggers (migration 0011)
    # whatever writes it, so that team and rep metrics filter deals by their own indexes.
    owner_rep_id: Mapped[Optional[int]] = mapped_column(Integer)

    lead: Mapped[Lead] = relationship(back_populates="deals")
    history: Mapped[list[StageHistory]] = relationship(
        back_populates="deal", order_by="StageHistory.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )


# One open deal per lead: the bot updates "the" deal; a new one starts only once it is closed.
_open = Deal.closed_at.is_(None)
Index("uq_deals_one_open_per_lead", Deal.lead_id, unique=True, sqlite_where=_open, postgresql_where=_open)
# A lead's hand-off state (leads.handoff_state, bot/handoff.py): None when never asked.
WAITING = "waiting"          # asked for a person; no rep has answered yet
WITH_REP = "with_rep"        # a rep has answered in the conversation
RETURNED = "returned"        # the rep handed the conversation back to the bot
# The dashboard's hand-off queue and badge (migration 0021): only leads whose visitor waits or talks to a rep.
# Queries repeat this very condition (as text, not bound values) so that SQLite uses the partial index.
OPEN_HANDOFF = text(f"leads.handoff_state IN ('{WAITING}', '{WITH_REP}')")
Index("ix_leads_open_handoffs", Lead.handoff_state, Lead.handoff_at, sqlite_where=OPEN_HANDOFF,
      postgresql_where=OPEN_HANDOFF)


class StageHistory(Base):
    """One stage change of a deal. Append-only: rows are inserted, never updated.

    A change also ends the stay in `from_stage`: `from_entered_at` is when that stay began
    (the deal's previous change) and `stay_days` its length, so stage flow counts stays
    from an index instead of pairing each row with the next.
    """

    __tablename__ = "stage_history"
    # A deal's history in order (the lead page).
    __table_args__ = (Index("ix_stage_history_deal_changed", "deal_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    from_stage: Mapped[Optional[str]] = mapped_column(String(50))  # None: the deal was created
    to_stage: Mapped[str] = mapped_column(String(50))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(100))  # "bot", "cli", a user name
    note: Mapped[Optional[str]] = mapped_column(Text)
    from_entered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # None: the deal was created
    stay_days: Mapped[Optional[float]] = mapped_column(Float)
    # The deal's owner (`deals.owner_rep_id`), kept equal by database triggers (migration
    # 0012), so that team and rep metrics count this table's own indexes. The one column an
    # UPDATE may change: it is a copy, not part of the history.
    owner_rep_id: Mapped[Optional[int]] = mapped_column(Integer)

    deal: Mapped[Deal] = relationship(back_populates="history")


class OutboxEvent(Base):
    """An event for the CRM, written with the change it describes; delivered later.

    Not a foreign key to `leads`: a `lead.deleted` tombstone must outlive its lead.
    Workers deliver in `id` order per aggregate and use `event_id` to stay idempotent.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_in("status", OUTBOX_STATUSES), name="status"),
        CheckConstraint(_in("event_type", EVENT_TYPES), name="event_type"),
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_outbox_aggregate", "aggregate_type", "aggregate_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID4, for idempotent consumers
    event_type: Mapped[str] = mapped_column(String(50))
    aggregate_type: Mapped[str] = mapped_column(String(20), default="lead")
    aggregate_id: Mapped[int] = mapped_column(Integer)  # the lead id
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    delivered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # A worker's lease on the event: another worker skips it until `claimed_until`, so two
    # workers never send the same event at once, on SQLite as on PostgreSQL.
    claimed_by: Mapped[Optional[str]] = mapped_column(String(100))
    claimed_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class ConsentEvent(Base):
    """The consent notice (in `notice_version`) was shown in a conversation at `shown_at`."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(255))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notice_version: Mapped[Optional[str]] = mapped_column(String(50))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lead: Mapped[Lead] = relationship(back_populates="consent_events")


class Team(Base):
    """A group of reps that leads are routed to (round robin within the team)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    reps: Mapped[list[Rep]] = relationship(back_populates="team", order_by="Rep.id")


class Rep(Base):
    """A sales rep: who can be assigned leads, when, how many, and how to reach them.

    `notify` holds channel preferences (e-mail on/off, the NAME of the environment variable
    with a webhook URL), never a secret itself.
    """

    __tablename__ = "reps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    territories: Mapped[list[str]] = mapped_column(JSONDoc)  # country / region codes
    capacity: Mapped[Optional[int]] = mapped_column(Integer)  # open leads at most; None = no limit
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    working_hours: Mapped[dict[str, Any]] = mapped_column(JSONDoc)  # {"mon": ["09:00", "17:00"], ...}
    notify: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    last_assigned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # round robin order
    # What the rep last said on the dashboard: at their desk (hand-offs go to them first) or away.
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    available_changed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The rep's phone line (E.164): a caller who asks for a person is put through to it (bot/handoff.py).
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    team: Mapped[Optional[Team]] = relationship(back_populates="reps")


class Note(Base):
    """A rep's note on a lead."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lead: Mapped[Lead] = relationship(back_populates="notes")


class Notification(Base):
    """A lead card owed to a rep on one channel; retried with backoff until sent or dead."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(_in("status", NOTIFICATION_STATUSES), name="status"),
        CheckConstraint(_in("channel", NOTIFICATION_CHANNELS), name="channel"),
        Index("ix_notifications_status_next_attempt", "status", "next_attempt_at"),
        # One stuck-deals digest per owner, channel and day, however many senders queue it.
        Index("uq_notifications_digest", "rep_id", "channel", "digest_date", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The lead of a lead card; None for a digest (bot/notify/digest.py), which lists several.
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    rep_id: Mapped[Optional[int]] = mapped_column(ForeignKey("reps.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(500))  # an address, or the NAME of a URL's env variable
    reason: Mapped[str] = mapped_column(String(50))  # "qualified", "human_requested", ...
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # A sender's lease on the card (as on `outbox`): two senders never send one card, and a
    # sender that dies mid-send leaves it to the next once `claimed_until` has passed.
    claimed_by: Mapped[Optional[str]] = mapped_column(String(100))
    claimed_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    digest_date: Mapped[Optional[date]] = mapped_column(Date)  # the day a digest is for


class CrmLink(Base):
    """The id a CRM gave one of a lead's objects (contact, deal, person, note, ...)."""

    __tablename__ = "crm_links"
    __table_args__ = (
        Index("uq_crm_links_crm_lead_object", "crm", "lead_id", "object_type", unique=True),
        Index("ix_crm_links_lead_id", "lead_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crm: Mapped[str] = mapped_column(String(30))  # "hubspot", "pipedrive", "salesforce", "webhook"
    lead_id: Mapped[int] = mapped_column(Integer)
    object_type: Mapped[str] = mapped_column(String(64))  # "contacts", "deals", "note:<event id>", ...
    external_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


READ_BACK_OUTCOMES = ("applied", "conflict_crm_won", "conflict_leadbot_won", "stale", "ignored")
CONNECTION_STATES = ("connected", "refused")


class CrmFieldState(Base):
    """What leadbot and the CRM last agreed a synced field of a lead is (`crm_sync/sync_state.py`):
    the value we last wrote, or last read back and applied, and when. It is how a change we
    wrote is recognised when the CRM reports it back, and how a conflict is told apart."""

    __tablename__ = "crm_field_states"
    __table_args__ = (Index("uq_crm_field_states_crm_lead_field", "crm", "lead_id", "field", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crm: Mapped[str] = mapped_column(String(30))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(30))  # "stage", "amount", "lost_reason", "owner"
    value: Mapped[Optional[str]] = mapped_column(Text)  # in leadbot's terms: a stage key, a rep's e-mail
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CrmChange(Base):
    """A change read back from the CRM and what became of it: append-only, like stage history.

    `outcome`: applied to the store, a conflict (both sides changed the field; the newer
    change won and `other_value` is the loser's), `stale` (older than leadbot's last write of
    the field), or `ignored` (`detail` says why: an unmapped stage or owner). `change_key`
    de-duplicates what is not idempotent by value (a CRM note read by webhook and by poll)."""

    __tablename__ = "crm_changes"
    __table_args__ = (
        CheckConstraint(_in("outcome", READ_BACK_OUTCOMES), name="outcome"),
        Index("ix_crm_changes_lead_id", "lead_id", "id"),
        Index("uq_crm_changes_crm_key", "crm", "change_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crm: Mapped[str] = mapped_column(String(30))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    object_id: Mapped[str] = mapped_column(String(100))  # the CRM's id of the deal, Lead or note
    field: Mapped[str] = mapped_column(String(30))  # a synced field, or "note"
    value: Mapped[Optional[str]] = mapped_column(Text)  # the CRM's value, in leadbot's terms
    other_value: Mapped[Optional[str]] = mapped_column(Text)  # leadbot's value, in a conflict
    outcome: Mapped[str] = mapped_column(String(30))
    detail: Mapped[Optional[str]] = mapped_column(Text)
    via: Mapped[str] = mapped_column(String(10))  # "webhook", "poll"
    change_key: Mapped[Optional[str]] = mapped_column(String(200))
    crm_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CrmCursor(Base):
    """How far polling has read a CRM's change feed (`stream`: deals, notes, Lead, recents)."""

    __tablename__ = "crm_cursors"
    __table_args__ = (Index("uq_crm_cursors_crm_stream", "crm", "stream", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crm: Mapped[str] = mapped_column(String(30))
    stream: Mapped[str] = mapped_column(String(30))
    position: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CrmConnection(Base):
    """A CRM's credentials and whether they work: OAuth tokens (Fernet-encrypted with the key
    in LEADBOT_CRM_TOKEN_KEY, never in clear), and `refused` with the CRM's words once it
    refused them for good (a revoked token): one alert, and the worker pauses instead of
    turning every event into a dead letter. `credential_sha256` names the refused credential
    (a token from the environment, or the refresh token), so a new one clears the alert."""

    __tablename__ = "crm_connections"
    __table_args__ = (CheckConstraint(_in("state", CONNECTION_STATES), name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crm: Mapped[str] = mapped_column(String(30), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="connected")
    error: Mapped[Optional[str]] = mapped_column(Text)
    credential_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    access_token: Mapped[Optional[str]] = mapped_column(Text)  # Fernet token
    refresh_token: Mapped[Optional[str]] = mapped_column(Text)  # Fernet token
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    instance_url: Mapped[Optional[str]] = mapped_column(String(500))
    refused_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


ACCOUNT_ROLES = ("rep", "manager")


class Account(Base):
    """Someone who signs in to the dashboard: a rep (sees the leads they own) or a manager (all).

    A rep account is tied to its `reps` row, which is what leads are owned by. The password
    is stored only as a salted scrypt hash with its parameters (`web/passwords.py`); the
    API token only as its SHA-256. `failed_logins`/`locked_until` slow down password guessing.
    """

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint(_in("role", ACCOUNT_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    rep_id: Mapped[Optional[int]] = mapped_column(ForeignKey("reps.id", ondelete="SET NULL"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    api_token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    rep: Mapped[Optional[Rep]] = relationship()


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a
    leaked database does not leak live sessions. Each session has its own CSRF token."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    account: Mapped[Account] = relationship()


# What the dashboard queries at 100k leads: a rep's inbox (owner, status, score), the
# newest cards of a board column (stage, updated_at), and the board's count and value per
# stage and currency, answered from the index alone (no table scan, no sort).
Index("ix_leads_owner_status_score", Lead.owner_rep_id, Lead.status, Lead.score)
Index("ix_deals_stage_updated_at", Deal.stage, Deal.updated_at)
# (Also the deals closed in a period, per stage and currency: outcomes, bot/metrics.)
Index("ix_deals_stage_currency_value", Deal.stage, Deal.currency, Deal.merged_into_id, Deal.value, Deal.closed_at,
      Deal.created_at, Deal.lead_id)


FUNNEL_STEPS = ("need", "budget", "authority", "timeline", "contact", "qualified", "meeting_booked", "handed_to_rep")


class ConversationFunnel(Base):
    """How far one bot conversation got, step by step: the bot funnel (bot/metrics/funnel.py).

    One row per conversation, written by the action server as it goes, so conversations that
    never became leads are counted too. Keyed by the SHA-256 of the conversation id (a sender
    id can be a phone number): the row holds no personal data and survives the lead's deletion.
    """

    __tablename__ = "conversation_funnel"
    # The funnel per channel over a period, read in index order (no table, no sort).
    # And per language (migration 0025).
    __table_args__ = (Index("ix_conversation_funnel_depth", "channel", "language", "depth", "started_at",
                            "handed_to_rep_at", "lead_id"),
                      # an experiment's report per variant (bot/experiments/report.py)
                      Index("ix_conversation_funnel_experiment", "experiment", "variant", "depth"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_key: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    need_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    budget_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    authority_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    timeline_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    contact_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    qualified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    handed_to_rep_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    meeting_booked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # bot/meetings (migration 0019)
    # How many steps of the chain need -> qualified were all reached (bot.funnel.chain_depth):
    # written with the stamps, so the funnel counts rows instead of testing six columns each.
    depth: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"), index=True)
    # The lead's owner, kept equal by database triggers (migration 0012): team and rep funnels.
    owner_rep_id: Mapped[Optional[int]] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The experiment running when the conversation began and the variant it was given
    # (bot/experiments/assignment.py, migration 0022): set once, never changed.
    experiment: Mapped[Optional[str]] = mapped_column(String(64))
    variant: Mapped[Optional[str]] = mapped_column(String(64))
    # The conversation's language as of its latest write (bot/language, migration 0025).
    language: Mapped[Optional[str]] = mapped_column(String(8))


class ConversationEvent(Base):
    """One Rasa event of a bot conversation as the event stream delivered it (bot/event_stream):
    the conversation analytics' append-only log, written by `leadbot events consume`.

    Names only (the intent, action, slot or response), never what anyone wrote nor a slot's
    value, keyed like the funnel by the hash of the conversation id. `event_key` is the
    SHA-256 of the event as Rasa published it, unique: an event delivered twice is stored once.
    """

    __tablename__ = "conversation_events"
    __table_args__ = (Index("ix_conversation_events_conversation", "conversation_key", "at"),
                      # intents, actions and responses over a period
                      Index("ix_conversation_events_kind", "kind", "at", "name"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))  # Rasa's event type: user, bot, action, slot, ...
    name: Mapped[Optional[str]] = mapped_column(String(200))
    channel: Mapped[Optional[str]] = mapped_column(String(50))  # a user message's input channel
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when Rasa logged the event
    consumed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Experiment(Base):
    """An A/B test of the bot's script, as run: its variants are defined in
    settings/experiments.yml under `key`; this row says when it started and stopped, and
    the winner every new conversation gets after it stopped (None: stopped without one).
    At most one runs at a time (bot/experiments/registry.py)."""

    __tablename__ = "experiments"
    __table_args__ = (CheckConstraint("winner IS NULL OR stopped_at IS NOT NULL", name="winner_when_stopped"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    variants: Mapped[dict[str, Any]] = mapped_column(JSON)  # name -> weight, as started
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(200))
    stopped_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    stopped_by: Mapped[Optional[str]] = mapped_column(String(200))
    winner: Mapped[Optional[str]] = mapped_column(String(64))


TOMBSTONE_KINDS = ("conversation", "email", "phone")


class Tombstone(Base):
    """What is left of an erased lead: the SHA-256 of one of its identifiers (a conversation
    id, its e-mail, its phone), the erased lead's id and when. No personal data.

    The store refuses a submission that still carries an erased lead's id (a spooled copy, a
    conversation's state saved before the deletion reached it), so nothing erased comes back.
    Not a foreign key: a tombstone outlives its lead by design.
    """

    __tablename__ = "tombstones"
    __table_args__ = (
        CheckConstraint(_in("kind", TOMBSTONE_KINDS), name="kind"),
        Index("ix_tombstones_kind_key", "kind", "key_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key_sha256: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkedConversation(Base):
    """Another conversation that gave a stored lead's e-mail: kept beside the lead for its
    rep to read, never written over it. Typing an address proves nothing, so a stranger's
    answers must not replace the lead's, nor take its conversation (a rep's replies go
    there). Deleted with the lead."""

    __tablename__ = "linked_conversations"
    __table_args__ = (
        Index("ix_linked_conversations_lead_conversation", "lead_id", "conversation_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str] = mapped_column(String(50))
    # The answers and contact details as that conversation gave them (Qualification.to_dict
    # shapes), with the score they would earn on their own.
    answers: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    score: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(20))
    human_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lead: Mapped[Lead] = relationship(back_populates="linked_conversations")


# Metrics at 100k leads, each answered from one index without reading the tables:
# deals closed in a period in order of days to close or of lost reason (no sort), the open pipeline (forecast, stuck
# deals), merged deals (left out everywhere), stage entries, and the stays that began in a
# period, in order of length (stage flow).
_closed = Deal.closed_at.is_not(None)
Index("ix_deals_days_to_close", Deal.stage, Deal.days_to_close, Deal.closed_at, Deal.merged_into_id, Deal.lead_id,
      sqlite_where=_closed, postgresql_where=_closed)
Index("ix_deals_closed", Deal.stage, Deal.currency, Deal.closed_at, Deal.merged_into_id, Deal.value, Deal.days_to_close,
      sqlite_where=_closed, postgresql_where=_closed)
Index("ix_deals_lost_reasons", Deal.stage, Deal.lost_reason, Deal.closed_at, Deal.merged_into_id, Deal.lead_id,
      sqlite_where=_closed, postgresql_where=_closed)
Index("ix_deals_open", Deal.stage, Deal.stage_entered_at, Deal.currency, Deal.value, Deal.lead_id,
      sqlite_where=_open, postgresql_where=_open)
Index("ix_deals_merged_into", Deal.merged_into_id)
# The same, for one team's or rep's deals (Deal.owner_rep_id). Partial on an owner, so that
# the whole pipeline's queries (no owner term) never read them: SQLite would otherwise
# skip-scan them owner by owner.
_owned = Deal.owner_rep_id.is_not(None)
Index("ix_deals_owner_closed", Deal.owner_rep_id, Deal.stage, Deal.closed_at, Deal.currency, Deal.value,
      Deal.merged_into_id, Deal.days_to_close, Deal.lost_reason,
      sqlite_where=and_(_owned, _closed), postgresql_where=and_(_owned, _closed))
Index("ix_deals_owner_open", Deal.owner_rep_id, Deal.stage, Deal.stage_entered_at, Deal.currency, Deal.value,
      Deal.lead_id, sqlite_where=and_(_owned, _open), postgresql_where=and_(_owned, _open))
Index("ix_deals_owner", Deal.owner_rep_id, Deal.merged_into_id, sqlite_where=_owned, postgresql_where=_owned)
Index("ix_stage_history_entries", StageHistory.to_stage, StageHistory.changed_at, StageHistory.deal_id)
Index("ix_stage_history_stays", StageHistory.from_stage, StageHistory.stay_days, StageHistory.from_entered_at,
      StageHistory.to_stage)
Index("ix_stage_history_pairs", StageHistory.from_stage, StageHistory.to_stage, StageHistory.from_entered_at)
_history_owned = StageHistory.owner_rep_id.is_not(None)
Index("ix_stage_history_owner_entries", StageHistory.owner_rep_id, StageHistory.to_stage, StageHistory.changed_at,
      sqlite_where=_history_owned, postgresql_where=_history_owned)
Index("ix_stage_history_owner_stays", StageHistory.owner_rep_id, StageHistory.from_stage, StageHistory.stay_days,
      StageHistory.from_entered_at, StageHistory.to_stage,
      sqlite_where=_history_owned, postgresql_where=_history_owned)
_funnel_owned = ConversationFunnel.owner_rep_id.is_not(None)
Index("ix_conversation_funnel_owner", ConversationFunnel.owner_rep_id, ConversationFunnel.channel,
      ConversationFunnel.language, ConversationFunnel.depth, ConversationFunnel.started_at, ConversationFunnel.handed_to_rep_at,
      sqlite_where=_funnel_owned, postgresql_where=_funnel_owned)


NURTURE_STATES = ("active", "paused", "stopped", "completed")
NURTURE_MESSAGE_STATUSES = ("pending", "sent", "dead", "cancelled")


class NurtureEnrollment(Base):
    """A nurture lead's place in its e-mail sequence (bot/nurture, docs/nurture.md).

    One per lead, ever: a lead that unsubscribed or was stopped is never enrolled again.
    `next_step` is the step to queue next, at `next_due_at`; queueing it advances both in
    one guarded UPDATE, so two senders never queue a step twice. The funnel stamps
    (`clicked_at`, `reengaged_at`, `qualified_at`, `unsubscribed_at`) are what the nurture
    metrics count. Deleted with the lead."""

    __tablename__ = "nurture_enrollments"
    __table_args__ = (
        CheckConstraint(_in("state", NURTURE_STATES), name="state"),
        Index("ix_nurture_enrollments_state_due", "state", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), unique=True)
    sequence: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="active")
    stop_reason: Mapped[Optional[str]] = mapped_column(String(30))
    next_step: Mapped[int] = mapped_column(Integer, default=0)
    next_due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    language: Mapped[Optional[str]] = mapped_column(String(20))
    category: Mapped[Optional[str]] = mapped_column(String(100))
    # Transcript lines when the first e-mail went out: more later means the visitor wrote again.
    transcript_lines: Mapped[Optional[int]] = mapped_column(Integer)
    paused_by: Mapped[Optional[str]] = mapped_column(String(200))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    clicked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reengaged_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    qualified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    messages: Mapped[list["NurtureMessage"]] = relationship(
        back_populates="enrollment", order_by="NurtureMessage.step", cascade="all, delete-orphan", passive_deletes=True)


class NurtureMessage(Base):
    """One step's e-mail to one lead: a delivery queue row (`bot/delivery.py`), at most one
    per step (unique), rendered when sent; `cancelled` when the sequence stopped first."""

    __tablename__ = "nurture_messages"
    __table_args__ = (
        CheckConstraint(_in("status", NURTURE_MESSAGE_STATUSES), name="status"),
        Index("uq_nurture_messages_enrollment_step", "enrollment_id", "step", unique=True),
        Index("ix_nurture_messages_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("nurture_enrollments.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    claimed_by: Mapped[Optional[str]] = mapped_column(String(100))
    claimed_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    first_clicked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    enrollment: Mapped[NurtureEnrollment] = relationship(back_populates="messages")


MEETING_STATUSES = ("booked", "cancelled")
INVITATION_RECIPIENTS = ("visitor", "rep")
INVITATION_KINDS = ("request", "cancel")
INVITATION_STATUSES = ("pending", "sent", "dead")


class Meeting(Base):
    """A meeting a visitor booked with a rep in the chat (bot/meetings, docs/meetings.md).

    Slots lie on a grid of the meeting's length in the rep's working hours, so two bookings
    of one slot have the same rep and start: the partial unique index on (rep_id, start_at)
    while `booked` is what keeps a slot to one visitor, whichever process books it. A
    reschedule moves the row (same `uid`, `sequence` + 1, as RFC 5545 wants); a cancellation
    frees the slot. Deleted with the lead."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_in("status", MEETING_STATUSES), name="status"),
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        Index("ix_meetings_rep_start", "rep_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), unique=True)  # the iCalendar UID
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    visitor_timezone: Mapped[str] = mapped_column(String(64))  # IANA name: how the visitor saw the times
    status: Mapped[str] = mapped_column(String(10), default="booked")
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE: + 1 per change
    conversation_id: Mapped[Optional[str]] = mapped_column(String(255))
    channel: Mapped[Optional[str]] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[Optional[str]] = mapped_column(String(200))

    rep: Mapped[Rep] = relationship()
    lead: Mapped[Lead] = relationship()


_booked = Meeting.status == "booked"
Index("uq_meetings_rep_slot", Meeting.rep_id, Meeting.start_at, unique=True,
      sqlite_where=_booked, postgresql_where=_booked)


class MeetingInvitation(Base):
    """One invitation (or cancellation) e-mail with its .ics to one side of a meeting: a
    delivery queue row (`bot/delivery.py`), rendered from the meeting as it is when sent."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (
        CheckConstraint(_in("recipient", INVITATION_RECIPIENTS), name="recipient"),
        CheckConstraint(_in("kind", INVITATION_KINDS), name="kind"),
        CheckConstraint(_in("status", INVITATION_STATUSES), name="status"),
        Index("ix_meeting_invitations_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(10))
    sequence: Mapped[int] = mapped_column(Integer)  # the meeting's SEQUENCE this e-mail announces
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    claimed_by: Mapped[Optional[str]] = mapped_column(String(100))
    claimed_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class RepCalendar(Base):
    """A rep's own calendar over CalDAV, read for busy times before slots are offered. The
    password is never stored: `password_env` names the environment variable holding it."""

    __tablename__ = "rep_calendars"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(String(500))  # the calendar collection's URL
    username: Mapped[Optional[str]] = mapped_column(String(200))
    password_env: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
