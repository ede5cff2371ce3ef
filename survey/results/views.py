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
from survey.respond.store import SurveyError, find_unit
from survey.results import choice, staff
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


def has_results(unit: Unit) -> bool:
    """Tell whether a release of the user questionnaire exists for this unit."""
    try:
        selection_for(unit, None)
    except SurveyError:
        return False
    return True


def companion(unit: Unit, questionnaire_id: str, survey_round: Round) -> analysis.Selection | None:
    """Return the newest released round of another questionnaire that this unit took part in, opened before the
    user round closed (the staff's answers of the same period), or None."""
    rounds = [r for r in analysis.rounds_for(questionnaire_id)
              if unit in r.units and r.opens_on <= survey_round.closes_on]
    released = set(db.session.scalars(select(Release.round_id).where(Release.round_id.in_([r.id for r in rounds]))))
    chosen = next((r for r in rounds if r.id in released), None)
    return analysis.select_round(questionnaire_id, chosen.id) if chosen else None


def sections(unit: Unit, selection: analysis.Selection) -> list[dict]:
    """Return, per questionnaire whose questions the unit chose (the user questionnaire first), its release and
    what it shows; a questionnaire without a release of the period is left out."""
    picked = [key.split(":", 1) for key in choice.chosen(unit.id)]
    found = []
    for questionnaire_id in choice.QUESTIONNAIRES:
        keys = [key for owner, key in picked if owner == questionnaire_id]
        shown = selection if questionnaire_id == QUESTIONNAIRE else companion(unit, questionnaire_id, selection.round)
        if keys and shown is not None and shown.release is not None:
            found.append({"questionnaire_id": questionnaire_id, "selection": shown,
                          "results": results(unit, shown, keys)})
    return found


def results(unit: Unit, selection: analysis.Selection, keys: list[str]) -> list[dict]:
    """Return, per chosen question, what the release shows for this unit (through its pool or periods where its
    own figure is hidden) and what its run chart lets us say about the change."""
    ladder = analysis.ladder(selection, unit.id)
    own = analysis.cells(selection, ReleaseCell.level == "unit", ReleaseCell.group_id == unit.id,
                         ReleaseCell.periods == 1, ReleaseCell.kind == "question", ReleaseCell.dimension == "all")
    answered = set(own.loc[own["hidden"] | (own["n"].fillna(0) > 0), "item"])
    pulse = series.asked_in(selection.round.id)  # a pulse's release has only the questions it asked
    found = []
    for question in selection.questionnaire.questions:
        asked = pulse is None or question.key in pulse
        if question.key not in keys or not choice.can_go_back(question) or not asked:
            continue
        shown = ladder.get(("question", question.key))
        figure = None
        if shown is not None and shown["valid"]:
            figure = {"answer": Answer(int(shown["positive"]), int(shown["valid"])),
                      "through": shown["label"] if shown["step"] else None,
                      "change": change(_shares(selection, shown, question.key))}
        word = " / ".join(text_in(o.text) for o in question.options if o.positive).lower()
        nobody = question.key not in answered  # at this unit; a hidden figure is never called nobody's
        found.append({"question": question, "figure": figure, "word": word, "nobody": nobody,
                      "questionnaire": selection.questionnaire})
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
        .where(Release.questionnaire_id == selection.questionnaire.id, Round.opens_on <= selection.round.opens_on,
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


def page_context(unit: Unit, round_id: str | None) -> dict:
    """Return what the page and the poster show of a unit's newest (or chosen) release."""
    selection = selection_for(unit, round_id)
    return {"unit": unit, "selection": selection, "sections": sections(unit, selection), "actions": actions(unit),
            "text_in": text_in}


def render_page(unit: Unit, round_id: str | None, here, **extra) -> str:
    """Render the easy-read page; `here(lang)` is its address in another language (on the unit link or tablet)."""
    context = page_context(unit, round_id)
    return render_template("results/page.html", **context, lang=current_language(), here=here,
                           staff_link=staff.link_for(unit, context["selection"].round), **extra)


@bp.get("/u/<slug>/results")
def page(slug: str):
    """The easy-read results of the unit's newest (or chosen) release."""
    unit = find_unit(slug)
    round_id = request.args.get("round")
    return render_page(unit, round_id, lambda lang: url_for(".page", slug=slug, round=round_id, lang=lang))


@bp.get("/u/<slug>/results/poster.pdf")
def poster(slug: str):
    """The same results as an A4 poster to print, with a QR code to the page."""
    context = page_context(find_unit(slug), request.args.get("round"))
    lang = current_language()
    link = public_url() + url_for(".page", slug=slug, round=context["selection"].round.id, lang=lang)
    with force_locale(lang):
        html = render_template("print/results.html", **context, lang=lang, link=link, qr=qr_image(link),
                               pictures=_pictures([row for part in context["sections"] for row in part["results"]]))
    pdf = HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
    name = f"results-{slug}-{lang}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


def _pictures(found: list[dict]) -> dict[str, str]:
    """Return the questions' pictograms as PNG data for the poster."""
    return pictogram_uris(tuple(row["question"].pictogram for row in found
                                if row["question"].pictogram in library().pictograms))
