"""The database: one SQLAlchemy instance, SQLite tuned for many small writes, and a fast way to read rows.

Layers: this module (the connection), `models` (every table), `migrate` and `migrations/` (the schema over
time), `backup` and `reorder` (copies of the database, and hiding the order rows were written in), `cli`.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


CONNECT_TIMEOUT = 10  # seconds


def engine_options(url: str) -> dict:
    """Return how the service connects to a database (SQLite connections also get SQLITE_PRAGMAS, below)."""
    if url.startswith("postgresql"):
        # After the database server restarts, a pooled connection is dead: test it (one round trip)
        # rather than fail the next respondent's request with the "try again soon" page. A server that does not
        # answer at all (a host gone, a full backlog) fails a connection after CONNECT_TIMEOUT seconds instead of
        # holding a worker, or gunicorn's master before its first fork, for as long as TCP keeps trying.
        options: dict = {"pool_pre_ping": True}
        if "connect_timeout" not in make_url(url).query:  # the URL's own setting wins
            options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
        return options
    return {}


def init_app(app: Flask) -> None:
    """Bind the database to the app, connecting as engine_options() says unless the configuration says otherwise."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
                                               **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)


# A busy timeout on SQLite, so concurrent answers wait instead of failing. synchronous=FULL syncs every commit:
# an answer the server has acknowledged survives a power cut, not only a crash of the server. The rollback journal
# (journal_mode=DELETE) is deleted at every commit, so the files never hold a history of writes in order (a WAL
# keeps one, frame by frame, until a checkpoint: whoever copies the files could read who answered after whom).
# secure_delete overwrites what is deleted or replaced, so an old answer or a freed page does not linger.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=DELETE", "PRAGMA busy_timeout=10000", "PRAGMA synchronous=FULL",
                  "PRAGMA secure_delete=ON", "PRAGMA foreign_keys=ON")
PRIVATE = 0o600  # the database file (SQLite gives its journal the same mode) and backups: the service's user only


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Set SQLITE_PRAGMAS on every new SQLite connection, and keep the database file readable by its owner only."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    for _seq, name, path in cursor.execute("PRAGMA database_list").fetchall():
        if name == "main" and path:
            keep_private(Path(path))
    cursor.close()


def keep_private(path: Path) -> None:
    """Make a file readable and writable by its owner only (a copy of it must not be one `cp` away)."""
    if path.exists() and path.stat().st_mode & 0o777 != PRIVATE:
        path.chmod(PRIVATE)


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
