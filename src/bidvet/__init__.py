"""bidvet: security vetting of bidders and technology for sensitive government procurement.

The public Python API. The command line and the workspace are thin layers over these:

>>> import bidvet
>>> store = bidvet.Store("sqlite:///:memory:")        # doctest: +SKIP
>>> bidvet.screen(store, "Hangzhou Hikvision")        # doctest: +SKIP

Each function is documented in ``docs/python-api.md``, whose examples run as tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bidvet.store.db import Store

    __version__: str
    from bidvet.assessment.engine import Assessment
    from bidvet.assessment.tender import LoadedTender
    from bidvet.exposure.scan import ExposureResult
    from bidvet.monitor.diff import DatasetDiff
    from bidvet.monitor.notify import NotifyConfig
    from bidvet.monitor.run import MonitorRun
    from bidvet.monitor.update import SourceUpdate
    from bidvet.ownership.report import OwnersReport
    from bidvet.screening.engine import Match
    from bidvet.screening.score import Comparison
    from bidvet.sources.loader import LoadSummary
    from bidvet.store.monitoring import AlertRow, WatchRow
    from bidvet.technology.profile import TechnologyProfile

__all__ = [
    "Store",
    "__version__",
    "acknowledge_alert",
    "alerts",
    "assess",
    "compare",
    "diff_dataset",
    "install_knowledge",
    "load",
    "monitor_once",
    "owners",
    "profile",
    "questionnaire",
    "scan_exposure",
    "screen",
    "unwatch",
    "update",
    "watch_contract",
    "watch_tender",
    "watches",
]


def __getattr__(name: str) -> Any:
    """``Store`` and ``__version__``, read when first asked for: importing ``bidvet`` loads
    neither SQLAlchemy nor the package metadata, so the ``bidvet`` program tunes the
    interpreter before the command's modules are imported (:mod:`bidvet.program`)."""
    if name == "Store":
        from bidvet.store.db import Store

        value: Any = Store
    elif name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("bidvet")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0.0.0"
    else:
        raise AttributeError(f"module 'bidvet' has no attribute {name!r}")
    globals()[name] = value
    return value


