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

:meth:`Catalog.save` writes each column as its strings run together (UTF-8) with their byte
offsets, one ``.npy`` file each, read back memory-mapped: a process that screens one name reads
what it needs from the mapped files (an ASCII column is decoded once, in milliseconds, others
value by value), not a zip of the official lists' 77k names split into tens of thousands of
strings. Entities are found by binary search in the saved id order until a process has looked
up enough of them to make the whole id dictionary worth building.

When :data:`PARALLEL_NAMES` names or more need matcher v2's reading (about 60 µs a name), forked
worker processes, one per core, read them chunk by chunk and in order. Normalising (about 9 µs a
name) is shared the same way, except that the workers inherit the names instead of being sent
them and this process reads its own share meanwhile (:func:`_normalised`). The cyclic garbage
collector is paused while a catalog or an index is built (:func:`paused_gc`), and while the
store's entities are read into entries.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt

from bidvet.forking import can_fork, usable_cores
from bidvet.model.identifiers import identifier_key
from bidvet.screening import common_words
from bidvet.screening.canonical import CanonName, canonical
from bidvet.screening.index import paused_gc
from bidvet.screening.normalize import NormalName, normal_parts
from bidvet.screening.spellings import spelling
from bidvet.screening.terms import TermTable
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


#: values read one by one from a saved column before it is decoded whole (:meth:`Columns.value`)
WHOLE_AFTER = 64


