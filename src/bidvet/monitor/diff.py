"""``bidvet diff``: what changed between two snapshots of a dataset.

List entries are compared exactly: every snapshot keeps the entries it carried
(``listing_presence``). An entry is one entity on one list; it is *added* when only the newer
snapshot carries it, *removed* when only the older one does, and *changed* when its programmes,
its published start/end dates or its reason differ, or the newer snapshot gave it names the store
did not hold before. Removals are only told for a dataset published as complete lists: when the
newer snapshot is not a complete list (the CSL, an FtM export), an entry missing from it may still
be listed, and the diff says so instead of calling it removed.

Ownership edges and events are stored once each, with the snapshot that last wrote them, so the
diff can name the edges and events the newer snapshot carried and those last written by the older
one that the newer one did not carry (when it was loaded after it) — not which carried ones are new
or what they changed from. The output says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bidvet.errors import NotFoundError, UsageError
from bidvet.model.facts import SnapshotInfo
from bidvet.store.db import Store
from bidvet.store.diffs import (
    PresenceRow,
    count_keyed,
    dataset_snapshots,
    datasets,
    keyed_rows,
    names_first_given_by,
    presence,
)


@dataclass(frozen=True)
class SnapshotRef:
    id: int
    published: dt.date | None
    file_name: str
    complete_list: bool

    @classmethod
    def of(cls, snap: SnapshotInfo) -> SnapshotRef:
        return cls(snap.id, snap.published, snap.file_name, snap.complete_list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "published": self.published,
            "file": self.file_name,
            "complete_list": self.complete_list,
        }

    def label(self) -> str:
        date = self.published.isoformat() if self.published else "undated"
        return f"snapshot {self.id} ({date}, {self.file_name})"


@dataclass(frozen=True)
class Entry:
    """One entity on one list, as one snapshot carried it."""

    entity_id: str
    name: str
    programs: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "programs": list(self.programs),
            "start_date": self.start_date,
            "end_date": self.end_date,
        }


@dataclass(frozen=True)
class FieldChange:
    field: str  #: programs | start_date | end_date | reason | names
    program: str | None  #: the programme a date or reason belongs to
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "program": self.program,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True)
class EntryChange:
    entity_id: str
    name: str
    changes: tuple[FieldChange, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass
class ListDiff:
    list_id: str
    list_name: str
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    #: entries the older snapshot carried and the newer one does not, when that is no removal
    not_in_newer: list[Entry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "list_name": self.list_name,
            "added": [e.as_dict() for e in self.added],
            "removed": [e.as_dict() for e in self.removed],
            "changed": [c.as_dict() for c in self.changed],
            "not_in_newer": [e.as_dict() for e in self.not_in_newer],
        }


@dataclass
class KeyedDiff:
    """Ownership edges or events: what can be told from one stored version per key."""

    kind: str  #: ownership | events
    carried_by_newer: list[dict[str, Any]]
    not_carried_by_newer: list[dict[str, Any]] | None  #: None when it cannot be told
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "carried_by_newer": self.carried_by_newer,
            "not_carried_by_newer": self.not_carried_by_newer,
            "note": self.note,
        }


@dataclass
class DatasetDiff:
    dataset: str
    from_snapshot: SnapshotRef | None
    to_snapshot: SnapshotRef
    #: whether entries missing from the newer snapshot are removals
    removals_known: bool
    lists: list[ListDiff]
    ownership: KeyedDiff | None
    events: KeyedDiff | None
    notes: list[str]

    @property
    def changed(self) -> bool:
        return any(ld.added or ld.removed or ld.changed for ld in self.lists)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "from": self.from_snapshot.as_dict() if self.from_snapshot else None,
            "to": self.to_snapshot.as_dict(),
            "removals_known": self.removals_known,
            "lists": [ld.as_dict() for ld in self.lists],
            "ownership": self.ownership.as_dict() if self.ownership else None,
            "events": self.events.as_dict() if self.events else None,
            "notes": self.notes,
        }


_Key = tuple[str, str]


def _entries(rows: list[PresenceRow]) -> dict[_Key, list[PresenceRow]]:
    out: dict[_Key, list[PresenceRow]] = defaultdict(list)
    for row in rows:
        out[(row.list_id, row.entity_id)].append(row)
    return out


def _entry(rows: list[PresenceRow]) -> Entry:
    starts = [r.start_date for r in rows if r.start_date is not None]
    ends = [r.end_date for r in rows if r.end_date is not None]
    return Entry(
        entity_id=rows[0].entity_id,
        name=rows[0].caption,
        programs=tuple(sorted(r.program for r in rows)),
        start_date=min(starts) if starts else None,
        end_date=max(ends) if ends else None,
    )


def _changes(before: list[PresenceRow], after: list[PresenceRow]) -> list[FieldChange]:
    out: list[FieldChange] = []
    old = {r.program: r for r in before}
    new = {r.program: r for r in after}
    if set(old) != set(new):
        out.append(FieldChange("programs", None, sorted(old), sorted(new)))
    for program in sorted(set(old) & set(new)):
        for name in ("start_date", "end_date", "reason"):
            a, b = getattr(old[program], name), getattr(new[program], name)
            if a != b:
                out.append(FieldChange(name, program or None, a, b))
    return out


def _pick(
    snaps: list[SnapshotInfo], dataset: str, wanted: int | None, option: str
) -> SnapshotInfo | None:
    if wanted is None:
        return None
    for snap in snaps:
        if snap.id == wanted:
            return snap
    held = ", ".join(str(s.id) for s in snaps)
    raise UsageError(
        f"{option} {wanted}: not a snapshot of {dataset}",
        fix=f"use one of its snapshots: {held} (`bidvet status` lists them)",
    )


def _keyed(
    store: Store, kind: str, dataset: str, old: SnapshotInfo | None, new: SnapshotInfo
) -> KeyedDiff | None:
    if count_keyed(store, kind, dataset) == 0:
        return None
    what = "edge" if kind == "ownership" else "event"
    carried = [_summary(kind, row) for row in keyed_rows(store, kind, dataset, [new.id])]
    note = (
        f"the store keeps one version of each {what} (the last loaded), so which of those the "
        f"newer snapshot carried are new, and what a changed {what} was before, cannot be told"
    )
    gone: list[dict[str, Any]] | None = None
    if old is None:
        gone = []
    elif new.id > old.id:
        gone = [_summary(kind, row) for row in keyed_rows(store, kind, dataset, [old.id])]
    elif old is not None:
        note += (
            f"; the newer snapshot was loaded before the older one, so the {what}s it no longer "
            "carries cannot be told either"
        )
    return KeyedDiff(kind, carried, gone, note)


def _summary(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    names: tuple[str, ...]
    if kind == "ownership":
        names = ("key", "owner_id", "asset_id", "kind", "share", "start_date", "end_date")
    else:
        names = ("key", "entity_id", "kind", "date", "summary")
    return {name: row[name] for name in names}


def diff_dataset(
    store: Store,
    dataset: str,
    from_snapshot: int | None = None,
    to_snapshot: int | None = None,
) -> DatasetDiff:
    """Compare two snapshots of ``dataset`` (default: the last two by publication date).

    With a single snapshot (or ``to_snapshot`` the first), everything it carries is added.
    """
    snaps = dataset_snapshots(store, dataset)
    if not snaps:
        known = ", ".join(datasets(store)) or "none loaded"
        raise NotFoundError(
            f"no snapshot of dataset {dataset!r}", fix=f"use a dataset that is loaded: {known}"
        )
    new = _pick(snaps, dataset, to_snapshot, "--to") or snaps[-1]
    old = _pick(snaps, dataset, from_snapshot, "--from")
    if old is None and from_snapshot is None:
        earlier = snaps[: snaps.index(new)]
        old = earlier[-1] if earlier else None
    if old is not None and old.id == new.id:
        raise UsageError(f"--from and --to are both snapshot {new.id}", fix="give two snapshots")
    notes: list[str] = []
    if old is None:
        notes.append(f"{dataset} has no earlier snapshot: everything the snapshot carries is new")
    removals_known = new.complete_list
    if not removals_known:
        notes.append(
            f"{dataset} is not published as a complete list, so an entry missing from the newer "
            "snapshot may still be listed: such entries are under not_in_newer, not removed"
        )
    old_rows = _entries(presence(store, old.id)) if old is not None else {}
    new_rows = _entries(presence(store, new.id))
    kept = sorted(set(old_rows) & set(new_rows))
    new_names: dict[str, list[str]] = {}
    if old is not None and new.id > old.id:
        # names are stored once, with the snapshot that first gave them
        between = [s.id for s in snaps if old.id < s.id <= new.id]
        new_names = names_first_given_by(store, between, {eid for _, eid in kept})
    elif old is not None:
        notes.append(
            "the newer snapshot was loaded before the older one, so names it added cannot be told"
        )
    by_list: dict[str, ListDiff] = {}

    def list_diff(key: _Key, rows: list[PresenceRow]) -> ListDiff:
        if key[0] not in by_list:
            by_list[key[0]] = ListDiff(key[0], rows[0].list_name)
        return by_list[key[0]]

    for key in sorted(set(new_rows) - set(old_rows)):
        list_diff(key, new_rows[key]).added.append(_entry(new_rows[key]))
    for key in sorted(set(old_rows) - set(new_rows)):
        target = list_diff(key, old_rows[key])
        (target.removed if removals_known else target.not_in_newer).append(_entry(old_rows[key]))
    for key in kept:
        changes = _changes(old_rows[key], new_rows[key])
        names = new_names.get(key[1])
        if names:
            changes.append(FieldChange("names", None, None, names))
        if changes:
            row = new_rows[key][0]
            list_diff(key, new_rows[key]).changed.append(
                EntryChange(row.entity_id, row.caption, tuple(changes))
            )
    return DatasetDiff(
        dataset=dataset,
        from_snapshot=SnapshotRef.of(old) if old is not None else None,
        to_snapshot=SnapshotRef.of(new),
        removals_known=removals_known,
        lists=[by_list[k] for k in sorted(by_list)],
        ownership=_keyed(store, "ownership", dataset, old, new),
        events=_keyed(store, "events", dataset, old, new),
        notes=notes,
    )
