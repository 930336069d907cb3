"""The lead card: everything a rep needs to call the lead back, in one message.

Built once from the stored lead (the export contract plus the transcript), then rendered
for each channel: plain text and HTML for e-mail, Block Kit for Slack, JSON for a
webhook. Whatever the visitor typed is data, never markup: HTML is escaped, Slack's
control characters are escaped, and long texts are cut where each channel demands.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bot.answers import Budget
from bot.store.export import lead_to_export
from bot.store.schema import Lead

HEADLINES = {
    "qualified": "New qualified lead",
    "human_requested": "Wants to talk to a person",
    "reassigned": "Lead reassigned to you",
    "assigned": "Lead assigned to you",
    "unassigned": "Lead waiting for an owner",
}
_SLACK_TEXT_LIMIT = 3000  # characters in one section's text
_SLACK_FIELD_LIMIT = 2000  # characters in one field of a section
_SLACK_MAX_FIELDS = 10  # fields in one section
_SLACK_HEADER_LIMIT = 150
_SLACK_MAX_BLOCKS = 50
_DASH = "\u2013"  # en dash, as in "Dana Ruiz (Acme) – score 82 A"
_SUBJECT_LIMIT = 200


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class LeadCard:
    lead_id: int
    headline: str
    title: str  # "Dana Ruiz (Acme) – score 82 A"
    link: str
    facts: tuple[Line, ...]  # contact and BANT, normalised with the visitor's words
    score_lines: tuple[str, ...]
    transcript: tuple[str, ...]
    transcript_note: str | None  # "first 12 lines not shown"
    why_you: str | None  # the assignment's reason (for a fallback card: why nobody has it)
    data: dict[str, Any] = field(default_factory=dict)  # the export, for webhooks

    for_rep: bool = True  # False: sent to the fallback recipients, nobody owns the lead

    @property
    def subject(self) -> str:
        """One line, whatever the visitor typed: safe as an e-mail Subject and a Slack header."""
        return one_line(f"{self.headline}: {self.title}")[:_SUBJECT_LIMIT]

    @property
    def why_label(self) -> str:
        return "Why you" if self.for_rep else "Why nobody has it"


def build_card(lead: Lead, *, reason: str, link: str, transcript_lines: int, for_rep: bool = True) -> LeadCard:
    """The card for `lead` as stored now (the export contract, so every channel and the CRM
    agree on what a budget or a timeline is); `for_rep` False: for the fallback recipients."""
    d = channel_safe(lead_to_export(lead))
    headline = HEADLINES["unassigned"] if not for_rep else HEADLINES.get(reason, HEADLINES["qualified"])
    who = d["name"] or d["email"] or d.get("phone") or f"Lead #{lead.id}"
    company = f" ({d['company']})" if d["company"] else ""
    title = one_line(f"{who}{company} {_DASH} score {d['score']} {d['grade']}")
    need, budget, authority, timeline = d["need"], d["budget"], d["authority"], d["timeline"]
    facts = (
        Line("Name", d["name"] or "-"),
        Line("Company", d["company"] or "-"),
        Line("E-mail", d["email"] or "-"),
        *((Line("Phone", str(phone)),) if (phone := d.get("phone") or d["source"].get("phone")) else ()),
        Line("Channel", d["channel"]),
        Line("Need", _answer(need["text"], _need_note(need))),
        Line("Budget", _answer(budget["text"], _budget_note(lead.budget_answer))),
        Line("Authority", _answer(authority["text"], _authority_note(authority))),
        Line("Timeline", _answer(timeline["text"], _timeline_note(timeline))),
        Line("Status", f"{d['status']}, stage {d['stage'] or '-'}" + (", asked for a person" if d["human_requested"] else "")),
    ) + ((Line("Source", ", ".join(f"{k}={v}" for k, v in sorted(d["source"].items()))),) if d["source"] else ())
    score_lines = tuple(
        f"{b['dimension']}: {b['points']:g}/{b['max_points']:g} - {b['reason']}" for b in d["score_breakdown"]
    )
    lines = list(lead.transcript or [])
    shown = lines[-transcript_lines:] if transcript_lines else []
    hidden = len(lines) - len(shown)
    transcript = tuple(f"{'Visitor' if t.get('sender') == 'user' else 'Bot'}: {channel_safe(str(t.get('text') or ''))}"
                       for t in shown)
    assignment = d["assignment"]
    why = assignment["reason"] if assignment["rule"] else None
    return LeadCard(
        lead_id=lead.id, headline=headline, title=title, link=link, facts=facts, score_lines=score_lines,
        transcript=transcript, transcript_note=f"first {hidden} lines not shown" if hidden else None,
        why_you=why, data=d, for_rep=for_rep,
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def channel_safe(value: Any) -> Any:
    """Visitor text that every channel can carry: no control characters (but newline and
    tab), no bidi overrides that would reorder a subject line, no lone surrogates (which no
    encoder accepts), NFC-composed. Applied to the whole export, recursively."""
    if isinstance(value, str):
        text = value.encode("utf-8", "replace").decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        return unicodedata.normalize("NFC", _CONTROL.sub("", text))
    if isinstance(value, dict):
        return {key: channel_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [channel_safe(item) for item in value]
    return value


def one_line(text: str) -> str:
    return " ".join(text.split())


def _answer(words: str | None, normalised: str | None) -> str:
    if not words and not normalised:
        return "not asked or not answered"
    if words and normalised:
        return f'{normalised} (said: "{words}")'
    return normalised or f'"{words}"'


def _need_note(need: dict[str, Any]) -> str | None:
    if need["status"] == "unknown":
        return "unknown"
    parts = [need["level"], need["category"]]
    return ", ".join(p for p in parts if p) or None


def _budget_note(budget: Budget | None) -> str | None:
    if budget is None or budget.status == "unknown":
        return "unknown"
    if budget.status == "none":
        return "no budget"
    low, high = budget.min, budget.max
    if low is None and high is None:
        return None
    amount = (f"{low:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}") if low is not None and high is not None \
        else (f"at least {low:,.0f}" if low is not None else f"up to {high:,.0f}")
    period = {"monthly": " a month", "yearly": " a year", "quarterly": " a quarter", "one_off": " one-off"}.get(
        budget.period or "", "")
    return f"{amount} {budget.currency_shown()}{period}"


def _authority_note(authority: dict[str, Any]) -> str | None:
    level = {"decision_maker": "decision maker", "shared": "shares the decision", "influencer": "influencer",
             "unknown": "unknown"}.get(authority["level"], authority["level"])
    role = authority["role"]
    if role and authority.get("role_en") and authority["role_en"] != role:
        role = f"{role} ({authority['role_en']})"
    return level + (f", {role}" if role else "")


def _timeline_note(timeline: dict[str, Any]) -> str | None:
    if timeline["status"] == "none":
        return "no plans"
    if timeline["target_date"]:
        months = f", in about {timeline['months']:g} months" if timeline["months"] is not None else ""
        return f"by {timeline['target_date']}{months}"
    return "unknown" if timeline["status"] == "unknown" else None


# --- renderers ---------------------------------------------------------------------------


def render_text(card: LeadCard) -> str:
    """The e-mail's plain-text part (and `leadbot notifications preview`)."""
    out = [card.subject, "", f"Open the lead: {card.link}", ""]
    if card.why_you:
        out += [f"{card.why_label}: {card.why_you}", ""]
    out += [f"{line.label + ':':<11}{line.value}" for line in card.facts]
    out += ["", "Score", *[f"  {s}" for s in card.score_lines], "", "Conversation"]
    if card.transcript_note:
        out.append(f"  ({card.transcript_note})")
    out += [f"  {t}" for t in card.transcript] or ["  (no messages)"]
    return "\n".join(out) + "\n"


