"""Backups of the SQLite database while the service runs (sqlite3's online backup API), and checked restores.

PostgreSQL is backed up with its own tools (pg_dump, pg_restore): see the README.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from survey.db import keep_private

POSTGRES_ADVICE = ("This database is PostgreSQL: back it up with pg_dump --format=custom and restore it with "
                   "pg_restore (see the README, section Reliability).")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _require_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        raise BackupError(POSTGRES_ADVICE)


def check(connection: sqlite3.Connection, known: list[str]) -> str:
    """Check a database file's integrity and schema revision; return the revision."""
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as err:
        raise BackupError(f"the file is damaged or not a database: {err}") from None
    if problems != ["ok"]:
        raise BackupError(f"the file is damaged: {'; '.join(problems[:5])}")
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise BackupError("not a survey database: it has no schema revision") from None
    if revision is None or revision[0] not in known:
        raise BackupError(f"unknown schema revision {revision[0] if revision else None!r}: "
                          "restore it with the version of the service that made it")
    return revision[0]


def backup(engine: Engine, out: Path, known: list[str]) -> str:
    """Copy the live database to `out` as one consistent snapshot, check the copy; return its revision.

    VACUUM INTO writes a fresh, compact file from one read transaction (writers go on meanwhile): every page is
    written anew in key order, so the copy keeps neither the order rows were written in nor deleted bytes. The
    file is the owner's alone from the moment it exists."""
    _require_sqlite(engine)
    partial = out.with_name(out.name + ".part")
    partial.unlink(missing_ok=True)  # VACUUM INTO writes a new file; the umask keeps it private from the start
    old_umask = os.umask(0o077)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM INTO ?", (str(partial),))
    finally:
        os.umask(old_umask)
    keep_private(partial)
    target = sqlite3.connect(partial)
    try:
        revision = check(target, known)
    finally:
        target.close()
    partial.replace(out)
    return revision


def holds_data(engine: Engine, tables: list[sa.Table]) -> bool:
    """Tell whether any of these tables exists and has a row."""
    present = set(sa.inspect(engine).get_table_names())
    with engine.connect() as connection:
        return any(connection.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()
                   for t in tables if t.name in present)


def restore(engine: Engine, source_file: Path, known: list[str], tables: list[sa.Table], force: bool) -> str:
    """Replace the database with a checked backup (refusing to overwrite data unless forced); return its revision."""
    _require_sqlite(engine)
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        revision = check(source, known)
        if not force and holds_data(engine, tables):
            raise BackupError("the database already holds data: stop the service, then restore with --force "
                              "to replace it")
        engine.dispose()
        target = engine.raw_connection()
        try:
            source.backup(target.driver_connection)
            check(target.driver_connection, known)
        finally:
            target.close()
    finally:
        source.close()
    engine.dispose()
    return revision
