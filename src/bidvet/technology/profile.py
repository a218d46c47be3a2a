"""The technology data-risk profile of one purchased item, and its tier.

``profile_item`` combines explicit structured input (from the tender file; it always wins) with
features inferred from the description and codes, applies the controls known to be in place,
and scores the result with the taxonomy's weights:

* the *data-capture* channel scores its heaviest feature plus half of the others (an item that
  captures faces and temperatures exposes more than one that captures faces alone);
* every other exposure channel (storage, ports, platform, network, vendor access, AI, links to
  sensitive systems) scores its heaviest feature;
* a feature with one of its lowering controls in place counts ``mitigated_factor`` of its weight,
  an implied feature ``implied_factor``;
* the site's sensitivity is added when the item has any data-risk feature, so the same scanner is
  riskier at an embassy than at an office.

The score maps to ``low`` / ``elevated`` / ``high`` / ``critical`` by the taxonomy's thresholds.
Two rules from the taxonomy then set the tier outright, each writing its reason:

* an item recognised as goods or services that hold no data (stationery, furniture, conveyor
  belts, cleaning, catering, uniforms, fuel…) with no data-bearing feature is ``low``
  ("holds no data: …");
* a ``critical_when`` feature (biometric identity, passenger records, health data) read from
  the item itself and not lowered by a control in place makes the item ``critical`` at the
  rule's sites (border, airport, diplomatic mission).

An item with no recognisable description is ``insufficient-information``, never ``low``: only a
description recognised as non-technology goods or services is ``low`` without features.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bidvet.errors import InputError
from bidvet.model.tiers import Tier
from bidvet.technology.infer import (
    DataFreeMatch,
    FoundFeature,
    Inference,
    Status,
    infer_features,
)
from bidvet.technology.taxonomy import LoadedTaxonomy, load_taxonomy

#: Tiers from least to most severe, then the tier for items we cannot judge.
TIERS: tuple[Tier, ...] = tuple(Tier)
Source = Literal["explicit", "inferred"]
DATA_CHANNEL = "data-capture"
SECONDARY_DATA_SHARE = 0.5


@dataclass(frozen=True)
class ProfileFeature:
    """A feature of the item, where it came from, and why we believe it.

    Readable as attributes or as a mapping (``f["feature"]``) with the keys of ``to_json``.
    """

    feature: str
    evidence: str
    confidence: float
    source: Source
    implied_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "feature": self.feature,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 2),
            "source": self.source,
        }
        if self.implied_by:
            out["implied_by"] = self.implied_by
        return out

    def __getitem__(self, key: str) -> Any:
        return self.to_json()[key]


@dataclass(frozen=True)
class ChannelExposure:
    """How much one exposure channel contributes, and the features behind it."""

    channel: str
    label: str
    score: float
    features: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "label": self.label,
            "score": round(self.score, 2),
            "features": list(self.features),
        }


@dataclass(frozen=True)
class ControlAdvice:
    """A control not yet in place and the features it would lower."""

    control: str
    label: str
    description: str
    lowers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "label": self.label,
            "description": self.description,
            "lowers": list(self.lowers),
        }


@dataclass(frozen=True)
class ControlInPlace:
    control: str
    evidence: str

    def to_json(self) -> dict[str, str]:
        return {"control": self.control, "evidence": self.evidence}


@dataclass(frozen=True)
class TechnologyProfile:
    """The data-risk profile of one item: features, exposure, tier and what would lower it."""

    description: str | None
    codes: tuple[str, ...]
    site: str | None
    site_sensitivity: int
    status: Status
    tier: Tier
    score: float
    features: tuple[ProfileFeature, ...]
    channels: tuple[ChannelExposure, ...]
    controls: tuple[ControlAdvice, ...]
    controls_in_place: tuple[ControlInPlace, ...]
    notes: tuple[str, ...]
    taxonomy: str
    #: why a rule set the tier ("holds no data: …", "critical: …"); empty when the score did
    reasons: tuple[str, ...] = ()
    #: goods or services recognised as holding no data, kept for re-scoring after answers
    data_free: tuple[DataFreeMatch, ...] = ()

    def feature_ids(self) -> frozenset[str]:
        return frozenset(f.feature for f in self.features)

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "codes": list(self.codes),
            "site": self.site,
            "site_sensitivity": self.site_sensitivity,
            "status": self.status,
            "tier": self.tier,
            "reasons": list(self.reasons),
            "score": round(self.score, 2),
            "features": [f.to_json() for f in self.features],
            "channels": [c.to_json() for c in self.channels],
            "controls": [c.to_json() for c in self.controls],
            "controls_in_place": [c.to_json() for c in self.controls_in_place],
            "notes": list(self.notes),
            "taxonomy": self.taxonomy,
        }


class _ExplicitFeature(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    feature: str
    evidence: str = "stated in the tender file"


class ExplicitInput(BaseModel):
    """Structured technology facts from a tender file; these override inference.

    ``features``: ids (or ``{feature, evidence}``) the item has; ``absent``: ids it does not have
    (cancels inference); ``controls``: controls in place; ``complete: true`` means the list is the
    whole truth, so nothing is inferred from the description.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    features: tuple[str | _ExplicitFeature, ...] = ()
    absent: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    complete: bool = False


