"""Identifier schemes and their normalisation.

Lists label identifiers in prose ("Unified Social Credit Code (USCC)", "Legal Entity Number",
"Vessel Registration Identification", "R.F.C."). :func:`scheme_for_label` maps such a label to a
short scheme (``lei``, ``uscc``, ``imo``, ``swift``, ``isin``, ``regno``, ``tax``, ``inn``,
``ogrn``, ``passport``, ``national-id`` …) or to None when the label is not an identifier at all
(a website, an e-mail address, a listing date), which importers keep as a property instead.
The vocabulary (label patterns, publishers' own type codes) is
``data/identifier_schemes.yaml``.

:func:`normalise` turns a raw value into the stored form — upper case without spaces or
hyphens — and checks the schemes that carry a checksum or a fixed shape: LEI (ISO 17442, 20
characters, ISO 7064 MOD 97-10), Chinese Unified Social Credit Code (18 characters, GB
32100-2015 check character), IMO ship number (7 digits, weighted check digit), SWIFT/BIC (8 or
11 characters) and ISIN. A value that fails is not stored as an identifier (a wrong "strong"
identifier would make false matches) and goes to the quality log with the reason.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from rigour.ids import IMO, ISIN, USCC

from bidvet.errors import ConfigError
from bidvet.sources.quality import QualityLog
from bidvet.sources.records import IdentifierRecord
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

SCHEMES_FILE = Path(__file__).resolve().parent.parent / "data" / "identifier_schemes.yaml"
MAX_VALUE = 200  # the store's identifier column width
MAX_SCHEME = 40
_COMPARE = "compare with the bundled identifier_schemes.yaml"
_ERRORS = ErrorStyle(dotted=True, hint=_COMPARE)

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_SPACING = re.compile(r"[\s\-]+")
_SWIFT = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return patterns


class SchemeRule(_Strict):
    scheme: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=MAX_SCHEME)
    compact: bool = False
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

    @cached_property
    def compact(self) -> frozenset[str]:
        return frozenset(rule.scheme for rule in self.schemes if rule.compact)

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


class IdentifierError(ValueError):
    """A value that cannot be stored under its scheme; the message is the reason."""


def scheme_for_label(label: str) -> str | None:
    """The scheme a list's identifier label stands for, or None when it is not an identifier."""
    return identifier_schemes().for_label(label)


def scheme_codes(publisher: str) -> dict[str, str]:
    """A publisher's own identifier type codes (or property names) → scheme."""
    return dict(identifier_schemes().codes.get(publisher, {}))


def lei_is_valid(value: str) -> bool:
    """ISO 17442: 18 alphanumerics + 2 check digits; ISO 7064 MOD 97-10 over the whole code.

    >>> lei_is_valid("9845000TARNHOLDING36")
    True
    >>> lei_is_valid("9845000TARNHOLDING37")
    False
    """
    if not _LEI.match(value):
        return False
    digits = "".join(str(int(ch, 36)) for ch in value)
    return int(digits) % 97 == 1


def normalise(scheme: str, raw: str) -> str:
    """The stored form of ``raw`` under ``scheme``; :class:`IdentifierError` when it fails."""
    text = raw.strip().upper()
    compact = scheme in identifier_schemes().compact
    value = (_NOT_ALNUM if compact else _SPACING).sub("", text)
    if not value:
        raise IdentifierError("empty identifier")
    if len(value) > MAX_VALUE:
        raise IdentifierError(f"longer than {MAX_VALUE} characters")
    if scheme == "lei" and not lei_is_valid(value):
        raise IdentifierError("not a valid LEI (ISO 17442: 20 characters, MOD 97-10 check)")
    if scheme == "uscc" and not (len(value) == 18 and USCC.is_valid(value)):
        raise IdentifierError("not a valid Unified Social Credit Code (18 characters, check)")
    if scheme == "imo":
        value = value.removeprefix("IMO")
        if not (len(value) == 7 and IMO.is_valid(value)):
            raise IdentifierError("not a valid IMO number (7 digits with check digit)")
        value = f"IMO{value}"
    if scheme == "swift" and not _SWIFT.match(value):
        raise IdentifierError("not a SWIFT/BIC code (8 or 11 letters and digits)")
    if scheme == "isin" and not ISIN.is_valid(value):
        raise IdentifierError("not a valid ISIN (12 characters with check digit)")
    return value


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
