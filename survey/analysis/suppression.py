"""Small-group suppression: the one function that decides which figures may be shown.

A figure (a cell) rests on n respondents (`counts`), and is about `present` people (by default the same).
Cells are tied by constraints of the form total = part + part + ... (a unit's figure is the sum of its
women's and men's figures; an area's is the sum of its units'). Primary suppression hides every cell about
somebody that rests on fewer than the threshold. Secondary suppression hides more cells until no hidden cell
can be worked out from the shown ones, and no sum of hidden cells either unless it rests on the threshold:
first by the rule that no constraint may hide exactly one member, and that the hidden members of a constraint
whose total is shown rest on at least the threshold together (their sum follows from the shown ones); then by
an exact check (linear algebra over the constraints) that catches what the rules miss. A cell about nobody is
shown: it is nobody's answer.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

MIN_THRESHOLD = 3


@dataclass(frozen=True)
class Constraint:
    """total = sum(parts), for every additive figure of the cells."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def members(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def suppress(counts: Mapping[Hashable, int], constraints: Iterable[Constraint], threshold: int,
             also: Iterable[Hashable] = (), present: Mapping[Hashable, int] | None = None,
             cost: Callable[[Hashable], int] = lambda _cell: 0, frozen: Iterable[Hashable] = (),
             restore: Iterable[Hashable] = ()) -> set[Hashable]:
    """Return the cells to hide: those about somebody resting on fewer than threshold, those in also, and enough
    others that none of them, nor a small sum of them, can be worked out.

    When more must be hidden, the cheapest cell goes first: the lowest cost(cell), then the fewest respondents.
    Frozen cells were published before (an earlier release): they stay shown, and what they tell is audited too.
    A cell that can be worked out is protected by hiding the cheapest shown cell of the sums it was worked out from.
    Cells in restore that were hidden only to protect others (not in also) are then shown again, one by one in that
    order, wherever the exact check allows it."""
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"the threshold for small groups is never below {MIN_THRESHOLD}")
    present = counts if present is None else present
    constraints = [c for c in constraints if len(c.parts) > 0]
    frozen = set(frozen)
    hidden = {cell for cell in set(counts) | set(present)
              if max(present.get(cell, 0), counts.get(cell, 0)) > 0 and counts.get(cell, 0) < threshold
              and cell not in frozen}
    also = set(also)
    hidden |= also
    def rank(cell: Hashable) -> int | None:  # None: published before, never hidden now
        return None if cell in frozen else cost(cell)

    while True:
        before = len(hidden)
        _close(counts, rank, constraints, hidden)
        _protect_sums(counts, rank, present, constraints, hidden, threshold)
        for found, why in _derivable_groups(constraints, hidden):  # one cell more in each: it may free the rest
            cells = sorted(found, key=repr)
            used = any(_hide_smallest(_shown_in(why[cell], hidden), counts, rank, hidden) is not None
                       for cell in cells)  # a cell of the sums the attacker would use
            if not used and not any(_hide_partner(cell, counts, rank, constraints, hidden) for cell in cells):
                _hide_nearby(cells[0], counts, rank, constraints, hidden)  # tied only through hidden cells
        if len(hidden) == before:
            hidden -= _published_already(constraints, hidden, frozen, counts, present, threshold)
            return _restore([c for c in restore if c not in also], counts, present, constraints, hidden, threshold,
                            also)


def _restore(cells: Iterable[Hashable], counts, present, constraints: list[Constraint], hidden: set,
             threshold: int, kept: set) -> set:
    """Show again each of these hidden cells that rests on the threshold, where every rule still holds and no
    hidden cell becomes derivable (checked exactly, in the cells tied to it through hidden ones) — or only cells
    that may be shown too (they rest on the threshold, and were hidden only to protect others): showing a cell
    whose value is known already tells nothing more, so they are shown with it."""
    touching: dict = defaultdict(list)
    for constraint in constraints:
        for member in constraint.members:
            touching[member].append(constraint)

    def showable(cell: Hashable) -> bool:
        return cell not in kept and counts.get(cell, 0) >= threshold

    for cell in cells:
        if cell not in hidden or not showable(cell):
            continue
        shown = {cell}
        trial = hidden - shown
        freed = _determined(_tied(touching.get(cell, []), touching, trial), trial)
        if not all(showable(other) for other in freed):
            continue
        shown |= freed
        trial -= freed
        near = [c for member in shown for c in touching.get(member, [])]
        if any(sum(m in trial for m in c.members) == 1 for c in near):
            continue
        if any(_small_hidden_sum(c, counts, present, trial, threshold) for c in near):
            continue
        if not _determined(_tied(near, touching, trial), trial):
            hidden -= shown
    return hidden


