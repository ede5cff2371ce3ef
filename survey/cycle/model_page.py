"""The quality model as a whole for a unit, an area, a service type or the organisation: the five areas and every
flag with its latest valuation, its evidence (the user and the staff questionnaire's latest released figures) and
its trend over the releases in words; as a page, and as an A4 landscape PDF for the management meeting.

Figures are release cells read through survey/cycle/series.py; a unit in a pool is shown through its pool.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select
from weasyprint import HTML

from survey.analysis import service as analysis
from survey.cycle import measurement, series, spc, store
from survey.cycle.charts import GROUP_LEVELS, group_subject
from survey.cycle.series import SHOWN, Series, SeriesPoint, Subject
from survey.cycle.views import CYCLE_ROLES, GROUP_ROLES, _unit, bp
from survey.db import db
from survey.db.models import Area, Unit, Valuation
from survey.staff import accounts
from survey.staff.auth import role_required
from survey.web.caching import attachment
from survey.web.i18n import current_language

ARROWS = {measurement.UP: "↑", measurement.DOWN: "↓", measurement.STEADY: "→", measurement.TOO_FEW: "",
          measurement.NO_POINTS: ""}


@dataclass(frozen=True)
class Evidence:
    """One questionnaire's figure for a flag: the latest release's point, and the trend over all releases."""

    questionnaire_id: str
    latest: SeriesPoint | None
    trend: str

    @property
    def arrow(self) -> str:
        """Return the trend's arrow (beside its words, never alone)."""
        return ARROWS[self.trend]


@dataclass(frozen=True)
class FlagRow:
    """One flag of the model: its latest valuation and its evidence from each questionnaire that informs it."""

    flag: object
    valuation: Valuation | None
    evidence: tuple[Evidence, ...]


def evidence_of(found: Series, phases: list) -> Evidence:
    """Return a series' latest point and its trend, judged by the Anhøj rules with the confirmed phases."""
    starts = series.phase_starts(found.points, [p.starts_on for p in phases])
    baseline = min((p.baseline for p in phases), default=None) if starts else None
    chart = spc.run_chart(found.values, starts, baseline)
    latest = found.points[-1] if found.points else None
    shifted = measurement.shifts(found.values, chart, current_language())
    return Evidence(found.questionnaire_id, latest, measurement.trend(chart, shifted))


def valuations(subject: Subject) -> dict[str, Valuation]:
    """Return each flag's latest valuation of a unit or area (other levels have none)."""
    if subject.level == "unit":
        return store.latest_valuations(subject.group_id)
    column = {"area": Valuation.area_id, "pool": Valuation.pool_id}.get(subject.level)
    if column is None:
        return {}
    latest: dict[str, Valuation] = {}
    for valuation in db.session.scalars(select(Valuation).where(column == subject.group_id)
                                        .order_by(Valuation.decided_on.desc(), Valuation.created_at.desc())):
        latest.setdefault(valuation.flag_id, valuation)
    return latest


def whole_model(subject: Subject, valued: dict[str, Valuation]) -> list[tuple[object, list[FlagRow]]]:
    """Return every area of the model with a row per flag (retired flags left out)."""
    sources = {q.id: q for q in measurement.informing_any()}
    found = []
    for area in analysis.quality_model().areas:
        rows = []
        for flag in area.flags:
            if flag.retired:
                continue
            phases = series.confirmed_phases(subject, flag.id)
            evidence = tuple(evidence_of(series.series(q.id, subject, "flag", flag.id), phases)
                             for q in sources.values() if flag.id in analysis.informed_flags(q))
            rows.append(FlagRow(flag, valued.get(flag.id), evidence))
        found.append((area, rows))
    return found


def subject_of(level: str, group_id: str) -> tuple[Subject, str | None]:
    """Return the subject of the page and, for a unit, its id (404 for what this account may not see)."""
    if level == "unit":
        unit = _unit(group_id)
        return series.subject_for_unit(unit), unit.id
    if level not in GROUP_LEVELS:
        abort(404)
    if current_user.role not in GROUP_ROLES:  # unit staff: their own units' model only
        abort(403)
    return group_subject(level, group_id), None


def context(level: str, group_id: str) -> dict:
    """Return what the page and the PDF show."""
    subject, unit_id = subject_of(level, group_id)
    valued = valuations(series.Subject("unit", unit_id, subject.name) if unit_id else subject)
    return {"subject": subject, "level": level, "group_id": group_id, "unit_id": unit_id,
            "unit_name": db.session.scalar(select(Unit.name).where(Unit.id == unit_id)) if unit_id else None,
            "areas": whole_model(subject, valued), "questionnaires": measurement.informing_any(),
            "today": dt.date.today(), "shown": SHOWN}


@bp.get("/model/<level>/<group_id>")
@role_required(*CYCLE_ROLES)
def model(level: str, group_id: str):
    """Show the whole quality model for a unit, area, service type or the organisation."""
    units = list(db.session.scalars(accounts.visible_units(current_user)))
    groups = current_user.role in GROUP_ROLES
    areas = list(db.session.scalars(select(Area).order_by(Area.name))) if groups else []
    return render_template("cycle/model.html", **context(level, group_id), units=units, all_areas=areas, groups=groups,
                           service_types=sorted({u.service_type for u in units}) if groups else [])


@bp.get("/model/<level>/<group_id>/model.pdf")
@role_required(*CYCLE_ROLES)
def model_pdf(level: str, group_id: str):
    """Download the whole model as an A4 landscape PDF for the management meeting."""
    html = render_template("print/model.html", **context(level, group_id), lang=current_language())
    pdf = HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
    return attachment(pdf, f"model-{level}.pdf", "application/pdf")
