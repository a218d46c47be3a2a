"""Small, deterministic, pure-SVG charts for HTML reports (spend over time, top suppliers).

Each function returns one ``<svg>`` element as text: no scripts, no external CSS or fonts, every
label escaped, every coordinate formatted with fixed precision — the same data gives the same
bytes. Values are plain numbers; the caller chooses how they are printed with ``value_format``
(for example a currency formatter). Negative values are not meaningful for spend and are drawn
from zero as if they were zero, with the real value still printed on the label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from types import MappingProxyType

from bidvet.reports.svg_text import FONT_FAMILY, num, text_width, truncate, xml_text

#: series colours, in order; distinguishable in greyscale print as well
PALETTE = ("#2f4a73", "#b3261e", "#d98e04", "#2e7d32", "#6a3d9a", "#00838f", "#7b8794")
#: conventional colours for risk classes in exposure charts (pass as ``colours=``)
RISK_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "listed": "#b3261e",
        "state-linked": "#6a3d9a",
        "legal-regime": "#d98e04",
        "no risk found": "#2e7d32",
        "unresolved": "#7b8794",
    }
)
HIGHLIGHT = "#b3261e"
NEUTRAL = "#2f4a73"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee4"


def format_number(value: float) -> str:
    """Default label format: thousands separators, no decimals for large values."""
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``maximum`` (steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if maximum <= 0 or not math.isfinite(maximum):
        return [0.0, 1.0]
    raw = maximum / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fit(label: str, max_chars: int, max_width: float, font_size: float) -> str:
    """Shorten ``label`` until it fits ``max_chars`` and (estimated) ``max_width`` pixels."""
    shown = truncate(label, max_chars)
    while len(shown) > 2 and text_width(shown, font_size) > max_width:
        shown = truncate(label, len(shown) - 1)
    return shown


def _open(width: float, height: float, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{num(width)}" '
        f'height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'font-family="{xml_text(FONT_FAMILY)}" aria-label="{xml_text(title)}">',
        f"<title>{xml_text(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold" fill="{INK}">'
        f"{xml_text(title)}</text>",
    ]


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    value_format: Callable[[float], str] = format_number,
    highlight: Collection[str] = (),
    width: float = 640,
    label_chars: int = 34,
) -> str:
    """Horizontal bars in the order given (e.g. top risky suppliers by spend).

    Labels in ``highlight`` are drawn red, the rest blue; long labels are shortened with an
    ellipsis and kept whole in a tooltip.
    """
    bar_h, gap, top = 18.0, 8.0, 30.0
    max_label_w = width * 0.4
    labels = [_fit(label, label_chars, max_label_w - 8, 11) for label, _ in items]
    label_w = min(max((text_width(t, 11) for t in labels), default=40.0) + 8, max_label_w)
    value_w = 90.0
    plot_w = max(width - label_w - value_w - 10, 50.0)
    height = top + max(len(items), 1) * (bar_h + gap) + 4
    maximum = max((max(value, 0.0) for _, value in items), default=0.0)
    out = _open(width, height, title)
    if not items:
        out.append(f'<text x="0" y="{num(top + 14)}" font-size="11" fill="{MUTED}">No data</text>')
    for index, ((label, value), shown) in enumerate(zip(items, labels, strict=True)):
        y = top + index * (bar_h + gap)
        length = plot_w * max(value, 0.0) / maximum if maximum > 0 else 0.0
        colour = HIGHLIGHT if label in highlight else NEUTRAL
        out.append('<g class="bar">')
        out.append(f"<title>{xml_text(label)}: {xml_text(value_format(value))}</title>")
        out.append(
            f'<text x="{num(label_w - 6)}" y="{num(y + 13)}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{xml_text(shown)}</text>'
        )
        out.append(
            f'<rect x="{num(label_w)}" y="{num(y)}" width="{num(length)}" height="{num(bar_h)}" '
            f'fill="{colour}"/>'
        )
        out.append(
            f'<text x="{num(label_w + length + 5)}" y="{num(y + 13)}" font-size="11" '
            f'fill="{MUTED}">{xml_text(value_format(value))}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    value_format: Callable[[float], str] = format_number,
    width: float = 640,
    height: float = 300,
    colours: Mapping[str, str] | None = None,
    descriptions: Mapping[str, str] | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    x_notes: Sequence[str] | None = None,
    point_notes: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """One line per series over ordered categories (e.g. spend per year, one line per risk).

    Each series has one value per x label; ``None`` leaves a gap in the line (pass 0 for a
    category that has nothing, so it is drawn as zero). A series takes its colour from
    ``colours`` (by name, e.g. :data:`RISK_COLOURS`), else from :data:`PALETTE` in series order.
    The legend names each series, followed by what it means when ``descriptions`` has it (one
    legend line per series then). ``x_title`` / ``y_title`` name the axes; ``x_notes`` adds a
    second line under each x label (e.g. a count); ``point_notes`` adds text to each point's
    tooltip, per series and x label. Every x label is drawn when they fit; otherwise every n-th
    from the first, and the last unless it would collide with the one before.
    """
    for name, values in series:
        if len(values) != len(x_labels):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(x_labels)} x labels"
            )
    if x_notes is not None and len(x_notes) != len(x_labels):
        raise ValueError(f"{len(x_notes)} x notes for {len(x_labels)} x labels")
    described = bool(descriptions)
    legend_h = 14.0 * len(series) if described else 14.0
    left, right = (92.0 if y_title else 80.0), 16.0
    top = 38.0 + legend_h
    bottom = 22.0 + (12.0 if x_notes else 0.0) + (16.0 if x_title else 0.0)
    total_h = height + (legend_h - 14.0)
    plot_w, plot_h = width - left - right, total_h - top - bottom
    maximum = max((v for _, vs in series for v in vs if v is not None), default=0.0)
    ticks = nice_ticks(max(maximum, 0.0))
    y_max = ticks[-1]
    out = _open(width, total_h, title)
    chosen = colours or {}
    palette = [chosen.get(name) or PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(series)]
    out.append('<g class="legend">')
    legend_x, legend_y = 0.0, 26.0
    for index, (name, _) in enumerate(series):
        colour = palette[index]
        meaning = (descriptions or {}).get(name)
        label = f"{name}: {meaning}" if meaning else name
        out.append(
            f'<rect x="{num(legend_x)}" y="{num(legend_y)}" width="12" height="4" '
            f'fill="{colour}"/><text x="{num(legend_x + 16)}" y="{num(legend_y + 6)}" '
            f'font-size="10" fill="{MUTED}">{xml_text(label)}</text>'
        )
        if described:
            legend_y += 14.0
        else:
            legend_x += 30 + text_width(name, 10)
    out.append("</g>")

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * max(value, 0.0) / y_max if y_max else top + plot_h

    def x_of(index: int) -> float:
        if len(x_labels) == 1:
            return left + plot_w / 2
        return left + plot_w * index / (len(x_labels) - 1)

    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(left + plot_w)}" y2="{num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{num(left - 6)}" y="{num(y + 4)}" text-anchor="end" font-size="10" '
            f'fill="{MUTED}">{xml_text(value_format(tick))}</text>'
        )
    widest = max((text_width(t, 10) for t in [*x_labels, *(x_notes or [])]), default=0.0)
    slot = plot_w / max(len(x_labels) - 1, 1)
    step = max(1, math.ceil((widest + 8) / slot)) if len(x_labels) > 1 else 1
    out.append('<g class="x-axis">')
    for index, label in enumerate(x_labels):
        last = index == len(x_labels) - 1
        if index % step and not (last and index % step >= step / 2):
            continue
        x = x_of(index)
        out.append(
            f'<text class="x-label" x="{num(x)}" y="{num(top + plot_h + 16)}" '
            f'text-anchor="middle" font-size="10" fill="{MUTED}">{xml_text(label)}</text>'
        )
        if x_notes is not None:
            out.append(
                f'<text class="x-note" x="{num(x)}" y="{num(top + plot_h + 28)}" '
                f'text-anchor="middle" font-size="9" fill="{MUTED}">'
                f"{xml_text(x_notes[index])}</text>"
            )
    if x_title:
        out.append(
            f'<text class="x-title" x="{num(left + plot_w / 2)}" y="{num(total_h - 4)}" '
            f'text-anchor="middle" font-size="10" fill="{INK}">{xml_text(x_title)}</text>'
        )
    out.append("</g>")
    if y_title:
        cy = top + plot_h / 2
        out.append(
            f'<text class="y-title" x="10" y="{num(cy)}" text-anchor="middle" font-size="10" '
            f'fill="{INK}" transform="rotate(-90 10 {num(cy)})">{xml_text(y_title)}</text>'
        )
    for s_index, (name, values) in enumerate(series):
        colour = palette[s_index]
        notes = (point_notes or {}).get(name)
        out.append(f'<g class="series"><title>{xml_text(name)}</title>')
        run: list[str] = []
        for index, value in enumerate([*values, None]):
            if value is None:
                if len(run) > 1:
                    out.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                        f'stroke-width="2"/>'
                    )
                run = []
                continue
            point = f"{num(x_of(index))},{num(y_of(value))}"
            run.append(point)
            note = f", {notes[index]}" if notes and index < len(notes) and notes[index] else ""
            out.append(
                f'<circle cx="{num(x_of(index))}" cy="{num(y_of(value))}" r="2.5" '
                f'fill="{colour}"><title>{xml_text(name)}, {xml_text(x_labels[index])}: '
                f"{xml_text(value_format(value))}{xml_text(note)}</title></circle>"
            )
        out.append("</g>")
    out.append(
        f'<line x1="{num(left)}" y1="{num(top + plot_h)}" x2="{num(left + plot_w)}" '
        f'y2="{num(top + plot_h)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
