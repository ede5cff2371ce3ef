"""The one way to results: pages, the API, the PDF report and the command line read released cells through here.

A questionnaire and round are chosen; the round's release holds every figure. A round without a release shows
no figures at all (staff see live response counts on their own pages, never live results).
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from survey.analysis import exports, releases, scoring
from survey.db import db, frame
from survey.db.models import (
    Area,
    Organisation,
    Release,
    ReleaseCell,
    ReleaseFile,
    ReleaseOption,
    ReleaseText,
    Response,
    Round,
    SeriesPeriod,
    Unit,
)
from survey.questionnaires import library
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.quality import QualityModel

CELL_COLUMNS = ["level", "group_id", "periods", "group", "dimension", "category", "kind", "item", "hidden", "n",
                "positive", "valid", "dont_know", "share", "colour", "since", "change"]


@dataclass(frozen=True)
class Selection:
    """What an analyst looks at: one questionnaire in one round, and the round's release (None: not released)."""

    questionnaire: Questionnaire  # the newest version answered in the round (or the published one)
    round: Round
    release: Release | None
    definitions: dict[int, Questionnaire]  # every version responses can have answered

    @property
    def summary(self) -> dict:
        """Return what the release recorded about itself (previous round compared with, choices made)."""
        return json.loads(self.release.summary) if self.release else {}

    @property
    def versions(self) -> list[int]:
        """Return the questionnaire versions answered in the released round."""
        return [int(v) for v in self.release.versions.split(",") if v] if self.release else []


def quality_model() -> QualityModel:
    return library().quality_model


def rounds_for(questionnaire_id: str) -> list[Round]:
    """Return the rounds of a questionnaire, newest first."""
    return list(db.session.scalars(select(Round).where(Round.questionnaire_id == questionnaire_id)
                                   .order_by(Round.opens_on.desc(), Round.name)))


def select_round(questionnaire_id: str | None, round_id: str | None, unit_id: str | None = None) -> Selection | None:
    """Resolve the analyst's choice, defaulting to the questionnaire's (the user questionnaire's) newest released
    round: of a unit, the newest it took part in; else the newest of no continuous survey (a month of one unit's
    pulse is no default for the organisation), or any released one."""
    current = library().questionnaires.get(questionnaire_id or "user") or next(iter(library().questionnaires.values()))
    rounds = rounds_for(current.id)
    released = {r.round_id: r for r in db.session.scalars(
        select(Release).where(Release.round_id.in_([r.id for r in rounds])))} if rounds else {}
    periods = set(db.session.scalars(select(SeriesPeriod.round_id))) if unit_id is None else set()

    def fits(found: Round) -> bool:
        return unit_id in {u.id for u in found.units} if unit_id else found.id not in periods

    default = next((r for r in rounds if r.id in released and fits(r)), None) \
        or next((r for r in rounds if r.id in released), rounds[0] if rounds else None)
    chosen = next((r for r in rounds if r.id == round_id), default)
    if chosen is None:
        return None
    definitions = library().answered_versions(current.id)
    release = released.get(chosen.id)
    answered = [int(v) for v in release.versions.split(",") if v] if release else []
    shown = definitions.get(max(answered)) if answered else None
    return Selection(shown or current, chosen, release, definitions)


def make_release(selection: Selection, today: dt.date) -> Release:
    """Release the chosen round (see survey/analysis/releases.py); raise ReleaseError saying why not."""
    return releases.make(selection.round, today)


def live_counts(selection: Selection) -> dict[str, int]:
    """Return how many responses the round has so far, started and completed (no figures: those wait for release)."""
    started, completed = db.session.execute(
        select(func.count(), func.count().filter(Response.completed))
        .where(Response.round_id == selection.round.id, Response.held.is_(False))).one()
    return {"started": started, "completed": completed}


def cells(selection: Selection, *where) -> pd.DataFrame:
    """Return the released cells matching these conditions on ReleaseCell (empty when not released)."""
    if selection.release is None:
        return pd.DataFrame(columns=CELL_COLUMNS)
    columns = [getattr(ReleaseCell, c) for c in CELL_COLUMNS if c != "group"]
    query = select(*columns, ReleaseCell.group_name).where(ReleaseCell.release_id == selection.release.id, *where)
    found = frame(query, [c for c in CELL_COLUMNS if c != "group"] + ["group"])
    return found.assign(hidden=found["hidden"].astype(bool))


