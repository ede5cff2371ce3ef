"""An independent check that no hidden figure can be worked out from the shown ones and the sums that tie them."""
import numpy as np


def determinable(constraints, hidden) -> set:
    """The hidden cells that the sums (total = parts) fix."""
    return fixed([[(c.total, 1)] + [(p, -1) for p in c.parts] for c in constraints], hidden)


def determinable_jointly(constraints, hidden_by_item: dict, sums: dict, cells) -> set:
    """The hidden (item, cell) pairs fixed when every item's sums hold and, in every cell, each flag's
    positive and valid answers are the sum of its questions' (sums: flag item -> question items)."""
    equations = [[((item, c.total), 1)] + [((item, p), -1) for p in c.parts]
                 for item in hidden_by_item for c in constraints]
    equations += [[((flag, cell), 1)] + [((question, cell), -1) for question in questions]
                  for flag, questions in sums.items() for cell in cells]
    return fixed(equations, {(item, cell) for item, hidden in hidden_by_item.items() for cell in hidden})


def fixed(equations, hidden) -> set:
    """Return the hidden unknowns the equations (lists of (unknown, coefficient) = 0) fix; shown ones are known."""
    equations = [e for e in ([(x, a) for x, a in e if x in hidden] for e in equations) if e]
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for e in equations:
        for x, _ in e[1:]:
            parent[root(x)] = root(e[0][0])
    groups = {}
    for e in equations:
        groups.setdefault(root(e[0][0]), []).append(e)
    return set().union(*(_eliminate(group) for group in groups.values()))


def _eliminate(equations) -> set:
    """The unknowns these equations fix: those on which every solution of the homogeneous system is zero.

    Rational elimination is exact but cubic in Python; the null space from numpy's SVD of a small integer
    matrix is exact to far below the tolerance, and independent of survey.analysis.suppression's own elimination."""
    unknowns = sorted({x for e in equations for x, _ in e}, key=repr)
    index = {x: i for i, x in enumerate(unknowns)}
    matrix = np.zeros((len(equations), len(unknowns)))
    for row, e in enumerate(equations):
        for x, a in e:
            matrix[row, index[x]] += a
    _, singular, vh = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0))).sum())
    null = vh[rank:]
    return {x for x, i in index.items() if np.abs(null[:, i]).max(initial=0) < 1e-9}
