"""The ownership chain picture: who stands behind a bidder, as a self-contained SVG.

Input is the ``ownership`` block of an assessment report (the JSON form of
``bidvet.ownership.report.owners(...)``): a list of owners, each with the ``path`` of entity ids
from the owner down to the subject, and the per-regime ``status`` / ``state_linked`` blocks.

Layout: the subject (the bidder) sits at the bottom; every other entity sits on the row given by
its depth — the longest path from it down to the subject — so direct owners are one row up and
ultimate owners at the top. Within a row, entities are ordered under the entities they own, then
by name, then by id, so the picture is the same for the same input. Edges carry the share (or the
kind of control where no share is known). Owners that are listed (named in a regime's ``via``, or
at the head of a listing evidence path) are outlined red; state-linked owners (at the head of a
``state_linked`` path) are shaded violet. A name is wrapped to the node's width (estimated per
character, CJK included) in up to :data:`NAME_LINES` lines and cut with "…" beyond; the node's
tooltip (``<title>``) keeps it whole. The output uses no scripts, no external CSS, no fonts
beyond the reader's own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from bidvet.reports.svg_text import FONT_FAMILY, ellipsize, fit_lines, num, text_width, xml_text

NODE_W = 216.0
NODE_H = 70.0
#: room left and right of a node's text
NODE_PAD = 8.0
#: the widest a line of text inside a node may be
LABEL_W = NODE_W - 2 * NODE_PAD
NAME_SIZE = 12.0
NAME_LEADING = 14.0
#: a name takes up to this many lines; longer names end with "…" (the tooltip has it whole)
NAME_LINES = 3
TAG_SIZE = 10.0
GAP_X = 28.0
GAP_Y = 74.0
MARGIN = 20.0
LEGEND_H = 30.0
#: wide enough for the legend even when the chain is a single column
MIN_WIDTH = 440.0

COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "ink": "#1f2933",
        "muted": "#52606d",
        "edge": "#7b8794",
        "node": "#ffffff",
        "node_stroke": "#9aa5b1",
        "subject": "#e8eef7",
        "subject_stroke": "#2f4a73",
        "listed_stroke": "#b3261e",
        "listed_fill": "#fdecea",
        "state_fill": "#efe7f7",
        "state_stroke": "#6a3d9a",
    }
)


@dataclass
class _Node:
    id: str
    name: str
    depth: int = 0
    share: str | None = None
    listed: bool = False
    state: bool = False
    subject: bool = False
    unknown: bool = False
    x: float = 0.0
    y: float = 0.0
    children: set[str] = field(default_factory=set)


def share_text(exact: Any, low: Any = None, high: Any = None) -> str | None:
    """Format fractions as a percentage ("60 %", "25–50 %"), or None when unknown."""

    def pct(value: float) -> str:
        text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
        return f"{text} %"

    if isinstance(exact, int | float) and not isinstance(exact, bool):
        return pct(float(exact))
    lo = float(low) if isinstance(low, int | float) and not isinstance(low, bool) else None
    hi = float(high) if isinstance(high, int | float) and not isinstance(high, bool) else None
    if lo is not None and hi is not None:
        if lo <= 0.0 and hi >= 1.0:
            return None  # bounds 0–100 % say nothing: the share is unknown
        if lo == hi:
            return pct(lo)
        return f"{pct(lo)[:-2]}–{pct(hi)}"
    if lo is not None:
        return f"≥ {pct(lo)}"
    if hi is not None:
        return f"≤ {pct(hi)}"
    return None


def listed_owner_ids(ownership: Mapping[str, Any] | None) -> set[str]:
    """Owners the ownership block names as listed under any regime (``status[*].via``)."""
    ids: set[str] = set()
    if not ownership:
        return ids
    status = ownership.get("status") or {}
    if isinstance(status, Mapping):
        for regime in status.values():
            if isinstance(regime, Mapping):
                ids.update(str(v) for v in regime.get("via") or [] if isinstance(v, str))
    for owner in ownership.get("owners") or []:
        if isinstance(owner, Mapping) and owner.get("listed") is True:
            ids.add(str(owner.get("id")))
    return ids


def state_linked_ids(ownership: Mapping[str, Any] | None) -> set[str]:
    """State-linked entities: heads of ``state_linked`` paths, state ultimate controllers."""
    if not ownership:
        return set()
    ids: set[str] = set()
    for path in ownership.get("state_link_paths") or []:
        if path:
            ids.add(str(path[0]))
    for controller in ownership.get("ultimate_controllers") or []:
        if isinstance(controller, Mapping) and controller.get("state") is True:
            ids.add(str(controller.get("id")))
    return ids


def _edge_labels(
    owners: Sequence[Mapping[str, Any]], subject: str, explicit: Iterable[Any]
) -> dict[tuple[str, str], str]:
    """Label each edge with its share where it can be known, else the kind of control.

    Explicit edges (``ownership.edges``: owner, asset, share/min_share/max_share, kind) win.
    Otherwise a direct owner's edge carries its effective share, and for an owner reached by a
    single path the edge share is its effective share divided by that of the entity it owns
    (effective interest is the product along the path). Failing both, the edge carries the kind
    of control from the owner's ``kinds``. The choice never depends on the order of ``owners``.
    """
    best: dict[tuple[str, str], tuple[int, str, str]] = {}

    def offer(edge: tuple[str, str], rank: int, tiebreak: str, text: str | None) -> None:
        if text and (edge not in best or (rank, tiebreak) < best[edge][:2]):
            best[edge] = (rank, tiebreak, text)

    for edge in explicit:
        if isinstance(edge, Mapping):
            given = share_text(edge.get("share"), edge.get("min_share"), edge.get("max_share"))
            key = (str(edge.get("owner")), str(edge.get("asset")))
            offer(key, 0, "", given or str(edge.get("kind") or ""))
    counts: dict[str, int] = {}
    for owner in owners:
        counts[str(owner.get("id"))] = counts.get(str(owner.get("id")), 0) + 1
    effective: dict[str, float] = {subject: 1.0}
    for owner in owners:
        value = owner.get("effective_share")
        if counts[str(owner.get("id"))] == 1 and isinstance(value, int | float):
            effective[str(owner.get("id"))] = float(value)
    for owner in owners:
        path = [str(p) for p in owner.get("path") or []]
        kinds = [str(k) for k in owner.get("kinds") or []]
        tiebreak = "/".join(path)
        for index, (upper, lower) in enumerate(pairwise(path)):
            if index == 0 and lower == subject:
                shares = (owner.get("effective_share"), owner.get("min_share"))
                offer((upper, lower), 1, tiebreak, share_text(*shares, owner.get("max_share")))
            elif index == 0 and upper in effective and effective.get(lower):
                offer((upper, lower), 1, tiebreak, share_text(effective[upper] / effective[lower]))
            if len(kinds) == len(path) - 1:
                offer((upper, lower), 2, tiebreak, kinds[index])
    return {edge: text for edge, (_, _, text) in best.items()}


def _below(node: _Node, nodes: Mapping[str, _Node], depth: int) -> list[float]:
    """x of the already placed entities ``node`` owns (rows below ``depth``), sorted."""
    return sorted(nodes[c].x for c in node.children if c in nodes and nodes[c].depth < depth)


def _layout(nodes: dict[str, _Node]) -> tuple[float, float]:
    """Place nodes row by row (bottom up) and return the canvas width and height.

    Each owner is aimed at the middle of the entities it owns; a sweep left to right and back
    then keeps boxes from overlapping or leaving the canvas.
    """
    max_depth = max(node.depth for node in nodes.values())
    rows: dict[int, list[_Node]] = {d: [] for d in range(max_depth + 1)}
    for node in nodes.values():
        rows[node.depth].append(node)
    widest = max(len(row) for row in rows.values())
    width = max(2 * MARGIN + widest * NODE_W + (widest - 1) * GAP_X, MIN_WIDTH)
    step = NODE_W + GAP_X
    for depth in range(max_depth + 1):
        count = len(rows[depth])
        left = (width - (count * NODE_W + (count - 1) * GAP_X)) / 2
        keyed = []
        for node in rows[depth]:
            below = _below(node, nodes, depth)
            aim = sum(below) / len(below) if below else width
            keyed.append(((aim, node.name.casefold(), node.id), node))
        keyed.sort(key=lambda pair: pair[0])
        row = [node for _, node in keyed]
        xs = [
            key[0] if key[0] < width else left + index * step
            for index, (key, _) in enumerate(keyed)
        ]
        for index in range(len(xs)):
            floor = MARGIN if index == 0 else xs[index - 1] + step
            xs[index] = max(xs[index], floor)
        for index in reversed(range(len(xs))):
            ceiling = width - MARGIN - NODE_W if index == len(xs) - 1 else xs[index + 1] - step
            xs[index] = min(xs[index], ceiling)
        y = MARGIN + (max_depth - depth) * (NODE_H + GAP_Y)
        for node, x in zip(row, xs, strict=True):
            node.x = x
            node.y = y
    height = 2 * MARGIN + (max_depth + 1) * NODE_H + max_depth * GAP_Y + LEGEND_H
    return width, height


def _node_svg(node: _Node) -> list[str]:
    if node.subject:
        fill, stroke, width = COLOURS["subject"], COLOURS["subject_stroke"], 2.0
    else:
        fill, stroke, width = COLOURS["node"], COLOURS["node_stroke"], 1.0
    if node.state:
        fill, stroke = COLOURS["state_fill"], COLOURS["state_stroke"]
    if node.listed:
        stroke, width = COLOURS["listed_stroke"], 2.5
        if not node.state:
            fill = COLOURS["listed_fill"]
    dash = ' stroke-dasharray="5 3"' if node.unknown else ""
    tags = []
    if node.unknown:
        tags.append("not disclosed")
    if node.subject:
        tags.append("bidder")
    elif node.share:
        tags.append(f"effective {node.share}")
    if node.listed:
        tags.append("LISTED")
    if node.state:
        tags.append("STATE-LINKED")
    lines = fit_lines(node.name, LABEL_W, NAME_SIZE, NAME_LINES)
    tag_line = ellipsize(" · ".join(tags), LABEL_W, TAG_SIZE)
    cx = node.x + NODE_W / 2
    out = [
        f'<g class="node" id="{xml_text("n-" + node.id)}">',
        f"<title>{xml_text(node.name)} ({xml_text(node.id)})"
        f"{xml_text(' — ' + ' · '.join(tags)) if tags else ''}</title>",
        f'<rect x="{num(node.x)}" y="{num(node.y)}" width="{num(NODE_W)}" '
        f'height="{num(NODE_H)}" rx="6" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{num(width)}"{dash}/>',
    ]
    # the name block is centred in the space above the tag line (baseline NODE_H - 9)
    name_area = NODE_H - 9 - TAG_SIZE - 2
    first = node.y + (name_area - len(lines) * NAME_LEADING) / 2 + NAME_SIZE
    for index, line in enumerate(lines):
        out.append(
            f'<text class="name" x="{num(cx)}" y="{num(first + index * NAME_LEADING)}" '
            f'text-anchor="middle" font-size="{num(NAME_SIZE)}" font-weight="bold" '
            f'fill="{COLOURS["ink"]}">{xml_text(line)}</text>'
        )
    tag_colour = COLOURS["listed_stroke"] if node.listed else COLOURS["muted"]
    out.append(
        f'<text class="tags" x="{num(cx)}" y="{num(node.y + NODE_H - 9)}" text-anchor="middle" '
        f'font-size="{num(TAG_SIZE)}" fill="{tag_colour}">{xml_text(tag_line)}</text>'
    )
    out.append("</g>")
    return out


def _edge_svg(upper: _Node, lower: _Node, label: str | None) -> list[str]:
    x0, y0 = upper.x + NODE_W / 2, upper.y + NODE_H
    x1, y1 = lower.x + NODE_W / 2, lower.y - 7
    bend = (y1 - y0) / 2
    colour = COLOURS["listed_stroke"] if upper.listed else COLOURS["edge"]
    out = [
        f'<path d="M {num(x0)} {num(y0)} C {num(x0)} {num(y0 + bend)} {num(x1)} '
        f'{num(y1 - bend)} {num(x1)} {num(y1)}" fill="none" stroke="{colour}" '
        f'stroke-width="1.5"/>',
        f'<polygon points="{num(x1 - 5)},{num(y1)} {num(x1 + 5)},{num(y1)} {num(x1)},'
        f'{num(y1 + 7)}" fill="{colour}"/>',
    ]
    if label:
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        w = text_width(label, 10) + 10
        out.append(
            f'<rect x="{num(mx - w / 2)}" y="{num(my - 9)}" width="{num(w)}" height="16" '
            f'rx="3" fill="#ffffff" stroke="{colour}" stroke-width="0.75"/>'
        )
        out.append(
            f'<text x="{num(mx)}" y="{num(my + 3)}" text-anchor="middle" font-size="10" '
            f'fill="{COLOURS["ink"]}">{xml_text(label)}</text>'
        )
    return out


def _legend(y: float) -> list[str]:
    items = [
        ("bidder", COLOURS["subject"], COLOURS["subject_stroke"]),
        ("listed owner", COLOURS["listed_fill"], COLOURS["listed_stroke"]),
        ("state-linked owner", COLOURS["state_fill"], COLOURS["state_stroke"]),
    ]
    out = ['<g class="legend">']
    x = MARGIN
    for label, fill, stroke in items:
        out.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="14" height="12" rx="2" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/>'
        )
        out.append(
            f'<text x="{num(x + 20)}" y="{num(y + 10)}" font-size="10" '
            f'fill="{COLOURS["muted"]}">{xml_text(label)}</text>'
        )
        x += 34 + text_width(label, 10)
    out.append("</g>")
    return out


def ownership_svg(
    ownership: Mapping[str, Any] | None,
    *,
    subject_id: str | None,
    subject_name: str,
    listed_ids: Collection[str] = (),
    state_ids: Collection[str] = (),
) -> str | None:
    """Draw the ownership chain of one bidder; None when there are no owners to draw.

    ``listed_ids`` / ``state_ids`` add entities to highlight beyond what the ownership block
    itself says (for example the head of a listing finding's evidence path).
    """
    if not ownership:
        return None
    owners = [o for o in ownership.get("owners") or [] if isinstance(o, Mapping) and o.get("id")]
    if not owners and not ownership.get("unknown_owners"):
        return None
    subject = subject_id
    if subject is None:
        heads = [o["path"] for o in owners if isinstance(o.get("path"), list) and o["path"]]
        subject = str(heads[0][-1]) if heads else "subject"
    nodes: dict[str, _Node] = {subject: _Node(subject, subject_name, subject=True)}
    for owner in owners:
        oid = str(owner["id"])
        path = [str(p) for p in owner.get("path") or []] or [oid, subject]
        if path[-1] != subject:
            path.append(subject)
        for position, eid in enumerate(path):
            node = nodes.setdefault(eid, _Node(eid, eid))
            node.depth = max(node.depth, len(path) - 1 - position)
            if position + 1 < len(path):
                node.children.add(path[position + 1])
        node = nodes[oid]
        node.name = str(owner.get("name") or oid)
        node.share = share_text(
            owner.get("effective_share"), owner.get("min_share"), owner.get("max_share")
        )
    for unknown in ownership.get("unknown_owners") or []:
        if not isinstance(unknown, Mapping) or not unknown.get("id"):
            continue
        path = [str(p) for p in unknown.get("path") or []]
        if len(path) < 2 or path[-1] != subject or any(p not in nodes for p in path[1:]):
            continue
        reason = str(unknown.get("reason") or "").replace("-", " ")
        node = nodes.setdefault(path[0], _Node(path[0], "Unknown owner", unknown=True))
        node.name = f"Unknown owner ({reason})" if reason else "Unknown owner"
        node.depth = max(node.depth, len(path) - 1)
        node.children.add(path[1])
    nodes[subject].depth = 0
    listed = listed_owner_ids(ownership) | set(listed_ids)
    state = state_linked_ids(ownership) | set(state_ids)
    for eid, node in nodes.items():
        node.listed = eid in listed and not node.subject
        node.state = eid in state and not node.subject
    labels = _edge_labels(owners, subject, ownership.get("edges") or [])
    width, height = _layout(nodes)
    edges = sorted({(u, c) for u, node in nodes.items() for c in node.children if c in nodes})
    title = f"Ownership of {subject_name}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ownership" role="img" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'font-family="{xml_text(FONT_FAMILY)}" aria-label="{xml_text(title)}">',
        f"<title>{xml_text(title)}</title>",
    ]
    for upper, lower in edges:
        if upper != lower:
            out.extend(_edge_svg(nodes[upper], nodes[lower], labels.get((upper, lower))))
    for node in sorted(nodes.values(), key=lambda n: (-n.depth, n.x)):
        out.extend(_node_svg(node))
    out.extend(_legend(height - LEGEND_H + 6))
    out.append("</svg>")
    return "\n".join(out) + "\n"
