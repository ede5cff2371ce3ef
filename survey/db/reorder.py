"""Hide the order in which anonymous rows were written.

SQLite keeps responses, answers and invitations WITHOUT ROWID, in the order of their random keys, but inside
each page a new row's bytes are placed where free space is, so a page's layout says which of its rows came
later; `survey reorder` rebuilds the file (VACUUM), writing every page afresh in key order.
PostgreSQL keeps rows in the order they were written (a plain SELECT returns them so) and stamps each with the
transaction that last wrote it (the system column xmin), so the order in which people answered can be read back.
`survey reorder` rewrites those tables in one transaction (one xmin for every row) and re-clusters them by their
random primary keys. Run it nightly (see the README); it locks the tables for the moment it takes.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# table -> a column to set to itself: the rewrite changes nothing but the row's place and transaction id.
ANONYMOUS_TABLES = {"response": "completed", "answer": "text", "invitation": "seal"}


def reorder(engine: Engine) -> list[str]:
    """Rewrite the anonymous tables in the order of their random keys; return the tables done."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")  # the whole file, every page written afresh in key order
        return list(ANONYMOUS_TABLES)
    inspector = sa.inspect(engine)
    with engine.begin() as connection:
        for table, column in ANONYMOUS_TABLES.items():
            key = inspector.get_pk_constraint(table)["name"]
            # Names from ANONYMOUS_TABLES and the schema itself, never from input; identifiers cannot be bound.
            connection.execute(sa.text(f'UPDATE "{table}" SET "{column}" = "{column}"'))  # noqa: S608
            connection.execute(sa.text(f'CLUSTER "{table}" USING "{key}"'))
    return list(ANONYMOUS_TABLES)
