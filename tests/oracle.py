"""An independent check that no hidden figure can be worked out: exact linear algebra over the rationals."""
from fractions import Fraction


def determinable(constraints, counts, hidden) -> set:
    """An independent oracle: exact Gaussian elimination over the rationals."""
    unknowns = sorted(hidden, key=repr)
    index = {c: i for i, c in enumerate(unknowns)}
    rows = []
    for c in constraints:
        row = [Fraction(0)] * len(unknowns)
        for cell, sign in [(c.total, 1)] + [(p, -1) for p in c.parts]:
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            rows.append(row)
    # Reduce to row echelon form, then a variable is fixed iff some reduced row has it alone.
    pivots, r = [], 0
    for col in range(len(unknowns)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r])]
        pivots.append(col)
        r += 1
    return {unknowns[col] for i, col in enumerate(pivots) if sum(x != 0 for x in rows[i]) == 1}
