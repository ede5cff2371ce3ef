"""Valuations, actions, other evidence and results shared with the users: stored and read here, one commit each.

A valuation is never changed: a new one is added, and the newest decided is the flag's current valuation. A
valuation is of a unit, a pool or an area (one of unit_id, pool_id, area_id), or of the organisation (none).
Indicator values are in survey/cycle/indicators.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, select

from survey.cycle import rules
from survey.db import db
from survey.db.models import Action, Area, FlagEvidence, Organisation, Pool, Round, SharedWithUsers, Unit, Valuation

ACTION_TEXTS = ("measure", "problem", "current_state", "goal", "analysis", "change_tried", "plan", "follow_up",
                "easy_read", "easy_read_done", "responsible_role")


def now() -> dt.datetime:
    """Return the time in UTC, without a zone (as the column stores it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


UNIT, POOL, AREA, ORGANISATION = "unit", "pool", "area", "organisation"
LEVELS = (UNIT, POOL, AREA, ORGANISATION)
GROUP_COLUMNS = {UNIT: Valuation.unit_id, POOL: Valuation.pool_id, AREA: Valuation.area_id}


@dataclass(frozen=True)
class NewValuation:
    """What people decided about one flag at one unit, or (unit_id None) at a pool, an area or the organisation."""

    unit_id: str | None
    flag_id: str
    verdict: str
    reasoning: str
    participants: str
    decided_on: dt.date
    suggested: str | None = None
    round_id: str | None = None
    release_id: str | None = None
    pool_id: str | None = None
    area_id: str | None = None


def add_valuation(new: NewValuation, known_flags: set[str], today: dt.date) -> Valuation:
    """Store a valuation as a new row (earlier ones stay) and commit; raise CycleError for what is refused."""
    rules.check_verdict(new.verdict)
    rules.check_flags([new.flag_id], known_flags)
    if sum(group is not None for group in (new.unit_id, new.pool_id, new.area_id)) > 1:
        raise rules.CycleError("a valuation is of one unit, one pool, one area or the organisation")
    if not new.reasoning.strip() or not new.participants.strip():
        raise rules.CycleError("a valuation needs its reasoning and who took part")
    rules.check_not_personal(new.reasoning, new.participants)
    if new.decided_on > today:
        raise rules.CycleError("a valuation cannot be decided in the future")
    valuation = Valuation(unit_id=new.unit_id, pool_id=new.pool_id, area_id=new.area_id, flag_id=new.flag_id,
                          verdict=new.verdict, suggested=new.suggested, reasoning=new.reasoning.strip(),
                          participants=new.participants.strip(), decided_on=new.decided_on, round_id=new.round_id,
                          release_id=new.release_id, created_at=now())
    db.session.add(valuation)
    db.session.commit()
    return valuation


def at_level(level: str, group_id: str | None) -> ColumnElement[bool]:
    """Return the condition for the valuations of one unit, pool or area, or of the organisation."""
    if level == ORGANISATION:
        return and_(*(column.is_(None) for column in GROUP_COLUMNS.values()))
    return GROUP_COLUMNS[level] == group_id


@dataclass(frozen=True)
class Group:
    """A pool, an area or the organisation (id "all", as releases name it), with its units."""

    level: str
    id: str
    name: str
    unit_ids: list[str]

    def valuation_of(self) -> dict[str, str | None]:
        """Return the NewValuation fields that say which group a valuation is of."""
        return {"unit_id": None, "pool_id": self.id if self.level == POOL else None,
                "area_id": self.id if self.level == AREA else None}


def group_of(level: str, group_id: str) -> Group | None:
    """Return a pool, an area or the organisation ("all") by id, with its units; None if there is none."""
    found: Pool | Area | Organisation | None = None
    query = select(Unit.id)
    if level == POOL:
        found, query = db.session.get(Pool, group_id), query.where(Unit.pool_id == group_id)
    elif level == AREA:
        found, query = db.session.get(Area, group_id), query.where(Unit.area_id == group_id)
    elif level == ORGANISATION and group_id == "all":
        found = db.session.scalar(select(Organisation).limit(1))
    if found is None:
        return None
    return Group(level, group_id, found.name, list(db.session.scalars(query.order_by(Unit.name))))


def groups() -> list[Group]:
    """Return the organisation, its areas and its pools, in that order (names alphabetical)."""
    found = [group_of(ORGANISATION, "all")]
    found += [group_of(AREA, area_id) for area_id in db.session.scalars(select(Area.id).order_by(Area.name))]
    found += [group_of(POOL, pool_id) for pool_id in db.session.scalars(select(Pool.id).order_by(Pool.name))]
    return [group for group in found if group is not None]


def group_valuations(level: str, group_id: str | None, flag_id: str | None = None) -> list[Valuation]:
    """Return the valuations of a unit, pool, area or the organisation (of one flag, or all), newest decided
    first."""
    query = select(Valuation).where(at_level(level, group_id))
    if flag_id is not None:
        query = query.where(Valuation.flag_id == flag_id)
    return list(db.session.scalars(query.order_by(Valuation.decided_on.desc(), Valuation.created_at.desc())))


def valuations(unit_id: str, flag_id: str | None = None) -> list[Valuation]:
    """Return a unit's valuations (of one flag, or all), newest decided first."""
    return group_valuations(UNIT, unit_id, flag_id)


def latest_group_valuations(level: str, group_id: str | None) -> dict[str, Valuation]:
    """Return each flag's current valuation at a unit, pool, area or the organisation: the newest decided."""
    latest: dict[str, Valuation] = {}
    for valuation in group_valuations(level, group_id):
        latest.setdefault(valuation.flag_id, valuation)
    return latest


def latest_valuations(unit_id: str) -> dict[str, Valuation]:
    """Return each flag's current valuation at a unit: the newest decided."""
    return latest_group_valuations(UNIT, unit_id)


@dataclass(frozen=True)
class NewAction:
    """An improvement action as staff describe it; texts not given are empty."""

    unit_id: str
    flag_ids: list[str]
    title: str
    owner: str
    status: str = rules.PLANNED
    from_value: float | None = None
    to_value: float | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    texts: dict[str, str] = field(default_factory=dict)


def add_action(new: NewAction, known_flags: set[str]) -> Action:
    """Store an action and commit; raise CycleError for what is refused."""
    action = Action(unit_id=new.unit_id, created_at=now(), **_action_values(new, known_flags))
    db.session.add(action)
    db.session.commit()
    return action


def change_action(action_id: str, new: NewAction, known_flags: set[str]) -> Action | None:
    """Change every field of the unit's action with this id and commit (None if the unit has no such action); an
    action, unlike a valuation, is a plan that is kept up to date, and what was done is added to it later."""
    values = _action_values(new, known_flags)
    action = action_of(new.unit_id, action_id)
    if action is not None:
        for name, value in values.items():
            setattr(action, name, value)
        db.session.commit()
    return action


def action_of(unit_id: str, action_id: str) -> Action | None:
    """Return the unit's action with this id, or None."""
    return db.session.scalar(select(Action).where(Action.id == action_id, Action.unit_id == unit_id))


def _action_values(new: NewAction, known_flags: set[str]) -> dict:
    flags = rules.check_flags(new.flag_ids, known_flags)
    rules.check_status(new.status)
    if not new.title.strip() or not new.owner.strip():
        raise rules.CycleError("an action needs a title and an owner")
    if new.starts_on and new.due_on and new.due_on < new.starts_on:
        raise rules.CycleError("an action cannot be due before it starts")
    texts = {name: (new.texts.get(name) or "").strip() for name in ACTION_TEXTS}
    if (new.from_value is not None or new.to_value is not None) and not texts["measure"]:
        raise rules.CycleError("say which measure goes from one value to the other")
    return {"flag_ids": flags, "title": new.title.strip(), "owner": new.owner.strip(), "status": new.status,
            "from_value": new.from_value, "to_value": new.to_value, "starts_on": new.starts_on, "due_on": new.due_on,
            **texts}


def actions(unit_id: str, flag_id: str | None = None) -> list[Action]:
    """Return a unit's actions (linked to one flag, or all): open ones first, then by due date."""
    found = list(db.session.scalars(select(Action).where(Action.unit_id == unit_id)))
    if flag_id is not None:
        found = [action for action in found if flag_id in action.flag_ids]
    return sorted(found, key=lambda a: (a.status not in rules.OPEN_STATUSES, a.due_on or dt.date.max, a.title))


def set_status(unit_id: str, action_id: str, status: str) -> Action | None:
    """Change an action's status and commit; None if the unit has no such action."""
    rules.check_status(status)
    action = action_of(unit_id, action_id)
    if action is not None:
        action.status = status
        db.session.commit()
    return action


@dataclass(frozen=True)
class NewEvidence:
    """A count with its denominator, or a note, for a flag at a unit, with where it comes from and who measured."""

    unit_id: str
    flag_id: str
    kind: str
    title: str
    source: str
    period: str
    measured_by: str
    count: int | None = None
    denominator: int | None = None
    text: str = ""


def add_evidence(new: NewEvidence, known_flags: set[str]) -> FlagEvidence:
    """Store other evidence for a flag and commit; raise CycleError for what is refused."""
    rules.check_flags([new.flag_id], known_flags)
    if new.kind not in rules.EVIDENCE_KINDS:
        raise rules.CycleError(f"unknown kind of evidence '{new.kind}' (one of {', '.join(rules.EVIDENCE_KINDS)})")
    if not all(value.strip() for value in (new.title, new.source, new.period, new.measured_by)):
        raise rules.CycleError("evidence needs a title, its source, its period and who measured it")
    if new.kind == rules.COUNT:
        rules.check_count(new.count, new.denominator)
    elif not new.text.strip():
        raise rules.CycleError("a note needs its text")
    rules.check_not_personal(new.title, new.text)
    counted = new.kind == rules.COUNT
    row = FlagEvidence(unit_id=new.unit_id, flag_id=new.flag_id, kind=new.kind, title=new.title.strip(),
                       count=new.count if counted else None, denominator=new.denominator if counted else None,
                       text=new.text.strip(), source=new.source.strip(), period=new.period.strip(),
                       measured_by=new.measured_by.strip(), created_at=now())
    db.session.add(row)
    db.session.commit()
    return row


def other_evidence(unit_id: str, flag_id: str | None = None) -> list[FlagEvidence]:
    """Return a unit's other evidence (for one flag, or all), newest entered first."""
    query = select(FlagEvidence).where(FlagEvidence.unit_id == unit_id)
    if flag_id is not None:
        query = query.where(FlagEvidence.flag_id == flag_id)
    return list(db.session.scalars(query.order_by(FlagEvidence.created_at.desc())))


def add_shared(unit_id: str, round_id: str, shared_on: dt.date, form: str, today: dt.date) -> SharedWithUsers:
    """Record that a round's results were shown to a unit's users, and how; commit. Raise CycleError if refused."""
    survey_round = db.session.get(Round, round_id)
    if survey_round is None or unit_id not in {u.id for u in survey_round.units}:
        raise rules.CycleError("the unit took no part in that round")
    if shared_on > today:
        raise rules.CycleError("results cannot be shared in the future")
    if not form.strip():
        raise rules.CycleError("say how the results were shared")
    row = SharedWithUsers(unit_id=unit_id, round_id=round_id, shared_on=shared_on, form=form.strip())
    db.session.add(row)
    db.session.commit()
    return row


def unit_rounds(unit_id: str, today: dt.date) -> list[Round]:
    """Return the rounds a unit took part in that have closed, newest first."""
    return list(db.session.scalars(select(Round).where(Round.units.any(Unit.id == unit_id), Round.closes_on < today)
                                   .order_by(Round.closes_on.desc(), Round.name)))


def shared(unit_id: str) -> list[SharedWithUsers]:
    """Return when and how a unit's results were shown to its users, newest first."""
    return list(db.session.scalars(select(SharedWithUsers).where(SharedWithUsers.unit_id == unit_id)
                                   .order_by(SharedWithUsers.shared_on.desc())))
