"""The data-risk taxonomy: strict models for ``data/taxonomy.yaml`` and its compiled matchers.

The YAML is the policy (features, weights, exposure channels, controls, cue words, code
prefixes, goods that hold no data, features that are critical at some sites, sites, tier
thresholds, the code-list versions its prefixes were checked against, cited references); this
module only validates and compiles it.
``load_taxonomy()`` is cached, so the file is read once per process and never at import time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from bidvet.errors import ConfigError
from bidvet.model.tiers import TIER_SCALE, Tier
from bidvet.yamlconfig import StrictModel as _Strict
from bidvet.yamlconfig import check_unique_ids, read_yaml, validate_data

TAXONOMY_PATH = Path(__file__).resolve().parents[1] / "data" / "taxonomy.yaml"

#: Tier names, least to most severe; ``insufficient-information`` is outside the scale.
REQUIRED_SITES = (
    "diplomatic-mission",
    "border-crossing",
    "airport",
    "seaport",
    "prison",
    "court",
    "critical-infrastructure",
    "major-event",
    "office",
)
Category = Literal[
    "data", "storage", "interface", "platform", "connectivity", "vendor", "ai", "integration"
]


class Reference(_Strict):
    id: str
    title: str
    url: str


class Channel(_Strict):
    id: str
    label: str
    description: str


class Control(_Strict):
    id: str
    label: str
    description: str


class Implied(_Strict):
    feature: str
    confidence: float = Field(gt=0, le=1)


class CodePrefixes(_Strict):
    cpv: tuple[str, ...] = ()
    unspsc: tuple[str, ...] = ()


class Feature(_Strict):
    """One data-risk feature: what it means, how much it weighs, what lowers it, how to spot it."""

    id: str
    category: Category
    label: str
    description: str
    weight: float = Field(ge=0)
    channel: str
    controls: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    #: patterns that, present anywhere in the text, mean the cues are about something else
    unless: tuple[str, ...] = ()
    #: counted only together with another feature (maintenance of what? — of technology)
    needs_technology_context: bool = False
    confidence: float = Field(default=0.9, gt=0, le=1)
    codes: CodePrefixes = CodePrefixes()
    implies: tuple[Implied, ...] = ()
    references: tuple[str, ...] = ()


class Negation(_Strict):
    """Phrases that cancel features and record a control as in place."""

    id: str
    patterns: tuple[str, ...]
    suppresses: tuple[str, ...]
    control: str


class NonTechnology(_Strict):
    cues: tuple[str, ...]
    codes: CodePrefixes = CodePrefixes()


class DataFree(_Strict):
    """Goods or services that hold no data (stationery, furniture, cleaning): ``low`` by name."""

    id: str
    label: str
    cues: tuple[str, ...] = ()
    codes: CodePrefixes = CodePrefixes()


class CriticalRule(_Strict):
    """Features that make an item ``critical`` at the named sites, whatever its score.

    Applies to a feature read from the item itself (not implied) that none of its controls
    lowers; ``reason`` is written into the profile.
    """

    id: str
    reason: str
    features: tuple[str, ...]
    sites: tuple[str, ...]


class CodeList(_Strict):
    """The official code list the taxonomy's prefixes were checked against."""

    version: str
    reference: str
    checked: str
    note: str = ""


class CodeLists(_Strict):
    cpv: CodeList
    unspsc: CodeList


class Site(_Strict):
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    sensitivity: int = Field(ge=0, le=10)


class Threshold(_Strict):
    tier: Tier
    min_score: float = Field(ge=0)


class Tiers(_Strict):
    mitigated_factor: float = Field(ge=0, le=1)
    implied_factor: float = Field(ge=0, le=1)
    protected_site_factor: float = Field(ge=0, le=1)
    thresholds: tuple[Threshold, ...]


