"""A CRM's values in leadbot's terms: its stages, owners and lost reasons, read through the
same maps of settings/crm.yml that the targets write with (so both ways agree)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.pipeline import PipelineSettings
from crm_sync.readback import Change
from crm_sync.sync_state import amount_text


@dataclass(frozen=True)
class Vocabulary:
    crm: str
    label: str  # "HubSpot": how the CRM is named to people (history, notes)
    stages: Mapping[str, Any]  # leadbot stage -> the CRM's stage value (settings)
    owners: Mapping[str, Any]  # rep e-mail -> the CRM's user id (settings)
    pipeline: PipelineSettings
    unknown_lost_reason: str  # the lost reason key for a CRM reason we cannot map

    def stage(self, object_type: str, object_id: str, crm_value: Any, at: datetime, via: str, *,
              lead_id: int | None = None, lost_reason: str | None = None) -> Change:
        """A stage change; the leadbot stages the CRM's stage stands for, first in pipeline order."""
        ours = tuple(key for key in self.pipeline.keys if key in self.stages and str(self.stages[key]) == str(crm_value))
        ignored = None if ours else f"{self.label} stage {crm_value!r} is not mapped in settings/crm.yml"
        return Change(object_type, object_id, "stage", ours[0] if ours else None, at, via, same=ours, raw=crm_value,
                      lead_id=lead_id, lost_reason=lost_reason, ignored=ignored,
                      key=f"{object_id}:stage:{crm_value}:{at.isoformat()}" if ignored else None)

    def won_or_lost(self, object_type: str, object_id: str, won: bool, at: datetime, via: str, *,
                    lead_id: int | None = None, lost_reason: str | None = None) -> Change:
        stage = self.pipeline.won_stage.key if won else self.pipeline.lost_stage.key
        return Change(object_type, object_id, "stage", stage, at, via, same=(stage,), raw=stage, lead_id=lead_id,
                      lost_reason=lost_reason)

    def owner(self, object_type: str, object_id: str, crm_id: Any, at: datetime, via: str, *,
              lead_id: int | None = None) -> Change:
        """A new owner; a CRM user who is not in `owners` (the integration user, say) is no rep of ours."""
        email = next((e for e, i in self.owners.items() if str(i) == str(crm_id)), None) if crm_id else None
        ignored = None if email else f"{self.label} owner {crm_id!r} is not a rep in settings/crm.yml owners"
        return Change(object_type, object_id, "owner", email, at, via, raw=crm_id, lead_id=lead_id, ignored=ignored)

    def amount(self, object_type: str, object_id: str, value: Any, at: datetime, via: str, *,
               lead_id: int | None = None) -> Change:
        return Change(object_type, object_id, "amount", amount_text(value), at, via, raw=value, lead_id=lead_id)

    def lost_reason_change(self, object_type: str, object_id: str, text: Any, at: datetime, via: str, *,
                           lead_id: int | None = None) -> Change:
        return Change(object_type, object_id, "lost_reason", self.lost_reason(text), at, via, raw=text,
                      lead_id=lead_id)

    def lost_reason(self, text: Any) -> str | None:
        """The lost reason key the CRM's text names (by key or label, any case), else the
        configured `unknown_lost_reason`; None when the CRM gave none."""
        words = str(text or "").strip()
        if not words:
            return None
        folded = words.casefold().replace(" ", "_")
        for reason in self.pipeline.lost_reasons:
            if folded in (reason.key, reason.label.casefold().replace(" ", "_")):
                return reason.key
        return self.unknown_lost_reason

    def note(self, object_type: str, object_id: str, note_id: str, body: str, at: datetime, via: str) -> Change:
        return Change(object_type, object_id, "note", body, at, via, raw=note_id, key=f"note:{note_id}")
