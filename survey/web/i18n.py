"""Languages: the respondent's choice, else the browser's, else Swedish; texts picked per language."""
from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import Babel
from flask_babel import gettext as _
from markupsafe import Markup

from survey.config import LANGUAGES
from survey.questionnaires.model import text_of

# Each language named in itself, for the language choice.
NATIVE_NAMES = {"sv": "Svenska", "nb": "Norsk (bokmål)", "en": "English"}


def current_language() -> str:
    """Return the language of this request."""
    if "lang" not in g:
        chosen = request.args.get("lang") or session.get("lang")
        if chosen not in LANGUAGES:
            chosen = request.accept_languages.best_match(LANGUAGES) or current_app.config["DEFAULT_LANGUAGE"]
        g.lang = chosen
    return g.lang


def text_in(texts: dict[str, str], lang: str | None = None) -> str:
    """Pick a text in the current language (or the one given), falling back to Swedish, then any."""
    return text_of(texts, lang or current_language())


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and the template helpers."""
    Babel(app, locale_selector=current_language)
    app.jinja_env.globals.update(text_in=text_in, current_language=current_language, native_names=NATIVE_NAMES,
                                 colour_word=colour_word)
    app.jinja_env.filters["breakable"] = breakable


def breakable(text: str) -> Markup:
    """Let a long answer wrap after a slash ("god man/förvaltare") on a narrow screen."""
    return Markup.escape(text).replace("/", Markup("/<wbr>"))


def colour_word(colour: str) -> str:
    """Say in words what a flag's colour means."""
    return {"green": _("strength"), "yellow": _("watch"), "red": _("challenge")}.get(colour, "")