class Taxonomy(_Strict):
    bidvet: Literal["taxonomy/1"]
    id: str
    title: str
    references: tuple[Reference, ...]
    channels: tuple[Channel, ...]
    controls: tuple[Control, ...]
    features: tuple[Feature, ...]
    negations: tuple[Negation, ...] = ()
    negation_words: tuple[str, ...] = ()
    negation_window: int = Field(default=2, ge=0, le=6)
    external_markers: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    generic_technology: tuple[str, ...] = ()
    non_technology: NonTechnology
    data_free: tuple[DataFree, ...] = ()
    #: words that, not negated, mean an otherwise data-free item may hold data after all
    data_free_unless: tuple[str, ...] = ()
    generic_technology_codes: CodePrefixes = CodePrefixes()
    critical_when: tuple[CriticalRule, ...] = ()
    code_lists: CodeLists
    sites: tuple[Site, ...]
    tiers: Tiers


@dataclass(frozen=True)
class LoadedTaxonomy:
    """A validated taxonomy, its file hash, and every regular expression compiled once."""

    taxonomy: Taxonomy
    path: Path
    sha256: str
    features: dict[str, Feature]
    controls: dict[str, Control]
    channels: dict[str, Channel]
    sites: dict[str, Site]
    site_aliases: dict[str, str]
    cues: dict[str, tuple[re.Pattern[str], ...]]
    unless: dict[str, tuple[re.Pattern[str], ...]]
    negations: tuple[tuple[Negation, tuple[re.Pattern[str], ...]], ...]
    external_markers: tuple[re.Pattern[str], ...]
    placeholders: tuple[re.Pattern[str], ...]
    generic_technology: tuple[re.Pattern[str], ...]
    non_technology: tuple[re.Pattern[str], ...]
    data_free: tuple[tuple[DataFree, tuple[re.Pattern[str], ...]], ...] = ()
    data_free_unless: tuple[re.Pattern[str], ...] = ()

    def site(self, name: str | None) -> Site | None:
        """The site for an id or alias (case and spaces ignored); ``None`` for no site."""
        if name is None or not name.strip():
            return None
        key = normalise_site_key(name)
        ident = self.site_aliases.get(key)
        if ident is None:
            raise ConfigError(
                None,
                f"unknown site type {name!r}",
                fix="use one of: " + ", ".join(self.sites),
            )
        return self.sites[ident]

    def tier_for(self, score: float) -> Tier:
        """The highest tier whose threshold ``score`` reaches."""
        best = Tier.LOW
        for threshold in self.taxonomy.tiers.thresholds:
            if score >= threshold.min_score:
                best = threshold.tier
        return best


