"""The PDF report for a unit or group of a released round (WeasyPrint), in Swedish, Norwegian or English.

A release never changes, so a report is rendered once per group and language and kept with the release."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint import HTML

from survey.analysis import charts
from survey.analysis import service as analysis


def render(selection: analysis.Selection, level: str, group_id: str, lang: str) -> bytes | None:
    """Return the report's PDF (rendered on first request, then kept), or None if there is no such group."""
    name = analysis.group_name(level, group_id)
    if name is None:
        return None
    kept = f"report-{level}-{group_id}-{lang}.pdf"
    pdf = analysis.release_file(selection, kept)
    if pdf is None:
        pdf = _render(selection, level, group_id, name, lang)
        analysis.keep_file(selection, kept, "application/pdf", pdf)
    return pdf


def _render(selection: analysis.Selection, level: str, group_id: str, name: str, lang: str) -> bytes:
    found = analysis.group_cells(selection, level, group_id)
    flags = {flag.id: flag for _area, flag in analysis.quality_model().flags()}
    rows = analysis.profile(found, level, group_id, selection.questionnaire)
    questions = [q for q in selection.questionnaire.questions if q.is_choice and not q.background]
    question_rows = analysis.profile(found, level, group_id, selection.questionnaire, kind="question",
                                     items=[q.key for q in questions])
    distribution = analysis.distribution(selection, level, group_id)
    with force_locale(lang):
        name = name if level != "organisation" else _("The whole organisation")
        chart = charts.profile_chart(rows, name, lang, for_print=True)
        html = render_template("print/report.html", selection=selection, name=name, rows=rows, flags=flags,
                               chart=chart, questions=list(zip(questions, question_rows)),
                               distribution=distribution, lang=lang)
    return HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
