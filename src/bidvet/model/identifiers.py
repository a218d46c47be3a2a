"""The one identifier normaliser: what importers store and what every lookup searches for.

An identifier is stored and looked up by its **key**: upper case, letters and digits only (in any
script), so ``ABC.123``, ``abc 123`` and ``ABC-123`` are one value. Schemes with a checksum or a
fixed shape are checked too: LEI (ISO 17442, MOD 97-10), Chinese Unified Social Credit Code
(GB 32100-2015), IMO ship number, SWIFT/BIC and ISIN. A value that fails is not an identifier
of that scheme (:class:`IdentifierError`): importers log it and keep it out of the store, so a
wrong "strong" identifier cannot make a false match.
"""

from __future__ import annotations

import contextlib
import re

MAX_VALUE = 200  # the store's identifier column width

_NOT_KEY = re.compile(r"[\W_]+")
_SWIFT = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")


class IdentifierError(ValueError):
    """A value that cannot be stored under its scheme; the message is the reason."""


def identifier_key(raw: str) -> str:
    """Upper case, letters and digits only: the form identifiers are compared in.

    >>> identifier_key(" abc.12-3 ")
    'ABC123'
    """
    return _NOT_KEY.sub("", raw.strip().upper())


#: each letter as its base-36 value in decimal digits (``A`` → ``10``), for MOD 97-10 checks
_BASE36_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def lei_is_valid(value: str) -> bool:
    """ISO 17442: 18 alphanumerics + 2 check digits; ISO 7064 MOD 97-10 over the whole code.

    >>> lei_is_valid("9845000TARNHOLDING36")
    True
    >>> lei_is_valid("9845000TARNHOLDING37")
    False
    """
    if not _LEI.match(value):
        return False
    return int(value.translate(_BASE36_DIGITS)) % 97 == 1


def normalise(scheme: str, raw: str) -> str:
    """The stored form of ``raw`` under ``scheme``; :class:`IdentifierError` when it fails."""
    # rigour's identifier module compiles its patterns on import: paid by the commands that
    # read an identifier, not by every command that imports this module
    from rigour.ids import IMO, ISIN, USCC

    value = identifier_key(raw)
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


def lookup_keys(scheme: str | None, raw: str) -> list[str]:
    """The stored values a lookup for ``raw`` must search: its normal form under ``scheme``,
    or (when the scheme is unknown or the value fails its check) its plain key."""
    keys = {identifier_key(raw)}
    if scheme is not None:
        with contextlib.suppress(IdentifierError):
            keys.add(normalise(scheme.lower(), raw))
    return sorted(k for k in keys if k)
