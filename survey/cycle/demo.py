"""The demo's quality cycle: one unit (Gruppbostad Björken) with valuations over two years, other evidence and
actions; the other indicators (entered at Björken, and imported from questionnaires/demo_indicators.csv for every
unit); and valuations of the small homes' pool, the areas and the whole organisation."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from survey.cycle import indicators, rules, store
from survey.db import db
from survey.db.models import Area, IndicatorValue, Pool, Unit, Valuation
from survey.questionnaires.quality import QualityModel

PARTICIPANTS = "enhetschef, två medarbetare, kvalitetsutvecklare, en representant för brukarrådet"
VALUATIONS = [
    # (flag, verdict, days before today, reasoning)
    ("relationships", rules.WATCH, 400, "Brukarna känner sig trygga med personalen, men färre än förra året säger att "
     "de känner sig trygga hemma. Några berättade att brandlarmet skrämmer dem."),
    ("relationships", rules.CHALLENGE, 30, "Tryggheten hemma har sjunkit igen. Brandlarmet nämns i fritexten och på "
     "husmötet: det är ett mönster, inte en enstaka händelse."),
    ("staff_approach", rules.STRENGTH, 30, "Brukarna säger att personalen bryr sig och lyssnar; medarbetarenkäten "
     "visar samma sak. Vi vill behålla det."),
    ("staff_able", rules.WATCH, 30, "Medarbetarna vill använda bildstöd men säger att de inte har fått utbildning. "
     "Brukarenkäten säger för lite om det."),
    ("gaps_grey_zones", rules.NOT_ENOUGH, 30, "Ingen enkätfråga räcker här. Vi behöver titta på väntetider och "
     "journalgranskning innan vi kan bedöma flaggan."),
]


def add_demo_cycle(today: dt.date, known_flags: set[str]) -> None:
    """Add the demo unit's valuations and actions, once: nothing is added if it has valuations already."""
    unit = db.session.scalar(select(Unit).where(Unit.slug == "bjorken"))
    if unit is None or db.session.scalar(select(Valuation.id).where(Valuation.unit_id == unit.id).limit(1)):
        return
    for flag_id, verdict, days, reasoning in VALUATIONS:
        store.add_valuation(store.NewValuation(unit.id, flag_id, verdict, reasoning, PARTICIPANTS,
                                               today - dt.timedelta(days=days)), known_flags, today)
    store.add_evidence(store.NewEvidence(
        unit.id, "gaps_grey_zones", rules.COUNT, "Väntetid över 14 dagar till första samtalet", "journalgranskning",
        f"{today.year - 1}", "kvalitetsutvecklare", count=3, denominator=11), known_flags)
    store.add_evidence(store.NewEvidence(
        unit.id, "relationships", rules.NOTE, "Husmöte om brandlarmet", "husmöte", f"{today.year}", "enhetschef",
        text="Flera sa att larmet skrämmer dem och att de inte vet vad de ska göra när det låter."), known_flags)
    store.add_action(store.NewAction(
        unit.id, ["relationships"], "Brandövningar och ett lugnare larm", "enhetschef", rules.ONGOING,
        from_value=62, to_value=80, starts_on=today - dt.timedelta(days=20), due_on=today + dt.timedelta(days=300),
        texts={"measure": "Andel som svarar ja på ”Känner du dig trygg hemma?”",
               "problem": "Färre brukare känner sig trygga hemma; brandlarmet skrämmer flera.",
               "current_state": "62 % känner sig trygga hemma. Larmet har ett högt, plötsligt ljud.",
               "goal": "Minst 80 % känner sig trygga hemma i nästa mätning.",
               "analysis": "Ingen har fått öva på vad som händer när larmet går; ingen vet hur det låter förrän det "
                           "låter på riktigt.",
               "change_tried": "En brandövning i månaden, med bildstöd; ljudet spelas upp i förväg på husmötet.",
               "plan": "Enhetschefen bokar övningarna; två medarbetare gör bildstödet före nästa husmöte.",
               "easy_read": "Vi ska öva på vad vi gör när brandlarmet låter. Vi övar en gång varje månad.",
               "responsible_role": "Enhetschefen"}), known_flags)
    store.add_action(store.NewAction(
        unit.id, ["staff_able", "relevant_methods"], "Utbildning i bildstöd", "kvalitetsutvecklare", rules.PLANNED,
        starts_on=today + dt.timedelta(days=30), due_on=today + dt.timedelta(days=120),
        texts={"measure": "Medarbetare som har gått utbildningen", "goal": "Alla medarbetare har gått utbildningen.",
               "easy_read": "Personalen ska lära sig mer om bilder som hjälper dig att förstå.",
               "responsible_role": "Kvalitetsutvecklaren"}), known_flags)
    store.add_action(store.NewAction(
        unit.id, ["relationships", "staff_approach"], "Husmöte varje vecka", "enhetschef", rules.DONE,
        starts_on=today - dt.timedelta(days=380), due_on=today - dt.timedelta(days=200),
        texts={"follow_up": "Husmötet blev kvar: brukarna tar upp det som oroar dem där.",
               "easy_read": "Vi ska ha husmöte varje vecka.",
               "easy_read_done": "Nu har vi husmöte varje vecka. Där kan du säga vad du tycker.",
               "responsible_role": "Enhetschefen"}), known_flags)


