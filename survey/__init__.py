"""An accessible survey service for municipal social services, built from the service user's perspective.

Each capability is a package with its own pages, rules and storage (see the README's map): `web`, `db`,
`questionnaires`, `respond`, `staff`, `analysis`, `cycle`, `speech`, `council` and `results`. Each plugs itself in
with init_app.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
from flask import Flask

from survey import analysis, config, council, cycle, db, questionnaires, respond, results, speech, staff, web
from survey.questionnaires.model import load_library
from survey.web import limits

# Every text on a chart is a name someone typed (a unit, an area, a flag): draw it as text. matplotlib reads `$…$`
# as mathtext, and a unit named `$\cmd$` failed its group page and report with a 500. Set once for the process,
# so that no chart (survey/analysis/charts.py, survey/cycle/spc_charts.py) has to remember it.
matplotlib.rcParams["text.parse_math"] = False


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: configuration, database, questionnaires (refusing broken ones), pages."""
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    app.extensions[questionnaires.LIBRARY] = load_library(Path(app.config["QUESTIONNAIRE_DIR"]),
                                                          Path(app.config["PICTOGRAM_DIR"]))
    db.init_app(app)
    web.init_app(app)
    staff.init_app(app)
    speech.init_app(app)
    questionnaires.init_app(app)
    respond.init_app(app)
    analysis.init_app(app)
    council.init_app(app)
    cycle.init_app(app)
    results.init_app(app)
    limits.enforce(app)  # last: it wraps the views every package registered
    return app
