"""Folding two records of the same subject into one entity.

Lists sometimes carry one subject twice (the EU under two programmes with one ``logicalId``;
the CSL once per source list with one ``_id``). Both entries are list entries and both are
imported; their facts are merged into one entity and the second entry's primary name is kept
as an alias.
"""

from __future__ import annotations

from bidvet.model.records import EntityRecord, NameRecord


def merge_entity(target: EntityRecord, other: EntityRecord) -> None:
    """Add ``other``'s names, identifiers, countries, topics and properties to ``target``."""
    have = {(n.name, n.lang) for n in target.names}
    for name in other.names:
        if (name.name, name.lang) in have:
            continue
        kind = "alias" if name.kind == "primary" else name.kind
        target.names.append(NameRecord(name.name, kind, name.lang))
        have.add((name.name, name.lang))
    for ident in other.identifiers:
        if ident not in target.identifiers:
            target.identifiers.append(ident)
    for country in other.countries:
        if country not in target.countries:
            target.countries.append(country)
    for topic in other.topics:
        if topic not in target.topics:
            target.topics.append(topic)
    for key, values in other.properties.items():
        merged = target.properties.setdefault(key, [])
        merged.extend(v for v in values if v not in merged)
    if target.schema == "LegalEntity" and other.schema != "LegalEntity":
        target.schema = other.schema
    target.source_url = target.source_url or other.source_url
