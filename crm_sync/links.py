"""The ids a CRM gave a lead's objects (`crm_links`), written the moment the CRM answers.

Each write is its own short transaction, so an event that needs several calls (contact,
then deal, then note) keeps what it achieved when a later call fails: the retry skips the
finished steps. Together with search-before-create in the targets, this is what keeps a
replay, a crash between the CRM's answer and our commit, or two workers from creating a
second object.
"""
from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.schema import CrmLink


# A link's `object_type` is the CRM's object kind ("contacts", "deals", "Lead", ...), with a
# suffix when a lead has several of a kind: "notes:<event>" or, after a merge, "deals:from<id>".

def per_event(kind: str, event_id: str) -> str:
    """The link name of an object made for one event (a note, a task): `kind:` and the
    event's UUID in 22 base64url characters, so that it fits `crm_links.object_type`."""
    return f"{kind}:{base64.urlsafe_b64encode(uuid.UUID(event_id).bytes).decode().rstrip('=')}"


def object_kind(object_type: str) -> str:
    """The CRM object kind of a link name: `notes` for `notes:<event>`."""
    return object_type.partition(":")[0]


class LinkBook:
    def __init__(self, sessions: sessionmaker[Session], crm: str, now: Callable[[], datetime]) -> None:
        self.sessions, self.crm, self.now = sessions, crm, now

    def get(self, lead_id: int, object_type: str) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(CrmLink.external_id).where(
                CrmLink.crm == self.crm, CrmLink.lead_id == lead_id, CrmLink.object_type == object_type))

    def put(self, lead_id: int, object_type: str, external_id: str) -> None:
        at = self.now()
        try:
            with self.sessions.begin() as session:
                link = session.scalar(select(CrmLink).where(
                    CrmLink.crm == self.crm, CrmLink.lead_id == lead_id, CrmLink.object_type == object_type))
                if link is None:
                    session.add(CrmLink(crm=self.crm, lead_id=lead_id, object_type=object_type,
                                        external_id=external_id, created_at=at, updated_at=at))
                elif link.external_id != external_id:
                    link.external_id, link.updated_at = external_id, at
        except IntegrityError:
            pass  # another worker recorded the same object a moment ago

    def all(self, lead_id: int) -> dict[str, str]:
        with self.sessions() as session:
            rows = session.execute(select(CrmLink.object_type, CrmLink.external_id).where(
                CrmLink.crm == self.crm, CrmLink.lead_id == lead_id))
            return {object_type: external_id for object_type, external_id in rows}

    def merge(self, source: int, target: int) -> None:
        """Hand a merged lead's links to the lead it was merged into, so that erasing that
        lead reaches them too. A name the survivor already has becomes `<kind>:from<source>`."""
        with self.sessions.begin() as session:
            mine = (CrmLink.crm == self.crm)
            taken = set(session.scalars(select(CrmLink.object_type).where(mine, CrmLink.lead_id == target)))
            for link in session.scalars(select(CrmLink).where(mine, CrmLink.lead_id == source)):
                if link.object_type in taken:
                    link.object_type = f"{object_kind(link.object_type)}:from{source}"
                link.lead_id, link.updated_at = target, self.now()

    def drop(self, lead_id: int, object_type: str | None = None) -> None:
        with self.sessions.begin() as session:
            query = delete(CrmLink).where(CrmLink.crm == self.crm, CrmLink.lead_id == lead_id)
            if object_type is not None:
                query = query.where(CrmLink.object_type == object_type)
            session.execute(query)
