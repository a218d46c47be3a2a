"""The screening catalog: every name of every entity, normalised once, plus what scoring needs.

Row ``i`` of the catalog is row ``i`` of the :class:`~bidvet.screening.index.NameIndex`. The
catalog is read from the store (:meth:`Catalog.from_store`) or built from plain entries (tests,
evaluation, benchmarks: :meth:`Catalog.from_entries`), and saved next to the index.

It is held as columns of plain strings (entity id, kind, original, folded and core name, legal
forms; caption, schema and countries per entity; identifier value, entity and scheme), and the
objects callers read (:class:`NormalName`, :class:`EntityInfo`, the identifier lookup) are made
from them when first asked for. Matcher v2's reading of each stored name
(:func:`~bidvet.screening.canonical.canonical`) is kept per row too: computed once per row when
first scored, or for every row by :meth:`Catalog.precompute_canon` (the store's cached catalog
does this at build time, so no query reads a stored name again).

:meth:`Catalog.save` writes the columns into one ``.npz`` file: each column is its strings run
together (UTF-8) with their offsets, so loading the official lists' 77k names is a few
decodes, not tens of thousands of objects.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np

from bidvet.model.identifiers import identifier_key
from bidvet.screening.canonical import CanonName, canonical
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


class Columns:
    """Named string columns: lists while a catalog is built; read from a saved catalog, each
    column stays one string with its bounds until it is first read whole (:meth:`get`), and a
    single value is read without splitting the column (:meth:`value`)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._lists: dict[str, list[str]] = {name: [] for name in names}
        self._packed: dict[str, tuple[str, list[int]]] = {}

    def get(self, name: str) -> list[str]:
        found = self._lists.get(name)
        if found is None:
            whole, bounds = self._packed.pop(name)
            found = self._lists[name] = [whole[a:b] for a, b in itertools.pairwise(bounds)]
        return found

    def value(self, name: str, row: int) -> str:
        found = self._lists.get(name)
        if found is not None:
            return found[row]
        whole, bounds = self._packed[name]
        return whole[bounds[row] : bounds[row + 1]]

    def length(self, name: str) -> int:
        found = self._lists.get(name)
        return len(found) if found is not None else len(self._packed[name][1]) - 1

    def set_packed(self, name: str, whole: str, bounds: list[int]) -> None:
        self._lists.pop(name, None)
        self._packed[name] = (whole, bounds)


class NameRows(Sequence[NormalName]):
    """The catalog's names as :class:`NormalName`, made from the columns when read."""

    def __init__(self, catalog: Catalog) -> None:
        self._cat = catalog

    def __len__(self) -> int:
        return len(self._cat.cores)

    @overload
    def __getitem__(self, row: int) -> NormalName: ...

    @overload
    def __getitem__(self, row: slice) -> list[NormalName]: ...

    def __getitem__(self, row: int | slice) -> NormalName | list[NormalName]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        cat = self._cat
        forms = cat.value("forms", row)
        return NormalName(
            cat.value("originals", row),
            cat.value("folded", row),
            cat.value("cores", row),
            frozenset(forms.split(" ")) if forms else frozenset(),
        )

    def __iter__(self) -> Iterator[NormalName]:
        return (self[i] for i in range(len(self)))


class Entities(Mapping[str, EntityInfo]):
    """Entity id → :class:`EntityInfo`, made from the columns when read."""

    COLUMNS = ("entity_keys", "captions", "schemas", "countries")

    def __init__(self, columns: Columns) -> None:
        self._cols = columns
        self._position: dict[str, int] | None = None

    @property
    def position(self) -> dict[str, int]:
        if self._position is None:
            self._position = {eid: i for i, eid in enumerate(self._cols.get("entity_keys"))}
        return self._position

    def add(self, entity_id: str, info: EntityInfo) -> None:
        values = (info.caption, info.schema, " ".join(sorted(info.countries)))
        pos = self.position.get(entity_id)
        cols = [self._cols.get(c) for c in self.COLUMNS[1:]]
        if pos is None:
            self.position[entity_id] = len(cols[0])
            self._cols.get("entity_keys").append(entity_id)
            for col, value in zip(cols, values, strict=True):
                col.append(value)
        else:
            for col, value in zip(cols, values, strict=True):
                col[pos] = value

    def __getitem__(self, entity_id: str) -> EntityInfo:
        pos = self.position[entity_id]
        codes = self._cols.value("countries", pos)
        return EntityInfo(
            self._cols.value("captions", pos),
            self._cols.value("schemas", pos),
            frozenset(codes.split(" ")) if codes else frozenset(),
        )

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.position

    def __iter__(self) -> Iterator[str]:
        return iter(self.position)

    def __len__(self) -> int:
        return self._cols.length("entity_keys")


