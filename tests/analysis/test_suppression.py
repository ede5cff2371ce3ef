"""Small-group suppression, pure: no hidden figure can be worked out from the shown ones."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.analysis.suppression import Constraint, suppress
from tests.oracle import determinable, determinable_jointly


def test_the_issue_example_women_7_men_3_total_10():
    counts = {"total": 10, "women": 7, "men": 3}
    hidden = suppress(counts, [Constraint("total", ("women", "men"))], threshold=5)
    assert "men" in hidden and len(hidden) >= 2


def test_nothing_hidden_when_every_group_is_large_enough():
    counts = {"total": 20, "women": 12, "men": 8}
    assert suppress(counts, [Constraint("total", ("women", "men"))], threshold=5) == set()


def test_zero_is_shown_and_does_not_hide_the_rest():
    counts = {"total": 12, "women": 12, "men": 0}
    assert suppress(counts, [Constraint("total", ("women", "men"))], threshold=5) == set()


def test_threshold_never_below_three():
    with pytest.raises(ValueError):
        suppress({"a": 1}, [], threshold=2)


def test_a_bridge_the_simple_rule_misses_is_caught():
    # Two 2x2 blocks joined through one cell: every line has two hidden cells, yet one is fixed.
    counts = {(r, c): 10 for r in range(4) for c in range(4)}
    counts.update({(0, 0): 2, (0, 1): 2, (1, 0): 2, (1, 1): 2, (2, 2): 2, (2, 3): 2, (3, 2): 2, (3, 3): 2})
    constraints = [Constraint(("row", r), tuple((r, c) for c in range(4))) for r in range(4)]
    constraints += [Constraint(("col", c), tuple((r, c) for r in range(4))) for c in range(4)]
    for r in range(4):
        counts[("row", r)] = sum(counts[(r, c)] for c in range(4))
        counts[("col", r)] = sum(counts[(c, r)] for c in range(4))
    hidden = suppress(counts, constraints, threshold=5)
    assert determinable(constraints, hidden) == set()


@st.composite
def hierarchy(draw):
    """Units in areas, each cell split into categories: the shape the results are published in."""
    areas = draw(st.integers(1, 3))
    units = [(a, u) for a in range(areas) for u in range(draw(st.integers(1, 4)))]
    categories = draw(st.integers(2, 4))
    counts, constraints = {}, []
    for unit in units:
        parts = [("unit", unit, c) for c in range(categories)]
        for part in parts:
            counts[part] = draw(st.integers(0, 12))
        counts[("unit", unit, "all")] = sum(counts[p] for p in parts)
        constraints.append(Constraint(("unit", unit, "all"), tuple(parts)))
    for category in [*range(categories), "all"]:
        for area in range(areas):
            members = tuple(("unit", u, category) for u in units if u[0] == area)
            counts[("area", area, category)] = sum(counts[m] for m in members)
            constraints.append(Constraint(("area", area, category), members))
        tops = tuple(("area", a, category) for a in range(areas))
        counts[("org", category)] = sum(counts[t] for t in tops)
        constraints.append(Constraint(("org", category), tops))
    for area in range(areas):
        constraints.append(Constraint(("area", area, "all"), tuple(("area", area, c) for c in range(categories))))
    constraints.append(Constraint(("org", "all"), tuple(("org", c) for c in range(categories))))
    return counts, constraints


@settings(max_examples=150, deadline=None)
@given(hierarchy(), st.integers(3, 6))
def test_no_hidden_cell_can_be_worked_out(data, threshold):
    counts, constraints = data
    hidden = suppress(counts, constraints, threshold)
    assert all(cell in hidden for cell, n in counts.items() if 0 < n < threshold)
    assert determinable(constraints, hidden) == set()


def test_the_oracle_sees_what_primary_suppression_alone_would_leak():
    constraints = [Constraint("total", ("women", "men"))]
    assert determinable(constraints, {"men"}) == {"men"}


def test_the_joint_oracle_sees_a_flag_give_its_question_away():
    constraints = [Constraint("total", ("women", "men"))]
    hidden_by_item = {"question": {"women", "men"}, "flag": set()}
    assert determinable_jointly(constraints, hidden_by_item, {"flag": ["question"]}, ["total", "women", "men"]) \
        == {("question", "women"), ("question", "men")}
    hidden_by_item["flag"] = {"women", "men"}
    assert determinable_jointly(constraints, hidden_by_item, {"flag": ["question"]}, ["total", "women", "men"]) == set()



def published_block(split: dict, areas: dict, types: dict):
    """One question's cells as a release publishes them (units, areas, service types, the organisation; overall and
    by sex and help), from each unit's respondents per category: unit -> ({sex: n}, {help: n}). Returns the
    counts and scoring's constraints."""
    import pandas as pd

    from survey.analysis import scoring
    units = pd.DataFrame({"unit_id": list(split), "unit": list(split), "area_id": [areas[u] for u in split],
                          "area": [areas[u] for u in split], "service_type": [types[u] for u in split]})
    counts: dict = {}
    for unit, (sex, helped) in split.items():
        figures = [(("all", "all"), sum(sex.values()))] + [(("sex", k), n) for k, n in sex.items()] \
            + [(("help", k), n) for k, n in helped.items()]
        for level, group in (("unit", unit), ("service_type", types[unit]), ("area", areas[unit]),
                             ("organisation", "all")):
            for (dimension, category), n in figures:
                key = (level, group, dimension, category)
                counts[key] = counts.get(key, 0) + n
    return counts, scoring.constraints(units)


