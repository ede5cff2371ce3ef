"""An accessible survey service for municipal social services, built from the service user's perspective."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from survey import (admin, api, auth, config, council_admin, council_views, dashboard, db, drafts, editor, errors,
                    i18n, limits, recording_upload, respond, security, site, speech, staff, tablet)
from survey.questionnaires import load_library

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: configuration, database, questionnaires (refusing broken ones), pages."""
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    app.extensions["survey.library"] = load_library(Path(app.config["QUESTIONNAIRE_DIR"]),
                                                    Path(app.config["PICTOGRAM_DIR"]))
    db.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    speech.init_app(app)
    drafts.init_app(app)
    for blueprint in (site.bp, respond.bp, staff.bp, tablet.bp, admin.bp, recording_upload.bp, dashboard.bp, api.bp,
                      council_views.bp, editor.bp, council_admin.bp):
        app.register_blueprint(blueprint)
    return app