class Catalog:
    """Name rows (parallel columns) and per-entity facts."""

    #: the columns of name rows, then of entities, then of identifiers
    ROWS = ("entity_ids", "kinds", "originals", "folded", "cores", "forms", "canon")
    IDENTIFIERS = ("id_values", "id_entities", "id_schemes")

    def __init__(self) -> None:
        self._cols = Columns((*self.ROWS, *Entities.COLUMNS, *self.IDENTIFIERS))
        self.names = NameRows(self)
        self.entities = Entities(self._cols)
        self._identifiers: dict[str, list[tuple[str, str]]] | None = None
        # matcher v2's reading of each stored name: made, or decoded, once per row
        self._canon: list[CanonName | None] = []
        self._by_original: dict[str, int] | None = None

    @property
    def entity_ids(self) -> list[str]:
        return self._cols.get("entity_ids")

    @property
    def kinds(self) -> list[str]:
        return self._cols.get("kinds")

    @property
    def originals(self) -> list[str]:
        return self._cols.get("originals")

    @property
    def folded(self) -> list[str]:
        return self._cols.get("folded")

    @property
    def cores(self) -> list[str]:
        return self._cols.get("cores")

    @property
    def forms(self) -> list[str]:
        """Each row's canonical legal forms, space-separated."""
        return self._cols.get("forms")

    def value(self, column: str, row: int) -> str:
        """One value of a name-row column (``originals``, ``entity_ids``…), read cheaply."""
        return self._cols.value(column, row)

    def __len__(self) -> int:
        return self._cols.length("cores")

    def add_name(self, entity_id: str, name: NormalName, kind: str, canon: str = "") -> None:
        values = (
            entity_id,
            kind,
            name.original,
            name.folded,
            name.core,
            " ".join(sorted(name.forms)),
            canon,
        )
        for column, value in zip(self.ROWS, values, strict=True):
            self._cols.get(column).append(value)
        self._canon.append(None)

    def add_identifier(self, value: str, entity_id: str, scheme: str) -> None:
        for column, item in zip(self.IDENTIFIERS, (value, entity_id, scheme), strict=True):
            self._cols.get(column).append(item)
        if self._identifiers is not None:
            self._identifiers.setdefault(value, []).append((entity_id, scheme))

    @property
    def identifiers(self) -> dict[str, list[tuple[str, str]]]:
        """Normalised identifier value → ``[(entity_id, scheme), ...]``."""
        if self._identifiers is None:
            out: dict[str, list[tuple[str, str]]] = {}
            for value, eid, scheme in zip(
                *(self._cols.get(c) for c in self.IDENTIFIERS), strict=True
            ):
                out.setdefault(value, []).append((eid, scheme))
            self._identifiers = out
        return self._identifiers

    # -- matcher v2's reading of the stored names ------------------------------------------

    def canon(self, row: int) -> CanonName:
        """Row ``row``'s name as matcher v2 reads it (made once per row)."""
        got = self._canon[row]
        if got is None:
            original = self.value("originals", row)
            packed = self.value("canon", row)
            got = _unpack_canon(original, packed) if packed else canonical(original)
            self._canon[row] = got
        return got

    def precompute_canon(self) -> None:
        """Read every stored name as matcher v2 does, now (saved with the catalog); names whose
        reading the catalog holds already (reused from an earlier one) are not read again."""
        for row in range(len(self)):
            if self._canon[row] is None and not self.value("canon", row):
                self.canon(row)

    # -- building ---------------------------------------------------------------------------

    def reading(self, original: str) -> tuple[NormalName, str] | None:
        """How this catalog read ``original`` (normalised, and matcher v2's reading packed),
        if it holds that name: a new catalog of the store after a small load reuses it."""
        if self._by_original is None:
            self._by_original = {}
            for pos, name in enumerate(self.originals):
                self._by_original.setdefault(name, pos)
        row = self._by_original.get(original)
        if row is None:
            return None
        got = self._canon[row]
        packed = _pack_canon(got) if got is not None else self.value("canon", row)
        return self.names[row], packed

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[Entry],
        generic_words: Sequence[str],
        previous: Catalog | None = None,
    ) -> Catalog:
        """A catalog of ``entries``; names ``previous`` (built with the same generic words)
        holds are not read again."""
        cat = cls()
        seen: set[tuple[str, str]] = set()
        for entry in entries:
            primary = next((n for n, k in entry.names if k == "primary"), None)
            caption = primary or (entry.names[0][0] if entry.names else entry.entity_id)
            cat.entities.add(
                entry.entity_id,
                EntityInfo(caption, entry.schema, frozenset(c.lower() for c in entry.countries)),
            )
            for name, kind in entry.names:
                key = (entry.entity_id, name)
                if key in seen or not name.strip():
                    continue
                seen.add(key)
                known = previous.reading(name) if previous is not None else None
                if known is None:
                    cat.add_name(entry.entity_id, normalize(name, generic_words), kind)
                else:
                    cat.add_name(entry.entity_id, known[0], kind, canon=known[1])
            for scheme, value in entry.identifiers:
                cat.add_identifier(identifier_key(value), entry.entity_id, scheme)
        return cat

    @classmethod
    def from_store(
        cls, store: Store, generic_words: Sequence[str], previous: Catalog | None = None
    ) -> Catalog:
        """Read every entity with its names, countries and identifiers (names ``previous``
        holds are not read again)."""
        with store.view() as view:
            catalog = view.catalog()
        entries = []
        for ent in catalog:
            entity_names = list(ent.names) or [(ent.caption, "primary")]
            if not any(k == "primary" for _, k in entity_names):
                entity_names = [(ent.caption, "primary"), *entity_names]
            entries.append(Entry(ent.id, entity_names, ent.schema, ent.countries, ent.identifiers))
        return cls.from_entries(entries, generic_words, previous)

    # -- persistence ------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the catalog's columns to ``path`` (one ``.npz`` file)."""
        arrays: dict[str, Any] = {}
        for name in (*self.ROWS, *Entities.COLUMNS, *self.IDENTIFIERS):
            if name == "canon":
                column = [
                    _pack_canon(c) if c is not None else self.value("canon", row)
                    for row, c in enumerate(self._canon)
                ]
            else:
                column = self._cols.get(name)
            text = "".join(column)
            arrays[f"{name}.text"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
            arrays[f"{name}.ends"] = np.cumsum([len(s) for s in column], dtype=np.int64)
        with path.open("wb") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> Catalog:
        """Read a catalog written by :meth:`save` (columns are split when first read)."""
        cat = cls()
        lengths = {}
        with np.load(path, allow_pickle=False) as data:
            for name in (*cls.ROWS, *Entities.COLUMNS, *cls.IDENTIFIERS):
                whole = data[f"{name}.text"].tobytes().decode("utf-8")
                ends = data[f"{name}.ends"]
                bounds = [0, *ends.tolist()]
                if bounds[-1] != len(whole) or bool(np.any(np.diff(ends) < 0)):
                    raise ValueError(f"{path}: column {name} is cut")
                cat._cols.set_packed(name, whole, bounds)
                lengths[name] = len(bounds) - 1
        for group in (cls.ROWS, Entities.COLUMNS, cls.IDENTIFIERS):
            if len({lengths[c] for c in group}) != 1:
                raise ValueError(f"{path}: columns {', '.join(group)} of different lengths")
        cat._canon = [None] * lengths["cores"]
        return cat


def _pack_canon(name: CanonName) -> str:
    return json.dumps(
        [name.words, name.roles, sorted(name.forms), name.script, name.readings],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _unpack_canon(original: str, packed: str) -> CanonName:
    words, roles, forms, script, readings = json.loads(packed)
    return CanonName(
        original=original,
        words=tuple(words),
        roles=tuple(roles),
        forms=frozenset(forms),
        script=script,
        readings=tuple(readings),
    )
