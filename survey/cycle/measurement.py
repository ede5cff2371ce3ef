"""Measurement over time as the pages show it: series from releases (survey/cycle/series.py) judged as run charts
or p-charts (spc, spc_proportions), drawn (spc_charts), with their table rows, limits and plain-word explanation.

Reads releases only, through series.py; no figure here is one a release does not publish.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from survey.analysis import service as analysis
from survey.cycle import phases as phases_
from survey.cycle import series as series_
from survey.cycle import spc, spc_charts, spc_proportions
from survey.cycle.series import Series, SeriesPoint, Subject
from survey.db.models import ChartPhase, Unit
from survey.questionnaires.model import Questionnaire

SOURCES = ("user", "staff")
UP, DOWN, STEADY, TOO_FEW, NO_POINTS = "up", "down", "steady", "too_few", "no_points"


@dataclass(frozen=True)
class Measured:
    """One figure over time: its series, the chart judged by the rules, drawn, and as table rows."""

    questionnaire: Questionnaire
    title: str
    series: Series
    chart: spc.Chart
    svg: Markup
    rows: list[dict]
    lines: tuple[str, ...]
    shifts: tuple[Shift, ...] = ()

    @property
    def last_phase(self) -> spc.Phase:
        """Return the phase the latest point belongs to."""
        return self.chart.phases[-1]

    @property
    def trend(self) -> str:
        """Return the trend in one word: up, down, steady, too_few (points for a signal) or no_points."""
        return trend(self.chart, self.shifts)


@dataclass(frozen=True)
class Shift:
    """A confirmed phase judged against the phase before it: that phase's points and its frozen centre line,
    extended over the new phase's points (qicharts2's `freeze`). A signal here says the change made a difference."""

    phase: int
    chart: spc.Chart
    lines: tuple[str, ...]


def shifts(values: Sequence[float | None], chart: spc.Chart, lang: str) -> tuple[Shift, ...]:
    """Return each phase after the first judged against the frozen centre line of the phase before it."""
    found = []
    for before, phase in zip(chart.phases, chart.phases[1:]):
        judged = spc.run_chart(values[before.start:phase.end], (), before.baseline_end - before.start)
        found.append(Shift(phase.number, judged, judged.explain(lang)))
    return tuple(found)


def trend(chart: spc.Chart, shifted: Sequence[Shift] = ()) -> str:
    """Return which way a chart points: up or down when its latest phase signals, or when that phase differs from
    the frozen baseline before it; else steady, or too few points for a signal."""
    if shifted and not chart.phases[-1].runs.signal and shifted[-1].chart.signal:
        return trend(shifted[-1].chart)
    """Return which way a chart's latest phase points: up or down when it signals, else steady, or too few points."""
    if not chart.phases or all(p.value is None for p in chart.points):
        return NO_POINTS
    phase = chart.phases[-1]
    if not phase.runs.enough_points and not any(p.outside for p in chart.points):
        return TOO_FEW
    if not chart.signal:
        return STEADY
    if phase.runs.long_run:
        return UP if phase.runs.longest_run_side > 0 else DOWN
    latest = next((p for p in reversed(chart.points) if p.value is not None and p.side), None)
    return UP if latest is not None and latest.side > 0 else DOWN


def informing_any() -> list[Questionnaire]:
    """Return the questionnaires whose figures are evidence for flags: the user's, then the staff's."""
    found = analysis.library().questionnaires
    return [found[q] for q in SOURCES if q in found]


def informing(flag_id: str) -> list[Questionnaire]:
    """Return the questionnaires (user, then staff) with a question that informs the flag."""
    found = analysis.library().questionnaires
    return [found[q] for q in SOURCES if q in found and flag_id in analysis.informed_flags(found[q])]


def run_measure(questionnaire: Questionnaire, found: Series, title: str, lang: str,
                phases: Sequence[ChartPhase] = ()) -> Measured:
    """Judge a series as a run chart (phases from confirmed dates, each with its frozen baseline) and draw it."""
    starts = series_.phase_starts(found.points, [p.starts_on for p in phases])
    baseline = min((p.baseline for p in phases), default=None) if starts else None
    chart = spc.run_chart(found.values, starts, baseline)
    return _measured(questionnaire, found, chart, title, lang, shifts(found.values, chart, lang))


