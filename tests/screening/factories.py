"""Tiny factories: fictional entities and listings written through the store's one writer."""

from __future__ import annotations

import datetime as dt
import hashlib

from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    EntityRecord,
    IdentifierRecord,
    ImportBatch,
    ListingRecord,
    NameRecord,
)
from bidvet.store.db import Store
from bidvet.store.writer import write_batch


def entity(
    eid: str,
    *names: str,
    schema: str = "Company",
    countries: tuple[str, ...] = (),
    lei: str | None = None,
    original: str | None = None,
) -> EntityRecord:
    recs = [NameRecord(names[0], "primary"), *(NameRecord(n, "alias") for n in names[1:])]
    if original:
        recs.append(NameRecord(original, "original"))
    idents = [IdentifierRecord("lei", lei, lei)] if lei else []
    return EntityRecord(
        id=eid,
        schema=schema,
        names=recs,
        identifiers=idents,
        countries=[(c, "jurisdiction") for c in countries],
    )


def fictional_entities() -> list[EntityRecord]:
    return [
        entity(
            "test-borealis",
            "Borealis Scanning Oy",
            "Borealis Imaging",
            countries=("fi",),
            lei="529900T8BM49AURSDO55",
        ),
        entity("test-tarn", "Tarn Holdings Ltd", countries=("gb",)),
        entity("test-tarnis", "Tarnis LLC", countries=("ru",), original="ООО Тарнис"),
        entity(
            "test-aurora",
            "Northern Aurora Detection Technology Co., Ltd.",
            countries=("cn",),
            original="北极光探测技术有限公司",
        ),
        entity("test-quill", "Quillon Border Systems GmbH", countries=("de",)),
        entity("test-person", "Marten Velkaro", schema="Person"),
    ]


def fictional_listings() -> list[ListingRecord]:
    return [
        ListingRecord(
            "test-borealis",
            "us-bis-entity",
            "Entity List (EL) - Bureau of Industry and Security",
            program="EAR",
            authority="US BIS",
            start_date=dt.date(2020, 12, 18),
            source_url="https://example.org/el",
        ),
        ListingRecord(
            "test-tarn",
            "eu-fsf",
            "EU Financial Sanctions File",
            program="TEST",
            start_date=dt.date(2015, 1, 1),
            end_date=dt.date(2022, 1, 1),
        ),
        ListingRecord("test-aurora", "us-ofac-cons", "OFAC consolidated", program="CMIC-EO13959"),
    ]


def load_fictional(store: Store, published: dt.date = dt.date(2024, 5, 1)) -> None:
    """Write the fictional entities and listings as one snapshot."""
    batch = ImportBatch(
        dataset="test-list",
        format="test",
        quality=QualityLog("fictional.yaml"),
        published=published,
        entities=fictional_entities(),
        listings=fictional_listings(),
        imported=6,
    )
    digest = hashlib.sha256(f"fictional-{published}".encode()).hexdigest()
    with store.transaction() as conn:
        write_batch(
            conn,
            batch,
            file_name="fictional.yaml",
            sha256=digest,
            now=dt.datetime(2026, 11, 25, 12, 0, 0),
        )