def _explicit(tax: LoadedTaxonomy, explicit: Mapping[str, Any] | None) -> ExplicitInput:
    if not explicit:
        return ExplicitInput()
    try:
        data = ExplicitInput.model_validate(dict(explicit))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(
            None,
            f"technology profile: {first['msg']}",
            record=loc or None,
            fix="use the keys features, absent, controls, complete",
        ) from None
    names = [f if isinstance(f, str) else f.feature for f in data.features]
    for name in (*names, *data.absent):
        if name not in tax.features:
            raise InputError(
                None,
                f"unknown technology feature {name!r}",
                record="technology.features",
                fix="use one of: " + ", ".join(sorted(tax.features)),
            )
    for name in data.controls:
        if name not in tax.controls:
            raise InputError(
                None,
                f"unknown control {name!r}",
                record="technology.controls",
                fix="use one of: " + ", ".join(sorted(tax.controls)),
            )
    return data


def _from_inference(found: Iterable[FoundFeature]) -> list[ProfileFeature]:
    return [
        ProfileFeature(f.feature, f.evidence, f.confidence, "inferred", f.implied_by) for f in found
    ]


def _score(
    tax: LoadedTaxonomy,
    features: Sequence[ProfileFeature],
    in_place: set[str],
    sensitivity: int,
) -> tuple[float, tuple[ChannelExposure, ...], tuple[ControlAdvice, ...]]:
    """Score features channel by channel; return the score, channels and advice."""
    factors = tax.taxonomy.tiers
    per_channel: dict[str, list[tuple[float, str]]] = {}
    advice: dict[str, list[str]] = {}
    for feat in features:
        spec = tax.features[feat.feature]
        weight = spec.weight
        if feat.implied_by:
            weight *= factors.implied_factor
        mitigated = any(c in in_place for c in spec.controls)
        if mitigated:
            weight *= factors.mitigated_factor
        per_channel.setdefault(spec.channel, []).append((weight, feat.feature))
        if spec.weight > 0 and not mitigated:
            for ctl in spec.controls:
                advice.setdefault(ctl, []).append(feat.feature)
    channels: list[ChannelExposure] = []
    total = 0.0
    for channel, items in per_channel.items():
        weights = sorted((w for w, _ in items), reverse=True)
        score = weights[0]
        if channel == DATA_CHANNEL:
            score += SECONDARY_DATA_SHARE * sum(weights[1:])
        total += score
        if score > 0:
            drivers = tuple(sorted(f for w, f in items if w > 0))
            channels.append(ChannelExposure(channel, tax.channels[channel].label, score, drivers))
    if any(tax.features[f.feature].weight > 0 for f in features):
        exposed_data = any(w >= 1 for w, _ in per_channel.get(DATA_CHANNEL, []))
        total += sensitivity * (1 if exposed_data else factors.protected_site_factor)
    channels.sort(key=lambda c: (-c.score, c.channel))
    controls = [
        ControlAdvice(
            ctl, tax.controls[ctl].label, tax.controls[ctl].description, tuple(sorted(set(feats)))
        )
        for ctl, feats in advice.items()
    ]
    weight_of = {f.feature: tax.features[f.feature].weight for f in features}
    controls.sort(key=lambda c: (-sum(weight_of[f] for f in c.lowers), c.control))
    return total, tuple(channels), tuple(controls)


def _tier(
    tax: LoadedTaxonomy, status: Status, features: Sequence[ProfileFeature], score: float
) -> Tier:
    if not features:
        return Tier.LOW if status == "non-technology" else Tier.INSUFFICIENT
    return tax.tier_for(score)


def _holds_no_data(
    tax: LoadedTaxonomy, features: Sequence[ProfileFeature], data_free: Sequence[DataFreeMatch]
) -> str | None:
    """The reason an item is ``low`` by name: data-free goods and no data-bearing feature."""
    if not data_free or any(tax.features[f.feature].weight > 0 for f in features):
        return None
    return "holds no data: " + "; ".join(f"{d.label} ({d.evidence})" for d in data_free)


def _critical(
    tax: LoadedTaxonomy,
    site_id: str | None,
    features: Sequence[ProfileFeature],
    in_place: set[str],
) -> tuple[str, ...]:
    """Why the item is ``critical`` at its site, one reason per ``critical_when`` rule met.

    A rule counts features read from the item itself (stated or inferred, not implied) that no
    control in place lowers.
    """
    if site_id is None:
        return ()
    reasons = []
    for rule in tax.taxonomy.critical_when:
        if site_id not in rule.sites:
            continue
        hits = [
            f
            for f in features
            if f.feature in rule.features
            and f.implied_by is None
            and not any(c in in_place for c in tax.features[f.feature].controls)
        ]
        if hits:
            what = "; ".join(f"{tax.features[f.feature].label} ({f.evidence})" for f in hits)
            site = tax.sites[site_id].label
            reasons.append(f"critical: {rule.reason} at this site ({site}): {what}")
    return tuple(reasons)


