"""The demo's measurement over time: Daglig verksamhet Verkstan's action for self-determination, dated at the start
of the quarter its answers improve from (survey/staff/demo_history.py), and the new phase a person confirmed there,
so the flag's run chart shows two phases on the first run."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey.cycle import phases, rules, series, store
from survey.db import db
from survey.db.models import Action, Unit
from survey.staff.demo_history import IMPROVED, quarters

FLAG = "staff_able"  # informed by the two decide_ questions that improve
TITLE = "Brukarna bestämmer själva om sin dag"


def add_demo_phase(today: dt.date, known_flags: set[str]) -> None:
    """Add Verkstan's action and its confirmed phase, once: nothing is added if the action exists."""
    slug, since, _prefix = IMPROVED
    unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if unit is None or FLAG not in known_flags or db.session.scalar(
            select(Action.id).where(Action.unit_id == unit.id, Action.title == TITLE)):
        return
    starts_on = quarters(today)[since][1]
    action = store.add_action(store.NewAction(
        unit.id, [FLAG, "staff_approach"], TITLE, "enhetschef", rules.DONE, from_value=45, to_value=75,
        starts_on=starts_on, due_on=starts_on + dt.timedelta(days=180),
        texts={"measure": "Andel som svarar ja på frågorna om att bestämma själv",
               "problem": "Under hälften säger att de får bestämma om saker som är viktiga för dem.",
               "change_tried": "Varje morgon väljer var och en själv bland dagens aktiviteter, med bildstöd.",
               "follow_up": "Andelen steg och har stannat kvar högre: en ny fas i seriediagrammet.",
               "easy_read": "Du ska få välja själv vad du gör på dagen.",
               "easy_read_done": "Nu väljer du själv vad du gör varje morgon.",
               "responsible_role": "Enhetschefen"}), known_flags)
    phases.confirm(unit.id, series.subject_for_unit(unit), FLAG, action.id, "kvalitetsutvecklare", phases.BASELINE,
                   today)
