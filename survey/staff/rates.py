"""Response rates per unit and round, counted live from the stored responses and codes.

Only how many started and completed, never what anyone answered (not even who helped): a live figure about an
answer would change with one person's answer, and two looks at it, before and after, would give that answer away.
Answers are counted in releases (survey/analysis/releases.py)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from survey.db import db
from survey.db.models import Invitation, Response, Round, Unit, round_unit


@dataclass(frozen=True)
class Rate:
    """How a round is going at one unit."""

    unit: Unit
    round: Round
    issued: int
    started: int
    completed: int
    held: int  # open-link responses beyond the unit's places, waiting for an administrator

    @property
    def response_rate(self) -> float | None:
        """Completed responses per issued card, or None when no cards were issued."""
        return self.completed / self.issued if self.issued else None


def rates(units: list[Unit]) -> list[Rate]:
    """Return the rate of every round at these units: cards issued, responses started, completed and held."""
    unit_ids = [u.id for u in units]
    if not unit_ids:
        return []
    responses = {
        (unit_id, round_id): (started, completed, held)
        for unit_id, round_id, started, completed, held in db.session.execute(
            select(Response.unit_id, Response.round_id, func.count().filter(Response.held.is_(False)),
                   func.count().filter(Response.completed, Response.held.is_(False)),
                   func.count().filter(Response.held))
            .where(Response.unit_id.in_(unit_ids)).group_by(Response.unit_id, Response.round_id))}
    issued = {
        (unit_id, round_id): count
        for unit_id, round_id, count in db.session.execute(
            select(Invitation.unit_id, Invitation.round_id, func.count())
            .where(Invitation.unit_id.in_(unit_ids)).group_by(Invitation.unit_id, Invitation.round_id))}
    pairs = db.session.execute(select(Unit, Round).join(round_unit, round_unit.c.unit_id == Unit.id)
                               .join(Round, Round.id == round_unit.c.round_id)
                               .where(Unit.id.in_(unit_ids)).order_by(Unit.name, Round.opens_on.desc())).all()
    found = []
    for unit, survey_round in pairs:
        started, completed, held = responses.get((unit.id, survey_round.id), (0, 0, 0))
        found.append(Rate(unit, survey_round, issued.get((unit.id, survey_round.id), 0), started, completed, held))
    return found
