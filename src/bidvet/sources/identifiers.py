"""Identifier schemes and their normalisation.

Lists label identifiers in prose ("Unified Social Credit Code (USCC)", "Legal Entity Number",
"Vessel Registration Identification", "R.F.C."). :func:`scheme_for_label` maps such a label to a
short scheme (``lei``, ``uscc``, ``imo``, ``swift``, ``isin``, ``regno``, ``tax``, ``inn``,
``ogrn``, ``passport``, ``national-id`` …) or to None when the label is not an identifier at all
(a website, an e-mail address, a listing date), which importers keep as a property instead.
The vocabulary (label patterns, publishers' own type codes) is
``data/identifier_schemes.yaml``.

:func:`make_identifier` stores a value in the one normal form of
:func:`bidvet.model.identifiers.normalise` (which every lookup uses too); a value that fails its
scheme's check is not stored as an identifier (a wrong "strong" identifier would make false
matches) and goes to the quality log with the reason.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from bidvet.errors import ConfigError
from bidvet.model.identifiers import IdentifierError, normalise
from bidvet.model.quality import QualityLog
from bidvet.model.records import IdentifierRecord
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

SCHEMES_FILE = Path(__file__).resolve().parent.parent / "data" / "identifier_schemes.yaml"
MAX_SCHEME = 40
_COMPARE = "compare with the bundled identifier_schemes.yaml"
_ERRORS = ErrorStyle(dotted=True, hint=_COMPARE)


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return patterns


class SchemeRule(_Strict):
    scheme: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=MAX_SCHEME)
    labels: tuple[str, ...]

    @field_validator("labels")
    @classmethod
    def _valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(value)


class IdentifierSchemes(_Strict):
    """The parsed ``identifier_schemes.yaml``."""

    bidvet: Literal["identifier-schemes/1"]
    not_identifier: tuple[str, ...]
    schemes: tuple[SchemeRule, ...]
    codes: dict[str, dict[str, str]]

    @field_validator("not_identifier")
    @classmethod
    def _valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(value)

    @cached_property
    def _not_identifier(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.not_identifier))

    @cached_property
    def _label_patterns(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple(
            (re.compile("|".join(f"(?:{p})" for p in rule.labels)), rule.scheme)
            for rule in self.schemes
            if rule.labels
        )

    def for_label(self, label: str) -> str | None:
        text = label.strip().lower()
        if self._not_identifier.search(text):
            return None
        for pattern, scheme in self._label_patterns:
            if pattern.search(text):
                return scheme
        return None


def load_identifier_schemes(path: Path = SCHEMES_FILE) -> IdentifierSchemes:
    """Read and validate an identifier vocabulary file; errors name the file and the key."""
    schemes = validate_yaml(path, IdentifierSchemes, fix_top=_COMPARE, style=_ERRORS)
    known = {rule.scheme for rule in schemes.schemes}
    for publisher, codes in schemes.codes.items():
        unknown = sorted(set(codes.values()) - known)
        if unknown:
            raise ConfigError(
                path,
                f"unknown scheme(s) {unknown}",
                record=f"codes.{publisher}",
                fix="add them under schemes: first",
            )
    return schemes


@lru_cache(maxsize=1)
def identifier_schemes() -> IdentifierSchemes:
    """The bundled vocabulary, read once on first use."""
    return load_identifier_schemes()


def scheme_for_label(label: str) -> str | None:
    """The scheme a list's identifier label stands for, or None when it is not an identifier."""
    return identifier_schemes().for_label(label)


def scheme_codes(publisher: str) -> dict[str, str]:
    """A publisher's own identifier type codes (or property names) → scheme."""
    return dict(identifier_schemes().codes.get(publisher, {}))


#: the scheme of OFAC's own number for a list entry (its ``uid``, the SDN CSV's ``ent_num``):
#: OFAC's files carry it on every entry, and the trade.gov CSL keeps it as the ``_id`` of the
#: rows it republishes from OFAC's lists, so the two records of one OFAC entry share it
OFAC_ENTRY = "ofac-entry"


def ofac_entry(uid: str) -> IdentifierRecord:
    """OFAC's entry number ``uid`` (digits) as an identifier of the entry's subject, stored as
    ``OFAC<uid>``: a bidder's registry number of the same digits is another identifier, and an
    identifier lookup without a scheme must not take one for the other."""
    return IdentifierRecord(scheme=OFAC_ENTRY, value=f"OFAC{uid.strip()}", raw=uid.strip())


def make_identifier(
    scheme: str, raw: str, log: QualityLog, *, record: str | None, field: str
) -> IdentifierRecord | None:
    """An :class:`IdentifierRecord`, or None after logging why the value was not kept."""
    try:
        value = normalise(scheme, raw)
    except IdentifierError as exc:
        log.normalised(record, field, raw, f"{scheme}: {exc}; identifier not kept")
        return None
    return IdentifierRecord(scheme=scheme, value=value, raw=raw.strip())