def _small_hidden_sum(constraint: Constraint, counts, present, hidden: set, threshold: int) -> bool:
    """Whether the constraint's total is shown and its hidden parts, about somebody, rest on fewer than threshold."""
    concealed = [p for p in constraint.parts if p in hidden]
    return (constraint.total not in hidden and any(present.get(p, 0) > 0 for p in concealed)
            and sum(counts.get(p, 0) for p in concealed) < threshold)


def _tied(start: list[Constraint], touching: Mapping, hidden: set) -> list[Constraint]:
    """Return the constraints reached from these through hidden cells."""
    seen = {id(c): c for c in start}
    frontier = [m for c in start for m in c.members if m in hidden]
    reached = set(frontier)
    while frontier:
        for constraint in touching.get(frontier.pop(), ()):
            seen.setdefault(id(constraint), constraint)
            for member in constraint.members:
                if member in hidden and member not in reached:
                    reached.add(member)
                    frontier.append(member)
    return [c for c in seen.values() if any(m in hidden for m in c.members)]


def _published_already(constraints, hidden: set, frozen: set, counts, present, threshold: int) -> set:
    """Return the hidden cells that were hidden only to protect others, but whose value follows from what is shown
    already (earlier releases' frozen cells): nothing more can hide them, and showing them tells nothing new."""
    return {cell for cell in derivable(constraints, hidden) - frozen
            if counts.get(cell, 0) >= threshold or max(present.get(cell, 0), counts.get(cell, 0)) == 0}


def _close(counts, cost, constraints, hidden: set) -> None:
    """Apply the rule until nothing changes: no constraint may hide exactly one of its members."""
    touching: dict = defaultdict(list)
    for index, constraint in enumerate(constraints):
        for member in constraint.members:
            touching[member].append(index)
    hidden_in = [sum(m in hidden for m in c.members) for c in constraints]  # kept up to date below
    work = sorted({i for cell in hidden for i in touching.get(cell, ())})  # same result every run
    while work:
        index = work.pop()
        if hidden_in[index] == 1:
            newly = _hide_smallest(constraints[index].members, counts, cost, hidden)
            if newly is not None:
                for other in touching.get(newly, ()):
                    hidden_in[other] += 1
                    work.append(other)


def _protect_sums(counts, cost, present, constraints, hidden: set, threshold: int) -> None:
    """Hide more until, in every constraint whose total is shown, the hidden parts rest on the threshold together.

    The hidden parts' sum is the total minus the shown parts: a figure of its own, about the hidden parts' people."""
    changed = True
    while changed:
        changed = False
        for constraint in constraints:
            if constraint.total in hidden:
                continue
            concealed = [p for p in constraint.parts if p in hidden]
            if not concealed or not any(present.get(p, 0) > 0 for p in concealed):
                continue
            if sum(counts.get(p, 0) for p in concealed) < threshold:
                changed |= _hide_smallest(constraint.members, counts, cost, hidden) is not None


def _hide_smallest(members, counts, cost, hidden: set):
    """Hide the cheapest shown member (by cost, then fewest respondents) and return it (zeros hide nothing)."""
    candidates = [m for m in members if m not in hidden and counts.get(m, 0) > 0 and cost(m) is not None]
    if not candidates:
        return None
    chosen = min(candidates, key=lambda m: (cost(m), counts.get(m, 0), m == members[0]))
    hidden.add(chosen)
    return chosen


def _hide_partner(cell, counts, cost, constraints, hidden: set) -> bool:
    """Hide the cheapest shown cell that shares a constraint with this one; say whether there was one.

    The cheapest of all its constraints, not the first constraint's: a unit's breakdown by sex sits first in the
    sum that makes the unit's own figure, and hiding that figure instead of another breakdown spread to the units
    around it."""
    partners = {member for constraint in constraints if cell in constraint.members for member in constraint.members}
    return _hide_smallest(tuple(sorted(partners, key=repr)), counts, cost, hidden) is not None


