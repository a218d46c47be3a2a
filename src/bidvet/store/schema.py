"""SQLAlchemy Core schema of the knowledge store.

The same tables run on SQLite (default) and PostgreSQL. Multi-valued facts (names, identifiers,
countries, topics) live in their own tables so both engines can index them. Every fact row points
at the snapshot (one imported file) it came from: provenance is never optional.

Any change here needs a migration in ``store/migrations/versions``; ``tests/store`` fails when the
migrated schema and this module disagree.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset", sa.String(120), nullable=False),
    sa.Column("format", sa.String(60), nullable=False),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("published", sa.Date, nullable=True),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("records", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False, server_default="0"),
    sa.Column("complete_list", sa.Boolean, nullable=False),
    # a synthetic dataset (fictional companies for tests and examples): every output marks it
    sa.Column("fictional", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("dataset", "sha256"),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("schema", sa.String(40), nullable=False),
    sa.Column("caption", sa.Text, nullable=False),
    sa.Column("dataset", sa.String(120), nullable=False, index=True),
    sa.Column("properties", sa.JSON, nullable=False, default=dict),
    sa.Column("source_url", sa.Text, nullable=True),
    sa.Column("first_snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Column("last_snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
)

entity_names = sa.Table(
    "entity_names",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    # primary | alias | weak | former | original (original-script form of a name)
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("lang", sa.String(10), nullable=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_entity_names_entity_id", "entity_id"),
)

entity_identifiers = sa.Table(
    "entity_identifiers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    # lei | uscc | registration | tax | imo | duns | swift | ogrn | inn | other
    sa.Column("scheme", sa.String(40), nullable=False),
    sa.Column("value", sa.String(200), nullable=False),  # normalised: upper case, no spaces
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_entity_identifiers_entity_id", "entity_id"),
    sa.Index("ix_entity_identifiers_value", "value"),
)

entity_countries = sa.Table(
    "entity_countries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("country", sa.String(10), nullable=False),  # ISO 3166-1 alpha-2, lower case
    # jurisdiction | address | nationality | citizenship | other
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_entity_countries_entity_id", "entity_id"),
)

entity_topics = sa.Table(
    "entity_topics",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("topic", sa.String(40), nullable=False),  # FtM topics: sanction, export.control…
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_entity_topics_entity_id", "entity_id"),
)

listings = sa.Table(
    "listings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("list_id", sa.String(80), nullable=False),  # e.g. us-ofac-sdn, us-bis-entity
    sa.Column("list_name", sa.Text, nullable=False),
    sa.Column("program", sa.String(200), nullable=False, server_default=""),
    sa.Column("authority", sa.Text, nullable=True),
    # Dates as published by the list, when it publishes them.
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    # When bidvet first/last saw the entry: the snapshots' publication dates.
    sa.Column("first_seen", sa.Date, nullable=True),
    sa.Column("last_seen", sa.Date, nullable=True),
    # Set when a later, complete snapshot of the same dataset no longer carries the entry.
    sa.Column("delisted", sa.Date, nullable=True),
    sa.Column("source_url", sa.Text, nullable=True),
    # A citation other than the list itself (curated facts: the article that reports it).
    sa.Column("source_title", sa.Text, nullable=True),
    sa.Column("source_published", sa.Date, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("dataset", sa.String(120), nullable=False),
    sa.Column("first_snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Column("last_snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_listings_entity_id", "entity_id"),
    sa.Index("ix_listings_dataset", "dataset"),
)

# Which entries each snapshot carried, with the attributes it gave them. ``listings`` is derived
# from these rows (``bidvet.store.history``), so a list's history follows the publication dates of
# the snapshots held, whatever order they were loaded in.
listing_presence = sa.Table(
    "listing_presence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("list_id", sa.String(80), nullable=False),
    sa.Column("list_name", sa.Text, nullable=False),
    sa.Column("program", sa.String(200), nullable=False, server_default=""),
    sa.Column("authority", sa.Text, nullable=True),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("source_url", sa.Text, nullable=True),
    sa.Column("source_title", sa.Text, nullable=True),
    sa.Column("source_published", sa.Date, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Index("ix_listing_presence_snapshot_id", "snapshot_id"),
)

ownership = sa.Table(
    "ownership",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),  # stable id from the source
    sa.Column("owner_id", sa.String(200), nullable=False),
    sa.Column("asset_id", sa.String(200), nullable=False),
    # Shares as fractions 0..1. Exact share sets all three; a range sets min/max only.
    sa.Column("share", sa.Float, nullable=True),
    sa.Column("share_min", sa.Float, nullable=True),
    sa.Column("share_max", sa.Float, nullable=True),
    # shares | votes | board | state | controlling-shareholder | consolidation | other
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("acting_jointly", sa.String(200), nullable=True),  # group label (UK aggregation)
    # a tie's role or relationship (tie kinds only: directorship, employment, family …)
    sa.Column("role", sa.String(200), nullable=True),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("source", sa.Text, nullable=True),  # citation: title of the source
    sa.Column("source_url", sa.Text, nullable=True),
    sa.Column("source_published", sa.Date, nullable=True),
    sa.Column("dataset", sa.String(120), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_ownership_owner_id", "owner_id"),
    sa.Index("ix_ownership_asset_id", "asset_id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("entity_id", sa.String(200), nullable=False),
    # corruption | bribery | anti-dumping | ban | debarment | raid | investigation | other
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("date", sa.Date, nullable=True),  # first day of the period the source gives
    sa.Column("date_precision", sa.String(10), nullable=True),  # day | month | year
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # citation: title of the source
    sa.Column("source_url", sa.Text, nullable=True),
    sa.Column("source_published", sa.Date, nullable=True),
    sa.Column("dataset", sa.String(120), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_events_entity_id", "entity_id"),
)

quality_log = sa.Table(
    "quality_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("record", sa.Text, nullable=True),
    sa.Column("field", sa.Text, nullable=True),
    sa.Column("value", sa.Text, nullable=True),
    sa.Column("action", sa.String(20), nullable=False),  # rejected | normalised | skipped | note
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index("ix_quality_log_snapshot_id", "snapshot_id"),
)

# --- Contract history (OCDS processes and contract registers) ------------------------------------
# One row per contracting process (an OCDS ocid, or a register row), with its parties, awards,
# contracts, items and bids. Re-importing a process replaces its rows (keyed by ocid); every row
# names the snapshot that last wrote it.

contract_processes = sa.Table(
    "contract_processes",
    metadata,
    sa.Column("ocid", sa.String(300), primary_key=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("buyer_party_id", sa.String(300), nullable=True),
    sa.Column("buyer_name", sa.Text, nullable=True),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("procurement_method", sa.Text, nullable=True),
    sa.Column("tender_status", sa.String(40), nullable=True),
    sa.Column("tender_amount", sa.Float, nullable=True),
    sa.Column("tender_currency", sa.String(3), nullable=True),
    sa.Column("amendments", sa.Integer, nullable=False, server_default="0"),
    # false: the source publishes no bid data (indicators needing bids cannot be evaluated)
    sa.Column("has_bids", sa.Boolean, nullable=False),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("dataset", sa.String(120), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_contract_processes_dataset", "dataset"),
)

contract_parties = sa.Table(
    "contract_parties",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ocid", sa.String(300), nullable=False),
    sa.Column("party_id", sa.String(300), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),  # ["buyer"], ["supplier", "tenderer"], …
    sa.Column("identifiers", sa.JSON, nullable=False),  # [[scheme, id], …]
    sa.Column("country", sa.Text, nullable=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_contract_parties_ocid", "ocid"),
)

contract_awards = sa.Table(
    "contract_awards",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ocid", sa.String(300), nullable=False),
    sa.Column("award_id", sa.String(300), nullable=False),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("status", sa.String(40), nullable=True),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("amount", sa.Float, nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    sa.Column("supplier_ids", sa.JSON, nullable=False),  # party ids within the process
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_contract_awards_ocid", "ocid"),
)

contracts = sa.Table(
    "contracts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ocid", sa.String(300), nullable=False),
    sa.Column("contract_id", sa.String(300), nullable=False),
    sa.Column("award_id", sa.String(300), nullable=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("status", sa.String(40), nullable=True),
    sa.Column("date_signed", sa.Date, nullable=True),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("amount", sa.Float, nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    sa.Column("amendments", sa.Integer, nullable=False, server_default="0"),
    sa.Column("supplier_ids", sa.JSON, nullable=False),  # when the source names them here
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_contracts_ocid", "ocid"),
)

contract_items = sa.Table(
    "contract_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ocid", sa.String(300), nullable=False),
    sa.Column("parent", sa.String(10), nullable=False),  # tender | award | contract
    sa.Column("parent_id", sa.String(300), nullable=True),
    sa.Column("item_id", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("scheme", sa.String(40), nullable=True),  # UNSPSC | CPV | …
    sa.Column("code", sa.String(80), nullable=True),
    sa.Column("extra_codes", sa.JSON, nullable=False),
    sa.Column("quantity", sa.Float, nullable=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_contract_items_ocid", "ocid"),
)

contract_bids = sa.Table(
    "contract_bids",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ocid", sa.String(300), nullable=False),
    sa.Column("bid_id", sa.String(300), nullable=False),
    sa.Column("tenderer_ids", sa.JSON, nullable=False),
    sa.Column("status", sa.String(40), nullable=True),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("amount", sa.Float, nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Index("ix_contract_bids_ocid", "ocid"),
)

# --- Source downloads (bidvet update) -------------------------------------------------------------
# One row per source of data/sources.yaml: what its last successful fetch received (the validators
# a conditional request sends back, the SHA-256 and size, the snapshot it loaded) and how the last
# attempt ended. Operational state, not knowledge: it stays out of the data-snapshot digest.

source_fetches = sa.Table(
    "source_fetches",
    metadata,
    sa.Column("source", sa.String(80), primary_key=True),
    sa.Column("url", sa.Text, nullable=True),  # where the last successful fetch came from
    sa.Column("etag", sa.Text, nullable=True),
    sa.Column("last_modified", sa.Text, nullable=True),  # the header as the server sent it
    sa.Column("sha256", sa.String(64), nullable=True),
    sa.Column("size", sa.BigInteger, nullable=True),
    sa.Column("fetched_at", sa.DateTime, nullable=True),  # last successful fetch or load
    sa.Column("snapshot_id", sa.Integer, nullable=True),  # the snapshot it loaded, if any
    sa.Column("checked_at", sa.DateTime, nullable=False),  # last attempt
    sa.Column("status", sa.String(20), nullable=False),  # loaded | unchanged | failed
    sa.Column("message", sa.Text, nullable=False, server_default=""),
    info={"knowledge": False},
)

# --- Case workspace (bidvet serve): accounts, sessions, audit log, cases and decisions. ---------
# Operational tables (info knowledge=False): a login or a sign-off never changes the data-snapshot
# digest of the knowledge above. Times are UTC; ``*_at`` text columns hold ISO 8601 with "Z".
_OPERATIONAL = {"knowledge": False}

ws_users = sa.Table(
    "ws_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, PHC string
    sa.Column("role", sa.String(20), nullable=False),  # assessor | reviewer | admin | auditor
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    info=_OPERATIONAL,
)

ws_sessions = sa.Table(
    "ws_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the cookie's token
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ws_users.id"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),  # seconds since 1970 (UTC)
    sa.Column("expires", sa.Float, nullable=False),
    sa.Index("ix_ws_sessions_user", "user_id"),
    info=_OPERATIONAL,
)

ws_login_attempts = sa.Table(
    "ws_login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("address", sa.String(100), nullable=False),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Index("ix_ws_login_attempts_at", "at"),
    info=_OPERATIONAL,
)

ws_audit = sa.Table(
    "ws_audit",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("object_type", sa.String(40), nullable=False),
    sa.Column("object_id", sa.String(200), nullable=False),
    sa.Column("details", sa.Text, nullable=False),  # canonical JSON
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    info=_OPERATIONAL,
)

ws_cases = sa.Table(
    "ws_cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("tender_yaml", sa.Text, nullable=False),  # the tender file (bidvet: tender/1)
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    info=_OPERATIONAL,
)

ws_case_files = sa.Table(
    "ws_case_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("ws_cases.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # knowledge | answers
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("added_by", sa.String(100), nullable=False),
    sa.Column("added_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("case_id", "name", name="uq_ws_case_files_name"),
    info=_OPERATIONAL,
)

ws_assessments = sa.Table(
    "ws_assessments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("ws_cases.id"), nullable=False),
    sa.Column("as_of", sa.String(10), nullable=False),
    sa.Column("run_by", sa.String(100), nullable=False),
    sa.Column("run_at", sa.String(32), nullable=False),
    sa.Column("report_json", sa.Text, nullable=False),  # bidvet-assessment/1
    sa.Column("report_sha256", sa.String(64), nullable=False),
    sa.Column("data_snapshot", sa.String(64), nullable=False),
    sa.Column("framework_sha256", sa.String(64), nullable=False),
    sa.Index("ix_ws_assessments_case", "case_id"),
    info=_OPERATIONAL,
)

ws_decisions = sa.Table(
    "ws_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("ws_assessments.id"), nullable=False),
    sa.Column("bidder_id", sa.String(200), nullable=False),
    sa.Column("framework_outcome", sa.String(20), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),  # mandatory when outcome overrides the framework
    sa.Column("status", sa.String(20), nullable=False),  # proposed | approved | returned
    sa.Column("proposed_by", sa.String(100), nullable=False),
    sa.Column("proposed_at", sa.String(32), nullable=False),
    sa.Column("reviewed_by", sa.String(100), nullable=True),
    sa.Column("reviewed_at", sa.String(32), nullable=True),
    sa.Column("review_note", sa.Text, nullable=True),
    # frozen at sign-off: the report as it was signed, its digest, snapshot and framework hash
    sa.Column("signed_report_json", sa.Text, nullable=True),
    sa.Column("signed_report_sha256", sa.String(64), nullable=True),
    sa.Column("data_snapshot", sa.String(64), nullable=True),
    sa.Column("framework_sha256", sa.String(64), nullable=True),
    sa.Index("ix_ws_decisions_assessment", "assessment_id"),
    info=_OPERATIONAL,
)

# --- Entity resolution: judgements and clusters (bidvet.resolution) -------------------------------
# A judgement says whether two records (usually of different datasets) are the same legal person:
# positive | negative | unsure, who judged, when, why, and where it came from (user: typed by a
# person; identifier: linked by ``bidvet xref`` on a shared strong identifier; file: imported from
# a judgement CSV). One row per pair (left_id < right_id); judging a pair again replaces it.
# Judgements are knowledge: they change which listings reach a bidder.
resolution_judgements = sa.Table(
    "resolution_judgements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("left_id", sa.String(200), nullable=False),
    sa.Column("right_id", sa.String(200), nullable=False),
    sa.Column("judgement", sa.String(10), nullable=False),  # positive | negative | unsure
    sa.Column("judged_by", sa.String(200), nullable=False),
    sa.Column("judged_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("source", sa.String(20), nullable=False),  # user | identifier | file
    # the public source the judgement rests on, when it cites one
    sa.Column("cite_title", sa.Text, nullable=True),
    sa.Column("cite_url", sa.Text, nullable=True),
    sa.Column("cite_published", sa.Date, nullable=True),
    sa.UniqueConstraint("left_id", "right_id"),
    sa.Index("ix_resolution_judgements_right_id", "right_id"),
)

# The clusters derived from the positive judgements: one row per member of a cluster of two or
# more records, naming the cluster's canonical id (its smallest member id). Recomputed in the
# transaction that writes judgements.
resolution_clusters = sa.Table(
    "resolution_clusters",
    metadata,
    sa.Column("entity_id", sa.String(200), primary_key=True),
    sa.Column("canonical_id", sa.String(200), nullable=False),
    sa.Index("ix_resolution_clusters_canonical_id", "canonical_id"),
)

# --- Monitoring: watches, alerts, their delivery, the re-assessment watermark --------------------
# Operational, not knowledge: a watch or an alert must not change the data snapshot a report
# cites (``info={"knowledge": False}`` keeps them out of the content digest).

watches = sa.Table(
    "watches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),  # tender | contract
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("tender_path", sa.Text, nullable=True),
    sa.Column("tender_yaml", sa.Text, nullable=True),
    sa.Column("tender_sha256", sa.String(64), nullable=True),
    sa.Column("ocid", sa.String(300), nullable=True),
    sa.Column("awarded_to", sa.Text, nullable=True),  # bidder id (tender) or supplier name
    sa.Column("award_date", sa.Date, nullable=True),
    # the decision the award was made on: per bidder/supplier outcome, findings, entity ids
    sa.Column("decision", sa.JSON, nullable=False),
    sa.Column("decision_as_of", sa.Date, nullable=False),
    sa.Column("snapshot_digest", sa.String(64), nullable=False),
    sa.Column("framework_id", sa.String(120), nullable=False),
    sa.Column("framework_hash", sa.String(64), nullable=False),
    # the last assessment monitoring compared against (starts as the decision at award)
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("state_as_of", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    info={"knowledge": False},
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("watch_id", sa.Integer, sa.ForeignKey("watches.id"), nullable=False),
    # watch id + hash of the assessment that raised it: the same change never alerts twice
    sa.Column("key", sa.String(100), nullable=False, unique=True),
    sa.Column("raised_at", sa.DateTime, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("acknowledged_at", sa.DateTime, nullable=True),
    sa.Column("acknowledged_by", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Index("ix_alerts_watch_id", "watch_id"),
    info={"knowledge": False},
)

alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),  # webhook | email
    sa.Column("status", sa.String(20), nullable=False),  # pending | delivered | dead
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("alert_id", "channel"),
    info={"knowledge": False},
)

monitor_state = sa.Table(
    "monitor_state",
    metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    info={"knowledge": False},
)

# --- Workspace API tokens (bidvet serve: /api/v1, /match, /reconcile) ---------------------------
# Per-user bearer tokens: only the SHA-256 of a token is stored (it is shown once, at creation).
# ``role`` is the user's role or the read-only ``reader`` scope; operational (knowledge=False).
ws_api_tokens = sa.Table(
    "ws_api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ws_users.id"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(12), nullable=False),  # the token's first characters, to tell
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("last_used_at", sa.String(32), nullable=True),
    sa.Column("revoked_at", sa.String(32), nullable=True),
    sa.Index("ix_ws_api_tokens_user", "user_id"),
    info={"knowledge": False},
)
