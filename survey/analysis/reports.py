"""The PDF report for a unit or group and a round (WeasyPrint), in Swedish, Norwegian or English."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint import HTML

from survey.analysis import charts
from survey.analysis import service as analysis


def render(selection: analysis.Selection, level: str, group_id: str, lang: str) -> bytes | None:
    """Render the report, or return None if there is no such group."""
    scored = analysis.figures(selection)
    cells = analysis.with_change(scored, selection)
    name = analysis.group_name(level, group_id)
    if name is None:
        return None
    flags = {flag.id: flag for _area, flag in analysis.quality_model().flags()}
    rows = analysis.profile(cells, level, group_id, selection.questionnaire)
    questions = [q for q in selection.questionnaire.questions if q.is_choice and not q.background]
    question_rows = analysis.profile(cells, level, group_id, selection.questionnaire, kind="question",
                                     items=[q.key for q in questions])
    distribution = analysis.distribution(scored, selection, level, group_id)
    with force_locale(lang):
        name = name if level != "organisation" else _("The whole organisation")
        chart = charts.profile_chart(rows, name, lang)
        html = render_template("print/report.html", selection=selection, name=name, rows=rows, flags=flags,
                               chart=chart, questions=list(zip(questions, question_rows)),
                               distribution=distribution, lang=lang)
    return HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