def group_cells(selection: Selection, level: str, group_id: str) -> pd.DataFrame:
    """Return one group's own cells in every breakdown, and the whole organisation's (to compare with)."""
    return cells(selection, ReleaseCell.periods == 1,
                 ((ReleaseCell.level == level) & (ReleaseCell.group_id == group_id))
                 | ((ReleaseCell.level == "organisation") & (ReleaseCell.dimension == "all")))


def unit_flags(selection: Selection, service_type: str | None = None) -> pd.DataFrame:
    """Return every unit's flag cells (overall), optionally of one service type, and the organisation's."""
    where = [ReleaseCell.kind == "flag", ReleaseCell.dimension == "all", ReleaseCell.periods == 1,
             ReleaseCell.level.in_(("unit", "organisation"))]
    found = cells(selection, *where)
    if service_type:
        of_type = set(db.session.scalars(select(Unit.id).where(Unit.service_type == service_type)))
        found = found[(found["level"] == "organisation") | found["group_id"].isin(of_type)]
    return found


def service_types(selection: Selection) -> list[str]:
    """Return the service types the release has figures for."""
    if selection.release is None:
        return []
    return sorted(db.session.scalars(select(ReleaseCell.group_id).distinct().where(
        ReleaseCell.release_id == selection.release.id, ReleaseCell.level == "service_type")))


def group_name(level: str, group_id: str) -> str | None:
    """Return the name of a unit or group, or None if there is no such group."""
    from survey.staff.organisation import SERVICE_TYPES
    if level == "unit":
        return db.session.scalar(select(Unit.name).where(Unit.id == group_id))
    if level == "area":
        return db.session.scalar(select(Area.name).where(Area.id == group_id))
    if level == "service_type":
        return group_id.replace("_", " ") if group_id in SERVICE_TYPES else None
    return "all" if level == "organisation" and group_id == "all" else None


def informed_flags(questionnaire: Questionnaire) -> set[str]:
    return {flag for question in questionnaire.questions for flag in question.flags}


# The pooling ladder: where a unit's own figure is hidden, the first of these that shows it stands in for it.
LADDER = (("unit", 1), ("pool", 1), ("unit", 2), ("unit", 3), ("pool", 2), ("pool", 3), ("area", 1),
          ("organisation", 1))


