"""The `survey` command: set up, fill with demo data, check questionnaires and speech, run."""
from __future__ import annotations

import datetime as dt
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup

from sqlalchemy import select

from survey import accounts, backup, cards, create_app, demo, invitations, migrate, organisation, reorder, versions_cli
from survey.config import LANGUAGES, PROJECT_ROOT, ConfigError, Defaults
from survey.export_cli import export
from survey.models import Account, Unit
from survey.quality import flags_without_survey_evidence
from survey.datafiles import DataFileError
from survey.db import db
from survey.questionnaires import load_library, questionnaire_files
from survey.speech_cli import speech_commands, speech_report


def _create_app():
    ensure_instance(PROJECT_ROOT / "instance")
    try:
        return create_app()
    except DataFileError as err:
        click.echo("The questionnaires have problems, so the service will not start:", err=True)
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except ConfigError as err:
        click.echo(f"The configuration has a problem, so the service will not start: {err}", err=True)
        sys.exit(1)


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """Accessible surveys for municipal social services."""


main.add_command(export)


@main.command("init")
@click.option("--organisation", default="Min kommun", help="Name of the organisation, if none exists yet.")
def init(organisation: str) -> None:
    """Migrate the database and create the organisation (the secret key is made on first use)."""
    migrate.upgrade()
    demo.organisation(organisation)
    db.session.commit()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@main.command("demo")
def demo_command() -> None:
    """Add demo units with rounds open today, and print their links."""
    published = [q.id for q in current_app.extensions["survey.library"].questionnaires.values()
                 if q.status == "published"]
    units = demo.create_demo(dt.date.today(), published)
    for unit in units:
        click.echo(f"  {unit.name}: /u/{unit.slug}")
    if db.session.scalar(select(Account.id).limit(1)) is None:
        password = secrets.token_urlsafe(12)
        accounts.create_account("admin@demo.example", "Demo administrator", password, accounts.ADMINISTRATOR)
        db.session.commit()
        click.echo(f"  Staff log-in (/staff/login): admin@demo.example / {password}  (shown once; "
                   "make your own with `survey create-admin`)")


@main.command("check-questionnaires")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def check_questionnaires(files: tuple[Path, ...]) -> None:
    """Validate questionnaires (all of them, or FILES) and print every problem; exit 1 if any."""
    folder = Path(Defaults.QUESTIONNAIRE_DIR)
    try:
        library = load_library(folder, Path(Defaults.PICTOGRAM_DIR), list(files) or questionnaire_files(folder))
    except DataFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(err.problems)} problem(s) found.", err=True)
        sys.exit(1)
    for q in library.all_versions():
        click.echo(f"ok  {q.id} v{q.version} ({q.audience}, {q.status}): {len(q.questions)} questions, "
                   f"languages {', '.join(q.languages)}")
    published = [q for q in library.questionnaires.values() if q.status == "published"]
    for flag in flags_without_survey_evidence(library.quality_model, published):
        click.echo(f"note  flag '{flag}' has no survey evidence: no published question informs it")


@main.command("doctor")
def doctor() -> None:
    """Check what the service needs from this machine (translations, speech); say how to fix what is missing."""
    folder = Path(current_app.root_path) / "translations"
    uncompiled = [po.parent.parent.name for po in folder.glob("*/LC_MESSAGES/messages.po")
                  if not po.with_suffix(".mo").exists()]
    if uncompiled:
        click.echo(f"NO  translations compiled for {', '.join(uncompiled)}: run `pybabel compile -d survey/translations`")
    else:
        click.echo("ok  translations compiled")
    if not speech_report() or uncompiled:
        sys.exit(1)


main.add_command(speech_commands)
for command in versions_cli.COMMANDS:
    main.add_command(command)


def ensure_instance(instance: Path) -> None:
    """Create the instance folder with a random secret key, once."""
    instance.mkdir(parents=True, exist_ok=True)
    key = instance / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_hex(32))
        key.chmod(0o600)


@main.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="The administrator's name.")
@click.password_option(envvar="SURVEY_ADMIN_PASSWORD", help="At least 12 characters (asked for if not given).")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    try:
        accounts.create_account(email, name, password, accounts.ADMINISTRATOR)
    except accounts.AccountError as err:
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@main.command("invitations")
@click.argument("unit_slug", metavar="UNIT")
@click.option("--round", "round_name", required=True, help="The round's name or id.")
@click.option("--count", type=click.IntRange(1, 2000), default=24, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The PDF to write.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", show_default=True)
@click.option("--base-url", default=None, help="Address printed in the QR codes (default: PUBLIC_URL).")
def invitations_command(unit_slug: str, round_name: str, count: int, out: Path, lang: str, base_url: str | None) -> None:
    """Write a PDF of single-use invitation cards for a unit and round."""
    unit = db.session.scalar(select(Unit).where(Unit.slug == unit_slug))
    if unit is None:
        raise click.ClickException(f"no unit with the link name '{unit_slug}'")
    survey_round = next((r for r in organisation.rounds_at(unit) if round_name in (r.name, r.id)), None)
    if survey_round is None:
        raise click.ClickException(f"no round '{round_name}' at {unit.name}")
    base = (base_url or current_app.config["PUBLIC_URL"] or "http://127.0.0.1:8000").rstrip("/")
    with current_app.test_request_context(base_url=base):
        codes = invitations.issue(unit, survey_round, count, current_app.config["SECRET_KEY"])
        out.write_bytes(cards.render_cards(unit.name, codes, f"{base}/c?code=", base, lang))
    click.echo(f"{count} cards for {unit.name} ({survey_round.name}) written to {out}")


@main.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write.")
def backup_command(out: Path) -> None:
    """Copy the SQLite database to FILE while the service runs, and check the copy."""
    try:
        revision = backup.backup(db.engine, out, migrate.known_revisions())
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Backup written to {out} ({out.stat().st_size} bytes, integrity ok, schema {revision}).")


@main.command("restore")
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


@main.command("reorder")
def reorder_command() -> None:
    """Hide the order responses were written in (PostgreSQL; SQLite keeps none). Run it nightly."""
    done = reorder.reorder(db.engine)
    click.echo(f"Rewrote and re-clustered by random id: {', '.join(done)}." if done
               else "Nothing to do: SQLite keeps these tables in the order of their random ids.")


if __name__ == "__main__":
    main()