def render_html(card: LeadCard) -> str:
    """The e-mail's HTML part: every value escaped, so a visitor's markup shows as text."""
    e = html.escape
    rows = "".join(f"<tr><th align='left' valign='top'>{e(line.label)}</th><td>{_html_lines(line.value)}</td></tr>"
                   for line in card.facts)
    score = "".join(f"<li>{e(s)}</li>" for s in card.score_lines)
    talk = "".join(f"<li>{_html_lines(t)}</li>" for t in card.transcript) or "<li>(no messages)</li>"
    note = f"<p><em>({e(card.transcript_note)})</em></p>" if card.transcript_note else ""
    why = f"<p><strong>{e(card.why_label)}:</strong> {e(card.why_you)}</p>" if card.why_you else ""
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body>"
        f"<h2>{e(card.subject)}</h2>"
        f"<p><a href=\"{e(card.link, quote=True)}\">Open the lead</a></p>{why}"
        f"<table cellpadding='4'>{rows}</table>"
        f"<h3>Score</h3><ul>{score}</ul><h3>Conversation</h3>{note}<ul>{talk}</ul>"
        "</body></html>\n"
    )


def _html_lines(text: str) -> str:
    return "<br>".join(html.escape(part) for part in text.split("\n"))


def slack_escape(text: str) -> str:
    """Slack's three control characters (its docs: escape &, <, > and nothing else), so a
    visitor's `<!channel>` or `<http://evil|bank>` stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending in "…" when cut, never inside an `&amp;`."""
    if len(text) <= limit:
        return text
    return _PARTIAL_ENTITY.sub("", text[: limit - 1]) + "…"


