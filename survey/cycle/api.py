"""A read-only JSON API for a unit's quality cycle: its valuations (the whole history) and actions, behind log-in."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from survey.cycle import store
from survey.cycle.views import CYCLE_ROLES
from survey.db.models import Action, FlagEvidence, SharedWithUsers, Valuation
from survey.staff import accounts
from survey.staff.auth import role_required

bp = Blueprint("cycle_api", __name__, url_prefix="/api/v1/cycle")
VALUATION_FIELDS = ("id", "flag_id", "verdict", "suggested", "reasoning", "participants", "decided_on", "round_id",
                    "release_id", "created_at")
ACTION_FIELDS = ("id", "flag_ids", "title", "owner", "status", "measure", "from_value", "to_value", "starts_on",
                 "due_on", "problem", "current_state", "goal", "analysis", "change_tried", "plan", "follow_up",
                 "easy_read", "easy_read_done", "responsible_role", "created_at")
SHARED_FIELDS = ("round_id", "shared_on", "form")
EVIDENCE_FIELDS = ("id", "flag_id", "kind", "title", "count", "denominator", "text", "source", "period", "measured_by",
                   "created_at")


def as_json(row: Valuation | Action | FlagEvidence | SharedWithUsers, fields: tuple[str, ...]) -> dict:
    """Return the fields of a row, dates and times as ISO 8601 text."""
    values = {name: getattr(row, name) for name in fields}
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in values.items()}


@bp.get("/units/<unit_id>")
@role_required(*CYCLE_ROLES)
def unit(unit_id: str):
    """Return a unit's valuations (newest decided first, every one kept), actions, other evidence and sharing with
    the users; ?flag=<id> keeps those of one flag."""
    found = accounts.unit_for(current_user, unit_id)
    if found is None:
        abort(404)
    flag_id = request.args.get("flag") or None
    return jsonify({"unit": {"id": found.id, "name": found.name, "service_type": found.service_type},
                    "flag": flag_id,
                    "valuations": [as_json(v, VALUATION_FIELDS) for v in store.valuations(found.id, flag_id)],
                    "actions": [as_json(a, ACTION_FIELDS) for a in store.actions(found.id, flag_id)],
                    "other_evidence": [as_json(e, EVIDENCE_FIELDS) for e in store.other_evidence(found.id, flag_id)],
                    "shared_with_users": [as_json(s, SHARED_FIELDS) for s in store.shared(found.id)]})
