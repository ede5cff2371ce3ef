"""A demo organisation: a few units of different kinds, with rounds open around today, and one unit's quality cycle."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey.cycle.demo import add_demo_cycle
from survey.db import db
from survey.db.models import Area, Organisation, Round, Unit
from survey.questionnaires import library

DEMO_UNITS = [
    # (area, unit name, slug, service type)
    ("Norra området", "Gruppbostad Björken", "bjorken", "housing"),
    ("Norra området", "Daglig verksamhet Verkstan", "verkstan", "daily_activity"),
    ("Södra området", "Boendestöd Centrum", "boendestod-centrum", "housing_support"),
    ("Södra området", "Träffpunkt Fyren", "fyren", "social_psychiatry"),
    ("Södra området", "Öppenvården Kompassen", "kompassen", "addiction_care"),
]


def organisation(name: str) -> Organisation:
    """Return the organisation, creating it with this name if there is none."""
    found = db.session.scalar(select(Organisation))
    if found is None:
        found = Organisation(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def create_demo(today: dt.date, questionnaire_ids: list[str]) -> list[Unit]:
    """Add the demo units, open one round per questionnaire for all of them, and one unit's quality cycle; safe to
    run twice."""
    org = organisation("Demokommunen")
    areas: dict[str, Area] = {}
    units = []
    for area_name, name, slug, service_type in DEMO_UNITS:
        unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
        if unit is None:
            area = areas.get(area_name) or db.session.scalar(select(Area).where(Area.name == area_name))
            if area is None:
                area = Area(organisation_id=org.id, name=area_name)
                db.session.add(area)
                db.session.flush()
            areas[area_name] = area
            unit = Unit(organisation_id=org.id, area_id=area.id, name=name, slug=slug, service_type=service_type)
            db.session.add(unit)
        units.append(unit)
    for questionnaire_id in questionnaire_ids:
        name = f"Demo {today.year}"
        exists = db.session.scalar(select(Round).where(Round.name == name, Round.questionnaire_id == questionnaire_id))
        if exists is None:
            db.session.add(Round(name=name, questionnaire_id=questionnaire_id, units=units,
                                 opens_on=today - dt.timedelta(days=60), closes_on=today + dt.timedelta(days=60)))
    db.session.commit()
    add_demo_cycle(today, {flag.id for _, flag in library().quality_model.flags()})
    return units
