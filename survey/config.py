"""Configuration: defaults, then instance/config.py, then SURVEY_* environment variables."""
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("sv", "nb", "en")


class ConfigError(RuntimeError):
    """A setting the service cannot start with; the message says which and why."""


class Defaults:
    """Settings every deployment starts from."""

    QUESTIONNAIRE_DIR = str(PROJECT_ROOT / "questionnaires")
    PICTOGRAM_DIR = str(PROJECT_ROOT / "pictograms")
    EXPORT_DIR = str(PROJECT_ROOT / "exports")
    DEFAULT_LANGUAGE = "sv"
    BABEL_DEFAULT_LOCALE = "sv"
    # The largest form a respondent can send: free text is bounded far below this.
    MAX_CONTENT_LENGTH = 64 * 1024
    # The editor's XLSForm import page alone takes more: a workbook and the MP3 recordings it names. The workbook
    # itself is read only up to 2 MB (survey/questionnaires/xlsform/limits.py), each recording up to 4 MB.
    XLSFORM_UPLOAD_LIMIT = 32 * 1024 * 1024
    # The recording page takes one recording of up to 4 MB (survey/speech/recordings.py) and its form fields.
    RECORDING_UPLOAD_LIMIT = 4 * 1024 * 1024 + 64 * 1024
    MAX_FREE_TEXT = 2000
    MIN_GROUP_SIZE = 5  # no figure from fewer respondents is shown (never below 3)
    # Free-text answers are released in lists of one level only (unit, area, service_type or organisation): lists of
    # groups that overlap would let a reader pin a hidden group's texts to it by combining them.
    FREE_TEXT_LEVEL = "area"
    # Anyone can use a unit's open link: its Starts are limited per address (a unit's residents on one network still
    # fit easily), responses beyond the unit's places are held for review (respond/store.over_places), and none can
    # make a small group's figures visible (analysis/scoring.py). Load tests from one address raise the limit.
    OPEN_LINK_STARTS = "30 per hour"
    # Redis for what several instances must share: rate-limit counters (survey/web/limits.py). Empty: each process
    # counts in its own memory, which is exact only with one worker. E.g. redis://127.0.0.1:6379/0
    REDIS_URL = ""
    # The address printed on cards and posters, e.g. https://enkat.kommun.se. Empty: only the local demo prints
    # cards (with its loopback address); the Host header of a request is never printed (survey/web/proxy.py).
    PUBLIC_URL = ""
    # How many reverse proxies in front of the service add X-Forwarded-For/-Proto (nginx in deploy/: 1).
    TRUSTED_PROXIES = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a respondent may take a long pause on one question
    # Over HTTPS Flask-WTF would also demand a Referer from the same host, but the pages send none
    # (Referrer-Policy: no-referrer, survey/web/security.py: codes travel in query strings): every form sent over
    # HTTPS was refused with 400. The CSRF token and SameSite=Lax cookies guard forms without it.
    WTF_CSRF_SSL_STRICT = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Speech: pyttsx3 on espeak-ng, one voice and a rate (words per minute) per language.
    # Clips are cached in SPEECH_DIR (default instance/speech): deleting it only costs time.
    SPEECH_ENABLED = True
    SPEECH_DIR: str | None = None
    SPEECH_VOICES = {"sv": "gmq/sv", "nb": "gmq/nb", "en": "gmw/en"}
    SPEECH_RATES = {"sv": 150, "nb": 150, "en": 150}  # espeak-ng says 175; slower is easier to follow
    SPEECH_PYTHON: str | None = None  # the interpreter that runs survey/speech_worker.py (default: this one)


def load(app: Flask, test_config: dict | None) -> None:
    """Fill app.config from defaults, the instance folder and the environment (or a test mapping)."""
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'survey.sqlite'}"
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("SURVEY")
        secret = Path(app.instance_path) / "secret_key"
        if not app.config.get("SECRET_KEY") and secret.exists():
            app.config["SECRET_KEY"] = secret.read_text().strip()
    else:
        app.config.update(test_config)
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config.get("SECRET_KEY"):
        raise ConfigError("No secret key: run `survey init` (it writes instance/secret_key) or set SURVEY_SECRET_KEY.")
