"""Features from free text and procurement codes, each with the words or code behind it.

Descriptions come from tender and contract registers (OCDS ``items[].description``, AusTender-
style titles such as "X-Ray Scanning Equipment Maintenance") or from product sheets. The rules:

* a cue from the taxonomy found in the text gives the feature with the feature's confidence and
  the matched words as evidence;
* a cue preceded by a negation word ("no USB", "without storage", "non-networked") does not
  count, and negation phrases ("standalone", "no network") cancel whole groups of features and
  record the control they describe as in place;
* UNSPSC / CPV code prefixes give features with a lower confidence (codes are coarse);
* features that the taxonomy says usually come with another (an X-ray scanner has a disk, USB
  ports and an embedded OS) are added as *implied*, at reduced confidence, naming their cause.

``infer_features`` also classifies the text: ``technology`` (features found), ``non-technology``
(recognised goods or services that handle no data), ``unknown`` (technology words but nothing
recognisable, or nothing recognised at all) or ``empty`` (blank or placeholder). Only
``non-technology`` may lead to a ``low`` tier without features; the rest are insufficient.

Goods named in the taxonomy's ``data_free`` vocabulary (by words, or by a CPV/UNSPSC prefix at
least as specific as any technology prefix the code falls under) are reported in
``Inference.data_free``, unless a technology code or a ``data_free_unless`` word ("smart",
"control system") says the item may hold data after all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bidvet.technology.taxonomy import LoadedTaxonomy, load_taxonomy

Status = Literal["technology", "non-technology", "unknown", "empty"]
CODE_CONFIDENCE = 0.7
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w-]+")
_CLAUSE_END = re.compile(r"[,;.]")
#: feature categories still read in text that describes a linked system
_READ_IN_LINKED_SYSTEMS = frozenset({"integration", "connectivity"})
_CODE = re.compile(r"^\s*(?:(?P<scheme>[A-Za-z]+)\s*[:/ ]\s*)?(?P<digits>\d[\d.\-]*)\s*$")


@dataclass(frozen=True)
class FoundFeature:
    """A feature and why we think the item has it."""

    feature: str
    evidence: str
    confidence: float
    implied_by: str | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "feature": self.feature,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 2),
        }
        if self.implied_by:
            out["implied_by"] = self.implied_by
        return out


@dataclass(frozen=True)
class FoundControl:
    """A control the description says is in place ("standalone", "no data leaves the device")."""

    control: str
    evidence: str


@dataclass(frozen=True)
class DataFreeMatch:
    """Goods or services that hold no data (stationery, furniture…), and why we think so."""

    id: str
    label: str
    evidence: str


@dataclass(frozen=True)
class Inference:
    """Everything read from one description and its codes."""

    text: str
    status: Status
    features: tuple[FoundFeature, ...]
    controls: tuple[FoundControl, ...] = ()
    negated: tuple[FoundFeature, ...] = ()
    notes: tuple[str, ...] = field(default=())
    #: goods or services that hold no data, when no technology code or data word contradicts it
    data_free: tuple[DataFreeMatch, ...] = ()

    def direct(self) -> tuple[FoundFeature, ...]:
        """Features read from the words or codes themselves, not implied by others."""
        return tuple(f for f in self.features if f.implied_by is None)


def clean_text(description: str | None) -> str:
    """Plain text: HTML tags and entities removed, whitespace collapsed."""
    if not description:
        return ""
    text = html.unescape(_TAG.sub(" ", description))
    return _SPACE.sub(" ", text).strip()


def parse_code(code: str) -> tuple[tuple[str, ...], str] | None:
    """``("cpv",), "38581000"`` from ``CPV:38581000-1``; bare digits could be either scheme."""
    match = _CODE.match(code)
    if not match:
        return None
    digits = re.sub(r"\D", "", match["digits"].split("-")[0].split(".")[0])
    if not digits:
        return None
    scheme = (match["scheme"] or "").lower()
    if scheme in ("cpv",):
        return ("cpv",), digits
    if scheme in ("unspsc", "un"):
        return ("unspsc",), digits
    return ("cpv", "unspsc"), digits


def _negated(text: str, start: int, words: Sequence[str], window: int) -> bool:
    """True when one of ``words`` is among the ``window`` words just before ``start``."""
    if not words or window <= 0:
        return False
    before = _WORD.findall(text[max(0, start - 60) : start].lower())[-window:]
    stems = {w.rstrip("-") for w in words}
    return any(tok.split("-")[0] in stems for tok in before)


def _external_spans(tax: LoadedTaxonomy, text: str) -> list[tuple[int, int]]:
    """Stretches of text that describe another system the item is linked to."""
    spans = []
    for pattern in tax.external_markers:
        for match in pattern.finditer(text):
            end = _CLAUSE_END.search(text, match.end())
            spans.append((match.end(), end.start() if end else len(text)))
    return spans


def _find_text(
    tax: LoadedTaxonomy, text: str, suppressed: set[str]
) -> tuple[list[FoundFeature], list[FoundFeature]]:
    found: list[FoundFeature] = []
    negated: list[FoundFeature] = []
    words = tax.taxonomy.negation_words
    window = tax.taxonomy.negation_window
    external = _external_spans(tax, text)
    for feat_id, patterns in tax.cues.items():
        feat = tax.features[feat_id]
        if any(p.search(text) for p in tax.unless[feat_id]):
            continue
        own_only = feat.category not in _READ_IN_LINKED_SYSTEMS
        hit: FoundFeature | None = None
        for pattern in patterns:
            for match in pattern.finditer(text):
                if own_only and any(a <= match.start() < b for a, b in external):
                    continue
                candidate = FoundFeature(feat_id, match.group(0), feat.confidence)
                if feat_id in suppressed or _negated(text, match.start(), words, window):
                    negated.append(candidate)
                    continue
                hit = candidate
                break
            if hit:
                break
        if hit:
            found.append(hit)
    return found, negated


@dataclass
class _CodeReading:
    """What an item's codes say: features, data-free goods, and what kind of purchase it is."""

    found: list[FoundFeature] = field(default_factory=list)
    data_free: list[DataFreeMatch] = field(default_factory=list)
    non_tech: bool = False
    tech: bool = False


