"""Areas, units and rounds: the organisation's own structure, edited by administrators."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from survey.db import db
from survey.db.models import Area, Organisation, Pool, Round, SeriesPeriod, Unit, round_unit

SERVICE_TYPES = ("housing", "daily_activity", "housing_support", "personal_assistance", "social_psychiatry",
                 "addiction_care", "family_treatment", "other")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class OrganisationError(ValueError):
    """A staff-facing problem with organisation data; the message names the field and the fix."""


def the_organisation() -> Organisation:
    """Return the organisation this installation serves."""
    org = db.session.scalar(select(Organisation))
    if org is None:
        raise OrganisationError("no organisation yet: run `survey init`")
    return org


def areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def save_area(name: str, area: Area | None = None) -> Area:
    """Create or rename an area (the caller commits)."""
    if not name.strip():
        raise OrganisationError("the area needs a name")
    area = area or Area(organisation_id=the_organisation().id)
    area.name = name.strip()
    db.session.add(area)
    return area


def save_unit(name: str, slug: str, service_type: str, area_id: str | None, unit: Unit | None = None) -> Unit:
    """Create or change a unit, checking its link name and service type (the caller commits)."""
    slug = slug.strip().lower()
    if not name.strip():
        raise OrganisationError("the unit needs a name")
    if not _SLUG.match(slug):
        raise OrganisationError("the link name may use a-z, 0-9 and - (not first or last), at most 64 characters")
    if service_type not in SERVICE_TYPES:
        raise OrganisationError(f"unknown service type '{service_type}'")
    clash = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if clash is not None and clash is not unit:
        raise OrganisationError(f"the link name '{slug}' is already used by {clash.name}")
    unit = unit or Unit(organisation_id=the_organisation().id)
    unit.name, unit.slug, unit.service_type, unit.area_id = name.strip(), slug, service_type, area_id or None
    db.session.add(unit)
    return unit


def pools() -> list[Pool]:
    return list(db.session.scalars(select(Pool).order_by(Pool.name)))


def save_pool(name: str, service_type: str, units: list[Unit], pool: Pool | None = None) -> Pool:
    """Create or change a pool: a fixed group of units of one service type (a unit is in one pool at most; moving it
    here takes it out of its old one). The caller commits."""
    if not name.strip():
        raise OrganisationError("the pool needs a name, e.g. Gruppbostäderna i Norra området")
    if service_type not in SERVICE_TYPES:
        raise OrganisationError(f"unknown service type '{service_type}'")
    other = [u.name for u in units if u.service_type != service_type]
    if other:
        raise OrganisationError(f"a pool holds units of one kind: {', '.join(other)} "
                                f"{'is' if len(other) == 1 else 'are'} not {service_type.replace('_', ' ')}")
    if len(units) < 2:
        raise OrganisationError("a pool needs at least two units")
    pool = pool or Pool(organisation_id=the_organisation().id)
    pool.name, pool.service_type = name.strip(), service_type
    db.session.add(pool)
    db.session.flush()
    for unit in db.session.scalars(select(Unit).where(Unit.pool_id == pool.id)):
        unit.pool_id = None
    for unit in units:
        unit.pool_id = pool.id
    return pool


def save_round(name: str, questionnaire_id: str, opens_on: dt.date, closes_on: dt.date, units: list[Unit],
               survey_round: Round | None = None) -> Round:
    """Create or change a round: a questionnaire open for chosen units over a period (the caller commits)."""
    if closes_on < opens_on:
        raise OrganisationError("the round must close on or after the day it opens")
    if not units:
        raise OrganisationError("choose at least one unit")
    clash = overlapping(questionnaire_id, units, opens_on, closes_on, survey_round)
    if clash is not None and db.session.get(SeriesPeriod, clash.id) is not None:
        raise OrganisationError(f"'{clash.name}' of a continuous survey already asks {questionnaire_id} at one of "
                                "these units then: a unit has one round of a questionnaire open at a time")
    survey_round = survey_round or Round()
    survey_round.name, survey_round.questionnaire_id = name.strip(), questionnaire_id
    survey_round.opens_on, survey_round.closes_on, survey_round.units = opens_on, closes_on, units
    db.session.add(survey_round)
    return survey_round


def overlapping(questionnaire_id: str, units: list[Unit], opens_on: dt.date, closes_on: dt.date | None,
                survey_round: Round | None = None) -> Round | None:
    """Return a round of this questionnaire at one of these units whose dates meet this span, if any."""
    query = (select(Round).join(round_unit).where(round_unit.c.unit_id.in_([u.id for u in units]),
                                                  Round.questionnaire_id == questionnaire_id,
                                                  Round.closes_on >= opens_on))
    if closes_on is not None:
        query = query.where(Round.opens_on <= closes_on)
    if survey_round is not None and survey_round.id is not None:
        query = query.where(Round.id != survey_round.id)
    return db.session.scalars(query.limit(1)).first()


def rounds_at(unit: Unit) -> list[Round]:
    """Return every round that includes this unit, newest first."""
    query = (select(Round).join(round_unit).where(round_unit.c.unit_id == unit.id)
             .order_by(Round.opens_on.desc(), Round.name))
    return list(db.session.scalars(query))