INDICATOR_FILE = "demo_indicators.csv"
GROUP_PARTICIPANTS = "områdeschefer, kvalitetsutvecklare, två enhetschefer, en representant för brukarrådet"
GROUP_VALUATIONS = [
    # (level, group name (None: the organisation), flag, verdict, reasoning)
    (store.POOL, "Gruppbostäderna i Norra området", "relationships", rules.WATCH,
     "Hemmen är för små för egna resultat; tillsammans känner de flesta sig trygga, men brandlarmet nämns på två av "
     "tre hem."),
    (store.AREA, "Norra området", "activities_from_needs", rules.STRENGTH,
     "Genomförandeplanerna följs upp allt oftare (11 av 12 på Björken) och brukarna säger att de får bestämma."),
    (store.AREA, "Södra området", "gaps_grey_zones", rules.CHALLENGE,
     "Väntetiden till första samtalet är för lång på Kompassen; Fyren har kortat den med en ny rutin."),
    (None, None, "gaps_grey_zones", rules.WATCH,
     "Väntetiderna skiljer sig mycket mellan enheterna. Fyrens rutin bör prövas på fler ställen."),
    (None, None, "staff_able", rules.WATCH,
     "Medarbetarna vill använda metoderna men alla har inte fått utbildning ännu."),
]


def add_demo_indicators(model: QualityModel, questionnaire_dir: Path) -> int:
    """Import the demo's indicator file and enter one value by hand at Björken, once; return the values added."""
    if db.session.scalar(select(IndicatorValue.id).limit(1)) is not None:
        return 0
    units: dict[str, str] = {row.slug: row.id for row in db.session.execute(select(Unit.slug, Unit.id))}
    path = questionnaire_dir / INDICATOR_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    # The small homes come with the demo's history (`survey demo --no-history` has none): leave out their rows
    present = [line for number, line in enumerate(lines) if number == 0 or line.split(";")[0] in units]
    rows = indicators.import_csv(path.name, "\n".join(present).encode(), units, model) if len(present) > 1 else []
    if "bjorken" in units:
        rows.append(indicators.add_value(indicators.NewValue(
            units["bjorken"], "staff_trained_in_methods", "2026", 4, 9, "Enhetschef",
            "Bildstödsutbildningen är bokad för resten av gruppen."), model))
    return len(rows)


def add_demo_group_valuations(today: dt.date, known_flags: set[str]) -> None:
    """Add valuations of the small homes' pool, the areas and the organisation, once (skipping missing groups)."""
    if db.session.scalar(select(Valuation.id).where(Valuation.unit_id.is_(None)).limit(1)) is not None:
        return
    for level, name, flag_id, verdict, reasoning in GROUP_VALUATIONS:
        table = Pool if level == store.POOL else Area
        group_id = db.session.scalar(select(table.id).where(table.name == name)) if level else None
        if level and group_id is None:
            continue
        where = {"pool_id": group_id if level == store.POOL else None,
                 "area_id": group_id if level == store.AREA else None}
        store.add_valuation(store.NewValuation(None, flag_id, verdict, reasoning, GROUP_PARTICIPANTS,
                                               today - dt.timedelta(days=14), **where), known_flags, today)