def _hide_nearby(cell, counts, cost, constraints, hidden: set) -> None:
    """Hide the smallest shown cell of any constraint reached from this one through hidden cells."""
    reached, frontier, members = {cell}, [cell], set()
    while frontier:
        current = frontier.pop()
        for constraint in constraints:
            if current in constraint.members:
                for member in constraint.members:
                    members.add(member)
                    if member in hidden and member not in reached:
                        reached.add(member)
                        frontier.append(member)
    _hide_smallest(tuple(sorted(members, key=repr)), counts, cost, hidden)


def derivable(constraints: Iterable[Constraint], hidden: set) -> set:
    """Return the hidden cells whose value follows from the shown cells and the constraints."""
    return set().union(*(found for found, _why in _derivable_groups(constraints, hidden)))


def _derivable_groups(constraints: Iterable[Constraint], hidden: set) -> list[tuple[set, dict]]:
    """Return the derivable hidden cells, in groups of cells tied to each other through hidden ones, each with the
    constraints it is worked out from."""
    rows = [c for c in constraints if any(m in hidden for m in c.members)]
    found = []
    for component in _components(rows, hidden):
        why: dict = {}
        cells = _determined(component, hidden, why)
        if cells:
            found.append((cells, why))
    return found


def _shown_in(rows: list[Constraint], hidden: set) -> tuple:
    """Return the shown members of these constraints, in a fixed order."""
    return tuple(sorted({m for row in rows for m in row.members if m not in hidden}, key=repr))


def _components(rows: list[Constraint], hidden: set) -> list[list[Constraint]]:
    """Split the constraints into groups that share no hidden cell (each is solved on its own)."""
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        unknown = [m for m in row.members if m in hidden]
        for other in unknown[1:]:
            parent[root(other)] = root(unknown[0])
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[root(next(m for m in row.members if m in hidden))].append(row)
    return list(grouped.values())


def _determined(rows: list[Constraint], hidden: set, why: dict | None = None) -> set:
    """Return the unknowns these equations fix, by exact sparse elimination to reduced row echelon form; fill why
    (if given) with the constraints each is worked out from.

    A hidden cell is fixed exactly when, once reduced, some row holds it alone. The rows are sparse
    (a cell sits in a few sums), so elimination keeps them small; integer arithmetic keeps it exact.
    """
    pivots: dict = {}              # pivot cell -> its reduced row {cell: coefficient}
    origin: dict = {}              # pivot cell -> indices of the constraints its row was combined from
    holders: dict = defaultdict(set)  # cell -> pivot cells whose row mentions it
    for index, constraint in enumerate(rows):
        row: dict = defaultdict(int)
        row[constraint.total] += 1
        for part in constraint.parts:
            row[part] -= 1
        row = {cell: c for cell, c in row.items() if cell in hidden and c}
        used = {index}
        for cell in [c for c in row if c in pivots]:
            if row.get(cell, 0):
                _subtract(row, pivots[cell], row[cell])
                used |= origin[cell]
        if not row:
            continue
        pivot = min(row, key=repr)
        scale = row[pivot]
        row = {cell: c * scale if scale in (1, -1) else Fraction(c, 1) / scale for cell, c in row.items()}
        for other in list(holders.get(pivot, ())):
            other_row = pivots[other]
            factor = other_row.get(pivot, 0)
            if factor:
                before = set(other_row)
                _subtract(other_row, row, factor)
                origin[other] = origin[other] | used
                for gone in before - set(other_row):
                    holders[gone].discard(other)
                for new in set(other_row) - before:
                    holders[new].add(other)
        pivots[pivot] = row
        origin[pivot] = used
        for cell in row:
            holders[cell].add(pivot)
    found = {pivot for pivot, row in pivots.items() if len(row) == 1}
    if why is not None:
        why.update({cell: [rows[i] for i in sorted(origin[cell])] for cell in found})
    return found


def _subtract(row: dict, pivot_row: dict, factor) -> None:
    """row -= factor * pivot_row, dropping cells that cancel."""
    if not factor:
        return
    for cell, c in pivot_row.items():
        value = row.get(cell, 0) - factor * c
        if value:
            row[cell] = value
        else:
            row.pop(cell, None)
