"""Small OFAC SDN XML publications of fictional entries, written for a test.

The names are invented (``FICTIONAL …``); the layout is that of the SDN XML export the
``ofac-sdn-xml`` importer reads (see ``tests/fixtures/sources/sdn_v1.xml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = (
    '<?xml version="1.0" standalone="yes"?>\n'
    '<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">\n'
)


def entry(uid: int, name: str, program: str = "SDGT") -> str:
    return (
        "  <sdnEntry>\n"
        f"    <uid>{uid}</uid>\n"
        f"    <lastName>{escape(name)}</lastName>\n"
        "    <sdnType>Entity</sdnType>\n"
        f"    <programList><program>{program}</program></programList>\n"
        "    <akaList><aka>\n"
        f"      <uid>{uid + 500000}</uid><type>a.k.a.</type><category>strong</category>\n"
        f"      <lastName>{escape(name)} TRADING</lastName>\n"
        "    </aka></akaList>\n"
        "    <addressList><address>\n"
        f"      <uid>{uid + 700000}</uid><city>Port Imaginary</city><country>Panama</country>\n"
        "    </address></addressList>\n"
        "  </sdnEntry>\n"
    )


def write_sdn(path: Path, published: dt.date, entries: Iterable[tuple[int, str]]) -> Path:
    """Write an SDN publication of ``(uid, name)`` entries, published on ``published``."""
    rows = list(entries)
    body = "".join(entry(uid, name) for uid, name in rows)
    path.write_text(
        HEAD
        + "  <publshInformation>\n"
        + f"    <Publish_Date>{published:%m/%d/%Y}</Publish_Date>\n"
        + f"    <Record_Count>{len(rows)}</Record_Count>\n"
        + "  </publshInformation>\n"
        + body
        + "</sdnList>\n",
        encoding="utf-8",
    )
    return path


def fictional_entries(count: int, start: int = 800000) -> list[tuple[int, str]]:
    """``count`` entries with invented names, uids from ``start``."""
    return [(start + i, f"FICTIONAL VESSEL HOLDING {i:06d} LTD") for i in range(count)]
