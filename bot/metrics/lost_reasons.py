"""Why deals were lost: the mix of lost reasons among deals lost in the period.

share = count / lost deals (None when none were lost). Reasons are listed in the order of
settings/pipeline.yml (zeros included, so a chart keeps its shape); a reason stored on a
deal but no longer configured is listed after them, and a lost deal with no reason (moved
before reasons were required) under `unspecified`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.metrics.common import ratio
from bot.metrics.indexes import LOST_REASONS
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal

UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class LostReasons:
    total: int = 0
    reasons: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "reasons": [dict(r) for r in self.reasons]}


def lost_reasons(session: Session, f: MetricsFilter, pipeline: PipelineSettings) -> LostReasons:
    query = (select(Deal.lost_reason, func.count(Deal.id))
             .where(Deal.stage == pipeline.lost_stage.key, Deal.merged_into_id.is_(None),
                    Deal.closed_at.is_not(None), *f.in_period(Deal.closed_at), *f.owned_by(Deal.owner_rep_id))
             .group_by(Deal.lost_reason))
    counts = {reason or UNSPECIFIED: n for reason, n in session.execute(LOST_REASONS.reader(f)(query))}
    total = sum(counts.values())
    labels = {r.key: r.label for r in pipeline.lost_reasons}
    keys = list(labels) + sorted(k for k in counts if k not in labels)
    return LostReasons(total, tuple(
        {"key": k, "label": labels.get(k, k.replace("_", " ").capitalize()), "count": counts.get(k, 0),
         "share": ratio(counts.get(k, 0), total)}
        for k in keys))
