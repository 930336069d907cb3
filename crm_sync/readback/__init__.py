"""Reading back what reps change in the CRM: the values read, and the readers per CRM.

A reader turns what a CRM says (a verified webhook, or a page of its change feed) into
`Change`s in leadbot's terms; `crm_sync/reconcile.py` decides what each one means for the
store. Readers never write to the store, and reconcile never calls a CRM.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.outbound import Outcome


@dataclass(frozen=True)
class Change:
    """One field of one CRM object as the CRM reported it.

    `value` is in leadbot's terms (a stage key, an amount's text, a lost reason key, a rep's
    e-mail, a note's text); `same` lists every leadbot value that the CRM's value stands
    for (Salesforce's "Working - Contacted" is four of our stages), so a lead already in any
    of them has not changed. `ignored` says why a value cannot be used (an unmapped stage).
    """

    object_type: str  # the `crm_links` kind that names the lead: "deals", "Lead"
    object_id: str
    field: str  # "stage", "amount", "lost_reason", "owner", "note"
    value: str | None
    changed_at: datetime
    via: str  # "webhook", "poll"
    same: tuple[str | None, ...] = ()
    raw: Any = None  # the CRM's own value, for the log
    lead_id: int | None = None  # when the CRM record carries our lead id
    lost_reason: str | None = None  # a change to the lost stage: the reason the CRM gave with it
    ignored: str | None = None
    key: str | None = None  # de-duplicates a note (its CRM id) or an ignored value
    by_api: bool = False  # the CRM says an integration made it (perhaps us), not a person in its app

    def means(self, value: str | None) -> bool:
        return value == self.value or value in self.same


@dataclass(frozen=True)
class Page:
    """One page of a change feed: its changes, where the next read starts, whether more wait."""

    outcome: Outcome
    changes: list[Change] = field(default_factory=list)
    position: str | None = None
    more: bool = False
    after: str | None = None  # the CRM's paging token within one read


class WebhookRefused(Exception):
    """A webhook request that is not the CRM's (bad signature or credentials) or not readable."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Reader(Protocol):
    crm: str
    streams: tuple[str, ...]  # change feeds polled, each with its own cursor

    def initial_position(self, since: datetime) -> str:
        """The feed position of a moment: where a first poll starts."""
        ...

    def poll(self, stream: str, position: str, after: str | None) -> Page:
        ...

    def webhook(self, method: str, url: str, headers: Any, body: bytes) -> list[Change]:
        """Verify a webhook request and read its changes; WebhookRefused if it is not the CRM's."""
        ...
