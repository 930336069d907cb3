"""One nurture e-mail, written from the lead as it is when sent.

The step's text (settings/nurture.yml) for the lead's language and need, filled with the
need's pitch and the resources of settings/content.yml, every link in it tracked
(`Links.click`), a link back into the conversation, and a one-click unsubscribe: the
RFC 8058 headers (`List-Unsubscribe`, `List-Unsubscribe-Post`) and the same link in the text.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate

from bot.content import Content
from bot.notify.settings import SmtpSettings
from bot.nurture.links import RESUME_TARGET, Links
from bot.nurture.settings import NurtureSettings
from bot.store.schema import Lead, NurtureEnrollment, NurtureMessage

URL = re.compile(r"https?://[^\s<>\"')]+")


def first_name(lead: Lead) -> str:
    return (lead.name or "").split()[0] if (lead.name or "").strip() else "there"


def build_nurture_email(message: NurtureMessage, enrollment: NurtureEnrollment, lead: Lead, *,
                        settings: NurtureSettings, content: Content, links: Links, smtp: SmtpSettings,
                        now: datetime) -> EmailMessage:
    text = settings.text(enrollment.sequence, message.step, enrollment.language, enrollment.category)

    def tracked(body: str) -> str:
        own = links.base_url + "/nurture/"
        return URL.sub(lambda m: m.group(0) if m.group(0).startswith(own) else links.click(message.id, m.group(0)), body)

    values = {
        "name": first_name(lead),
        "pitch": content.pitch_for(enrollment.category) or content.default_pitch or "",
        "resources": "\n".join(f"- {r.title}: {r.url}" for r in content.resources),
        "chat_link": links.click(message.id, RESUME_TARGET, resume_expiry(now, settings)),
    }
    unsubscribe = links.unsubscribe(message.id)
    body = tracked(text.body.format(**values)).rstrip()
    body += ("\n\n--\nYou get this because you asked us to follow up. "
             f"Unsubscribe with one click: {unsubscribe}\n")
    email = EmailMessage()
    email["Subject"] = text.subject.format(**{**values, "chat_link": ""}).strip()
    email["From"] = smtp.sender
    email["To"] = lead.email or ""
    email["Date"] = formatdate(now.timestamp(), usegmt=True)
    email["Message-ID"] = f"<leadbot-nurture-{message.id}@leadbot>"  # sent twice (at least once): one thread
    email["List-Unsubscribe"] = f"<{unsubscribe}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email["X-Leadbot-Lead"] = str(lead.id)
    email.set_content(body, charset="utf-8")
    return email


def resume_expiry(now: datetime, settings: NurtureSettings) -> int:
    return int((now + timedelta(days=settings.resume_link_days)).timestamp())
