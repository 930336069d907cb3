"""Who is looking, and what they may see: one place for the dashboard's access rule.

A manager sees every lead; a rep sees the leads its `reps` row owns and nothing else (a
rep account whose rep was removed sees nothing). Pages and API both filter through here,
so a rep asking for another rep's lead gets the same 404 as for a lead that does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true

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