def chunks(lines: list[str], limit: int) -> list[str]:
    """Lines packed into texts of at most `limit` characters, split between lines where
    possible (a single longer line is cut)."""
    out: list[str] = []
    current = ""
    for line in lines:
        line = cut(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def render_slack(card: LeadCard) -> dict[str, Any]:
    """An incoming-webhook message: Block Kit within Slack's limits (50 blocks, 3000
    characters a section, 10 fields of 2000), `text` as the notification fallback."""
    s = slack_escape
    intro = f"<{card.link}|Open the lead #{card.lead_id}>"
    if card.why_you:
        intro += f"\n_{s(card.why_label)}:_ {s(card.why_you)}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(card.subject, _SLACK_HEADER_LIMIT)}},
        slack_section(cut(intro, _SLACK_TEXT_LIMIT)),
    ]
    fields = [{"type": "mrkdwn", "text": cut(f"*{s(line.label)}*\n{s(line.value)}", _SLACK_FIELD_LIMIT)}
              for line in card.facts]
    blocks += [{"type": "section", "fields": fields[i:i + _SLACK_MAX_FIELDS]}
               for i in range(0, len(fields), _SLACK_MAX_FIELDS)]
    blocks += [slack_section(text) for text in chunks(["*Score*", *(s(x) for x in card.score_lines)], _SLACK_TEXT_LIMIT)]
    talk = ["*Conversation*"]
    if card.transcript_note:
        talk.append(f"_({s(card.transcript_note)})_")
    talk += [s(t) for t in card.transcript] or ["(no messages)"]
    sections = [slack_section(text) for text in chunks(talk, _SLACK_TEXT_LIMIT)]
    room = _SLACK_MAX_BLOCKS - len(blocks)
    if len(sections) > room:
        sections = sections[: room - 1] + [{"type": "context", "elements": [
            {"type": "mrkdwn", "text": "Conversation cut to fit Slack: open the lead for all of it."}]}]
    return {"text": cut(card.subject, _SLACK_TEXT_LIMIT), "blocks": blocks + sections}


def slack_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def render_json(card: LeadCard) -> dict[str, Any]:
    """The structured card for a generic webhook: the lead in the export contract's shape
    (`docs/export-contract.md`) plus what the other channels show."""
    return {
        "type": "lead_card", "lead_id": card.lead_id, "headline": card.headline, "title": card.title,
        "subject": card.subject, "link": card.link, "for_rep": card.for_rep, "why_you": card.why_you,
        "lead": card.data, "transcript": list(card.transcript), "transcript_note": card.transcript_note,
    }
