"""The easy-read results page of a unit and release, and its A4 poster: public, like the unit link, and made only
of released figures that are shown (a unit's hidden figure is given through the pooling ladder, named as such)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy import select
from weasyprint import HTML

from survey.analysis import periods
from survey.analysis import service as analysis
from survey.cycle.rules import DONE, OPEN_STATUSES
from survey.db import db
from survey.db.models import Action, Release, ReleaseCell, Round, Unit
from survey.questionnaires import library
from survey.questionnaires.model import Question
from survey.respond.store import SurveyError, find_unit
from survey.results.easyread import Answer, change
from survey.speech.views import clip, speech
from survey.staff import series
from survey.staff.cards import pictogram_uris, qr_image
from survey.staff.views import public_url
from survey.web.i18n import current_language, text_in

bp = Blueprint("results", __name__)

QUESTIONNAIRE = "user"  # results go back to the service users: their own questionnaire's questions


def selection_for(unit: Unit, round_id: str | None) -> analysis.Selection:
    """Return the chosen (default: newest) released round of the user questionnaire that this unit took part in."""
    rounds = [r for r in analysis.rounds_for(QUESTIONNAIRE) if unit in r.units]
    released = set(db.session.scalars(select(Release.round_id).where(Release.round_id.in_([r.id for r in rounds]))))
    chosen = next((r for r in rounds if r.id == round_id and r.id in released), None) if round_id else \
        next((r for r in rounds if r.id in released), None)
    selection = analysis.select_round(QUESTIONNAIRE, chosen.id) if chosen else None
    if selection is None or selection.release is None:
        raise SurveyError("no_results")
    return selection


def asked(selection: analysis.Selection) -> list[Question]:
    """Return the questions whose answers go back: choice questions with a positive answer, background left out, and
    of a pulse only those it asked."""
    pulse = series.asked_in(selection.round.id)
    return [q for q in selection.questionnaire.questions
            if q.is_choice and not q.background and any(o.positive for o in q.options)
            and (pulse is None or q.key in pulse)]


def results(unit: Unit, selection: analysis.Selection) -> list[dict]:
    """Return, per question, what the release shows for this unit (through its pool or periods where its own
    figure is hidden) and what its run chart lets us say about the change."""
    ladder = analysis.ladder(selection, unit.id)
    own = analysis.cells(selection, ReleaseCell.level == "unit", ReleaseCell.group_id == unit.id,
                         ReleaseCell.periods == 1, ReleaseCell.kind == "question", ReleaseCell.dimension == "all")
    answered = set(own.loc[own["hidden"] | (own["n"].fillna(0) > 0), "item"])
    found = []
    for question in asked(selection):
        shown = ladder.get(("question", question.key))
        figure = None
        if shown is not None and shown["valid"]:
            figure = {"answer": Answer(int(shown["positive"]), int(shown["valid"])),
                      "through": shown["label"] if shown["step"] else None,
                      "change": change(_shares(selection, shown, question.key))}
        word = " / ".join(text_in(o.text) for o in question.options if o.positive).lower()
        nobody = question.key not in answered  # at this unit; a hidden figure is never called nobody's
        found.append({"question": question, "figure": figure, "word": word, "nobody": nobody})
    return found


def _shares(selection: analysis.Selection, shown: dict, item: str) -> list[float | None]:
    """Return the shares of the same group and figure in every release of the questionnaire up to this one."""
    rows = db.session.execute(
        select(Round.id, ReleaseCell.share, ReleaseCell.hidden)
        .join(Release, Release.round_id == Round.id)
        .outerjoin(ReleaseCell, (ReleaseCell.release_id == Release.id) & (ReleaseCell.level == shown["level"])
                   & (ReleaseCell.group_id == shown["group_id"]) & (ReleaseCell.periods == shown["periods"])
                   & (ReleaseCell.kind == "question") & (ReleaseCell.item == item)
                   & (ReleaseCell.dimension == "all"))
        .where(Release.questionnaire_id == QUESTIONNAIRE, Round.opens_on <= selection.round.opens_on,
               periods.in_sequence(selection.round))
        .order_by(Round.opens_on, Round.name)).all()
    return [None if hidden or share is None else float(share) for _round, share, hidden in rows]


@bp.app_template_global()
def say(text: str, lang: str | None = None):
    """Return how a speaker button says a text this app wrote itself (an easy-read result): its clip is allowed."""
    lang = lang or current_language()
    speech().allow(text, lang)
    return clip(text, lang)


def actions(unit: Unit) -> dict[str, list[Action]]:
    """Return the unit's actions the users are told about, in the easy words written for them: what we will do
    (planned or ongoing, soonest due first) and what we did (done, with what happened)."""
    found = list(db.session.scalars(select(Action).where(Action.unit_id == unit.id, Action.easy_read != "")
                                    .order_by(Action.due_on, Action.created_at)))
    return {"will": [a for a in found if a.status in OPEN_STATUSES],
            "did": [a for a in found if a.status == DONE and a.easy_read_done]}


def page_context(slug: str) -> dict:
    unit = find_unit(slug)
    selection = selection_for(unit, request.args.get("round"))
    return {"unit": unit, "selection": selection, "results": results(unit, selection), "actions": actions(unit),
            "questionnaire": selection.questionnaire, "text_in": text_in}


@bp.get("/u/<slug>/results")
def page(slug: str):
    """The easy-read results of the unit's newest (or chosen) release."""
    return render_template("results/page.html", **page_context(slug), lang=current_language())


@bp.get("/u/<slug>/results/poster.pdf")
def poster(slug: str):
    """The same results as an A4 poster to print, with a QR code to the page."""
    context = page_context(slug)
    lang = current_language()
    link = public_url() + url_for(".page", slug=slug, round=context["selection"].round.id, lang=lang)
    with force_locale(lang):
        html = render_template("print/results.html", **context, lang=lang, link=link, qr=qr_image(link),
                               pictures=_pictures(context["results"]))
    pdf = HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
    name = f"results-{slug}-{lang}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


def _pictures(found: list[dict]) -> dict[str, str]:
    """Return the questions' pictograms as PNG data for the poster."""
    return pictogram_uris(tuple(row["question"].pictogram for row in found
                                if row["question"].pictogram in library().pictograms))
