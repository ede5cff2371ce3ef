"""`survey demo | create-admin | rounds`: a demo organisation to try everything, the first administrator, and
continuous surveys (a round per month or quarter)."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from survey.cycle import demo as cycle_demo
from survey.cycle.demo_phases import add_demo_phase
from survey.db import db
from survey.db.models import Account, Unit
from survey.questionnaires import library
from survey.staff import accounts, demo, demo_history, demo_pulse, schedule, series
from survey.staff.organisation import OrganisationError


@click.command("demo")
@with_appcontext
@click.option("--history/--no-history", default=True, show_default=True,
              help="Also answer and release three years of earlier quarters (about a minute, the first time).")
def demo_command(history: bool) -> None:
    """Add demo units with rounds open today (and their answered, released history), and print their links."""
    published = [q.id for q in library().questionnaires.values()
                 if q.status == "published"]
    demo.create_demo(dt.date.today(), published)
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
    user = library().published("user")
    if user is not None:
        pulses = demo_pulse.create_pulse(dt.date.today(), user, answer_past=history)
        if pulses:
            click.echo(f"  {pulses} months of {demo_pulse.SERIES_NAME} (a monthly pulse of two questions) answered "
                       "and released.")
    for unit in db.session.scalars(select(Unit).order_by(Unit.name)):  # the history's small homes too
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


rounds = AppGroup("rounds", help="Continuous surveys: one round per month or quarter, each released on its own.")


@rounds.command("start")
@click.argument("name")
@click.option("--questionnaire", required=True, help="The questionnaire's id, e.g. user.")
@click.option("--units", required=True, help="The units' link names, separated by commas.")
@click.option("--period", type=click.Choice(schedule.PERIODS), default="month", show_default=True)
@click.option("--starts", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day (its period is the "
                                                                                 "first).")
@click.option("--ends", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (default: goes on).")
@click.option("--pulse", default="", help="Question keys a short pulse rotates through, separated by commas "
                                          "(default: the whole questionnaire every period).")
@click.option("--pulse-size", type=click.IntRange(1, schedule.MAX_PULSE), default=1, show_default=True,
              help="How many pulse questions a period asks.")
def start_rounds(name: str, questionnaire: str, units: str, period: str, starts: dt.datetime, ends: dt.datetime | None,
                 pulse: str, pulse_size: int) -> None:
    """Start a continuous survey and make its rounds until the period after today's."""
    published = library().published(questionnaire)
    if published is None:
        raise click.ClickException(f"no published questionnaire '{questionnaire}'")
    slugs = [s.strip() for s in units.split(",") if s.strip()]
    found = list(db.session.scalars(select(Unit).where(Unit.slug.in_(slugs))))
    missing = sorted(set(slugs) - {u.slug for u in found})
    if missing:
        raise click.ClickException(f"no unit with the link name {', '.join(missing)}")
    keys = [k.strip() for k in pulse.split(",") if k.strip()]
    try:
        made = series.start_series(name, published, period, starts.date(), ends.date() if ends else None, found,
                                   keys, pulse_size, dt.date.today())
    except OrganisationError as err:
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"Started '{made.name}': " + ", ".join(f"{p.round.name} ({p.round.opens_on}–{p.round.closes_on})"
                                                     for p in series.periods(made)))


@rounds.command("plan")
def plan_rounds() -> None:
    """Make the rounds of every continuous survey's coming periods (`survey release` does it too, nightly)."""
    made = series.plan(dt.date.today())
    click.echo("\n".join(f"Made {r.name} ({r.opens_on}–{r.closes_on})" for r in made) or "Every round is made.")


COMMANDS = (demo_command, create_admin, rounds)