def normalise_site_key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _compile(path: Path, patterns: Sequence[str], record: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for i, pattern in enumerate(patterns):
        try:
            out.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(
                path,
                f"invalid regular expression {pattern!r} ({exc})",
                record=f"{record}[{i}]",
                fix="fix the pattern (Python re syntax)",
            ) from None
    return tuple(out)


def _known(path: Path, value: str, known: Sequence[str] | dict[str, object], record: str) -> None:
    if value not in known:
        raise ConfigError(
            path,
            f"unknown id {value!r}",
            record=record,
            fix="use one of: " + ", ".join(sorted(known)),
        )


def _cross_check(path: Path, tax: Taxonomy) -> None:
    """Every id referred to must be defined; sites and tiers must be complete."""
    for what, ids in (
        ("features", [f.id for f in tax.features]),
        ("controls", [c.id for c in tax.controls]),
        ("channels", [c.id for c in tax.channels]),
        ("references", [r.id for r in tax.references]),
        ("sites", [s.id for s in tax.sites]),
        ("negations", [n.id for n in tax.negations]),
        ("data_free", [d.id for d in tax.data_free]),
        ("critical_when", [r.id for r in tax.critical_when]),
    ):
        check_unique_ids(path, ids, what)
    features = [f.id for f in tax.features]
    controls = [c.id for c in tax.controls]
    channels = [c.id for c in tax.channels]
    refs = [r.id for r in tax.references]
    for i, feat in enumerate(tax.features):
        where = f"features[{i}] (id={feat.id})"
        _known(path, feat.channel, channels, f"{where}.channel")
        for ctl in feat.controls:
            _known(path, ctl, controls, f"{where}.controls")
        for ref in feat.references:
            _known(path, ref, refs, f"{where}.references")
        for imp in feat.implies:
            _known(path, imp.feature, features, f"{where}.implies")
    for i, neg in enumerate(tax.negations):
        where = f"negations[{i}] (id={neg.id})"
        _known(path, neg.control, controls, f"{where}.control")
        for feat_id in neg.suppresses:
            _known(path, feat_id, features, f"{where}.suppresses")
    sites = [s.id for s in tax.sites]
    for i, rule in enumerate(tax.critical_when):
        where = f"critical_when[{i}] (id={rule.id})"
        for feat_id in rule.features:
            _known(path, feat_id, features, f"{where}.features")
        for site_id in rule.sites:
            _known(path, site_id, sites, f"{where}.sites")
    for name, code_list in (("cpv", tax.code_lists.cpv), ("unspsc", tax.code_lists.unspsc)):
        _known(path, code_list.reference, refs, f"code_lists.{name}.reference")
    missing = [s for s in REQUIRED_SITES if s not in {site.id for site in tax.sites}]
    if missing:
        raise ConfigError(
            path, f"site types missing: {', '.join(missing)}", record="sites", fix="add them"
        )
    tiers = [t.tier for t in tax.tiers.thresholds]
    scores = [t.min_score for t in tax.tiers.thresholds]
    if tiers != list(TIER_SCALE) or scores != sorted(scores) or scores[0] != 0:
        raise ConfigError(
            path,
            "tier thresholds must list low, elevated, high, critical in that order with rising"
            " min_score starting at 0",
            record="tiers.thresholds",
            fix="reorder or correct the thresholds",
        )


def load_taxonomy_file(path: str | Path) -> LoadedTaxonomy:
    """Read, validate, cross-check and compile a taxonomy file."""
    path = Path(path)
    data = read_yaml(path)
    tax = validate_data(path, data, Taxonomy, fix_top="start the file with `bidvet: taxonomy/1`")
    _cross_check(path, tax)
    aliases: dict[str, str] = {}
    for site in tax.sites:
        for name in (site.id, *site.aliases):
            key = normalise_site_key(name)
            if aliases.setdefault(key, site.id) != site.id:
                raise ConfigError(
                    path,
                    f"alias {name!r} names two sites",
                    record=f"sites (id={site.id}).aliases",
                    fix="give each alias to one site",
                )
    return LoadedTaxonomy(
        taxonomy=tax,
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        features={f.id: f for f in tax.features},
        controls={c.id: c for c in tax.controls},
        channels={c.id: c for c in tax.channels},
        sites={s.id: s for s in tax.sites},
        site_aliases=aliases,
        cues={
            f.id: _compile(path, f.cues, f"features[{i}] (id={f.id}).cues")
            for i, f in enumerate(tax.features)
        },
        unless={
            f.id: _compile(path, f.unless, f"features[{i}] (id={f.id}).unless")
            for i, f in enumerate(tax.features)
        },
        negations=tuple(
            (n, _compile(path, n.patterns, f"negations[{i}] (id={n.id}).patterns"))
            for i, n in enumerate(tax.negations)
        ),
        external_markers=_compile(path, tax.external_markers, "external_markers"),
        placeholders=_compile(path, tax.placeholders, "placeholders"),
        generic_technology=_compile(path, tax.generic_technology, "generic_technology"),
        non_technology=_compile(path, tax.non_technology.cues, "non_technology.cues"),
        data_free=tuple(
            (d, _compile(path, d.cues, f"data_free[{i}] (id={d.id}).cues"))
            for i, d in enumerate(tax.data_free)
        ),
        data_free_unless=_compile(path, tax.data_free_unless, "data_free_unless"),
    )


@cache
def load_taxonomy(path: str | None = None) -> LoadedTaxonomy:
    """The bundled taxonomy (or the file at ``path``), loaded once per process."""
    return load_taxonomy_file(Path(path) if path else TAXONOMY_PATH)
