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
