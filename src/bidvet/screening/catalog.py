"""The screening catalog: every name of every entity, normalised once, plus what scoring needs.

Row ``i`` of the catalog is row ``i`` of the :class:`~bidvet.screening.index.NameIndex`. The
catalog is read from the store (:meth:`Catalog.from_store`) or built from plain entries (tests,
evaluation, benchmarks: :meth:`Catalog.from_entries`), and saved next to the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bidvet.model.identifiers import identifier_key
from bidvet.screening.normalize import NormalName, normalize
from bidvet.store.db import Store

#: order in which an entity's names are preferred for display
KIND_ORDER = ("primary", "alias", "original", "former", "weak")


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """What scoring and display need about an entity besides its names."""

    caption: str
    schema: str
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Entry:
    """One entity as plain data, for catalogs built outside a store."""

    entity_id: str
    names: Sequence[tuple[str, str]]  # (name, kind)
    schema: str = "Organization"
    countries: Sequence[str] = ()
    identifiers: Sequence[tuple[str, str]] = ()  # (scheme, value)


@dataclass
class Catalog:
    """Name rows (parallel lists) and per-entity facts."""

    entity_ids: list[str] = field(default_factory=list)
    names: list[NormalName] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    entities: dict[str, EntityInfo] = field(default_factory=dict)
    identifiers: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # value→[(id, scheme)]

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], generic_words: Sequence[str]) -> Catalog:
        cat = cls()
        seen: set[tuple[str, str]] = set()
        for entry in entries:
            primary = next((n for n, k in entry.names if k == "primary"), None)
            caption = primary or (entry.names[0][0] if entry.names else entry.entity_id)
            cat.entities[entry.entity_id] = EntityInfo(
                caption, entry.schema, frozenset(c.lower() for c in entry.countries)
            )
            for name, kind in entry.names:
                key = (entry.entity_id, name)
                if key in seen or not name.strip():
                    continue
                seen.add(key)
                cat.entity_ids.append(entry.entity_id)
                cat.names.append(normalize(name, generic_words))
                cat.kinds.append(kind)
            for scheme, value in entry.identifiers:
                cat.identifiers.setdefault(identifier_key(value), []).append(
                    (entry.entity_id, scheme)
                )
        return cat

    @classmethod
    def from_store(cls, store: Store, generic_words: Sequence[str]) -> Catalog:
        """Read every entity with its names, countries and identifiers."""
        with store.view() as view:
            catalog = view.catalog()
        entries = []
        for ent in catalog:
            entity_names = list(ent.names) or [(ent.caption, "primary")]
            if not any(k == "primary" for _, k in entity_names):
                entity_names = [(ent.caption, "primary"), *entity_names]
            entries.append(Entry(ent.id, entity_names, ent.schema, ent.countries, ent.identifiers))
        return cls.from_entries(entries, generic_words)

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        data = {
            "rows": [
                [eid, n.original, n.folded, n.core, sorted(n.forms), kind]
                for eid, n, kind in zip(self.entity_ids, self.names, self.kinds, strict=True)
            ],
            "entities": {
                k: [v.caption, v.schema, sorted(v.countries)] for k, v in self.entities.items()
            },
            "identifiers": self.identifiers,
        }
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Catalog:
        data = json.loads(path.read_text(encoding="utf-8"))
        cat = cls()
        for eid, original, folded, core, forms, kind in data["rows"]:
            cat.entity_ids.append(eid)
            cat.names.append(NormalName(original, folded, core, frozenset(forms)))
            cat.kinds.append(kind)
        cat.entities = {
            k: EntityInfo(caption, schema, frozenset(countries))
            for k, (caption, schema, countries) in data["entities"].items()
        }
        cat.identifiers = {k: [(e, sc) for e, sc in v] for k, v in data["identifiers"].items()}
        return cat
