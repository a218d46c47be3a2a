"""Valid small input files, one per importer, that the fuzzer mutates.

Shapes come from the fixtures in ``tests/fixtures`` (fictional names) and, for the EU, UN and
GLEIF formats, from the layout of the real files in ``shared/data`` rewritten with fictional
subjects; every seed is written out here, so no data file is copied.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass(frozen=True)
class Seed:
    """One target: a format and how to lay its valid file (with any siblings) in a folder."""

    format: str
    name: str
    text: bytes
    siblings: tuple[tuple[str, bytes], ...] = ()

    def write(self, folder: Path, body: bytes) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.siblings:
            (folder / name).write_bytes(data)
        path = folder / self.name
        path.write_bytes(body)
        return path


EU_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-05-13T09:00:00">
<sanctionEntity designationDate="2022-03-15" logicalId="77001" euReferenceNumber="EU.1.01">
<regulation programme="TST" publicationDate="2022-03-15">
<publicationUrl>https://eur-lex.example/a</publicationUrl></regulation>
<subjectType code="enterprise"/>
<nameAlias wholeName="Fenwick Marlow Trading" strong="true" nameLanguage="EN"/>
<nameAlias wholeName="Fenwick Marlow" strong="false"/>
<address countryIso2Code="FI" countryDescription="FINLAND"/>
<identification number="1234567-8" identificationTypeCode="regnumber"/>
</sanctionEntity>
<sanctionEntity logicalId="77002" designationDate="2023-01-20">
<regulation programme="TST" publicationDate="2023-01-20"/>
<subjectType code="person"/>
<nameAlias wholeName="Ilmari Placeholder" strong="true"/>
<birthdate birthdate="1961-04-02"/>
<citizenship countryIso2Code="NO"/>
</sanctionEntity>
</export>
"""

UN_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2024-05-15T00:00:01.137-04:00">
<INDIVIDUALS><INDIVIDUAL><DATAID>88001</DATAID><FIRST_NAME>ILMARI</FIRST_NAME>
<SECOND_NAME>PLACEHOLDER</SECOND_NAME><UN_LIST_TYPE>TST</UN_LIST_TYPE>
<REFERENCE_NUMBER>TSi.001</REFERENCE_NUMBER><LISTED_ON>2010-03-01</LISTED_ON>
<NATIONALITY><VALUE>Finland</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ilmo</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><DATE>1960-01-12</DATE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>X123</NUMBER>
</INDIVIDUAL_DOCUMENT></INDIVIDUAL></INDIVIDUALS>
<ENTITIES><ENTITY><DATAID>88002</DATAID><FIRST_NAME>FENWICK MARLOW TRADING</FIRST_NAME>
<UN_LIST_TYPE>TST</UN_LIST_TYPE><LISTED_ON>2011-07-09</LISTED_ON>
<ENTITY_ADDRESS><COUNTRY>Norway</COUNTRY></ENTITY_ADDRESS></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>
"""

_LEI = "http://www.gleif.org/data/schema/leidata/2016"
LEI_XML = f"""<?xml version="1.0" encoding="UTF-8"?><lei:LEIData xmlns:lei="{_LEI}">
<lei:LEIHeader><lei:ContentDate>2023-06-05T08:20:51Z</lei:ContentDate></lei:LEIHeader>
<lei:LEIRecords>
<lei:LEIRecord><lei:LEI>5493001KJTIIGC8Y1R12</lei:LEI><lei:Entity>
<lei:LegalName xml:lang="en">Quillon Fabrication Ltd</lei:LegalName>
<lei:OtherEntityNames>
<lei:OtherEntityName type="PREVIOUS_LEGAL_NAME">Quillon Ltd</lei:OtherEntityName>
</lei:OtherEntityNames>
<lei:LegalAddress><lei:Country>GB</lei:Country></lei:LegalAddress>
<lei:LegalJurisdiction>GB</lei:LegalJurisdiction><lei:EntityCategory>GENERAL</lei:EntityCategory>
</lei:Entity><lei:Registration><lei:RegistrationStatus>ISSUED</lei:RegistrationStatus>
</lei:Registration></lei:LEIRecord>
<lei:LEIRecord><lei:LEI>5493000IBP32UQZ0KL24</lei:LEI><lei:Entity>
<lei:LegalName>Brisk Owl Holdings AG</lei:LegalName>
<lei:LegalJurisdiction>CH</lei:LegalJurisdiction></lei:Entity></lei:LEIRecord>
</lei:LEIRecords></lei:LEIData>
""".encode()

_RR = "http://www.gleif.org/data/schema/rr/2016"
RR_XML = f"""<?xml version="1.0" encoding="UTF-8"?><rr:RelationshipData xmlns:rr="{_RR}">
<rr:Header><rr:ContentDate>2023-06-05T08:20:51Z</rr:ContentDate></rr:Header>
<rr:RelationshipRecords><rr:RelationshipRecord><rr:Relationship>
<rr:StartNode><rr:NodeID>5493001KJTIIGC8Y1R12</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:StartNode>
<rr:EndNode><rr:NodeID>5493000IBP32UQZ0KL24</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:EndNode>
<rr:RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</rr:RelationshipType>
<rr:RelationshipPeriods><rr:RelationshipPeriod><rr:StartDate>2019-01-01T00:00:00Z</rr:StartDate>
<rr:PeriodType>RELATIONSHIP_PERIOD</rr:PeriodType></rr:RelationshipPeriod></rr:RelationshipPeriods>
<rr:RelationshipStatus>ACTIVE</rr:RelationshipStatus>
<rr:RelationshipQuantifiers><rr:RelationshipQuantifier><rr:MeasurementMethod>ACCOUNTING_CONSOLIDATION</rr:MeasurementMethod>
<rr:QuantifierAmount>100.00</rr:QuantifierAmount><rr:QuantifierUnits>PERCENTAGE</rr:QuantifierUnits>
</rr:RelationshipQuantifier></rr:RelationshipQuantifiers>
</rr:Relationship></rr:RelationshipRecord></rr:RelationshipRecords></rr:RelationshipData>
""".encode()

_REPEX = "http://www.gleif.org/data/schema/repex/2016"
REPEX_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<repex:ReportingExceptionData xmlns:repex="{_REPEX}">
<repex:Header><repex:ContentDate>2023-06-05T08:20:51Z</repex:ContentDate></repex:Header>
<repex:ReportingExceptions><repex:Exception><repex:LEI>5493000IBP32UQZ0KL24</repex:LEI>
<repex:ExceptionCategory>DIRECT_ACCOUNTING_CONSOLIDATION_PARENT</repex:ExceptionCategory>
<repex:ExceptionReason>NATURAL_PERSONS</repex:ExceptionReason></repex:Exception>
</repex:ReportingExceptions></repex:ReportingExceptionData>
""".encode()


