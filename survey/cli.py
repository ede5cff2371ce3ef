"""The `survey` command: set up and check this machine; every capability adds its own commands."""
from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup

from survey import analysis, create_app, questionnaires, respond, speech, staff
from survey import db as database
from survey.config import PROJECT_ROOT, ConfigError
from survey.db import db, migrate
from survey.questionnaires.drafts import sync as sync_questionnaires
from survey.questionnaires.files import DataFileError
from survey.speech.cli import speech_report
from survey.staff import demo


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


@main.command("init")
@click.option("--organisation", default="Min kommun", help="Name of the organisation, if none exists yet.")
def init(organisation: str) -> None:
    """Migrate the database, import the shipped questionnaires if it holds none yet, and create the organisation
    (the secret key is made on first use)."""
    migrate.upgrade()
    sync_questionnaires(current_app._get_current_object())
    demo.organisation(organisation)
    db.session.commit()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@main.command("doctor")
def doctor() -> None:
    """Check what the service needs from this machine (translations, speech); say how to fix what is missing."""
    folder = Path(current_app.root_path) / "translations"
    uncompiled = [po.parent.parent.name for po in folder.glob("*/LC_MESSAGES/messages.po")
                  if not po.with_suffix(".mo").exists()]
    if uncompiled:
        click.echo(f"NO  translations compiled for {', '.join(uncompiled)}: "
                   "run `pybabel compile -d survey/translations`")
    else:
        click.echo("ok  translations compiled")
    if not speech_report() or uncompiled:
        sys.exit(1)


for package in (database, questionnaires, respond, staff, analysis, speech):
    for command in package.commands():
        main.add_command(command)


def ensure_instance(instance: Path) -> None:
    """Create the instance folder with a random secret key, once."""
    instance.mkdir(parents=True, exist_ok=True)
    key = instance / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_hex(32))
        key.chmod(0o600)


if __name__ == "__main__":
    main()
