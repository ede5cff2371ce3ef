"""`survey invitations`: a PDF of single-use invitation cards for a unit and round."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from survey.config import LANGUAGES
from survey.db import db
from survey.db.models import Unit
from survey.respond import invitations
from survey.staff import cards, organisation


@click.command("invitations")
@with_appcontext
@click.argument("unit_slug", metavar="UNIT")
@click.option("--round", "round_name", required=True, help="The round's name or id.")
@click.option("--count", type=click.IntRange(1, 2000), default=24, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The PDF to write.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", show_default=True)
@click.option("--base-url", default=None, help="Address printed in the QR codes (default: PUBLIC_URL).")
def invitations_command(unit_slug: str, round_name: str, count: int, out: Path, lang: str,
                        base_url: str | None) -> None:
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


COMMANDS = (invitations_command,)
