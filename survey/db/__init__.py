"""The database: one SQLAlchemy instance, SQLite tuned for many small writes, and a fast way to read rows.

Layers: this module (the connection), `models` (every table), `migrate` and `migrations/` (the schema over
time), `backup` and `reorder` (copies of the database, and hiding the order rows were written in), `cli`.
"""
from __future__ import annotations

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def engine_options(url: str) -> dict:
    """Return how the service connects to a database (SQLite connections also get SQLITE_PRAGMAS, below)."""
    if url.startswith("postgresql"):
        # After the database server restarts, a pooled connection is dead: test it (one round trip)
        # rather than fail the next respondent's request with the "try again soon" page.
        return {"pool_pre_ping": True}
    return {}


def init_app(app: Flask) -> None:
    """Bind the database to the app, connecting as engine_options() says unless the configuration says otherwise."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
                                               **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)


# WAL and a busy timeout on SQLite, so concurrent answers wait instead of failing.
# synchronous=FULL syncs the WAL at every commit: an answer the server has acknowledged survives a power cut,
# not only a crash of the server (about 0.35 ms a commit; see the README, section Reliability).
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=10000", "PRAGMA synchronous=FULL",
                  "PRAGMA foreign_keys=ON")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Set SQLITE_PRAGMAS on every new SQLite connection."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def frame(query, columns: list[str], jit: bool = True):
    """Run a query and return its rows as a DataFrame, built column by column (much faster than row by row).

    jit=False turns PostgreSQL's JIT compiler off for the rest of the transaction: for a query that loops over
    an index, the planner's cost estimate can call for compiling, which then takes longer than the query.
    """
    import pandas as pd
    connection = db.session.connection()
    if not jit and connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL jit = off")
    rows = connection.execute(query).all()  # plain rows: no ORM bookkeeping for plain columns
    if not rows:  # typed as text, not float, so empty results merge like full ones
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    return pd.DataFrame({name: list(values) for name, values in zip(columns, zip(*rows))})


def commands() -> list:
    """Return the database's commands: backup, restore, reorder."""
    from survey.db import cli
    return list(cli.COMMANDS)
