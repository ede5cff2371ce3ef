"""`survey demo | create-admin`: a demo organisation to try everything, and the first administrator."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from survey.cycle import demo as cycle_demo
from survey.cycle.demo_phases import add_demo_phase
from survey.db import db
from survey.db.models import Account, Unit
from survey.questionnaires import library
from survey.staff import accounts, demo, demo_history


@click.command("demo")
@with_appcontext
@click.option("--history/--no-history", default=True, show_default=True,
              help="Also answer and release three years of earlier quarters (about a minute, the first time).")
def demo_command(history: bool) -> None:
    """Add demo units with rounds open today (and their answered, released history), and print their links."""
    published = [q.id for q in library().questionnaires.values()
                 if q.status == "published"]
    units = demo.create_demo(dt.date.today(), published)
    made = demo_history.create_history(dt.date.today(), [library().questionnaires[q] for q in published]) \
        if history else 0
    if history:  # Verkstan's action and the phase confirmed at the start of its improvement
        add_demo_phase(dt.date.today(), {flag.id for _, flag in library().quality_model.flags()})
    if made:
        click.echo(f"  {made} earlier quarters answered and released: results, run charts and easy-read pages "
                   "have something to show.")
    model = library().quality_model
    if cycle_demo.add_demo_indicators(model, Path(current_app.config["QUESTIONNAIRE_DIR"])):
        click.echo(f"  Other indicators entered, and imported from questionnaires/{cycle_demo.INDICATOR_FILE}.")
    cycle_demo.add_demo_group_valuations(dt.date.today(), {flag.id for _, flag in model.flags()})
    for unit in units:
        click.echo(f"  {unit.name}: /u/{unit.slug}  (results for the users: /u/{unit.slug}/results)")
    if db.session.scalar(select(Account.id).limit(1)) is None:
        password, manager_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        accounts.create_account("admin@demo.example", "Demo administrator", password, accounts.ADMINISTRATOR)
        bjorken = list(db.session.scalars(select(Unit).where(Unit.slug == "bjorken")))
        accounts.create_account("enhetschef@demo.example", "Enhetschef Björken", manager_password,
                                accounts.UNIT_STAFF, bjorken)
        db.session.commit()
        click.echo(f"  Staff log-in (/staff/login): admin@demo.example / {password}  (shown once; "
                   "make your own with `survey create-admin`)")
        click.echo(f"  Unit manager of Gruppbostad Björken (its quality cycle only): enhetschef@demo.example / "
                   f"{manager_password}")


@click.command("create-admin")
@with_appcontext
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


COMMANDS = (demo_command, create_admin)
