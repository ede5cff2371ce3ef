"""Series over time, read from releases only: one point per release of a questionnaire, for a unit, pool, area,
service type or the organisation, per flag or question; and the units of one release, for a funnel plot.

Nothing here reads a response: every figure is a stored release cell (periods = 1, overall). A hidden cell is a
gap (its figures are never read, only that it was hidden); a release without the cell is a gap too. A unit in a
pool is charted through its pool's series only, labelled as the pool: its own cells are mostly hidden, and a
series that mixed shown own points with pooled ones would invite subtracting one from the other.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select

from survey.analysis import scoring
from survey.db import db
from survey.db.models import ChartPhase, Pool, Release, ReleaseCell, Round, SeriesPeriod, Unit

SHOWN, HIDDEN, ABSENT = "shown", "hidden", "absent"


@dataclass(frozen=True)
class SeriesPoint:
    """One release's figure: shown (share with its counts), hidden (too few answers) or absent (no such cell)."""

    round_id: str
    label: str
    opens_on: dt.date
    state: str
    share: float | None = None
    positive: int | None = None
    valid: int | None = None  # valid answers (a flag's over all its questions): the share's denominator
    n: int | None = None  # respondents with a valid answer


@dataclass(frozen=True)
class Subject:
    """Whose series a chart shows: a level and group, its name, and whether it stands in for a pooled unit."""

    level: str
    group_id: str
    name: str
    pooled: bool = False


@dataclass(frozen=True)
class Series:
    """A figure over the releases of one questionnaire, oldest first."""

    questionnaire_id: str
    subject: Subject
    kind: str
    item: str
    points: tuple[SeriesPoint, ...]

    @property
    def values(self) -> list[float | None]:
        """Return the shares, None for every point not shown."""
        return [p.share if p.state == SHOWN else None for p in self.points]

    @property
    def labels(self) -> list[str]:
        """Return the period names."""
        return [p.label for p in self.points]

    @property
    def left_out(self) -> int:
        """Return how many releases hid this figure (too few answers)."""
        return sum(p.state == HIDDEN for p in self.points)

    @property
    def asked(self) -> bool:
        """Tell whether any release has this figure for the group, shown or hidden (else it was never asked there)."""
        return any(p.state != ABSENT for p in self.points)

    @property
    def shown(self) -> int:
        """Return how many points are shown."""
        return sum(p.state == SHOWN for p in self.points)


def subject_for_unit(unit: Unit) -> Subject:
    """Return whose series stands for a unit: its pool's, if it is in one, else its own."""
    if unit.pool_id:
        pool = db.session.get(Pool, unit.pool_id)
        return Subject("pool", unit.pool_id, pool.name if pool else unit.pool_id, pooled=True)
    return Subject("unit", unit.id, unit.name)


def series(questionnaire_id: str, subject: Subject, kind: str, item: str,
           until: dt.date | None = None) -> Series:
    """Return one figure of a group over every release of a questionnaire's own rounds (up to rounds opening by
    `until`): a continuous survey's months are a line of their own (the easy-read page draws it), not points between
    the quarters or years."""
    cell = and_(ReleaseCell.release_id == Release.id, ReleaseCell.level == subject.level,
                ReleaseCell.group_id == subject.group_id, ReleaseCell.periods == 1, ReleaseCell.kind == kind,
                ReleaseCell.item == item, ReleaseCell.dimension == "all", ReleaseCell.category == "all")
    query = (select(Round.id, Round.name, Round.opens_on, ReleaseCell.hidden, ReleaseCell.share,
                    ReleaseCell.positive, ReleaseCell.valid, ReleaseCell.n)
             .join(Release, Release.round_id == Round.id).outerjoin(ReleaseCell, cell)
             .where(Release.questionnaire_id == questionnaire_id, Round.id.not_in(select(SeriesPeriod.round_id)))
             .order_by(Round.opens_on, Round.name))
    if until is not None:
        query = query.where(Round.opens_on <= until)
    points = tuple(_point(*row) for row in db.session.execute(query).all())
    return Series(questionnaire_id, subject, kind, item, points)


def _point(round_id: str, name: str, opens_on: dt.date, hidden: bool | None, share: float | None,
           positive: int | None, valid: int | None, n: int | None) -> SeriesPoint:
    """Make one point; a hidden cell's figures are never read, and a cell without a share is absent."""
    if hidden is None or (not hidden and share is None):
        return SeriesPoint(round_id, name, opens_on, ABSENT)
    if hidden:
        return SeriesPoint(round_id, name, opens_on, HIDDEN)
    return SeriesPoint(round_id, name, opens_on, SHOWN, float(share), _int(positive), _int(valid), _int(n))


def _int(value) -> int | None:
    return None if value is None else int(value)


def subject_for_group(level: str, group_id: str, name: str) -> Subject:
    """Return the subject of an area, service type or the organisation."""
    return Subject(level, scoring.NO_AREA if level == "area" and not group_id else group_id, name)


@dataclass(frozen=True)
class FunnelRow:
    """One unit (or pool, for its pooled units) in one release: shown with its counts, or hidden."""

    key: str
    name: str
    positive: int | None
    valid: int | None
    hidden: bool
    pooled: bool


def release_units(release: Release, kind: str, item: str, units: Sequence[Unit]) -> list[FunnelRow]:
    """Return the units' figures in one release, pooled units once as their pool; hidden ones without figures."""
    wanted = {("pool", u.pool_id) if u.pool_id else ("unit", u.id) for u in units}
    rows = db.session.execute(
        select(ReleaseCell.level, ReleaseCell.group_id, ReleaseCell.group_name, ReleaseCell.hidden,
               ReleaseCell.positive, ReleaseCell.valid)
        .where(ReleaseCell.release_id == release.id, ReleaseCell.level.in_(("unit", "pool")),
               ReleaseCell.periods == 1, ReleaseCell.kind == kind, ReleaseCell.item == item,
               ReleaseCell.dimension == "all", ReleaseCell.category == "all")
        .order_by(ReleaseCell.group_name)).all()
    found = []
    for level, group_id, name, hidden, positive, valid in rows:
        if (level, group_id) not in wanted:
            continue
        shown = not hidden and valid
        found.append(FunnelRow(f"{level}:{group_id}", name, _int(positive) if shown else None,
                               _int(valid) if shown else None, bool(hidden), level == "pool"))
    return found


def confirmed_phases(subject: Subject, flag_id: str) -> list[ChartPhase]:
    """Return the phases people confirmed on a flag's charts of this unit or pool, oldest start first."""
    column = ChartPhase.pool_id if subject.level == "pool" else ChartPhase.unit_id
    if subject.level not in ("unit", "pool"):
        return []
    return list(db.session.scalars(select(ChartPhase).where(column == subject.group_id, ChartPhase.flag_id == flag_id)
                                   .order_by(ChartPhase.starts_on)))


def phase_starts(points: Sequence[SeriesPoint], starts: Sequence[dt.date]) -> list[int]:
    """Return the period index each phase starts at: the first period opening on or after its date (phase 1 is
    period 0, so a date at or before the first period starts no new phase)."""
    found = set()
    for start in starts:
        index = next((i for i, p in enumerate(points) if p.opens_on >= start), None)
        if index:
            found.add(index)
    return sorted(found)
