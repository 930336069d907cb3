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


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | float]
    tone: str = ""  # CSS class of the line: "won", "warn"


def line_chart(series: Sequence[Series], labels: Sequence[str], *, title: str, width: int = 640,
               height: int = 220) -> Markup:
    """Lines over time (one point per label), each named at its end with its last value, the
    time labels under the axis (thinned to fit); the figures of every point are in its tooltip."""
    if not labels or not series:
        return Markup('<p class="empty">No data for this period.</p>')
    left, right, top_pad, bottom = 36, 120, 10, 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((v for s in series for v in s.values), default=0) or 1
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h * (1 - max(value, 0) / top)

    parts = [f'<svg class="chart trend" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line class="axis" x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}"/>',
             f'<text class="muted" x="{left - 6}" y="{top_pad + 8}" text-anchor="end">{top:,.0f}</text>',
             f'<text class="muted" x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>']
    every = max(1, -(-len(labels) // 8))  # at most eight time labels
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            x, _ = xy(i, 0)
            parts.append(f'<text class="muted" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    ends: list[float] = []
    for s in series:
        points = [xy(i, v) for i, v in enumerate(s.values)]
        parts.append(f'<polyline class="line {escape(s.tone)}" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        for (x, y), value, label in zip(points, s.values, labels):
            parts.append(f'<circle class="dot {escape(s.tone)}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
                         f'<title>{escape(s.name)}, week of {escape(label)}: {value:,.0f}</title></circle>')
        y_end = points[-1][1] + 4
        while any(abs(y_end - other) < 13 for other in ends):  # keep the end labels apart
            y_end += 13
        ends.append(y_end)
        parts.append(f'<text class="value" x="{left + plot_w + 8}" y="{y_end:.0f}">{escape(s.name)} '
                     f'{s.values[-1]:,.0f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