def profile_item(
    description: str | None,
    *,
    codes: Sequence[str] = (),
    site: str | None = None,
    explicit: Mapping[str, Any] | None = None,
    taxonomy: LoadedTaxonomy | None = None,
) -> TechnologyProfile:
    """The data-risk profile of one item from its description, codes, site and explicit facts."""
    tax = taxonomy or load_taxonomy()
    facts = _explicit(tax, explicit)
    site_spec = tax.site(site)
    inference: Inference
    if facts.complete:
        inference = Inference(text=description or "", status="technology", features=())
    else:
        inference = infer_features(description, codes, taxonomy=tax)
    absent = set(facts.absent)
    features: dict[str, ProfileFeature] = {}
    for item in facts.features:
        ef = _ExplicitFeature(feature=item) if isinstance(item, str) else item
        features[ef.feature] = ProfileFeature(ef.feature, ef.evidence, 1.0, "explicit")
    for feat in _from_inference(inference.features):
        if feat.feature not in features and feat.feature not in absent:
            features[feat.feature] = feat
    notes = list(inference.notes)
    notes.extend(
        f"{feat.feature} not counted: {feat.evidence!r} is negated or ruled out"
        for feat in inference.negated
    )
    notes.extend(f"{name} stated absent in the tender file" for name in sorted(absent))
    in_place = [ControlInPlace(c.control, c.evidence) for c in inference.controls]
    in_place.extend(ControlInPlace(c, "stated in the tender file") for c in facts.controls)
    status: Status = inference.status
    if facts.features:
        status = "technology"
    ordered = tuple(
        sorted(
            features.values(),
            key=lambda f: (f.source != "explicit", f.implied_by is not None, f.feature),
        )
    )
    return _build(
        tax,
        description=description,
        codes=tuple(codes),
        site_id=site_spec.id if site_spec else None,
        sensitivity=site_spec.sensitivity if site_spec else 0,
        status=status,
        features=ordered,
        in_place=tuple(in_place),
        notes=tuple(notes),
        data_free=inference.data_free,
    )


def _build(
    tax: LoadedTaxonomy,
    *,
    description: str | None,
    codes: tuple[str, ...],
    site_id: str | None,
    sensitivity: int,
    status: Status,
    features: tuple[ProfileFeature, ...],
    in_place: tuple[ControlInPlace, ...],
    notes: tuple[str, ...],
    data_free: tuple[DataFreeMatch, ...] = (),
) -> TechnologyProfile:
    unique: dict[str, ControlInPlace] = {}
    for ctl in in_place:
        unique.setdefault(ctl.control, ctl)
    score, channels, advice = _score(tax, features, set(unique), sensitivity)
    tier = _tier(tax, status, features, score)
    reasons = _critical(tax, site_id, features, set(unique))
    no_data = _holds_no_data(tax, features, data_free)
    if reasons:
        tier = Tier.CRITICAL
    elif no_data:
        tier, reasons = Tier.LOW, (no_data,)
    return TechnologyProfile(
        description=description,
        codes=codes,
        site=site_id,
        site_sensitivity=sensitivity,
        status=status,
        tier=tier,
        score=score,
        features=features,
        channels=channels,
        controls=advice,
        controls_in_place=tuple(unique.values()),
        notes=notes,
        taxonomy=tax.taxonomy.id,
        reasons=reasons,
        data_free=data_free,
    )


def adjust_profile(
    profile: TechnologyProfile,
    *,
    add_features: Sequence[ProfileFeature] = (),
    remove_features: Sequence[str] = (),
    add_controls: Sequence[ControlInPlace] = (),
    taxonomy: LoadedTaxonomy | None = None,
) -> TechnologyProfile:
    """The same profile re-scored with features added or removed and controls put in place.

    Used when bidder answers confirm or rule out features and controls.
    """
    tax = taxonomy or load_taxonomy()
    removed = set(remove_features)
    features = {f.feature: f for f in profile.features if f.feature not in removed}
    for feat in add_features:
        features[feat.feature] = feat
    status: Status = "technology" if features else profile.status
    rebuilt = _build(
        tax,
        description=profile.description,
        codes=profile.codes,
        site_id=profile.site,
        sensitivity=profile.site_sensitivity,
        status=status,
        features=tuple(
            sorted(
                features.values(),
                key=lambda f: (f.source != "explicit", f.implied_by is not None, f.feature),
            )
        ),
        in_place=(*profile.controls_in_place, *add_controls),
        notes=profile.notes,
        data_free=profile.data_free,
    )
    return rebuilt


def tier_rank(tier: str) -> int:
    """Position of a tier on the low→critical scale; ``insufficient-information`` ranks as high.

    An item we cannot judge must not be treated more leniently than a high-tier one.
    """
    return Tier.parse(tier).rank
