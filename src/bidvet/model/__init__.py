"""The typed domain every layer shares: records importers produce, facts the store answers, tiers.

The floor of the import graph: it imports nothing else of bidvet.
"""

from bidvet.model.facts import (
    CatalogEntity,
    EntityFacts,
    EventFact,
    ListingFact,
    OwnershipEdge,
    QualityEntry,
    SnapshotInfo,
    SourceRef,
)
from bidvet.model.tiers import OUTCOME_ORDER, SEVERITY_ORDER, TIER_SCALE, Tier, highest_tier

__all__ = [
    "OUTCOME_ORDER",
    "SEVERITY_ORDER",
    "TIER_SCALE",
    "CatalogEntity",
    "EntityFacts",
    "EventFact",
    "ListingFact",
    "OwnershipEdge",
    "QualityEntry",
    "SnapshotInfo",
    "SourceRef",
    "Tier",
    "highest_tier",
]