def p_measure(questionnaire: Questionnaire, found: Series, title: str, lang: str) -> Measured:
    """Judge a group's series as a p-chart, or Laney's p′ when its subgroups are large (spc_proportions decides)."""
    chart = spc_proportions.p_chart([p.positive for p in found.points], [p.valid for p in found.points])
    return _measured(questionnaire, found, chart, title, lang)


def _measured(questionnaire: Questionnaire, found: Series, chart: spc.Chart, title: str, lang: str,
              shifted: tuple[Shift, ...] = ()) -> Measured:
    svg = spc_charts.chart_svg(chart, found.labels, title, lang, percent=True)
    rows = [{**row, "n": point.n}
            for row, point in zip(spc_charts.chart_rows(chart, found.labels, lang), found.points, strict=True)]
    return Measured(questionnaire, title, found, chart, svg, rows, chart.explain(lang), shifted)


def flag_charts(subject: Subject, flag_id: str, title: str, lang: str, kind: str = "run",
                until: dt.date | None = None) -> list[Measured]:
    """Return a flag's figure over time from each questionnaire that informs it (user, then staff)."""
    phases = series_.confirmed_phases(subject, flag_id) if kind == "run" else []
    charts = []
    for questionnaire in informing(flag_id):
        found = series_.series(questionnaire.id, subject, "flag", flag_id, until)
        if not found.asked:
            continue
        heading = f"{title} · {questionnaire_title(questionnaire, lang)}"
        charts.append(run_measure(questionnaire, found, heading, lang, phases) if kind == "run"
                      else p_measure(questionnaire, found, heading, lang))
    return charts


def question_charts(subject: Subject, flag_id: str, lang: str) -> list[Measured]:
    """Return a run chart of each question that informs the flag, per questionnaire, with the flag's phases."""
    phases = series_.confirmed_phases(subject, flag_id)
    charts = []
    for questionnaire in informing(flag_id):
        for question in questionnaire.questions:
            if flag_id not in question.flags or not question.is_choice or question.background:
                continue
            found = series_.series(questionnaire.id, subject, "question", question.key)
            if found.asked:
                title = f"{text(question.text, lang)} · {questionnaire_title(questionnaire, lang)}"
                charts.append(run_measure(questionnaire, found, title, lang, phases))
    return charts


def questionnaire_title(questionnaire: Questionnaire, lang: str) -> str:
    return text(questionnaire.title, lang)


def text(value, lang: str) -> str:
    from survey.web.i18n import text_in
    return text_in(value, lang)


def flag_measurement(unit: Unit, flag_id: str, flag_name: str, lang: str) -> dict:
    """Return what a unit's flag page shows over time: run charts, confirmed phases, and phases offered."""
    subject = series_.subject_for_unit(unit)
    offered = phases_.offers(unit.id, subject, flag_id)
    return {"subject": subject, "charts": flag_charts(subject, flag_id, flag_name, lang),
            "phases": series_.confirmed_phases(subject, flag_id), "offers": offered,
            "phase_form": phases_.phase_form(offered)}


@dataclass(frozen=True)
class BeforeAfter:
    """An action's flag as one questionnaire measured it: the last shown figure before the action started, and
    every release since (a hidden one says so), for the unit or the pool that stands in for it."""

    flag: object
    questionnaire: Questionnaire
    subject: Subject
    before: SeriesPoint | None
    after: list[SeriesPoint]


def before_and_after(unit: Unit, flag_ids: Sequence[str], starts_on: dt.date | None) -> list[BeforeAfter]:
    """Return, for an action that has started, each of its flags' figures before its start and in the releases
    since, read from released cells only."""
    if starts_on is None:
        return []
    subject = series_.subject_for_unit(unit)
    flags = {flag.id: flag for _, flag in analysis.quality_model().flags()}
    found = []
    for flag_id in flag_ids:
        for questionnaire in informing(flag_id):
            line = series_.series(questionnaire.id, subject, "flag", flag_id)
            if not line.asked:
                continue
            earlier = [p for p in line.points if p.opens_on < starts_on and p.state == series_.SHOWN]
            since = [p for p in line.points if p.opens_on >= starts_on and p.state != series_.ABSENT]
            found.append(BeforeAfter(flags.get(flag_id, flag_id), questionnaire, subject,
                                     earlier[-1] if earlier else None, since))
    return found
