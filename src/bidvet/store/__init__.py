"""The knowledge store: SQLAlchemy Core schema, migrations, and the one place that writes."""

from bidvet.store.db import Store

__all__ = ["Store"]
