"""Country text as lists write it ("Korea, North", "IQ", "Syrian Arab Republic") → ISO 3166-1
alpha-2, lower case, as followthemoney's country type reads them (rigour's territory data).

Texts that name no country are reported to the data-quality log by :func:`resolve_country`; the
lists' own "no value" markers (EU ``00``/``UNKNOWN``, empty cells) are not values and are passed
over quietly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bidvet.model.quality import QualityLog

#: the lists' explicit markers for "no country given"
NO_VALUE = frozenset({"", "00", "unknown", "undetermined", "n/a", "none"})
#: codes followthemoney knows but which carry no country (``zz`` = unknown region)
NOT_A_COUNTRY = frozenset({"zz"})
MAX_CODE = 10  # the store's country column width
_REGION = re.compile(r"^region:\s*", re.IGNORECASE)  # OFAC writes "Region: West Bank"


@lru_cache(maxsize=8192)
def country_code(text: str) -> str | None:
    """The lower-case ISO code (or FtM territory code such as ``xk``) for ``text``, else None.

    >>> country_code("Korea, North")
    'kp'
    >>> country_code("Atlantis") is None
    True
    """
    # followthemoney's country type reads a text this way (rigour's territory lookup, then the
    # territory's FtM country); asking rigour directly spares every importer loading
    # followthemoney (about a second), and rigour builds its table of country names only
    # when a text is not a code
    from rigour.territories import lookup_territory

    territory = lookup_territory(_REGION.sub("", text.strip()))
    code = territory.ftm_country if territory is not None else None
    if code is None or code in NOT_A_COUNTRY or len(code) > MAX_CODE:
        return None
    return code.lower()


def is_blank(text: str | None) -> bool:
    """True when ``text`` is empty or one of the lists' "no country" markers."""
    return text is None or text.strip().casefold() in NO_VALUE


def resolve_country(
    text: str | None, log: QualityLog, *, record: str | None, field: str
) -> str | None:
    """Map ``text`` to a code; a text that names no known country goes to the quality log."""
    if text is None or is_blank(text):
        return None
    code = country_code(text)
    if code is None:
        log.normalised(record, field, text, "not a recognised country; value not kept")
    return code
