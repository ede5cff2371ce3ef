"""Hide the order in which anonymous rows were written.

SQLite keeps responses, answers and invitations WITHOUT ROWID, in the order of their random keys: nothing to do.
PostgreSQL keeps rows in the order they were written (a plain SELECT returns them so) and stamps each with the
transaction that last wrote it (the system column xmin), so the order in which people answered can be read back.
`survey reorder` rewrites those tables in one transaction (one xmin for every row) and re-clusters them by their
random primary keys. Run it nightly (see the README); it locks the tables for the moment it takes.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# table -> a column to set to itself: the rewrite changes nothing but the row's place and transaction id.
ANONYMOUS_TABLES = {"response": "completed", "answer": "text", "invitation": "used_on"}


def reorder(engine: Engine) -> list[str]:
    """Rewrite and re-cluster the anonymous tables by their random keys (PostgreSQL); return the tables done."""
    if engine.dialect.name != "postgresql":
        return []
    inspector = sa.inspect(engine)
    with engine.begin() as connection:
        for table, column in ANONYMOUS_TABLES.items():
            key = inspector.get_pk_constraint(table)["name"]
            # Names from ANONYMOUS_TABLES and the schema itself, never from input; identifiers cannot be bound.
            connection.execute(sa.text(f'UPDATE "{table}" SET "{column}" = "{column}"'))  # noqa: S608
            connection.execute(sa.text(f'CLUSTER "{table}" USING "{key}"'))
    return list(ANONYMOUS_TABLES)
