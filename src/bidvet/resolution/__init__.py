"""Matching a bidder or supplier to an entity of the knowledge store, saying when it is unsure.

Identifier first, then screening by name; thresholds in ``data/resolution.yaml``. The one
resolver the assessment, the exposure scan and the workspace use.

Entity resolution across datasets lives beside it: :mod:`.xref` proposes pairs of records that
may be one legal person and links those sharing a strong identifier; :mod:`.judgements` records
judgements and reads and writes their CSV form; :mod:`.clusters` presents clusters of judged
records (one screening result per cluster, the words and citation of a link); :mod:`.owners`
screens a bidder's owners by name against the listed records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bidvet.resolution.resolver import Candidate, Resolution, Resolver, Subject

__all__ = ["Candidate", "Resolution", "Resolver", "Subject"]


def __getattr__(name: str) -> Any:
    # the resolver (and the pydantic models of its configuration) is imported when first
    # asked for, not by every command that reads clusters or judgements from this package
    if name in __all__:
        from bidvet.resolution import resolver

        return getattr(resolver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
