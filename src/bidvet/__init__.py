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
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("bidvet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

from bidvet.store.db import Store

if TYPE_CHECKING:
    from bidvet.assessment.engine import Assessment
    from bidvet.assessment.tender import LoadedTender
    from bidvet.exposure.scan import ExposureResult
    from bidvet.ownership.report import OwnersReport
    from bidvet.screening.engine import Match
    from bidvet.screening.score import Comparison
    from bidvet.sources.loader import LoadSummary
    from bidvet.technology.profile import TechnologyProfile

__all__ = [
    "Store",
    "__version__",
    "assess",
    "compare",
    "install_knowledge",
    "load",
    "owners",
    "profile",
    "questionnaire",
    "scan_exposure",
    "screen",
]


def load(store: Store, path: str | Path, *, format: str | None = None) -> LoadSummary:
    """Import one file (a list, ownership data, contracts or curated YAML) into ``store``.

    The format is detected unless given. The file is written in one transaction: a file that
    fails writes nothing, and loading the same file again changes nothing.
    """
    from bidvet.sources.loader import load_file

    return load_file(store, path, format)


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
    as_of: dt.date | None = None,
    limit: int = 5,
) -> list[Match]:
    """Entities of ``store`` matching ``name``, best first, with their listings as of ``as_of``
    (default today), direct and inherited through owners, and an explanation of each score."""
    from bidvet.screening.engine import Screener

    screener = Screener(store, as_of=as_of)
    return screener.screen(name, country=country, identifiers=identifiers, limit=limit)


def compare(name1: str, name2: str) -> Comparison:
    """How alike two names are: ``score`` (0–1), ``match`` at the default threshold, and why."""
    from bidvet.screening.score import compare_names

    return compare_names(name1, name2)


def owners(store: Store, entity_id: str, *, as_of: dt.date | None = None) -> OwnersReport:
    """Upstream owners of ``entity_id`` with effective shares and paths, listed-owner status
    under each regime (US OFAC 50 %, EU, UK, BIS affiliates), state linkage and ultimate
    controllers, as of ``as_of`` (default today)."""
    from bidvet.dates import today
    from bidvet.ownership.report import owners as owners_report

    return owners_report(store, entity_id, as_of or today())


def assess(
    store: Store,
    tender: LoadedTender | str | Path,
    *,
    as_of: dt.date | None = None,
    framework: str | Path | None = None,
) -> Assessment:
    """Assess every bidder of a tender (a tender YAML file or a loaded tender) as of ``as_of``.

    Reads the store and writes nothing: knowledge the tender expects but the store lacks (the
    bundled reference, the tender's ``knowledge:`` files) is named in each bidder's rationale.
    Turn the result into the ``bidvet-assessment/1`` document with
    :func:`bidvet.assessment.report.build_report`.
    """
    from bidvet.assessment.engine import assess as run

    return run(store, tender, as_of=as_of, framework=framework)


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
    as_of: dt.date | None = None,
) -> ExposureResult:
    """Scan the contract history held in ``store`` (all of it unless ``ocids`` are given) for
    sensitive items supplied by risky suppliers, judged by the framework's criteria."""
    from bidvet.exposure.scan import scan_store

    return scan_store(store, ocids=ocids, as_of=as_of)
