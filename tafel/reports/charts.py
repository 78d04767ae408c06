"""A tiny server-rendered SVG chart renderer: horizontal bars and lines (ARCHITECTURE: charts as server-side
SVG, no CDN; they work in the PDF and offline).

Readable without colour (WCAG 1.4.1): series differ by fill pattern (solid, hatched) and line style (solid
with dots, dashed), every value is printed beside its bar or point, and each chart has a `<title>` and
`<desc>` referenced by `aria-labelledby`. The data table beside each chart remains the accessible source;
the chart repeats it visually. Only presentation attributes are used (no `style` attributes), so the strict
Content-Security-Policy of the pages holds.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

INK = "#1a1a1a"
GRID = "#b0b0b0"
BAR_FILLS = ("#1f4e79", "url(#{id}-hatch)")
LINE_DASH = ("", "6 4")
FONT = 'font-family="sans-serif" font-size="12"'


@dataclass
class Series:
    name: str
    values: list[float | None]  # None: no bar (hidden or no value); the display text says why
    displays: list[str]


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _defs(chart_id: str) -> str:
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2.5"/></pattern></defs>'
    )


def _legend(chart_id: str, series: list[Series], y: float, kind: str) -> str:
    parts, x = [], 0.0
    for i, s in enumerate(series):
        if kind == "bar":
            fill = BAR_FILLS[i % 2].format(id=chart_id)
            parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}" stroke="{INK}"/>')
        else:
            dash = f' stroke-dasharray="{LINE_DASH[i % 2]}"' if LINE_DASH[i % 2] else ""
            parts.append(
                f'<line x1="{x}" y1="{y + 7}" x2="{x + 24}" y2="{y + 7}" stroke="{INK}" stroke-width="2"{dash}/>'
            )
            if i % 2 == 0:
                parts.append(f'<circle cx="{x + 12}" cy="{y + 7}" r="3.5" fill="{INK}"/>')
        label = escape(_truncate(s.name, 40))
        parts.append(f'<text x="{x + 30}" y="{y + 11}" {FONT} fill="{INK}">{label}</text>')
        x += 40 + 7 * min(len(s.name), 40)
    return "".join(parts)


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tafel-chart" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f"{_defs(chart_id)}"
    )


def _describe(labels: list[str], series: list[Series]) -> str:
    """A short text alternative; the values themselves are in the table beside the chart (and printed in the
    chart), so a screen reader does not hear every figure twice."""
    names = " en ".join(s.name for s in series)
    return f"{names} voor {len(labels)} rijen. De waarden staan ook in de tabel."


def bar_chart(title: str, labels: list[str], series: list[Series], *, maximum: float | None = None) -> SafeString:
    """Horizontal bars, one group per label, up to two series (solid and hatched)."""
    chart_id = f"chart{next(_ids)}"
    label_width, bar_area, value_width = 230, 300, 70
    bar_h, gap = 14, 8
    group_h = bar_h * len(series) + gap
    top = 24 if len(series) > 1 else 4
    height = top + group_h * len(labels) + 4
    width = label_width + bar_area + value_width
    top_value = maximum or max([v for s in series for v in s.values if v is not None] + [0]) or 1
    out = [_open(chart_id, width, height, title, _describe(labels, series))]
    if len(series) > 1:
        out.append(_legend(chart_id, series, 2, "bar"))
    out.append(f'<line x1="{label_width}" y1="{top - 2}" x2="{label_width}" y2="{height - 2}" stroke="{GRID}"/>')
    for i, label in enumerate(labels):
        y0 = top + i * group_h
        out.append(
            f'<text x="{label_width - 6}" y="{y0 + group_h / 2 + 2}" {FONT} fill="{INK}" text-anchor="end">'
            f"{escape(_truncate(label, 34))}</text>"
        )
        for j, s in enumerate(series):
            y = y0 + j * bar_h
            value = s.values[i]
            length = 0.0 if value is None or value <= 0 else max(1.0, bar_area * value / top_value)
            if length:
                fill = BAR_FILLS[j % 2].format(id=chart_id)
                out.append(
                    f'<rect x="{label_width}" y="{y + 1}" width="{length:.1f}" height="{bar_h - 2}" '
                    f'fill="{fill}" stroke="{INK}" stroke-width="0.5"/>'
                )
            out.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_h - 3}" {FONT} fill="{INK}">'
                f"{escape(s.displays[i])}</text>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text part above went through escape()


def line_chart(title: str, labels: list[str], series: list[Series]) -> SafeString:
    """Lines over a few points (quarters), up to two series: solid with dots, dashed."""
    chart_id = f"chart{next(_ids)}"
    width, height = 600, 220
    left, right, top, bottom = 50, 20, 30, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value = (max(values) * 1.15) if values and max(values) > 0 else 1
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + (i * step if len(labels) > 1 else plot_w / 2), top + plot_h - plot_h * v / top_value

    out = [_open(chart_id, width, height, title, _describe(labels, series)), _legend(chart_id, series, 4, "line")]
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GRID}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{GRID}"/>')
    out.append(f'<text x="{left - 6}" y="{top + plot_h + 4}" {FONT} fill="{INK}" text-anchor="end">0</text>')
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        out.append(
            f'<text x="{x:.1f}" y="{height - 8}" {FONT} fill="{INK}" text-anchor="middle">{escape(label)}</text>'
        )
    for j, s in enumerate(series):
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        dash = f' stroke-dasharray="{LINE_DASH[j % 2]}"' if LINE_DASH[j % 2] else ""
        for (i1, v1), (i2, v2) in itertools.pairwise(points):
            (x1, y1), (x2, y2) = xy(i1, v1), xy(i2, v2)
            out.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{INK}" stroke-width="2"{dash}/>'
            )
        for i, v in points:
            x, y = xy(i, v)
            if j % 2 == 0:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{INK}"/>')
            dy = -8 if j % 2 == 0 else 16
            out.append(
                f'<text x="{x:.1f}" y="{y + dy:.1f}" {FONT} fill="{INK}" text-anchor="middle">'
                f"{escape(s.displays[i])}</text>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text part above went through escape()
