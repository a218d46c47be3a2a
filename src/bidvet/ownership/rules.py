"""Ownership rules as data: edge-kind vocabulary, state linkage and the propagation regimes.

``data/ownership_rules.yaml`` holds every threshold, list id and validity date; this module only
parses it strictly (unknown keys are errors naming the file and key) and answers date questions
("is the BIS affiliates rule in force on 2026-01-15?").
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Gt, Le, Lt, MinLen

from bidvet.file_copies import STRICT, load_checked

RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "ownership_rules.yaml"
_COMPARE = "compare with the bundled ownership_rules.yaml"
REGIMES = ("us_ofac", "eu", "uk", "us_bis_affiliates")


@dataclass(frozen=True, kw_only=True)
class EdgeKind:
    """What an edge kind means for the algorithms."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    measure: Literal["shares", "votes"] | None = None
    control: bool = False
    shortcut: bool = False
    structural: bool = True


@dataclass(frozen=True, kw_only=True)
class StatePolicy:
    """Which entities are the state or state-owned, and what makes a link one of control."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    schemata: tuple[str, ...]
    topics: tuple[str, ...]
    majority: Annotated[float, Ge(0.0), Lt(1.0)]


@dataclass(frozen=True, kw_only=True)
class Suspension:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    start: dt.date
    end: dt.date
    note: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("suspension ends before it starts")


@dataclass(frozen=True, kw_only=True)
class Regime:
    """One legal rule under which listed status passes to owned companies.

    ``aggregate`` is ``all`` (stakes of all listed owners add up: US, EU) or ``joint-groups``
    (stakes add up only within one designated person and the entities it owns or controls, or
    within one ``acting_jointly`` group: UK). ``inclusive`` means the threshold itself suffices
    (≥, US) rather than needing to be exceeded (>, EU/UK).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    title: str
    citation: str
    url: str | None = None
    lists: Annotated[tuple[str, ...], MinLen(1)]
    excluded_programs: tuple[str, ...] = ()
    threshold: Annotated[float, Gt(0.0), Le(1.0)]
    inclusive: bool
    aggregate: Literal["all", "joint-groups"]
    measures: Annotated[tuple[Literal["shares", "votes"], ...], MinLen(1)]
    control_counts: bool
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    suspensions: tuple[Suspension, ...] = ()
    note: str = ""

    def meets(self, share: float) -> bool:
        """Whether an aggregate share reaches this rule's threshold (float noise tolerated)."""
        if self.inclusive:
            return share >= self.threshold - 1e-9
        return share > self.threshold + 1e-9

    def suspension_on(self, day: dt.date) -> Suspension | None:
        for s in self.suspensions:
            if s.start <= day <= s.end:
                return s
        return None

    def in_force(self, day: dt.date) -> bool:
        """True when the rule is in effect and not suspended on ``day``."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return self.suspension_on(day) is None

    def citation_text(self, day: dt.date) -> str:
        """The citation, with the suspension (and its caveat) when one covers ``day``."""
        text = f"{self.title}: {self.citation}"
        if self.valid_from is not None and day < self.valid_from:
            text += f" (not yet in effect on {day.isoformat()}; effective {self.valid_from})"
        suspended = self.suspension_on(day)
        if suspended is not None:
            text += f" (suspended {suspended.start} to {suspended.end}"
            text += f": {suspended.note})" if suspended.note else ")"
        elif self.suspensions:
            last = self.suspensions[-1]
            if day > last.end:
                text += f" (suspension {last.start} to {last.end} over on {day.isoformat()}"
                text += f"; {last.note})" if last.note else ")"
        return text


def _check_versions(name: str, versions: tuple[Regime, ...]) -> None:
    """Dated versions of one regime follow each other without gap or overlap."""
    for before, after in itertools.pairwise(versions):
        if before.valid_to is None or after.valid_from is None:
            raise ValueError(
                f"{name}: every version but the last needs valid_to, every version but the "
                "first valid_from"
            )
        if after.valid_from != before.valid_to + dt.timedelta(days=1):
            raise ValueError(
                f"{name}: version from {after.valid_from} must start the day after the "
                f"previous one ends ({before.valid_to})"
            )


@dataclass(frozen=True, kw_only=True)
class OwnershipRules:
    """The rules file. Each regime is a list of its dated versions in date order (the EU test
    changed on 2024-07-03); :meth:`regime` picks the version in force on a date.

    Validated by pydantic when read from the file, else rebuilt from the copy of what was
    validated (:mod:`bidvet.file_copies`)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    version: str
    kinds: dict[str, EdgeKind]
    state: StatePolicy
    regimes: dict[str, tuple[Regime, ...]]

    def __post_init__(self) -> None:
        missing = set(REGIMES) - set(self.regimes)
        if missing:
            raise ValueError(f"regimes missing: {', '.join(sorted(missing))}")
        for name, versions in self.regimes.items():
            if not versions:
                raise ValueError(f"{name}: no version given")
            _check_versions(name, versions)

    def kind(self, name: str) -> EdgeKind:
        """The meaning of an edge kind; unknown kinds are plain structural edges."""
        return self.kinds.get(name) or EdgeKind()

    def regime(self, name: str, day: dt.date) -> Regime:
        """The version of regime ``name`` in force on ``day``.

        Before the first version takes effect the first is returned (its :meth:`Regime.in_force`
        is false and its citation says so); after the last one ends, the last.
        """
        versions = self.regimes[name]
        for version in versions:
            if version.valid_to is None or day <= version.valid_to:
                return version
        return versions[-1]

    def all_lists(self) -> frozenset[str]:
        """Every list id any version of any regime counts."""
        return frozenset(
            list_id
            for versions in self.regimes.values()
            for version in versions
            for list_id in version.lists
        )


def parse_rules(path: Path) -> OwnershipRules:
    """Read and validate a rules file; errors name the file and the key."""
    return load_checked(path, OwnershipRules, _validate)


def _validate(path: Path) -> OwnershipRules:
    from bidvet.yamlconfig import ErrorStyle, validate_yaml

    style = ErrorStyle(dotted=True, unknown_first=True, hint=_COMPARE)
    return validate_yaml(path, OwnershipRules, fix_top=_COMPARE, style=style)


@cache
def load_rules(path: Path = RULES_FILE) -> OwnershipRules:
    """The bundled ownership rules (parsed once per process)."""
    return parse_rules(path)
