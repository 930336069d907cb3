"""Who is looking, and what they may see: one place for the dashboard's access rule.

A manager sees every lead; a rep sees the leads its `reps` row owns and nothing else (a
rep account whose rep was removed sees nothing). Pages and API both filter through here,
so a rep asking for another rep's lead gets the same 404 as for a lead that does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from bot.store.schema import Account, Lead


@dataclass(frozen=True)
class Viewer:
    account_id: int
    email: str
    name: str
    role: str
    rep_id: int | None

    @classmethod
    def of(cls, account: Account) -> Viewer:
        return cls(account.id, account.email, account.name, account.role, account.rep_id)

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def actor(self) -> str:
        """How the store records this person's changes (stage history `changed_by`, notes)."""
        return self.email

    def lead_filter(self) -> ColumnElement[bool]:
        if self.is_manager:
            return true()
        return Lead.owner_rep_id == self.rep_id if self.rep_id is not None else false()

    def can_see(self, lead: Lead) -> bool:
        return self.is_manager or (self.rep_id is not None and lead.owner_rep_id == self.rep_id)

    def can_answer(self, lead: Lead) -> bool:
        """Who may talk to a visitor waiting for a person (the rep API, the lead page's reply
        box): whoever sees the lead, and any rep while nobody owns a flagged lead, so an
        unassigned hand-off still gets an answer."""
        return self.can_see(lead) or (self.rep_id is not None and lead.owner_rep_id is None
                                      and bool(lead.human_requested))

    def answer_filter(self) -> ColumnElement[bool]:
        """`can_answer` as a query filter."""
        if self.is_manager:
            return true()
        if self.rep_id is None:
            return false()
        return or_(Lead.owner_rep_id == self.rep_id, and_(Lead.owner_rep_id.is_(None), Lead.human_requested.is_(True)))
