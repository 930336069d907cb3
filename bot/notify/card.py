"""The lead card: everything a rep needs to call the lead back, in one message.

Built once from the stored lead (the export contract plus the transcript), then rendered
for each channel: plain text and HTML for e-mail, Block Kit for Slack, JSON for a
webhook. Whatever the visitor typed is data, never markup: HTML is escaped, Slack's
control characters are escaped, and long texts are cut where each channel demands.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from bot.export import lead_to_export
from bot.store.schema import Lead

HEADLINES = {
    "qualified": "New qualified lead",
    "human_requested": "Wants to talk to a person",
    "reassigned": "Lead reassigned to you",
    "assigned": "Lead assigned to you",
    "unassigned": "Lead waiting for an owner",
}
_SLACK_TEXT_LIMIT = 3000  # characters in one section's text
_SLACK_MAX_BLOCKS = 50


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class LeadCard:
    lead_id: int
    headline: str
    title: str  # "Dana Ruiz (Acme) - score 82 A"
    link: str
    facts: tuple[Line, ...]  # contact and BANT, normalised with the visitor's words
    score_lines: tuple[str, ...]
    transcript: tuple[str, ...]
    transcript_note: str | None  # "first 12 lines not shown"
    why_you: str | None
    data: dict[str, Any] = field(default_factory=dict)  # the export, for webhooks

    @property
    def subject(self) -> str:
        return f"{self.headline}: {self.title}"


def build_card(lead: Lead, *, reason: str, link: str, transcript_lines: int, for_rep: bool = True) -> LeadCard:
    d = lead_to_export(lead)
    headline = HEADLINES["unassigned"] if not for_rep else HEADLINES.get(reason, HEADLINES["qualified"])
    who = d["name"] or d["email"] or f"Lead #{lead.id}"
    company = f" ({d['company']})" if d["company"] else ""
    title = f"{who}{company} - score {d['score']} {d['grade']}"
    need, budget, authority, timeline = d["need"], d["budget"], d["authority"], d["timeline"]
    facts = (
        Line("Name", d["name"] or "-"),
        Line("Company", d["company"] or "-"),
        Line("E-mail", d["email"] or "-"),
        Line("Channel", d["channel"]),
        Line("Need", _answer(need["text"], _need_note(need))),
        Line("Budget", _answer(budget["text"], _budget_note(budget))),
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
    transcript = tuple(f"{'Visitor' if t.get('sender') == 'user' else 'Bot'}: {t.get('text', '')}" for t in shown)
    assignment = d["assignment"]
    why = assignment["reason"] if assignment["rule"] else None
    return LeadCard(
        lead_id=lead.id, headline=headline, title=title, link=link, facts=facts, score_lines=score_lines,
        transcript=transcript, transcript_note=f"first {hidden} lines not shown" if hidden else None,
        why_you=why, data=d,
    )


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


def _budget_note(budget: dict[str, Any]) -> str | None:
    if budget["status"] == "none":
        return "no budget"
    if budget["status"] == "unknown":
        return "unknown"
    low, high = budget["min"], budget["max"]
    if low is None and high is None:
        return None
    amount = (f"{low:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}") if low is not None and high is not None \
        else (f"at least {low:,.0f}" if low is not None else f"up to {high:,.0f}")
    currency = budget["currency"] or "(currency not stated)"
    period = {"monthly": " a month", "yearly": " a year", "quarterly": " a quarter", "one_off": " one-off"}.get(
        budget["period"] or "", "")
    return f"{amount} {currency}{period}"


def _authority_note(authority: dict[str, Any]) -> str | None:
    level = {"decision_maker": "decision maker", "shared": "shares the decision", "influencer": "influencer",
             "unknown": "unknown"}.get(authority["level"], authority["level"])
    return level + (f", {authority['role']}" if authority["role"] else "")


def _timeline_note(timeline: dict[str, Any]) -> str | None:
    if timeline["status"] == "none":
        return "no plans"
    if timeline["target_date"]:
        months = f", in about {timeline['months']:g} months" if timeline["months"] is not None else ""
        return f"by {timeline['target_date']}{months}"
    return "unknown" if timeline["status"] == "unknown" else None


# --- renderers ---------------------------------------------------------------------------


def render_text(card: LeadCard) -> str:
    out = [card.subject, "", f"Open the lead: {card.link}", ""]
    if card.why_you:
        out += [f"Why you: {card.why_you}", ""]
    out += [f"{line.label + ':':<11}{line.value}" for line in card.facts]
    out += ["", "Score", *[f"  {s}" for s in card.score_lines], "", "Conversation"]
    if card.transcript_note:
        out.append(f"  ({card.transcript_note})")
    out += [f"  {t}" for t in card.transcript] or ["  (no messages)"]
    return "\n".join(out) + "\n"


def render_html(card: LeadCard) -> str:
    e = html.escape
    rows = "".join(f"<tr><th align='left'>{e(line.label)}</th><td>{e(line.value)}</td></tr>" for line in card.facts)
    score = "".join(f"<li>{e(s)}</li>" for s in card.score_lines)
    talk = "".join(f"<li>{e(t)}</li>" for t in card.transcript) or "<li>(no messages)</li>"
    note = f"<p><em>({e(card.transcript_note)})</em></p>" if card.transcript_note else ""
    why = f"<p><strong>Why you:</strong> {e(card.why_you)}</p>" if card.why_you else ""
    return (
        "<!doctype html><html><body>"
        f"<h2>{e(card.headline)}: {e(card.title)}</h2>"
        f"<p><a href=\"{e(card.link, quote=True)}\">Open the lead</a></p>{why}"
        f"<table cellpadding='4'>{rows}</table>"
        f"<h3>Score</h3><ul>{score}</ul><h3>Conversation</h3>{note}<ul>{talk}</ul>"
        "</body></html>"
    )


def slack_escape(text: str) -> str:
    """Slack's mrkdwn control characters; a visitor's `<!channel>` must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int = _SLACK_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_slack(card: LeadCard) -> dict[str, Any]:
    s = slack_escape
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(f"{card.headline}: {card.title}", 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"<{card.link}|Open the lead #{card.lead_id}>"
                                                                     + (f"\n_Why you:_ {s(card.why_you)}" if card.why_you else ""))}},
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": _cut(f"*{s(line.label)}*\n{s(line.value)}", 2000)} for line in card.facts[:10]
        ]},
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut("*Score*\n" + "\n".join(s(x) for x in card.score_lines))}},
    ]
    talk = "\n".join(s(t) for t in card.transcript) or "(no messages)"
    if card.transcript_note:
        talk = f"_({card.transcript_note})_\n" + talk
    talk = "*Conversation*\n" + talk
    for start in range(0, len(talk), _SLACK_TEXT_LIMIT):
        if len(blocks) >= _SLACK_MAX_BLOCKS - 1:
            blocks.append({"type": "context", "elements": [
                {"type": "mrkdwn", "text": "Conversation cut: open the lead for all of it."}]})
            break
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": talk[start:start + _SLACK_TEXT_LIMIT]}})
    return {"text": _cut(f"{card.headline}: {card.title}", 3000), "blocks": blocks[:_SLACK_MAX_BLOCKS]}


def render_json(card: LeadCard) -> dict[str, Any]:
    return {
        "type": "lead_card", "headline": card.headline, "title": card.title, "link": card.link,
        "why_you": card.why_you, "lead": card.data,
        "transcript": list(card.transcript), "transcript_note": card.transcript_note,
    }