class Columns:
    """Named string columns: lists while a catalog is built; read from a saved catalog, each
    column stays one string with its bounds until it is first read whole (:meth:`get`), and a
    single value is read without splitting the column (:meth:`value`)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._lists: dict[str, list[str]] = {name: [] for name in names}
        # a saved column (memory-mapped): its values run together in UTF-8, and the byte
        # offset where each one ends
        self._packed: dict[str, tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]] = {}
        # saved columns decoded whole, when they are ASCII (None when they are not)
        self._ascii: dict[str, str | None] = {}
        self._reads: dict[str, int] = {}  # values read of each column not decoded whole

    def get(self, name: str) -> list[str]:
        found = self._lists.get(name)
        if found is None:
            raw, ends = self._packed.pop(name)
            self._ascii.pop(name, None)
            self._reads.pop(name, None)
            data = raw.tobytes()
            bounds = itertools.pairwise([0, *ends.tolist()])
            if data.isascii():  # one decode, then byte offsets are character offsets
                whole = data.decode("ascii")
                found = [whole[a:b] for a, b in bounds]
            else:
                found = [data[a:b].decode("utf-8") for a, b in bounds]
            self._lists[name] = found
        return found

    def value(self, name: str, row: int) -> str:
        found = self._lists.get(name)
        if found is not None:
            return found[row]
        raw, ends = self._packed[name]
        start = int(ends[row - 1]) if row else 0
        text = self._ascii.get(name)
        if text is None and name not in self._ascii:
            # the first values read decode their own bytes; from the WHOLE_AFTER-th, an ASCII
            # column is decoded once (a few milliseconds for the official lists' larger
            # columns; a process screening one name reads a few values of each of some 40) and
            # a value is a slice of it; other columns decode the bytes of each value read
            reads = self._reads[name] = self._reads.get(name, 0) + 1
            if reads > WHOLE_AFTER:
                data = raw.tobytes()
                text = self._ascii[name] = data.decode("ascii") if data.isascii() else None
        if text is not None:
            return text[start : int(ends[row])]
        return raw[start : int(ends[row])].tobytes().decode("utf-8")

    def length(self, name: str) -> int:
        found = self._lists.get(name)
        return len(found) if found is not None else len(self._packed[name][1])

    def set_list(self, name: str, values: list[str]) -> None:
        self._packed.pop(name, None)
        self._lists[name] = values

    def set_packed(
        self, name: str, raw: npt.NDArray[np.uint8], ends: npt.NDArray[np.int64]
    ) -> None:
        self._lists.pop(name, None)
        # plain arrays over the mapped memory: a memmap's own indexing is several times slower
        self._packed[name] = (raw.view(np.ndarray), ends.view(np.ndarray))
        self._ascii.pop(name, None)
        self._reads.pop(name, None)


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

    #: lookups answered by binary search in a saved catalog before the whole id column is
    #: read into a dictionary (one screening reads a few entities; a batch reads thousands)
    SEARCHES = 256

    def __init__(self, columns: Columns) -> None:
        self._cols = columns
        self._position: dict[str, int] | None = None
        # a saved catalog's entity positions in id order, for binary search
        self.order: npt.NDArray[np.int32] | None = None
        self._searches = 0

    @property
    def position(self) -> dict[str, int]:
        if self._position is None:
            self._position = {eid: i for i, eid in enumerate(self._cols.get("entity_keys"))}
        return self._position

    def _find(self, entity_id: str) -> int | None:
        if self._position is None and self.order is not None and self._searches < self.SEARCHES:
            self._searches += 1
            order, lo, hi = self.order, 0, len(self.order)
            while lo < hi:
                mid = (lo + hi) // 2
                if self._cols.value("entity_keys", int(order[mid])) < entity_id:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < len(order):
                pos = int(order[lo])
                if self._cols.value("entity_keys", pos) == entity_id:
                    return pos
            return None
        return self.position.get(entity_id)

    def add(self, entity_id: str, info: EntityInfo) -> None:
        self.order = None  # ids change: the saved order no longer holds
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
        pos = self._find(entity_id)
        if pos is None:
            raise KeyError(entity_id)
        codes = self._cols.value("countries", pos)
        return EntityInfo(
            self._cols.value("captions", pos),
            self._cols.value("schemas", pos),
            frozenset(codes.split(" ")) if codes else frozenset(),
        )

    def __contains__(self, entity_id: object) -> bool:
        return isinstance(entity_id, str) and self._find(entity_id) is not None

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
        self._by_key: dict[tuple[str, str], int] | None = None
        # built from an earlier catalog (:meth:`from_entries` with ``previous``): that catalog,
        # and for each row here the row of the same entity and name there (-1: none)
        self._source: tuple[Catalog, npt.NDArray[np.int64]] | None = None
        # built from an earlier catalog: the rows whose names it did not hold (read here)
        self._read_rows: list[int] | None = None

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

    def indexed_texts(self) -> list[str]:
        """Each row's folded name as the candidate index holds it: a listed person's name also
        in the one spelling screening compares people in
        (:func:`~bidvet.screening.spellings.spelling`), so that a query typed in another
        transliteration, looked up in that spelling too
        (:meth:`~bidvet.screening.matcher.Matcher.other_spellings`), finds the name as the
        list spells it (``Andrei Anatolevich ANIKEIEV`` → ``anikeev``, the SDN's
        ``ANIKEYEV``)."""
        entities = self.entities
        schema: dict[str, bool] = {}
        out = []
        for eid, folded in zip(self.entity_ids, self.folded, strict=True):
            person = schema.get(eid)
            if person is None:
                person = schema[eid] = eid in entities and entities[eid].schema == "Person"
            if person:
                words = folded.split()
                spelt = [w for w in dict.fromkeys(spelling(w) for w in words) if w not in words]
                if spelt:
                    folded = " ".join([folded, *spelt])
            out.append(folded)
        return out

    def value(self, column: str, row: int) -> str:
        """One value of a name-row column (``originals``, ``entity_ids``…), read cheaply."""
        return self._cols.value(column, row)

    def prepare_for_many(self) -> None:
        """Make now what many queries read (the entity lookup, each saved column decoded), so
        that worker processes forked from this one share it instead of each making it."""
        _ = self.entities.position
        for name in (*self.ROWS, *Entities.COLUMNS):
            if self._cols.length(name):
                self._cols.value(name, 0)

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
        rows = [
            row
            for row in range(len(self))
            if self._canon[row] is None and not self.value("canon", row)
        ]
        if _fork_workers(len(rows)) < 2:
            for row in rows:
                self.canon(row)
            return
        packed = _in_workers(_pack_all, [self.value("originals", row) for row in rows])
        column = self._cols.get("canon")
        for row, text in zip(rows, packed, strict=True):
            column[row] = text

    def term_table(self, previous: TermTable | None = None) -> TermTable:
        """The :class:`~bidvet.screening.terms.TermTable` of the words of these names and of the
        common English words a bidder's name is often made of (the words ``previous`` read
        are not read again). They are read in this process, not by forked workers: a cache may
        be built by the workspace's server, and a worker forked from its threads while rigour's
        tagger could be in use hung; the official lists' 89,297 words take 0.66 s here, as
        they did in two workers.

        ``previous``, when this catalog was built from an earlier one (:meth:`from_entries`),
        is that catalog's table: only the words of the names it did not hold are looked at,
        and the table is ``previous`` with them."""
        words: Iterable[str]
        if previous is not None and self._read_rows is not None:
            folded = self.folded
            words = " ".join(folded[row] for row in self._read_rows).split()
        else:
            words = itertools.chain(" ".join(self.folded).split(), common_words.table())
        return TermTable.of_words(words, previous)

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

    def _reader(self) -> Callable[[str, str], tuple[int, tuple[str, str, str, str]] | None]:
        """How this catalog read a name, as its columns hold it (folded, core, legal forms,
        matcher v2's reading packed), with the row of the same entity's name (-1 when only
        another entity has it); ``None`` when it does not hold the name. The lookup reads
        whole columns, bound once: a new catalog looks up every name."""
        if self._by_key is None:
            self._by_key = {
                key: row
                for row, key in enumerate(zip(self.entity_ids, self.originals, strict=True))
            }
        by_key, canon_read = self._by_key, self._canon
        folded, cores, forms = self.folded, self.cores, self.forms
        canon = self._cols.get("canon")

        def known(entity_id: str, original: str) -> tuple[int, tuple[str, str, str, str]] | None:
            row = same = by_key.get((entity_id, original), -1)
            if row < 0:
                if self._by_original is None:
                    self._by_original = {}
                    for pos, name in enumerate(self.originals):
                        self._by_original.setdefault(name, pos)
                row = self._by_original.get(original, -1)
                if row < 0:
                    return None
            got = canon_read[row]
            packed = _pack_canon(got) if got is not None else canon[row]
            return same, (folded[row], cores[row], forms[row], packed)

        return known

    def rows_in(self, later: Catalog) -> npt.NDArray[np.int64] | None:
        """Where each of this catalog's names is in ``later``, a catalog of the store after a
        load, when ``later`` only adds names: it holds every name of this one (the same entity
        and text, read the same way: core and folded name), in the same order. ``None`` when
        a name was removed or changed, or the names were reordered; the index of ``later`` is
        then built from nothing (:meth:`~bidvet.screening.index.NameIndex.extend` needs this
        order). When ``later`` was built from this catalog, the rows it found then are used
        (and then let go of, with the reference to this catalog)."""
        if len(self) > len(later):
            return None
        if later._source is not None and later._source[0] is self:
            found = later._source[1]
            later._source = None
            rows = np.full(len(self), -1, dtype=np.int64)
            mine = found >= 0
            rows[found[mine]] = np.flatnonzero(mine)
            checked = False  # the values of each found row were copied from it
        else:
            where = {
                key: row
                for row, key in enumerate(zip(later.entity_ids, later.originals, strict=True))
            }
            rows = np.fromiter(
                (where.get(key, -1) for key in zip(self.entity_ids, self.originals, strict=True)),
                dtype=np.int64,
                count=len(self),
            )
            checked = True
        if len(rows) and (int(rows.min()) < 0 or bool(np.any(rows[1:] <= rows[:-1]))):
            return None
        if checked:
            cores, folded = later.cores, later.folded
            for row, core, fold in zip(rows.tolist(), self.cores, self.folded, strict=True):
                if cores[row] != core or folded[row] != fold:
                    return None
        return rows

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[Entry],
        generic_words: Sequence[str],
        previous: Catalog | None = None,
    ) -> Catalog:
        """A catalog of ``entries``; names ``previous`` (built with the same generic words)
        holds are not read again."""
        with paused_gc():
            return cls._from_entries(entries, generic_words, previous)

    @classmethod
    def _from_entries(
        cls, entries: Iterable[Entry], generic_words: Sequence[str], previous: Catalog | None
    ) -> Catalog:
        cat = cls()
        generic = frozenset(generic_words)  # made once, not once per name
        # the columns are filled as plain lists here and handed to the catalog at the end
        keys: list[str] = []
        captions: list[str] = []
        schemas: list[str] = []
        countries: list[str] = []
        position: dict[str, int] = {}
        rows: tuple[list[str], ...] = tuple([] for _ in cls.ROWS)
        r_eid, r_kind, r_orig, r_fold, r_core, r_forms, r_canon = rows
        ids: tuple[list[str], ...] = tuple([] for _ in cls.IDENTIFIERS)
        seen: set[tuple[str, str]] = set()
        source: list[int] = []  # each row's row in ``previous`` (-1: none)
        lookup = previous._reader() if previous is not None else None
        pending: list[int] = []  # the rows whose names are normalised after the loop
        add_eid, add_kind, add_orig = r_eid.append, r_kind.append, r_orig.append
        add_fold, add_core, add_forms, add_canon = (
            r_fold.append,
            r_core.append,
            r_forms.append,
            r_canon.append,
        )
        for entry in entries:
            eid = entry.entity_id
            caption = eid
            if entry.names:
                caption = entry.names[0][0]
                for n, k in entry.names:
                    if k == "primary":  # the first primary name, when it is not empty
                        caption = n or caption
                        break
            where = (
                " ".join(sorted({c.lower() for c in entry.countries})) if entry.countries else ""
            )
            pos = position.get(eid)
            if pos is None:
                position[eid] = len(keys)
                keys.append(eid)
                captions.append(caption)
                schemas.append(entry.schema)
                countries.append(where)
            else:
                captions[pos], schemas[pos], countries[pos] = caption, entry.schema, where
            for name, kind in entry.names:
                key = (eid, name)
                if key in seen or not name.strip():
                    continue
                seen.add(key)
                found = lookup(eid, name) if lookup is not None else None
                if found is None:  # normalised below, all at once
                    pending.append(len(r_orig))
                    known = _UNREAD
                    source.append(-1)
                else:
                    source.append(found[0])
                    known = found[1]
                add_eid(eid)
                add_kind(kind)
                add_orig(name)
                add_fold(known[0])
                add_core(known[1])
                add_forms(known[2])
                add_canon(known[3])
            for scheme, value in entry.identifiers:
                ids[0].append(identifier_key(value))
                ids[1].append(eid)
                ids[2].append(scheme)
        if len(pending) == len(r_orig):  # every name is new (no previous catalog read it)
            folded, core, forms = _normalised(r_orig, generic)
            r_fold[:], r_core[:], r_forms[:] = folded, core, forms
        else:
            folded, core, forms = _normalised([r_orig[row] for row in pending], generic)
            for at, row in enumerate(pending):
                r_fold[row], r_core[row], r_forms[row] = folded[at], core[at], forms[at]
        if previous is not None:
            cat._read_rows = pending
        del folded, core, forms, pending
        columns = zip(
            (*cls.ROWS, *Entities.COLUMNS, *cls.IDENTIFIERS),
            (*rows, keys, captions, schemas, countries, *ids),
            strict=True,
        )
        for column, values in columns:
            cat._cols.set_list(column, values)
        cat.entities._position = position
        cat._canon = [None] * len(r_core)
        if previous is not None:
            cat._source = (previous, np.asarray(source, dtype=np.int64))
        return cat

    @classmethod
    def from_store(
        cls, store: Store, generic_words: Sequence[str], previous: Catalog | None = None
    ) -> Catalog:
        """Read every entity with its names, countries and identifiers (names ``previous``
        holds are not read again)."""
        with paused_gc():  # millions of small objects, all kept (see paused_gc)
            with store.view() as view:
                catalog = view.catalog()
            entries = []
            for ent in catalog:
                entity_names = list(ent.names) or [(ent.caption, "primary")]
                if not any(k == "primary" for _, k in entity_names):
                    entity_names = [(ent.caption, "primary"), *entity_names]
                entries.append(
                    Entry(ent.id, entity_names, ent.schema, ent.countries, ent.identifiers)
                )
            del catalog
            return cls.from_entries(entries, generic_words, previous)

    # -- persistence ------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the catalog to ``path`` (a small ``.npz`` naming the columns and their
        lengths) and its columns next to it, in the folder :func:`columns_dir`: each column is
        its strings run together in UTF-8 with their end offsets, one ``.npy`` file each, read
        back memory-mapped, so a process that screens one name reads only the rows it needs."""
        folder = columns_dir(path)
        folder.mkdir(parents=True, exist_ok=True)
        names = (*self.ROWS, *Entities.COLUMNS, *self.IDENTIFIERS)
        lengths = []
        for name in names:
            if name == "canon":
                column = [
                    _pack_canon(c) if c is not None else self.value("canon", row)
                    for row, c in enumerate(self._canon)
                ]
            else:
                column = self._cols.get(name)
            data = [s.encode("utf-8") for s in column]
            text = np.frombuffer(b"".join(data), dtype=np.uint8)
            np.save(folder / f"{name}.text.npy", text, allow_pickle=False)
            ends = np.cumsum([len(d) for d in data], dtype=np.int64)
            np.save(folder / f"{name}.ends.npy", ends, allow_pickle=False)
            lengths.append(len(column))
        keys = self._cols.get("entity_keys")
        order = np.asarray(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int32)
        np.save(folder / "entity_order.npy", order, allow_pickle=False)
        with path.open("wb") as fh:
            np.savez(fh, columns=np.asarray(names), lengths=np.asarray(lengths, dtype=np.int64))

    @classmethod
    def load(cls, path: Path) -> Catalog:
        """Read a catalog written by :meth:`save` (memory-mapped; values are decoded when read,
        columns split when first read whole)."""
        cat = cls()
        names = (*cls.ROWS, *Entities.COLUMNS, *cls.IDENTIFIERS)
        with np.load(path, allow_pickle=False) as manifest:
            listed = [str(n) for n in manifest["columns"]]
            counts = [int(n) for n in manifest["lengths"]]
        if listed != list(names):
            raise ValueError(f"{path}: columns {listed}, expected {list(names)}")
        folder = columns_dir(path)
        lengths = {}
        for name, count in zip(names, counts, strict=True):
            raw = np.load(folder / f"{name}.text.npy", mmap_mode="r", allow_pickle=False)
            ends = np.load(folder / f"{name}.ends.npy", mmap_mode="r", allow_pickle=False)
            last = int(ends[-1]) if len(ends) else 0
            if (
                raw.dtype != np.uint8
                or ends.dtype != np.int64
                or len(ends) != count
                or last != len(raw)
                or (len(ends) and (ends[0] < 0 or np.any(ends[1:] < ends[:-1])))
            ):
                raise ValueError(f"{path}: column {name} is cut")
            cat._cols.set_packed(name, raw, ends)
            lengths[name] = count
        for group in (cls.ROWS, Entities.COLUMNS, cls.IDENTIFIERS):
            if len({lengths[c] for c in group}) != 1:
                raise ValueError(f"{path}: columns {', '.join(group)} of different lengths")
        order = np.load(folder / "entity_order.npy", mmap_mode="r", allow_pickle=False)
        if order.dtype != np.int32 or len(order) != lengths["entity_keys"]:
            raise ValueError(f"{path}: entity order of {len(order)} ids")
        cat.entities.order = order.view(np.ndarray)
        cat._canon = [None] * lengths["cores"]
        return cat


def columns_dir(path: Path) -> Path:
    """The folder holding the columns of the catalog saved at ``path``."""
    return path.with_name(path.stem + "-columns")


#: matcher v2 reads the stored names in worker processes (forked, one per usable core,
#: :func:`~bidvet.forking.usable_cores`) when at least this many need it: a million names
#: take a core about a minute
PARALLEL_NAMES = 50_000
_CHUNK = 20_000

_T = TypeVar("_T")


def _fork_workers(names: int) -> int:
    """How many forked processes share work on ``names`` names: one per core when there are
    :data:`PARALLEL_NAMES` names or more, more than one core and ``fork``; else 1 (this one)."""
    workers = usable_cores()
    if names < PARALLEL_NAMES or workers < 2 or not can_fork():
        return 1
    return workers


_UNREAD = ("", "", "", "")
#: how fast a forked worker normalises names, against this process
WORKER_PACE = 0.7
#: the names forked workers normalise, set just before they start: inherited, never sent
_SHARED_NAMES: list[str] = []


Normals = tuple[list[str], list[str], list[str]]


def _normal_rows(span: tuple[int, int, frozenset[str]]) -> Normals:
    """Folded names, cores and legal forms (joined) of ``_SHARED_NAMES[start:stop]``, as three
    columns."""
    start, stop, generic = span
    folded: list[str] = []
    cores: list[str] = []
    forms: list[str] = []
    add_folded, add_core, add_forms = folded.append, cores.append, forms.append
    for name in _SHARED_NAMES[start:stop]:
        f, c, found = normal_parts(name, generic)
        add_folded(f)
        add_core(c)
        add_forms(" ".join(sorted(found)))
    return folded, cores, forms


def _normalised(names: list[str], generic: frozenset[str]) -> Normals:
    """:func:`_normal_rows` of every name, in order. With :data:`PARALLEL_NAMES` names or more
    and more than one core, forked workers read the first names in chunks while this process
    reads its own share at the end: the workers inherit the names (only the results are sent
    back, which costs less than normalising them here), so the cores share the work."""
    global _SHARED_NAMES
    workers = _fork_workers(len(names))
    _SHARED_NAMES = names
    try:
        if workers < 2:
            return _normal_rows((0, len(names), generic))
        # this process's share: a forked worker reads a name about 1.4 times slower (it
        # copies the memory pages it touches, and sends its rows back)
        cut = len(names) - int(len(names) / (1 + WORKER_PACE * (workers - 1)))
        spans = [(at, min(at + _CHUNK, cut), generic) for at in range(0, cut, _CHUNK)]
        with mp.get_context("fork").Pool(workers - 1) as pool:
            parts = pool.imap(_normal_rows_packed, spans)
            mine = _normal_rows((cut, len(names), generic))
            out: Normals = ([], [], [])
            for packed in parts:
                if packed:
                    fields = packed.split(_FIELD)
                    folded = fields[0::3]
                    out[0].extend(folded)
                    # one string for a core that is its folded name, one for each set of
                    # forms, as when read here: a million names are tens of MB fewer
                    out[1].extend(
                        f if c == f else c for f, c in zip(folded, fields[1::3], strict=True)
                    )
                    out[2].extend(map(sys.intern, fields[2::3]))
            for column, more in zip(out, mine, strict=True):
                column.extend(more)
            return out
    finally:
        _SHARED_NAMES = []


#: between the fields of the rows a worker sends back (folded names, cores and forms are
#: letters, digits and spaces: fold() makes them so)
_FIELD = "\x00"


def _normal_rows_packed(span: tuple[int, int, frozenset[str]]) -> str:
    """:func:`_normal_rows` as one string, row by row: one string is sent back and read far
    faster than lists of short strings."""
    folded, cores, forms = _normal_rows(span)
    return _FIELD.join(_FIELD.join(row) for row in zip(folded, cores, forms, strict=True))


def _pack_all(names: list[str]) -> list[str]:
    """Matcher v2's reading of each name, packed as the saved catalog keeps it."""
    return [_pack_canon(canonical(name)) for name in names]


def _in_workers(func: Callable[[list[str]], list[_T]], names: list[str]) -> list[_T]:
    """``func`` over ``names`` in chunks, in order: by forked worker processes when there are
    :data:`PARALLEL_NAMES` names or more and more than one core, else here (matcher v2 reads
    a name in about 60 µs; normalising one takes about 9 µs, about as long as sending it to
    a worker and reading its result back, so normalising is shared by :func:`_normalised`,
    whose workers are not sent the names)."""
    workers = _fork_workers(len(names))
    if workers < 2:
        return func(names)
    tasks = [names[i : i + _CHUNK] for i in range(0, len(names), _CHUNK)]
    with mp.get_context("fork").Pool(workers) as pool:
        return [item for part in pool.imap(func, tasks) for item in part]


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