def _fixture(rel: str) -> bytes:
    return (FIXTURES / rel).read_bytes()


def seeds() -> dict[str, Seed]:
    """Every fuzz target by name (the importer's format, or format plus a variant)."""
    ofac_dir = FIXTURES / "sources" / "ofac_csv"
    out = [
        Seed("ofac-sdn-xml", "sdn.xml", _fixture("sources/sdn_v1.xml")),
        Seed(
            "ofac-consolidated-xml", "consolidated.xml", _fixture("sources/consolidated_small.xml")
        ),
        Seed(
            "ofac-consolidated-csv",
            "cons_prim.csv",
            _fixture("sources/ofac_csv/cons_prim.csv"),
            tuple(
                (p.name, p.read_bytes())
                for p in sorted(ofac_dir.iterdir())
                if p.name != "cons_prim.csv"
            ),
        ),
        Seed("us-csl-csv", "csl.csv", _fixture("sources/csl_small.csv")),
        Seed("us-csl-json", "csl.json", _fixture("sources/csl_small.json")),
        Seed("eu-fsf-xml", "eu.xml", EU_XML),
        Seed("un-sc-xml", "un.xml", UN_XML),
        Seed("gleif-lei", "lei.xml", LEI_XML),
        Seed("gleif-rr", "rr.xml", RR_XML),
        Seed("gleif-repex", "repex.xml", REPEX_XML),
        Seed("bods-0.4", "bods.json", _fixture("ownership/bods-ranges.json")),
        Seed("contracts-csv", "register.csv", _fixture("contracts/austender.csv")),
        Seed("ftm-json", "entities.json", _fixture("sources/ftm_small.json")),
        Seed("ocds", "releases.json", _fixture("contracts/history.json")),
        Seed("gb-fcdo-sanctions-xml", "uk.xml", _fixture("uk_fcdo/UK-Sanctions-List.xml")),
    ]
    return {seed.format: seed for seed in out}


def clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
