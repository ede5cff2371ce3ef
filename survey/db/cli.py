"""`survey backup | restore | reorder`: copies of the database, and hiding the order rows were written in."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from survey.db import backup, db, migrate, reorder


@click.command("backup")
@with_appcontext
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write.")
def backup_command(out: Path) -> None:
    """Copy the SQLite database to FILE while the service runs, and check the copy."""
    try:
        revision = backup.backup(db.engine, out, migrate.known_revisions())
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Backup written to {out} ({out.stat().st_size} bytes, integrity ok, schema {revision}).")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(file: Path, force: bool) -> None:
    """Replace the SQLite database with a checked backup FILE, then bring its schema up to date."""
    try:
        revision = backup.restore(db.engine, file, migrate.known_revisions(), db.metadata.sorted_tables, force)
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from None
    migrate.upgrade()
    click.echo(f"Restored {file} (integrity ok, schema {revision}, now up to date).")


@click.command("reorder")
@with_appcontext
def reorder_command() -> None:
    """Hide the order responses were written in (PostgreSQL; SQLite keeps none). Run it nightly."""
    done = reorder.reorder(db.engine)
    click.echo(f"Rewrote and re-clustered by random id: {', '.join(done)}." if done
               else "Nothing to do: SQLite keeps these tables in the order of their random ids.")


COMMANDS = (backup_command, restore_command, reorder_command)