def hidden_totals(hidden: set) -> set:
    return {(cell[0], cell[1]) for cell in hidden if cell[2] == "all"}


def test_a_breakdown_that_holds_its_whole_group_costs_what_the_group_does():
    # Nobody states sex or help (as in the staff questionnaire), so every breakdown equals its group. Hiding the
    # cheap-looking breakdown of an area hid the area itself, and from there both areas, three service types and
    # three more units; it is worth as much as the area, so a unit of the small unit's own sum goes instead.
    from survey.analysis.scoring import cost_in
    sizes = {"B": 9, "V": 8, "L": 4, "E": 6, "BoS": 10, "F": 7, "K": 12}
    areas = {"B": "N", "V": "N", "L": "N", "E": "N", "BoS": "S", "F": "S", "K": "S"}
    types = {"B": "housing", "V": "daily", "L": "housing", "E": "housing", "BoS": "support", "F": "psych",
             "K": "addiction"}
    split = {unit: ({"other_or_unstated": n}, {"not_stated": n}) for unit, n in sizes.items()}
    counts, constraints = published_block(split, areas, types)
    hidden = suppress(counts, constraints, threshold=5, cost=cost_in(counts))
    assert hidden_totals(hidden) == {("unit", "L"), ("unit", "E")}
    assert determinable(constraints, hidden) == set()


def test_a_derivable_breakdown_is_protected_by_the_cheapest_cell_of_all_its_sums():
    # Two small units (4 each) in an area and a service type of their own, the others 7-15, split by sex and
    # help as people answered. Hiding the first sum's partner of a derivable breakdown (the unit's own figure)
    # hid six units; the cheapest partner of all its sums is another breakdown.
    from survey.analysis.scoring import cost_in
    split = {"B": ({"women": 3, "men": 4}, {"with_help": 2, "without_help": 5}),
             "V": ({"women": 7, "men": 5, "other_or_unstated": 1}, {"with_help": 7, "without_help": 5,
                                                                     "not_stated": 1}),
             "L": ({"women": 1, "men": 2, "other_or_unstated": 1}, {"with_help": 1, "without_help": 3}),
             "E": ({"women": 2, "men": 2}, {"without_help": 3, "not_stated": 1}),
             "BoS": ({"women": 6, "men": 6, "other_or_unstated": 1}, {"with_help": 4, "without_help": 8,
                                                                       "not_stated": 1}),
             "F": ({"women": 3, "men": 6}, {"with_help": 2, "without_help": 6, "not_stated": 1}),
             "K": ({"women": 5, "men": 7, "other_or_unstated": 3}, {"with_help": 7, "without_help": 8})}
    areas = {"B": "N", "V": "N", "L": "W", "E": "W", "BoS": "S", "F": "S", "K": "S"}
    types = {"B": "housing", "V": "daily", "L": "assistance", "E": "assistance", "BoS": "support", "F": "psych",
             "K": "addiction"}
    counts, constraints = published_block(split, areas, types)
    hidden = suppress(counts, constraints, threshold=5, cost=cost_in(counts))
    assert {group for level, group in hidden_totals(hidden) if level == "unit"} == {"L", "E"}
    assert determinable(constraints, hidden) == set()