def _longest(digits: str, prefixes: Sequence[str]) -> int:
    """Length of the longest of ``prefixes`` that ``digits`` starts with (0 for none)."""
    return max((len(p) for p in prefixes if digits.startswith(p)), default=0)


def _find_codes(tax: LoadedTaxonomy, codes: Iterable[str], notes: list[str]) -> _CodeReading:
    """Features from code prefixes; data-free goods; whether the codes are (non-)technology.

    A data-free prefix at least as specific as a technology prefix wins for that code (CPV
    30192 office supplies sits in the division 30 of office and computing machinery).
    """
    out = _CodeReading()
    nt_codes = tax.taxonomy.non_technology.codes
    tech_codes = tax.taxonomy.generic_technology_codes
    for code in codes:
        parsed = parse_code(code)
        if parsed is None:
            notes.append(f"code {code!r} is not a UNSPSC or CPV code; ignored")
            continue
        schemes, digits = parsed
        matched = False
        for feat in tax.taxonomy.features:
            for scheme in schemes:
                prefixes: tuple[str, ...] = getattr(feat.codes, scheme)
                if any(digits.startswith(p) for p in prefixes):
                    out.found.append(
                        FoundFeature(feat.id, f"{scheme.upper()} {digits}", CODE_CONFIDENCE)
                    )
                    matched = True
                    break
        for scheme in schemes:
            tech_len = _longest(digits, getattr(tech_codes, scheme))
            free = [
                (entry, length)
                for entry, _ in tax.data_free
                if (length := _longest(digits, getattr(entry.codes, scheme))) >= max(tech_len, 1)
            ]
            if free:
                entry, _ = max(free, key=lambda pair: pair[1])
                out.data_free.append(
                    DataFreeMatch(entry.id, entry.label, f"{scheme.upper()} {digits}")
                )
                matched = True
            elif tech_len:
                out.tech = True
                matched = True
            elif _longest(digits, getattr(nt_codes, scheme)):
                out.non_tech = True
                matched = True
        if not matched:
            notes.append(f"code {code} matches no taxonomy entry")
    out.non_tech = out.non_tech and not out.tech
    return out


def _find_data_free(tax: LoadedTaxonomy, text: str) -> tuple[list[DataFreeMatch], str | None]:
    """Data-free goods named in the text, and a word that says the item may hold data after all."""
    words = tax.taxonomy.negation_words
    window = tax.taxonomy.negation_window

    def first(patterns: Sequence[re.Pattern[str]]) -> re.Match[str] | None:
        for pattern in patterns:
            for match in pattern.finditer(text):
                if not _negated(text, match.start(), words, window):
                    return match
        return None

    found: list[DataFreeMatch] = []
    for entry, patterns in tax.data_free:
        match = first(patterns)
        if match:
            found.append(DataFreeMatch(entry.id, entry.label, match.group(0)))
    blocker = first(tax.data_free_unless)
    return found, blocker.group(0) if blocker else None


