"""A read-only JSON API for the aggregates, behind log-in, with suppression applied."""
from __future__ import annotations

import math

from flask import Blueprint, jsonify

from survey.analysis import service
from survey.analysis import views as dashboard
from survey.staff.auth import role_required
from survey.web.i18n import current_language

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/results")
@role_required(*dashboard.ANALYSTS)
def results():
    """Return every published cell of a round: hidden cells carry status 'too few answers' and no figures."""
    selection = dashboard.chosen()
    table = service.aggregate_table(selection, current_language())
    rows = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in table.astype(object).where(table.notna(), None).to_dict("records")]
    return jsonify({"questionnaire": selection.questionnaire.id, "round": selection.round.name, "cells": rows})
