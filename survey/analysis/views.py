"""The analysts' dashboard: a heatmap of units by flags, a page per unit or group, drill-down, exports."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from survey.analysis import charts, exports, reports, scoring
from survey.analysis import service as analysis
from survey.config import LANGUAGES
from survey.questionnaires.quality import flags_without_survey_evidence
from survey.staff.accounts import ADMINISTRATOR, ANALYST
from survey.staff.auth import role_required
from survey.web.caching import attachment
from survey.web.i18n import current_language

bp = Blueprint("analysis", __name__, url_prefix="/analysis")
ANALYSTS = (ADMINISTRATOR, ANALYST)


def chosen() -> analysis.Selection:
    """Return the questionnaire and round picked in the query string (404 when there are none)."""
    selection = analysis.select_round(request.args.get("questionnaire"), request.args.get("round"))
    if selection is None:
        abort(404)
    return selection


@bp.get("/")
@role_required(*ANALYSTS)
def overview():
    """Show units by flags for one round: colour, number and symbol in every cell."""
    selection = chosen()
    scored = analysis.figures(selection)
    cells = analysis.with_change(scored, selection)
    service_type = request.args.get("service_type") or None
    units = cells[(cells["level"] == "unit") & (cells["dimension"] == "all") & (cells["kind"] == "flag")]
    types = sorted(cells.loc[cells["level"] == "service_type", "group_id"].unique())
    if service_type:
        units = units[units["group_id"].isin(analysis.unit_ids_of_type(service_type))]
    flags = [flag for _, flag in analysis.quality_model().flags()
             if flag.id in analysis.informed_flags(selection.questionnaire)]
    grid = {}
    for row in analysis.records(units):
        grid.setdefault((row["group_id"], row["group"]), {})[row["item"]] = row
    organisation = analysis.profile(cells, "organisation", "all", selection.questionnaire)
    uninformed = [flag for _, flag in analysis.quality_model().flags()
                  if flag.id in flags_without_survey_evidence(analysis.quality_model(), [selection.questionnaire])]
    return render_template("analysis/overview.html", selection=selection, flags=flags,
                           grid=sorted(grid.items(), key=lambda g: g[0][1]),
                           organisation={r["item"]: r["own"] for r in organisation}, types=types,
                           service_type=service_type, rounds=analysis.rounds_for(selection.questionnaire.id),
                           uninformed=uninformed,
                           questionnaires=list(analysis.library().questionnaires.values()))


@bp.get("/<level>/<group_id>")
@role_required(*ANALYSTS)
def group(level: str, group_id: str):
    """Show one unit or group: its areas as a chart, each flag with comparisons and change."""
    selection, scored, cells, name = _group_figures(level, group_id)
    rows = analysis.profile(cells, level, group_id, selection.questionnaire)
    chart = charts.profile_chart(rows, name, current_language())
    texts = analysis.free_texts(selection, scored.cells[scored.cells["round_id"] == selection.round.id],
                                level, group_id)
    return render_template("analysis/group.html", selection=selection, level=level, group_id=group_id,
                           name=name, rows=rows, chart=chart, texts=texts, flag=_flag)


@bp.get("/<level>/<group_id>/flags/<flag_id>")
@role_required(*ANALYSTS)
def flag(level: str, group_id: str, flag_id: str):
    """Show the questions behind one flag, with their answer distributions."""
    if _flag(flag_id) is None:
        abort(404)
    selection, scored, cells, name = _group_figures(level, group_id)
    questions = [q for q in selection.questionnaire.questions if flag_id in q.flags]
    rows = analysis.profile(cells, level, group_id, selection.questionnaire, kind="question",
                            items=[q.key for q in questions])
    distribution = analysis.distribution(scored, selection, level, group_id)
    return render_template("analysis/flag.html", selection=selection, level=level, group_id=group_id,
                           name=name, flag=_flag(flag_id), questions=questions, rows=rows,
                           distribution=distribution, versions=sorted(selection.definitions))


def _group_figures(level: str, group_id: str):
    """Return the chosen round's selection, results, cells with change, and the group's name; 404 if none."""
    name = analysis.group_name(level, group_id) if level in scoring.LEVELS else None
    if name is None:
        abort(404)
    selection = chosen()
    scored = analysis.figures(selection)
    return selection, scored, analysis.with_change(scored, selection), name


def _flag(flag_id: str):
    return next((flag for _, flag in analysis.quality_model().flags() if flag.id == flag_id), None)




@bp.get("/export.<fmt>")
@role_required(*ANALYSTS)
def export(fmt: str):
    """Download the aggregates of a round (flags and questions, suppression applied) as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    selection = chosen()
    table = analysis.aggregate_table(selection, current_language())
    name = f"results-{selection.questionnaire.id}-{selection.round.name}"
    if fmt == "csv":
        return attachment(exports.to_csv(table), f"{name}.csv", "text/csv; charset=utf-8")
    sheets = exports.aggregate_sheets(table, current_app.config["MIN_GROUP_SIZE"])
    return attachment(exports.to_xlsx(sheets), f"{name}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/microdata.csv")
@role_required(*ANALYSTS)
def microdata():
    """Download anonymised microdata: one row per response, small units left out, free text only on request."""
    selection = chosen()
    table = analysis.microdata(selection, include_free_text=request.args.get("free_text") == "1")
    return attachment(exports.to_csv(table), f"microdata-{selection.questionnaire.id}-{selection.round.name}.csv",
                    "text/csv; charset=utf-8")


@bp.get("/<level>/<group_id>/report.pdf")
@role_required(*ANALYSTS)
def report(level: str, group_id: str):
    """Download a PDF report for a unit or group: chart, flag table, question tables."""
    if level not in scoring.LEVELS:
        abort(404)
    selection = chosen()
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_language()
    pdf = reports.render(selection, level, group_id, lang)
    if pdf is None:
        abort(404)
    return attachment(pdf, f"report-{level}-{selection.round.name}.pdf", "application/pdf")

