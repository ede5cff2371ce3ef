"""`survey export ...`: aggregates, microdata and reports written into exports/, with a progress bar."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from survey.analysis import exports, reports, scoring
from survey.analysis import service as analysis
from survey.config import LANGUAGES
from survey.db import db
from survey.db.models import Round, Unit

export = AppGroup("export", help="Write results (suppression applied) into the exports folder.")
FORMATS = click.Choice(["csv", "xlsx"])


def _selection(questionnaire: str, round_name: str) -> analysis.Selection:
    found = db.session.scalar(select(Round).where(Round.questionnaire_id == questionnaire,
                                                  (Round.name == round_name) | (Round.id == round_name)))
    if found is None:
        raise click.ClickException(f"no round '{round_name}' of questionnaire '{questionnaire}'")
    selection = analysis.select_round(questionnaire, found.id)
    if selection is None or selection.questionnaire.id != questionnaire:
        raise click.ClickException(f"no questionnaire '{questionnaire}'")
    return selection


def _target(out: Path | None, name: str) -> Path:
    path = out or Path(current_app.config["EXPORT_DIR"]) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _steps(label: str, steps: list):
    """Run the steps under a progress bar; return the last one's result."""
    result = None
    with click.progressbar(steps, label=label, item_show_func=lambda s: s[0] if s else None) as bar:
        for _name, step in bar:
            result = step(result)
    return result


common = [click.option("--questionnaire", default="user", show_default=True),
          click.option("--round", "round_name", required=True, help="The round's name or id."),
          click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)]


def with_common(command):
    for option in reversed(common):
        command = option(command)
    return command


@export.command("aggregates")
@with_common
@click.option("--format", "fmt", type=FORMATS, default="xlsx", show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", show_default=True)
def aggregates(questionnaire: str, round_name: str, out: Path | None, fmt: str, lang: str) -> None:
    """Per question and per flag, for every unit and group."""
    selection = _selection(questionnaire, round_name)
    path = _target(out, f"results-{questionnaire}-{selection.round.name}.{fmt}".replace(" ", "_"))
    threshold = current_app.config["MIN_GROUP_SIZE"]

    def table(_):
        return analysis.aggregate_table(selection, lang)

    def write(frame):
        data = exports.to_csv(frame) if fmt == "csv" else exports.to_xlsx(exports.aggregate_sheets(frame, threshold))
        path.write_bytes(data)
        return frame

    frame = _steps("Exporting", [("count, score and suppress", table), ("write", write)])
    click.echo(f"{len(frame)} rows ({(frame['status'] != 'shown').sum()} hidden as too few answers) -> {path}")


@export.command("microdata")
@with_common
@click.option("--format", "fmt", type=FORMATS, default="csv", show_default=True)
@click.option("--free-text", is_flag=True, help="Include free-text answers (left out by default).")
def microdata(questionnaire: str, round_name: str, out: Path | None, fmt: str, free_text: bool) -> None:
    """One row per response; units under the threshold left out."""
    selection = _selection(questionnaire, round_name)
    path = _target(out, f"microdata-{questionnaire}-{selection.round.name}.{fmt}".replace(" ", "_"))

    def write(frame):
        path.write_bytes(exports.to_csv(frame) if fmt == "csv" else exports.to_xlsx({"microdata": frame}))
        return frame

    frame = _steps("Exporting", [("read", lambda _: analysis.microdata(selection, free_text)), ("write", write)])
    click.echo(f"{len(frame)} responses -> {path}")


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
    path = _target(out, f"report-{level}-{questionnaire}-{selection.round.name}-{lang}.pdf".replace(" ", "_"))
    with current_app.test_request_context():
        pdf = _steps("Rendering", [("report", lambda _: reports.render(selection, level, group, lang))])
    if pdf is None:
        raise click.ClickException(f"no {level} '{group}'")
    path.write_bytes(pdf)
    click.echo(f"report -> {path}")
