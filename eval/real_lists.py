"""Read the official lists in ../shared/data straight into screening catalog entries.

The evaluation must not depend on the importers being loaded into a store, so this small reader
takes only what screening needs from each file: entity id, names (with kind), schema, countries
and identifiers. Ids are namespaced the way the importers namespace them (``ofac-36``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from bidvet.screening.catalog import Entry

OFAC_NS = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML}"
EU_NS = "{http://eu.europa.ec/fpi/fsd/export}"


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def ofac_entries(path: Path, prefix: str) -> Iterator[Entry]:
    """OFAC SDN or consolidated non-SDN XML (same schema)."""
    n = OFAC_NS
    for _, el in etree.iterparse(str(path), tag=f"{n}sdnEntry"):
        uid = _text(el.find(f"{n}uid"))
        kind = _text(el.find(f"{n}sdnType"))
        schema = {"Individual": "Person", "Entity": "Organization"}.get(kind, kind or "Thing")

        def full(node: etree._Element) -> str:
            first = _text(node.find(f"{n}firstName"))
            last = _text(node.find(f"{n}lastName"))
            return f"{first} {last}".strip() if first else last

        names = [(full(el), "primary")]
        for aka in el.iterfind(f"{n}akaList/{n}aka"):
            weak = _text(aka.find(f"{n}category")) == "weak"
            names.append((full(aka), "weak" if weak else "alias"))
        countries: list[str] = []
        idents = []
        for idn in el.iterfind(f"{n}idList/{n}id"):
            value = _text(idn.find(f"{n}idNumber"))
            if value:
                idents.append((_text(idn.find(f"{n}idType")), value))
        yield Entry(f"{prefix}-{uid}", names, schema, countries, idents)
        el.clear()


def eu_entries(path: Path) -> Iterator[Entry]:
    """EU Financial Sanctions File XML."""
    n = EU_NS
    for _, el in etree.iterparse(str(path), tag=f"{n}sanctionEntity"):
        subject = el.find(f"{n}subjectType")
        code = subject.get("code") if subject is not None else ""
        schema = "Person" if code == "person" else "Organization"
        names: list[tuple[str, str]] = []
        for alias in el.iterfind(f"{n}nameAlias"):
            whole = (alias.get("wholeName") or "").strip()
            if not whole:
                continue
            lang = alias.get("nameLanguage") or ""
            kind = "alias" if names else "primary"
            if lang and not whole.isascii():
                kind = "original"
            names.append((whole, kind))
        countries = sorted(
            {
                (c.get("countryIso2Code") or "").lower()
                for c in el.iterfind(f"{n}citizenship")
                if c.get("countryIso2Code") not in (None, "", "00")
            }
        )
        if names:
            yield Entry(f"eu-fsf-{el.get('logicalId')}", names, schema, countries)
        el.clear()


def un_entries(path: Path) -> Iterator[Entry]:
    """UN Security Council consolidated XML: individuals and entities."""
    for tag, schema in (("INDIVIDUAL", "Person"), ("ENTITY", "Organization")):
        tree = etree.iterparse(str(path), tag=tag)
        for _, el in tree:
            parts = [
                _text(el.find(t))
                for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            ]
            names = [(" ".join(p for p in parts if p), "primary")]
            original = _text(el.find("NAME_ORIGINAL_SCRIPT"))
            if original:
                names.append((original, "original"))
            for alias in el.iterfind(f"{tag}_ALIAS"):
                value = _text(alias.find("ALIAS_NAME"))
                if value:
                    weak = _text(alias.find("QUALITY")) in ("Low", "low")
                    names.append((value, "weak" if weak else "alias"))
            yield Entry(f"un-{_text(el.find('DATAID'))}", names, schema)
            el.clear()


def csl_entries(path: Path) -> Iterator[Entry]:
    """trade.gov Consolidated Screening List CSV (repeated header rows are skipped)."""
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["_id"] == "_id":
                continue
            schema = {"Individual": "Person", "Entity": "Organization"}.get(
                row["type"], "Organization"
            )
            names = [(row["name"], "primary")]
            names += [
                (a.strip(), "alias") for a in (row["alt_names"] or "").split(";") if a.strip()
            ]
            idents = []
            for part in (row["ids"] or "").split(";"):
                bits = [b.strip() for b in part.split(",")]
                if len(bits) >= 2 and "USCC" in bits[0]:
                    idents.append(("uscc", bits[1]))
            yield Entry(f"csl-{row['_id']}", names, schema, (), idents)


def all_entries(data: Path) -> list[Entry]:
    """Every entry of the five official files."""
    lists = data / "official-lists-2024"
    out: list[Entry] = []
    out += ofac_entries(lists / "sdn.xml", "ofac")
    out += ofac_entries(lists / "consolidated.xml", "ofac-cons")
    out += eu_entries(lists / "eu_fsf_20240513-FULL-1_1.xml")
    out += un_entries(lists / "un_consolidated.xml")
    out += csl_entries(data / "us-csl-2023" / "csl.csv")
    return out
