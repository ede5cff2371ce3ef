"""The analysts' pages: a heatmap of units by flags, a page per unit or group, drill-down, downloads, releasing.

Every figure comes from the chosen round's release (survey/analysis/service.py); a round that is not released
shows how many have answered so far and, once it has closed, a button to release it.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from survey.analysis import charts, releases, reports, scoring
from survey.analysis import service as analysis
from survey.config import LANGUAGES
from survey.questionnaires.quality import flags_without_survey_evidence
from survey.staff.accounts import ADMINISTRATOR, ANALYST
from survey.staff.auth import role_required
from survey.web.caching import attachment
from survey.web.i18n import current_language

bp = Blueprint("analysis", __name__, url_prefix="/analysis")
ANALYSTS = (ADMINISTRATOR, ANALYST)
DOWNLOADS = {"csv": ("csv", releases.CSV), "xlsx": ("xlsx", releases.XLSX)}


def chosen() -> analysis.Selection:
    """Return the questionnaire and round picked in the query string (404 when there are none)."""
    selection = analysis.select_round(request.args.get("questionnaire"), request.args.get("round"))
    if selection is None:
        abort(404)
    return selection


def released() -> analysis.Selection:
    """Return the chosen selection if its round is released; otherwise 404 (there are no figures)."""
    selection = chosen()
    if selection.release is None:
        abort(404)
    return selection


@bp.get("/")
@role_required(*ANALYSTS)
def overview():
    """Show units by flags for one released round: colour, number and symbol in every cell."""
    selection = chosen()
    service_type = request.args.get("service_type") or None
    flags = [flag for _, flag in analysis.quality_model().flags()
             if flag.id in analysis.informed_flags(selection.questionnaire)]
    found = analysis.unit_flags(selection, service_type)
    grid: dict = {}
    for row in analysis.records(found[found["level"] == "unit"]):
        grid.setdefault((row["group_id"], row["group"]), {})[row["item"]] = row
    organisation = {row["item"]: row for row in analysis.records(found[found["level"] == "organisation"])}
    uninformed = [flag for _, flag in analysis.quality_model().flags()
                  if flag.id in flags_without_survey_evidence(analysis.quality_model(), [selection.questionnaire])]
    return render_template("analysis/overview.html", selection=selection, flags=flags,
                           grid=sorted(grid.items(), key=lambda g: g[0][1]), organisation=organisation,
                           types=analysis.service_types(selection), service_type=service_type,
                           rounds=analysis.rounds_for(selection.questionnaire.id), uninformed=uninformed,
                           live=None if selection.release else analysis.live_counts(selection),
                           closed=selection.round.closes_on < dt.date.today(),
                           questionnaires=list(analysis.library().questionnaires.values()))


@bp.post("/release")
@role_required(*ANALYSTS)
def release():
    """Release a closed round: its figures are computed once, audited and kept unchanged from now on."""
    selection = chosen()
    try:
        analysis.make_release(selection, dt.date.today())
        flash(_l("The round is released. Its figures will not change."), "info")
    except releases.ReleaseError as err:
        flash(str(err), "error")
    return redirect(url_for(".overview", questionnaire=selection.questionnaire.id, round=selection.round.id))


@bp.get("/<level>/<group_id>")
@role_required(*ANALYSTS)
def group(level: str, group_id: str):
    """Show one unit or group: its flags as a chart, each flag with comparisons and change."""
    selection, found, name = _group_figures(level, group_id)
    rows = with_ladder(selection, level, group_id, analysis.profile(found, level, group_id, selection.questionnaire))
    chart = charts.profile_chart(rows, name, current_language())
    texts = analysis.free_texts(selection, level, group_id)
    return render_template("analysis/group.html", selection=selection, level=level, group_id=group_id,
                           name=name, rows=rows, chart=chart, texts=texts, flag=_flag,
                           free_text_level=analysis.free_text_level(selection))


@bp.get("/<level>/<group_id>/flags/<flag_id>")
@role_required(*ANALYSTS)
def flag(level: str, group_id: str, flag_id: str):
    """Show the questions behind one flag, with their answer distributions."""
    if _flag(flag_id) is None:
        abort(404)
    selection, found, name = _group_figures(level, group_id)
    questions = [q for q in selection.questionnaire.questions if flag_id in q.flags]
    rows = analysis.profile(found, level, group_id, selection.questionnaire, kind="question",
                            items=[q.key for q in questions])
    flag_row = analysis.profile(found, level, group_id, selection.questionnaire)
    since = next((row["own"]["since"] for row in flag_row if row["item"] == flag_id and row["own"]), None)
    return render_template("analysis/flag.html", selection=selection, level=level, group_id=group_id,
                           name=name, flag=_flag(flag_id), questions=questions, rows=rows, since=since,
                           distribution=analysis.distribution(selection, level, group_id))


def with_ladder(selection: analysis.Selection, level: str, group_id: str, rows: list[dict]) -> list[dict]:
    """Add, for a unit's hidden figures, the pooled figure that stands in for each (pool, periods, area, ...)."""
    if level != "unit":
        return rows
    pooled = analysis.ladder(selection, group_id)
    for row in rows:
        stand_in = pooled.get(("flag", row["item"]))
        if row["own"] and row["own"]["hidden"] and stand_in and stand_in["step"] > 0:
            row["pooled"] = stand_in
    return rows


def _group_figures(level: str, group_id: str):
    """Return the released selection, the group's cells and its name; 404 if there is no such group or release."""
    name = analysis.group_name(level, group_id) if level in scoring.LEVELS else None
    if name is None:
        abort(404)
    selection = released()
    return selection, analysis.group_cells(selection, level, group_id), name


def _flag(flag_id: str):
    return next((flag for _, flag in analysis.quality_model().flags() if flag.id == flag_id), None)


@bp.get("/export.<fmt>")
@role_required(*ANALYSTS)
def export(fmt: str):
    """Download the released aggregates of a round (flags and questions) as CSV or Excel, in the page's language."""
    if fmt not in DOWNLOADS:
        abort(404)
    selection = released()
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_language()
    data = analysis.workbook(selection, f"results-{lang}") if fmt == "xlsx" else \
        analysis.release_file(selection, f"results-{lang}.csv")
    return attachment(data, f"results-{selection.questionnaire.id}-{selection.round.name}.{fmt}", DOWNLOADS[fmt][1])


@bp.get("/microdata.<fmt>")
@role_required(*ANALYSTS)
def microdata(fmt: str):
    """Download the released microdata: one row per respondent, blanked like the cells, free text only on request."""
    if fmt not in DOWNLOADS:
        abort(404)
    selection = released()
    name = "microdata-with-free-text" if request.args.get("free_text") == "1" else "microdata"
    data = analysis.workbook(selection, name) if fmt == "xlsx" else analysis.release_file(selection, f"{name}.csv")
    return attachment(data, f"{name}-{selection.questionnaire.id}-{selection.round.name}.{fmt}", DOWNLOADS[fmt][1])


@bp.get("/<level>/<group_id>/report.pdf")
@role_required(*ANALYSTS)
def report(level: str, group_id: str):
    """Download a PDF report for a unit or group: chart, flag table, question tables."""
    if level not in scoring.LEVELS:
        abort(404)
    selection = released()
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_language()
    pdf = reports.render(selection, level, group_id, lang)
    if pdf is None:
        abort(404)
    return attachment(pdf, f"report-{level}-{selection.round.name}.pdf", "application/pdf")