def _day(value: dt.date | str | None, what: str = "as_of") -> dt.date | None:
    """``as_of`` (or the argument ``what``) as a date: a date, an ISO ``YYYY-MM-DD`` string or
    ``None`` (today); a datetime counts as its date. Anything else is an error that says what
    to give."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a date; write it as YYYY-MM-DD") from None
    raise TypeError(f"{what} must be a date or a YYYY-MM-DD string, not {type(value).__name__}")


def load(
    store: Store,
    path: str | Path,
    *,
    format: str | None = None,
    published: dt.date | str | None = None,
) -> LoadSummary:
    """Import one file (a list, ownership data, contracts or curated YAML) into ``store``.

    The format is detected unless given. The file is written in one transaction: a file that
    fails writes nothing, and loading the same file again changes nothing. ``published``: the
    publication date of a file that states none (a Consolidated Screening List export), so its
    undated entries count from that date (:func:`bidvet.sources.loader.load_file`).
    """
    from bidvet.sources.loader import load_file

    day = _day(published, "published")
    return load_file(store, path, format, published=day)


def install_knowledge(store: Store) -> list[LoadSummary]:
    """Load the bundled, cited reference knowledge into ``store`` (explicit; never implied)."""
    from bidvet.assessment.knowledge import install_reference

    return install_reference(store)


def screen(
    store: Store,
    name: str,
    *,
    country: str | None = None,
    identifiers: Sequence[str] = (),
    as_of: dt.date | str | None = None,
    limit: int = 5,
) -> list[Match]:
    """Entities of ``store`` matching ``name``, best first, with their listings as of ``as_of``
    (default today), direct and inherited through owners, and an explanation of each score.
    Records judged the same legal person come back as one result with all their listings."""
    from bidvet.resolution.clusters import group_matches
    from bidvet.screening.engine import Screener

    screener = Screener(store, as_of=_day(as_of))
    found = screener.screen(name, country=country, identifiers=identifiers, limit=limit)
    return group_matches(store, found, screener.as_of)


def compare(name1: str, name2: str, *, person: bool = False) -> Comparison:
    """How alike two names are: ``score`` (0–1), ``match`` at the default threshold, and why.
    ``person``: as people's names, the way screening compares a query with a listed person
    (one spelling of Cyrillic transliterations: ``Aleksey`` / ``Alexey``)."""
    from bidvet.screening.score import compare_names

    return compare_names(name1, name2, person=person)


def owners(store: Store, entity_id: str, *, as_of: dt.date | str | None = None) -> OwnersReport:
    """Upstream owners of ``entity_id`` with effective shares and paths, listed-owner status
    under each regime (US OFAC 50 %, EU, UK, BIS affiliates), state linkage and ultimate
    controllers, as of ``as_of`` (default today)."""
    from bidvet.dates import today
    from bidvet.ownership.report import owners as owners_report

    return owners_report(store, entity_id, _day(as_of) or today())


def assess(
    store: Store,
    tender: LoadedTender | str | Path,
    *,
    as_of: dt.date | str | None = None,
    framework: str | Path | None = None,
) -> Assessment:
    """Assess every bidder of a tender (a tender YAML file or a loaded tender) as of ``as_of``.

    Reads the store and writes nothing: knowledge the tender expects but the store lacks (the
    bundled reference, the tender's ``knowledge:`` files) is named in each bidder's rationale.
    Turn the result into the ``bidvet-assessment/1`` document with
    :func:`bidvet.assessment.report.build_report`.
    """
    from bidvet.assessment.engine import assess as run

    return run(store, tender, as_of=_day(as_of), framework=framework)


def questionnaire(tender: str | Path) -> dict[str, Any]:
    """The questions to put to the bidders of a tender (``bidvet-questionnaire/1``)."""
    from bidvet.assessment.questionnaire import build_questionnaire

    return build_questionnaire(tender)


def profile(
    description: str,
    *,
    codes: Sequence[str] = (),
    site: str | None = None,
    explicit: dict[str, Any] | None = None,
) -> TechnologyProfile:
    """The data-risk profile of one item: features, exposure channels, tier and controls."""
    from bidvet.technology.profile import profile_item

    return profile_item(description, codes=codes, site=site, explicit=explicit)


def scan_exposure(
    store: Store,
    *,
    ocids: Iterable[str] | None = None,
    as_of: dt.date | str | None = None,
) -> ExposureResult:
    """Scan the contract history held in ``store`` (all of it unless ``ocids`` are given) for
    sensitive items supplied by risky suppliers, judged by the framework's criteria."""
    from bidvet.exposure.scan import scan_store

    return scan_store(store, ocids=ocids, as_of=_day(as_of))


# -- monitoring -------------------------------------------------------------------------------
def update(
    store: Store,
    sources: Iterable[str] | None = None,
    *,
    from_dir: str | Path | None = None,
    urls: dict[str, str] | None = None,
) -> list[SourceUpdate]:
    """Fetch the official sources of ``data/sources.yaml`` (all with a URL, or ``sources``)
    and load each new publication as a new snapshot; with ``from_dir``, read them from files
    carried in instead (no network). ``urls`` overrides a source's URL. One result per source;
    a source that fails is reported and the others still run."""
    from bidvet.monitor.update import update as run

    return run(store, sources, from_dir=from_dir, urls=urls)


def diff_dataset(
    store: Store,
    dataset: str,
    from_snapshot: int | None = None,
    to_snapshot: int | None = None,
) -> DatasetDiff:
    """What changed in ``dataset`` between two snapshots (default: its last two): list entries
    added, removed and changed, per list, and the ownership edges and events carried."""
    from bidvet.monitor.diff import diff_dataset as run

    return run(store, dataset, from_snapshot, to_snapshot)


def watch_tender(
    store: Store,
    tender: str | Path,
    *,
    awarded_to: str | None = None,
    award_date: dt.date | None = None,
    actor: str | None = None,
) -> int:
    """Put a tender under watch: awarded to bidder ``awarded_to`` on ``award_date`` (the
    decision is recorded as of that date), or open. Audited with ``actor`` (default: the login
    name). Returns the watch id."""
    from bidvet.monitor.watch import add_tender_watch

    return add_tender_watch(
        store, tender, awarded_to=awarded_to, award_date=award_date, actor=actor
    )


def watch_contract(store: Store, ocid: str, *, actor: str | None = None) -> int:
    """Put a contract of the store's contract history under watch, decided as of its award
    date by the exposure scan. Audited with ``actor``. Returns the watch id."""
    from bidvet.monitor.watch import add_contract_watch

    return add_contract_watch(store, ocid, actor=actor)


def watches(store: Store) -> list[WatchRow]:
    """Every watch, with the decision it was awarded on and its last assessment."""
    from bidvet.store import monitoring

    return monitoring.watches(store)


def unwatch(store: Store, watch_id: int, *, actor: str | None = None) -> None:
    """Stop watching ``watch_id`` (its alerts go with it). Audited with ``actor``."""
    from bidvet.monitor.watch import remove_watch

    remove_watch(store, watch_id, actor=actor)


def monitor_once(
    store: Store,
    sources: Iterable[str] | None = None,
    *,
    from_dir: str | Path | None = None,
    urls: dict[str, str] | None = None,
    notify: NotifyConfig | None = None,
    as_of: dt.date | str | None = None,
) -> MonitorRun:
    """One monitoring pass, as ``bidvet monitor`` (named so as not to hide the
    :mod:`bidvet.monitor` package): update the sources, diff what was loaded,
    re-assess the watches the new data or the passing of time can affect as of ``as_of``
    (default today), raise alerts (and ``stale-source`` alerts for overdue sources a watched
    buyer expects) and deliver them on ``notify``'s channels. A second pass raises nothing."""
    from bidvet.monitor.run import monitor as run

    return run(store, sources, from_dir=from_dir, urls=urls, notify=notify, as_of=_day(as_of))


def alerts(store: Store, *, include_acknowledged: bool = False) -> list[AlertRow]:
    """The open alerts (with ``include_acknowledged``, all), oldest first."""
    from bidvet.store import monitoring

    return monitoring.alerts(store, include_acknowledged=include_acknowledged)


def acknowledge_alert(store: Store, alert_id: int, *, by: str, note: str) -> AlertRow:
    """Acknowledge ``alert_id`` with ``note``; recorded in the audit log with ``by``."""
    from bidvet.monitor.alerts import record_acknowledgement

    return record_acknowledgement(store, alert_id, by=by, note=note)
