"""Response rates per unit and round, counted live from the stored responses and codes."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from survey.db import db
from survey.db.models import Invitation, Response, Round, Unit, round_unit

NOT_HELPED = ("nobody",)


@dataclass(frozen=True)
class Rate:
    """How a round is going at one unit."""

    unit: Unit
    round: Round
    issued: int
    started: int
    completed: int
    with_help: int | None  # None: too few completed responses to show it

    @property
    def response_rate(self) -> float | None:
        """Completed responses per issued card, or None when no cards were issued."""
        return self.completed / self.issued if self.issued else None


def rates(units: list[Unit], min_group: int) -> list[Rate]:
    """Return the rate of every round at these units; 'with help' is hidden below min_group completions."""
    unit_ids = [u.id for u in units]
    if not unit_ids:
        return []
    responses = {
        (unit_id, round_id): (started, completed, helped)
        for unit_id, round_id, started, completed, helped in db.session.execute(
            select(Response.unit_id, Response.round_id, func.count(),
                   func.sum(case((Response.completed, 1), else_=0)),
                   func.sum(case((and_(Response.helped.is_not(None), Response.helped.not_in(NOT_HELPED)), 1), else_=0)))
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
        started, completed, helped = responses.get((unit.id, survey_round.id), (0, 0, 0))
        found.append(Rate(unit, survey_round, issued.get((unit.id, survey_round.id), 0), started, int(completed or 0),
                          int(helped or 0) if (completed or 0) >= min_group else None))
    return found
