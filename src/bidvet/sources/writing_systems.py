"""Which writing system a name is in: names outside the Latin script are stored as
``original`` names so screening can transliterate them instead of comparing letters."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter (digits and punctuation ignored).

    >>> is_latin("Qoussaï Saddam")
    True
    >>> is_latin("محمد طاهر أنوري")
    False
    """
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True
