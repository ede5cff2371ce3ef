"""`survey release` (make a closed round's release) and `survey export ...` (write a release's files into exports/)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from survey.analysis import releases, reports, scoring
from survey.analysis import service as analysis
from survey.config import LANGUAGES
from survey.db import db
from survey.db.models import Release, Round, Unit
from survey.staff import series

export = AppGroup("export", help="Write a released round's results into the exports folder.")
FORMATS = click.Choice(["csv", "xlsx"])


def _selection(questionnaire: str, round_name: str, released: bool = True) -> analysis.Selection:
    found = db.session.scalar(select(Round).where(Round.questionnaire_id == questionnaire,
                                                  (Round.name == round_name) | (Round.id == round_name)))
    if found is None:
        raise click.ClickException(f"no round '{round_name}' of questionnaire '{questionnaire}'")
    selection = analysis.select_round(questionnaire, found.id)
    if selection is None or selection.questionnaire.id != questionnaire:
        raise click.ClickException(f"no questionnaire '{questionnaire}'")
    if released and selection.release is None:
        raise click.ClickException(f"'{found.name}' is not released yet: release it with `survey release --round "
                                   f"\"{found.name}\"` once it has closed")
    return selection


def _target(out: Path | None, name: str) -> Path:
    path = out or Path(current_app.config["EXPORT_DIR"]) / name.replace(" ", "_")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


common = [click.option("--questionnaire", default="user", show_default=True),
          click.option("--round", "round_name", required=True, help="The round's name or id."),
          click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)]


def with_common(command):
    for option in reversed(common):
        command = option(command)
    return command


@click.command("release")
@with_appcontext
@click.option("--questionnaire", default=None, help="Only this questionnaire's rounds.")
@click.option("--round", "round_name", default=None, help="The round's name or id (default: every closed round "
                                                          "not yet released; run it nightly).")
def release_command(questionnaire: str | None, round_name: str | None) -> None:
    """Release closed rounds: their figures are computed once, audited, stored and never changed.

    First makes the rounds of continuous surveys' coming periods, so a unit link always finds its next period."""
    for made in series.plan(dt.date.today()):
        click.echo(f"Made {made.name} ({made.opens_on}–{made.closes_on})")
    query = select(Round).where(~Round.id.in_(select(Release.round_id)))
    if questionnaire:
        query = query.where(Round.questionnaire_id == questionnaire)
    if round_name:
        query = query.where((Round.name == round_name) | (Round.id == round_name))
    else:
        query = query.where(Round.closes_on < dt.date.today())
    rounds = list(db.session.scalars(query.order_by(Round.closes_on)))
    if not rounds:
        click.echo("Nothing to release: every closed round is released.")
    refused = []
    for survey_round in rounds:  # one round that cannot be released does not hold up the others
        try:
            made = releases.make(survey_round, dt.date.today())
        except releases.ReleaseError as err:
            refused.append(str(err))
            click.echo(f"Not released: {err}", err=True)
            continue
        click.echo(f"Released {survey_round.questionnaire_id} '{survey_round.name}': {made.summary}")
    if refused and round_name:
        raise click.ClickException(refused[0])


@export.command("aggregates")
@with_common
@click.option("--format", "fmt", type=FORMATS, default="xlsx", show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", show_default=True)
def aggregates(questionnaire: str, round_name: str, out: Path | None, fmt: str, lang: str) -> None:
    """Per question and per flag, for every unit and group (the release's own file)."""
    selection = _selection(questionnaire, round_name)
    path = _target(out, f"results-{questionnaire}-{selection.round.name}.{fmt}")
    data = analysis.workbook(selection, f"results-{lang}") if fmt == "xlsx" else \
        analysis.release_file(selection, f"results-{lang}.csv")
    path.write_bytes(data)
    click.echo(f"results of {selection.round.name} (released {selection.release.made_on}) -> {path}")


@export.command("microdata")
@with_common
@click.option("--format", "fmt", type=FORMATS, default="csv", show_default=True)
@click.option("--free-text", is_flag=True, help="Include free-text answers (left out by default).")
def microdata(questionnaire: str, round_name: str, out: Path | None, fmt: str, free_text: bool) -> None:
    """One row per respondent, blanked like the released cells."""
    selection = _selection(questionnaire, round_name)
    name = "microdata-with-free-text" if free_text else "microdata"
    path = _target(out, f"{name}-{questionnaire}-{selection.round.name}.{fmt}")
    path.write_bytes(analysis.workbook(selection, name) if fmt == "xlsx" else
                     analysis.release_file(selection, f"{name}.csv"))
    click.echo(f"microdata of {selection.round.name} -> {path}")


@export.command("report")
@with_common
@click.option("--level", type=click.Choice(scoring.LEVELS), default="organisation", show_default=True)
@click.option("--group", "group", default="all", help="Unit link name or id, area id, service type, or all.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", show_default=True)
def report(questionnaire: str, round_name: str, out: Path | None, level: str, group: str, lang: str) -> None:
    """A PDF report for a unit or group."""
    selection = _selection(questionnaire, round_name)
    if level == "unit":
        group = db.session.scalar(select(Unit.id).where((Unit.slug == group) | (Unit.id == group))) or group
    path = _target(out, f"report-{level}-{questionnaire}-{selection.round.name}-{lang}.pdf")
    with current_app.test_request_context():
        pdf = reports.render(selection, level, group, lang)
    if pdf is None:
        raise click.ClickException(f"no {level} '{group}'")
    path.write_bytes(pdf)
    click.echo(f"report -> {path}")
