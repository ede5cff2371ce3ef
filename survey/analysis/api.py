"""A read-only JSON API for released results, behind log-in."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from survey.analysis import service
from survey.analysis import views as dashboard
from survey.staff.auth import role_required

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/results")
@role_required(*dashboard.ANALYSTS)
def results():
    """Return the released cells of a round (all, or of one level and group): hidden cells have no figures."""
    selection = dashboard.chosen()
    if selection.release is None:
        abort(404)
    where = []
    if request.args.get("level"):
        where.append(service.ReleaseCell.level == request.args["level"])
    if request.args.get("group_id"):
        where.append(service.ReleaseCell.group_id == request.args["group_id"])
    found = service.cells(selection, *where)
    release = selection.release
    return jsonify({"questionnaire": selection.questionnaire.id, "round": selection.round.name,
                    "release": {"id": release.id, "made_on": release.made_on.isoformat(), "rules": release.rules,
                                "threshold": release.threshold, "versions": release.versions},
                    "cells": [{**row, "status": "too few answers" if row["hidden"] else "shown"}
                              for row in service.records(found)]})