def _merge_data_free(matches: Iterable[DataFreeMatch]) -> list[DataFreeMatch]:
    """One entry per kind of data-free goods, the words and codes behind it together."""
    merged: dict[str, DataFreeMatch] = {}
    for match in matches:
        prev = merged.get(match.id)
        if prev is None:
            merged[match.id] = match
        elif match.evidence not in prev.evidence.split("; "):
            merged[match.id] = DataFreeMatch(
                match.id, match.label, f"{prev.evidence}; {match.evidence}"
            )
    return list(merged.values())


def _merge(features: Iterable[FoundFeature]) -> dict[str, FoundFeature]:
    """One entry per feature: text and code evidence together raise confidence."""
    merged: dict[str, FoundFeature] = {}
    for feat in features:
        prev = merged.get(feat.feature)
        if prev is None:
            merged[feat.feature] = feat
        elif prev.evidence != feat.evidence:
            conf = min(0.99, 1 - (1 - prev.confidence) * (1 - feat.confidence))
            merged[feat.feature] = FoundFeature(
                feat.feature, f"{prev.evidence}; {feat.evidence}", conf
            )
    return merged


def infer_features(
    description: str | None, codes: Sequence[str] = (), *, taxonomy: LoadedTaxonomy | None = None
) -> Inference:
    """Read the data-risk features of one item from its description and codes."""
    tax = taxonomy or load_taxonomy()
    text = clean_text(description)
    notes: list[str] = []
    placeholder = not text or any(p.search(text) for p in tax.placeholders)
    if placeholder and text:
        notes.append(f"description {text!r} says nothing about the item")
    controls: list[FoundControl] = []
    suppressed: set[str] = set()
    found: list[FoundFeature] = []
    negated: list[FoundFeature] = []
    if not placeholder:
        for negation, patterns in tax.negations:
            for pattern in patterns:
                match = pattern.search(text)
                if match:
                    controls.append(FoundControl(negation.control, match.group(0)))
                    suppressed.update(negation.suppresses)
                    break
        found, negated = _find_text(tax, text, suppressed)
    reading = _find_codes(tax, codes, notes)
    tech_code = reading.tech
    found.extend(f for f in reading.found if f.feature not in suppressed)
    merged = _merge(found)
    generic = tech_code or (bool(text) and any(p.search(text) for p in tax.generic_technology))
    context = any(not tax.features[f].needs_technology_context for f in merged)
    for feat_id in list(merged):
        if tax.features[feat_id].needs_technology_context and not context:
            merged.pop(feat_id)
            notes.append(f"{feat_id} ignored: no other data-risk feature in the text")
    for feat_id in list(merged):
        base = merged[feat_id]
        for imp in tax.features[feat_id].implies:
            if imp.feature in merged or imp.feature in suppressed:
                continue
            merged[imp.feature] = FoundFeature(
                imp.feature,
                f"implied by {feat_id} ({base.evidence})",
                base.confidence * imp.confidence,
                implied_by=feat_id,
            )
    from_text, blocker = _find_data_free(tax, text) if text else ([], None)
    data_free = _merge_data_free([*from_text, *reading.data_free])
    # a word such as "smart" or "control system" says data-free goods may hold data after all
    blocked = bool(data_free) and blocker is not None
    if blocked:
        notes.append(f"not counted as holding no data: {blocker!r} says it may hold data")
    if blocked or tech_code:
        data_free = []
    status: Status
    if merged:
        status = "technology"
    elif tech_code or blocked:
        status = "unknown"
    elif (
        data_free
        or (not placeholder and any(p.search(text) for p in tax.non_technology))
        or (reading.non_tech and not generic)
    ):
        status = "non-technology"
    elif placeholder:
        status = "empty"
    else:
        status = "unknown"
    ordered = tuple(sorted(merged.values(), key=lambda f: (f.implied_by is not None, f.feature)))
    return Inference(
        text=text,
        status=status,
        features=ordered,
        controls=tuple(controls),
        negated=tuple(negated),
        notes=tuple(notes),
        data_free=tuple(data_free),
    )
