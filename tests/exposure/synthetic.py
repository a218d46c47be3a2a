"""A synthetic contract history with fictional suppliers, some risky and some clean.

Every name is invented. The generator knows the truth it planted (which supplier is risky and
since when, which item is sensitive), so tests can compare the scan with it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCE = {"title": "Fictional test data"}


@dataclass(frozen=True)
class Supplier:
    party_id: str
    name: str
    country: str
    risky_since: dt.date | None  # None: clean; date.min: risky with no known start
    identifier: str | None = None


SUPPLIERS = (
    # listed directly on a fictional Entity List entry from 2021-06-01
    Supplier(
        "vantor",
        "Vantor Detection Systems Ltd",
        "United Kingdom",
        dt.date(2021, 6, 1),
        "GB99887766",
    ),
    # a listed owner (US OFAC SDN 50 % rule) acquires 60 % on 2022-01-01
    Supplier("quill", "Quillfeather Optics Ltd", "Ireland", dt.date(2022, 1, 1)),
    # state-owned enterprise (topic gov.soe)
    Supplier("kestrel", "Kestrel Vision Corporation", "Russia", dt.date.min),
    # jurisdiction with a compelled-cooperation law (bidvet/data/jurisdictions.yaml)
    # risky from the National Intelligence Law as amended on 2018-04-27 (data/jurisdictions.yaml)
    Supplier("lumen", "Lumengate Screening Technology Co Ltd", "China", dt.date(2018, 4, 27)),
    Supplier("borealis", "Borealis Scanning Oy", "Finland", None, "FI12345678"),
    Supplier("tarn", "Tarn Holdings Ltd", "United Kingdom", None),
    Supplier("fjord", "Fjordline Security AS", "Norway", None),
    Supplier("marram", "Marram Systems Ltd", "Ireland", None),
)
SENSITIVE = (
    "Hold baggage X-ray screening systems",
    "Full-body security scanners",
    "Biometric e-gates with fingerprint readers",
    "Network video recorder and CCTV cameras",
    "Maintenance of X-ray baggage scanners",
)
NOT_SENSITIVE = ("Catering services", "Cleaning services", "Road resurfacing works")
BUYERS = ("Fictional Border Agency", "Fictional Embassy Services", "Fictional Prison Service")


def knowledge(path: Path) -> Path:
    """Curated YAML describing the suppliers (and the listed owner) in the knowledge store."""
    iso = {
        "United Kingdom": "gb",
        "Ireland": "ie",
        "Russia": "ru",
        "China": "cn",
        "Finland": "fi",
        "Norway": "no",
    }
    entities = []
    for s in SUPPLIERS:
        ent: dict[str, object] = {
            "id": f"fx-{s.party_id}",
            "schema": "Company",
            "names": [s.name],
            "countries": [{"country": iso[s.country], "role": "jurisdiction"}],
            "source": SOURCE,
        }
        if s.identifier:
            ent["identifiers"] = [{"scheme": "registration", "value": s.identifier}]
        if s.party_id == "kestrel":
            ent["topics"] = ["gov.soe"]
        entities.append(ent)
    entities.append(
        {
            "id": "fx-vostok",
            "schema": "Company",
            "names": ["Vostok Strategic Industries JSC"],
            "countries": ["ru"],
            "source": SOURCE,
        }
    )
    doc = {
        "bidvet": "curated/1",
        "dataset": "test-synthetic-history",
        "fictional": True,
        "title": "Fictional suppliers for the synthetic contract history",
        "entities": entities,
        "listings": [
            {
                "entity": "fx-vantor",
                "list": "us-bis-entity",
                "list_name": "Fictional Entity List",
                "program": "TEST-EL",
                "start_date": dt.date(2021, 6, 1),
                "source": SOURCE,
            },
            {
                "entity": "fx-vostok",
                "list": "us-ofac-sdn",
                "list_name": "Fictional SDN entry",
                "program": "TEST-SDN",
                "start_date": dt.date(2018, 1, 1),
                "source": SOURCE,
            },
        ],
        "ownership": [
            {
                "owner": "fx-vostok",
                "asset": "fx-quill",
                "share": 60,
                "start_date": dt.date(2022, 1, 1),
                "source": SOURCE,
            },
        ],
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Planted:
    ocid: str
    supplier: Supplier
    description: str
    date: dt.date

    @property
    def risky_sensitive(self) -> bool:
        return self.supplier.risky_since is not None and self.description in SENSITIVE

    @property
    def timing(self) -> str:
        since = self.supplier.risky_since
        if since is None or since == dt.date.min:
            return "unknown"  # a state topic or a law: no start date to compare with
        return "at-award" if since <= self.date else "arose-later"


def history(path: Path, n: int = 240) -> list[Planted]:
    """An OCDS release package of ``n`` contracts cycling through suppliers, items, years."""
    items = SENSITIVE + NOT_SENSITIVE
    releases, planted = [], []
    for i in range(n):
        sup = SUPPLIERS[i % len(SUPPLIERS)]
        desc = items[(i // len(SUPPLIERS)) % len(items)]
        date = dt.date(2019 + i % 6, 1 + i % 12, 1 + i % 27)
        buyer = BUYERS[i % len(BUYERS)]
        ocid = f"ocds-fx9999-{i:05d}"
        party: dict[str, object] = {
            "id": sup.party_id,
            "name": sup.name,
            "roles": ["supplier"],
            "address": {"countryName": sup.country},
        }
        if sup.identifier:
            party["identifier"] = {"scheme": "XX-REG", "id": sup.identifier}
        releases.append(
            {
                "ocid": ocid,
                "id": f"{ocid}-1",
                "date": f"{date.isoformat()}T00:00:00Z",
                "tag": ["award", "contract"],
                "buyer": {"id": "b", "name": buyer},
                "parties": [{"id": "b", "name": buyer, "roles": ["buyer"]}, party],
                "awards": [
                    {
                        "id": "a1",
                        "status": "active",
                        "date": date.isoformat(),
                        "suppliers": [{"id": sup.party_id, "name": sup.name}],
                    }
                ],
                "contracts": [
                    {
                        "id": "c1",
                        "awardID": "a1",
                        "dateSigned": date.isoformat(),
                        "value": {"amount": 1000 * (i + 1), "currency": "EUR"},
                        "items": [{"id": "1", "description": desc}],
                    }
                ],
            }
        )
        planted.append(Planted(ocid, sup, desc, date))
    package = {
        "version": "1.1",
        "publishedDate": "2025-01-01T00:00:00Z",
        "publisher": {"name": "Fictional publisher"},
        "releases": releases,
    }
    path.write_text(json.dumps(package), encoding="utf-8")
    return planted