def ladder(selection: Selection, unit_id: str) -> dict[tuple[str, str], dict]:
    """Return, per (kind, item), the unit's figure from the lowest step of the pooling ladder that shows it,
    with that step's label ("Gruppbostäderna i Norra området, Hösten 2025–Hösten 2026")."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or selection.release is None:
        return {}
    groups = {"unit": unit.id, "pool": unit.pool_id, "area": unit.area_id or scoring.NO_AREA, "organisation": "all"}
    found = cells(selection, ReleaseCell.dimension == "all", ReleaseCell.hidden.is_(False),
                  or_(*[(ReleaseCell.level == level) & (ReleaseCell.group_id == group)
                        for level, group in groups.items() if group]))
    spans = selection.summary.get("periods", {})
    organisation = db.session.scalar(select(Organisation.name).where(Organisation.id == unit.organisation_id))
    best: dict[tuple[str, str], dict] = {}
    for step, (level, periods) in enumerate(LADDER):
        rows = found[(found["level"] == level) & (found["periods"] == periods)]
        for row in records(rows):
            name = organisation if level == "organisation" else row["group"]
            label = name if periods == 1 else f"{name}, {spans.get(str(periods), '')}"
            best.setdefault((row["kind"], row["item"]), {**row, "step": step, "label": label})
    return best


def distribution(selection: Selection, level: str, group_id: str) -> dict:
    """Return (question item, option) -> answers for one group, overall (shown cells only)."""
    if selection.release is None:
        return {}
    rows = db.session.execute(select(ReleaseOption.item, ReleaseOption.option, ReleaseOption.answers).where(
        ReleaseOption.release_id == selection.release.id, ReleaseOption.level == level,
        ReleaseOption.group_id == group_id, ReleaseOption.dimension == "all"))
    return {(item, option): answers for item, option, answers in rows}


def free_texts(selection: Selection, level: str, group_id: str) -> dict[str, list[str]]:
    """Return the released free texts of a group, per question item (alphabetical); only one level has lists."""
    if selection.release is None:
        return {}
    found: dict[str, list[str]] = {}
    for item, text in db.session.execute(select(ReleaseText.item, ReleaseText.text).where(
            ReleaseText.release_id == selection.release.id, ReleaseText.level == level,
            ReleaseText.group_id == group_id).order_by(ReleaseText.item, ReleaseText.text)):
        found.setdefault(item, []).append(text)
    return found


def free_text_level(selection: Selection) -> str | None:
    """Return the one level whose groups have free-text lists in this release."""
    return selection.summary.get("free_text_level")


def release_file(selection: Selection, name: str) -> bytes | None:
    """Return a file made with the release (gzip-compressed ones unpacked), or None."""
    if selection.release is None:
        return None
    stored = db.session.get(ReleaseFile, (selection.release.id, name))
    if stored is None:
        stored = db.session.get(ReleaseFile, (selection.release.id, f"{name}.gz"))
        return gzip.decompress(stored.content) if stored else None
    return stored.content


def workbook(selection: Selection, name: str) -> bytes | None:
    """Return a release's Excel workbook (results-sv, microdata, ...), made on first request from what the release
    stored, then kept: the aggregates from its cells (numbers as numbers), the microdata from its CSV."""
    kept = release_file(selection, f"{name}.xlsx")
    if kept is not None or selection.release is None:
        return kept
    if name.startswith("results-"):
        options = frame(select(ReleaseOption.level, ReleaseOption.group_id, ReleaseOption.dimension,
                               ReleaseOption.category, ReleaseOption.item, ReleaseOption.option,
                               ReleaseOption.answers).where(ReleaseOption.release_id == selection.release.id),
                        ["level", "group_id", "dimension", "category", "item", "option", "answers"])
        table = releases.aggregate_table(selection.definitions, cells(selection), options, selection.round,
                                         name.removeprefix("results-"))
        kept = exports.to_xlsx(exports.aggregate_sheets(table, selection.release.threshold))
    else:
        written = release_file(selection, f"{name}.csv")
        if written is None:
            return None
        rows = pd.read_csv(io.BytesIO(written), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        kept = exports.to_xlsx({"microdata": rows})  # already formula-safe; an apostrophe starts no formula
    keep_file(selection, f"{name}.xlsx", releases.XLSX, kept)
    return kept


def keep_file(selection: Selection, name: str, media_type: str, content: bytes) -> None:
    """Store a file made from the release on first request (a report): the release never changes, so it stays right."""
    if selection.release is not None and db.session.get(ReleaseFile, (selection.release.id, name)) is None:
        db.session.add(ReleaseFile(release_id=selection.release.id, name=name, media_type=media_type, content=content))
        try:
            db.session.commit()
        except IntegrityError:  # another request kept the same file first: the same bytes
            db.session.rollback()


def records(found: pd.DataFrame) -> list[dict]:
    """Return rows as dicts, with None where a figure is missing or hidden (never NaN)."""
    return found.astype(object).where(found.notna(), None).to_dict("records")


def _share(found: pd.DataFrame, level: str, group_id: str, dimension: str, category: str) -> dict:
    rows = found[(found["level"] == level) & (found["group_id"] == group_id) & (found["dimension"] == dimension)
                 & (found["category"] == category)]
    return {(row["kind"], row["item"]): row for row in records(rows)}


def profile(found: pd.DataFrame, level: str, group_id: str, questionnaire: Questionnaire, kind: str = "flag",
            items: list[str] | None = None) -> list[dict]:
    """Return one row per flag (or question): the group's figures beside the organisation and breakdowns."""
    lookups = {"own": _share(found, level, group_id, "all", "all"),
               "organisation": _share(found, "organisation", "all", "all", "all")}
    for dimension, categories in scoring.DIMENSIONS.items():
        for category in categories if dimension != "all" else ():
            lookups[category] = _share(found, level, group_id, dimension, category)
    if kind == "flag":
        informed = informed_flags(questionnaire)
        order = [(area, flag.id) for area, flag in quality_model().flags() if flag.id in informed]
    else:
        order = [(None, key) for key in items or []]
    rows = []
    for area, item in order:
        row = {"area": area, "item": item}
        for name, lookup in lookups.items():
            row[name] = lookup.get((kind, item))
        rows.append(row)
    return rows
