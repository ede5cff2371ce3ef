"""A read-only JSON API for the quality cycle, behind log-in, with the pages' access rules: a unit's valuations (the
whole history), actions, other evidence, indicator values and sharing with the users (unit staff: their own units
only, another unit is not found); and a pool's, an area's or the organisation's valuations and summed indicators
(those who work the whole cycle only)."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from survey.analysis import service as analysis
from survey.cycle import indicators, store
from survey.cycle.levels import LEVELS
from survey.cycle.views import CYCLE_ROLES, GROUP_ROLES
from survey.db.models import Action, FlagEvidence, IndicatorValue, SharedWithUsers, Valuation
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
INDICATOR_FIELDS = ("id", "indicator_id", "period", "count", "denominator", "measured_by", "note", "imported_from",
                    "created_at")


def as_json(row: Valuation | Action | FlagEvidence | SharedWithUsers | IndicatorValue,
            fields: tuple[str, ...]) -> dict:
    """Return the fields of a row, dates and times as ISO 8601 text."""
    values = {name: getattr(row, name) for name in fields}
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in values.items()}


def _flags_of(indicator_id: str) -> list[str]:
    indicator = analysis.quality_model().indicator(indicator_id)
    return list(indicator.flags) if indicator else []


@bp.get("/units/<unit_id>")
@role_required(*CYCLE_ROLES)
def unit(unit_id: str):
    """Return a unit's valuations (newest decided first, every one kept), actions, other evidence, indicator values
    (newest entered first) and sharing with the users; ?flag=<id> keeps those of one flag."""
    found = accounts.unit_for(current_user, unit_id)
    if found is None:
        abort(404)
    flag_id = request.args.get("flag") or None
    model = analysis.quality_model()
    feeding = [i.id for i in (model.indicators_for(flag_id) if flag_id else model.indicators)]
    return jsonify({"unit": {"id": found.id, "name": found.name, "service_type": found.service_type},
                    "flag": flag_id,
                    "valuations": [as_json(v, VALUATION_FIELDS) for v in store.valuations(found.id, flag_id)],
                    "actions": [as_json(a, ACTION_FIELDS) for a in store.actions(found.id, flag_id)],
                    "other_evidence": [as_json(e, EVIDENCE_FIELDS) for e in store.other_evidence(found.id, flag_id)],
                    "indicators": [{**as_json(v, INDICATOR_FIELDS), "flag_ids": _flags_of(v.indicator_id)}
                                   for v in indicators.values([found.id], feeding)],
                    "shared_with_users": [as_json(s, SHARED_FIELDS) for s in store.shared(found.id)]})


@bp.get("/levels/<level>/<group_id>")
@role_required(*GROUP_ROLES)
def group(level: str, group_id: str):
    """Return a pool's, an area's or the organisation's ("all") valuations (newest decided first, every one kept)
    and its indicators per period, summed over its units; ?flag=<id> keeps those of one flag."""
    found = store.group_of(level, group_id) if level in LEVELS else None
    if found is None:
        abort(404)
    flag_id = request.args.get("flag") or None
    model = analysis.quality_model()
    measured = indicators.summed(model, model.indicators_for(flag_id) if flag_id else model.indicators,
                                 found.unit_ids)
    history = store.group_valuations(level, None if level == store.ORGANISATION else found.id, flag_id)
    return jsonify({"group": {"level": level, "id": found.id, "name": found.name, "units": found.unit_ids},
                    "flag": flag_id,
                    "valuations": [as_json(v, VALUATION_FIELDS) for v in history],
                    "indicators": [{"indicator_id": f.indicator.id, "flag_ids": list(f.indicator.flags),
                                    "period": f.period, "count": f.count, "denominator": f.denominator,
                                    "units": f.units, "colour": f.colour} for f in measured]})
