"""Sending meeting invitations: the `meeting_invitations` table as one more delivery queue of
the shared lease loop (`bot/delivery.py`), sent over the notifications' SMTP settings
(`bot/notify/channels.deliver_email`). `leadbot notifications send` runs it after the lead
cards, so no new process is needed. Each e-mail is rendered from the meeting as it is when
sent; retried with backoff, dead (and shown by the dashboard's sync status) when refused."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import DeliveryReport, LeaseLoop
from bot.meetings.invite import Invitation, email_message
from bot.meetings.links import MeetingLinks, meeting_secret
from bot.meetings.settings import MeetingSettings
from bot.notify.channels import deliver_email
from bot.notify.settings import NotifySettings
from bot.outbound import Outcome
from bot.store.leases import release, unclaimed, worker_id
from bot.store.schema import Lead, Meeting, MeetingInvitation, Rep


def meeting_links(settings: MeetingSettings) -> MeetingLinks:
    return MeetingLinks(meeting_secret(settings.secret_env), settings.manage_link, timedelta(days=settings.link_days))


@dataclass(frozen=True)
class _Job:
    invitation_id: int
    invitation: Invitation


class InvitationQueue:
    model = MeetingInvitation
    noun = "invitation"

    def __init__(self, settings: MeetingSettings, notify: NotifySettings) -> None:
        self.settings = settings
        self.notify = notify
        self.links = meeting_links(settings)

    def due(self, session: Session, *, now: datetime, limit: int) -> list[int]:
        row = MeetingInvitation
        return list(session.scalars(select(row.id).where(row.status == "pending", row.next_attempt_at <= now,
                                                         unclaimed(row, now)).order_by(row.id).limit(limit)))

    def claimable(self) -> None:
        return None

    def job(self, session: Session, row: MeetingInvitation) -> _Job | None:
        meeting = session.get(Meeting, row.meeting_id)
        if meeting is None:
            return None
        lead, rep = session.get(Lead, meeting.lead_id), session.get(Rep, meeting.rep_id)
        for_visitor = row.recipient == "visitor"
        title = self.settings.title.replace("{rep}", rep.name).replace("{company}", (lead.company or "") if lead else "")
        # The meeting as it is now: an e-mail queued before a later change says what the later
        # one says (same SEQUENCE), never an old time under a new number.
        kind = "cancel" if meeting.status == "cancelled" else "request"
        return _Job(row.id, Invitation(
            uid=meeting.uid, sequence=meeting.sequence, kind=kind, start=meeting.start_at, end=meeting.end_at,
            title=title.strip(), rep_name=rep.name, rep_email=rep.email, visitor_name=lead.name if lead else None,
            visitor_email=lead.email if lead else None, to=row.address,
            to_timezone=meeting.visitor_timezone if for_visitor else (rep.timezone or "UTC"), for_visitor=for_visitor,
            manage_url=self.links.url(meeting.id, now=row.created_at) if for_visitor else None,
            lead_url=None if for_visitor else self.notify.link(meeting.lead_id), stamp=row.created_at))

    def send(self, job: _Job) -> Outcome:
        try:
            message = email_message(job.invitation, self.notify.smtp.sender, key=f"leadbot-invitation-{job.invitation_id}")
        except (ValueError, TypeError) as exc:  # an address that cannot be a header
            return Outcome(False, retryable=False, error=f"cannot write an e-mail to {job.invitation.to!r}: {exc}")
        return deliver_email(message, self.notify.smtp)

    def mark_delivered(self, row: MeetingInvitation, *, now: datetime) -> None:
        row.status, row.sent_at, row.last_error = "sent", now, None
        row.attempts += 1
        release(row)

    def dead_letter(self, row: MeetingInvitation, error: str) -> str:
        return f"meeting invitation {row.id} (meeting {row.meeting_id}, to {row.address}) is dead: {error}"


def run_once(sessions: sessionmaker[Session], settings: MeetingSettings, notify: NotifySettings, *,
             now: Callable[[], datetime], worker: str | None = None,
             stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    loop = LeaseLoop(InvitationQueue(settings, notify), lease=timedelta(seconds=settings.lease_seconds),
                     batch_size=settings.batch_size, retry=settings.retry)
    return loop.run_once(sessions, now=now, worker=worker or worker_id(), stop=stop)
