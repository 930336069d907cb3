"""Charts as inline SVG rendered on the server: no JavaScript, no CDN, nothing to load.

Every chart labels its bars directly (the name on the left, the figure at the bar's end,
a note such as a drop-off beside it), so nobody hunts for a legend, and the numbers are
the same text a screen reader or a test finds. Labels are escaped like everything else.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ROW, GAP, LABEL_W, VALUE_W = 26, 6, 170, 200


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # drives the bar's length
    text: str  # the figure written at the end of the bar
    note: str = ""  # written after the figure, in grey (e.g. "−35% from previous step")
    tone: str = ""  # CSS class: "won", "lost", "warn"


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 640) -> Markup:
    """Horizontal bars, one per row, each with its label and figure written beside it."""
    if not bars:
        return Markup('<p class="empty">No data for this period.</p>')
    top = max((b.value for b in bars), default=0) or 1
    track = width - LABEL_W - VALUE_W
    height = len(bars) * (ROW + GAP) + GAP
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, bar in enumerate(bars):
        y = GAP + i * (ROW + GAP)
        length = max(track * max(bar.value, 0) / top, 0)
        mid = y + ROW / 2 + 4
        parts.append(f'<text x="{LABEL_W - 8}" y="{mid:.0f}" text-anchor="end">{escape(_fit(bar.label, 26))}</text>')
        parts.append(f'<rect class="track" x="{LABEL_W}" y="{y}" width="{track}" height="{ROW}" rx="3"/>')
        if length > 0:
            parts.append(f'<rect class="bar {escape(bar.tone)}" x="{LABEL_W}" y="{y}" width="{length:.1f}" '
                         f'height="{ROW}" rx="3"/>')
        parts.append(f'<text class="value" x="{LABEL_W + track + 6}" y="{mid:.0f}">{escape(bar.text)}'
                     + (f' <tspan class="muted">{escape(bar.note)}</tspan>' if bar.note else "") + "</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
