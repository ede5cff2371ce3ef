"""Scoring over random datasets: every output path reads cells from which nothing hidden can be derived."""
import functools
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.analysis import exports, microdata, scoring
from survey.analysis.scoring import CELL, Counts
from survey.config import Defaults
from survey.questionnaires.model import load_library
from tests.oracle import determinable, determinable_jointly

QUESTIONS = ["decide_important", "staff_care", "safe_with_staff"]


@functools.cache
def library():
    from pathlib import Path
    return load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))


def asking(*keys: str):
    """The user questionnaire with only these questions (a respondent who completed it skipped nothing else)."""
    user = library().questionnaires["user"]
    return user.model_copy(update={"questions": tuple(q for q in user.questions if q.key in keys)})


@st.composite
def dataset(draw):
    """Random units in areas and service types, respondents with sex and help, answers to three questions
    (two flags are fed by two of them, one by one)."""
    units = pd.DataFrame([{"unit_id": f"u{i}", "unit": f"Unit {i}",
                           "area_id": draw(st.sampled_from(["a1", "a2", None])), "area": "Area",
                           "service_type": draw(st.sampled_from(["housing", "daily_activity"]))}
                          for i in range(draw(st.integers(1, 5)))])
    respondents = []
    for unit in units["unit_id"]:
        for _ in range(draw(st.integers(0, 9))):
            respondents.append({"unit_id": unit, "round_id": "r1",
                                "sex": draw(st.sampled_from(["woman", "man", "other", None])),
                                "helped": draw(st.sampled_from(["nobody", "staff", None])),
                                "verified": draw(st.booleans()),
                                "decide_important": draw(st.sampled_from(["yes", "no", "dont_know", None])),
                                "staff_care": draw(st.sampled_from(["yes", "no", "dont_know", None])),
                                "safe_with_staff": draw(st.sampled_from(["yes", "sometimes", None]))})
    return units, pd.DataFrame(respondents, columns=CELL + QUESTIONS)


def counts_of(units: pd.DataFrame, people: pd.DataFrame) -> Counts:
    """Count a random dataset the way survey/analysis/counting.py counts the database."""
    people = people.assign(person=range(len(people)))
    if "verified" not in people.columns:
        people = people.assign(verified=True)
    answers = [c for c in people.columns if c not in [*CELL, "person"]]
    long = people.melt(id_vars=[*CELL, "person"], value_vars=answers, var_name="question_key",
                       value_name="option").dropna(subset=["option"]).assign(version=1)
    valid = long[long["option"] != "dont_know"]
    options = (long.groupby([*CELL, "version", "question_key", "option"], dropna=False).size()
               .reset_index(name="answers"))
    by_question = [*CELL, "version", "question_key"]
    questions = long.groupby(by_question, dropna=False)["person"].nunique().reset_index(name="present")
    questions = questions.merge(valid.groupby(by_question, dropna=False)["person"].nunique()
                                .reset_index(name="valid_respondents"), how="left").fillna({"valid_respondents": 0})
    flags_of = {q.key: q.flags for q in library().questionnaires["user"].questions}
    flagged = long.assign(flag=long["question_key"].map(flags_of)).explode("flag").dropna(subset=["flag"])
    flags = flagged.groupby([*CELL, "flag"], dropna=False)["person"].nunique().reset_index(name="present")
    flags = flags.merge(flagged[flagged["option"] != "dont_know"].groupby([*CELL, "flag"], dropna=False)["person"]
                        .nunique().reset_index(name="valid_respondents"), how="left").fillna({"valid_respondents": 0})
    rounds = pd.DataFrame([{"round_id": r, "round": r.upper(), "questionnaire_id": "user"}
                           for r in sorted(set(people["round_id"])) or ["r1"]])
    return Counts(options, questions, flags, units, rounds)


def test_a_flag_does_not_show_what_its_question_hides():
    """Women 7, men 3: men's answers to "cooperation" are hidden, so women's are too (or men's follow).
    The men all said "don't know", so the flag fed by that one question has no men: before, it showed
    the women's figures in full and gave away, by subtraction, that all the men said "don't know"."""
    units = pd.DataFrame([{"unit_id": "u1", "unit": "Unit 1", "area_id": "a1", "area": "Area",
                           "service_type": "housing"}])
    people = pd.DataFrame([{"unit_id": "u1", "round_id": "r1", "sex": "woman", "helped": "nobody",
                            "cooperation": "yes" if i < 5 else "no"} for i in range(7)]
                          + [{"unit_id": "u1", "round_id": "r1", "sex": "man", "helped": "nobody",
                              "cooperation": "dont_know"} for _ in range(3)])
    cells = scoring.score(counts_of(units, people), asking("cooperation"), library().quality_model, 5).cells
    unit = cells[(cells["level"] == "unit") & (cells["dimension"] == "sex")].set_index(["kind", "category"])
    assert unit.loc[("question", "men"), "hidden"] and unit.loc[("question", "women"), "hidden"]
    assert unit.loc[("flag", "women"), "hidden"] and unit.loc[("flag", "men"), "hidden"]
    assert unit.loc[("flag", "women"), ["n", "positive", "valid", "share"]].isna().all()
    total = cells[(cells["level"] == "unit") & (cells["dimension"] == "all")].set_index("kind")
    assert not total.loc["flag", "hidden"] and total.loc["flag", "valid"] == 7


@pytest.mark.slow  # sixty random organisations, each checked by the oracle
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset(), st.integers(3, 6))
def test_no_output_path_reveals_a_hidden_cell(data, threshold):
    units, people = data
    questionnaire = asking(*QUESTIONS)
    results = scoring.score(counts_of(units, people), questionnaire, library().quality_model, threshold)
    cells = results.cells
    shown = cells[~cells["hidden"]]
    assert ((shown["n"] >= threshold) | (shown["n"] == 0)).all()
    # The exports (CSV, Excel, JSON API, pages) all read these cells: check what a reader of the CSV sees.
    texts = exports.item_texts({1: questionnaire}, library().quality_model, "sv")
    released = results.cells.assign(since=1, change=float("nan"))
    table = pd.read_csv(io.BytesIO(exports.to_csv(exports.aggregate_table(released, results.options, texts, "R1"))))
    published = table[table["status"] == "shown"]
    assert ((published["respondents"] >= threshold) | (published["respondents"] == 0)).all()
    assert table.loc[table["status"] != "shown", ["respondents", "positive_share"]].isna().all().all()
    assert (table["status"] != "shown").sum() == cells["hidden"].sum()
    rules = scoring.constraints(units)
    keys = list(zip(cells["level"], cells["group_id"], cells["dimension"], cells["category"]))
    hidden_by_item = {item: set() for item in zip(cells["kind"], cells["item"])}
    for key, item, h in zip(keys, zip(cells["kind"], cells["item"]), cells["hidden"]):
        if h:
            hidden_by_item[item].add(key)
    for item, hidden in hidden_by_item.items():
        assert determinable(rules, hidden) == set(), item
    # A flag's figures are sums of its questions' figures: together they must not give a hidden cell away.
    # Only a flag cell whose questions are all shown there follows from them, and it tells nothing new.
    sums = {("flag", flag): [("question", q.key) for q in questionnaire.questions
                             if flag in q.flags and q.key in QUESTIONS]
            for kind, flag in hidden_by_item if kind == "flag"}
    fixed = determinable_jointly(rules, hidden_by_item, sums, set(keys))
    harmless = {(flag, cell) for flag, questions in sums.items() for cell in hidden_by_item[flag]
                if not any(cell in hidden_by_item.get(q, ()) for q in questions)}
    assert fixed <= harmless, sorted(fixed - harmless, key=repr)[:5]
    assert set(results.options.merge(cells[cells["hidden"]], on=scoring.KEY)["option"]) == set()
    check_microdata(units, people, cells)
    # Counted again here, independently: every shown cell about somebody rests on enough verified respondents
    # with a valid answer, and where a sum's total is shown its hidden parts together rest on enough of them.
    counted = independent_counts(units, people, questionnaire)
    for (kind, item), by_cell in counted.items():
        hidden = hidden_by_item.get((kind, item), set())
        for cell, (verified, about) in by_cell.items():
            assert cell in hidden or about == 0 or verified >= threshold, (kind, item, cell, verified)
        for rule in rules:
            concealed = [part for part in rule.parts if part in hidden]
            if rule.total not in hidden and any(by_cell.get(part, (0, 0))[1] for part in concealed):
                assert sum(by_cell.get(part, (0, 0))[0] for part in concealed) >= threshold, (item, rule)


def check_microdata(units: pd.DataFrame, people: pd.DataFrame, cells: pd.DataFrame) -> None:
    """The microdata release shows no value in a hidden unit cell, and every shown unit cell in full."""
    at_unit = cells[(cells["level"] == "unit") & (cells["kind"] == "question")]
    hidden = set(zip(*(at_unit.loc[at_unit["hidden"], c] for c in ("group_id", "item", "dimension", "category"))))
    named = units.assign(area=units["area"], unit=units["unit"])[["unit_id", "unit", "area", "service_type"]]
    rows = scoring.categorise(people.assign(verified=True)).merge(named, on="unit_id")
    rows = rows[["unit_id", "unit", "area", "service_type", "sex", "help", *QUESTIONS]]
    found = microdata.build(rows, QUESTIONS, hidden, seed=1)
    breakdown = found.breakdown
    for row in found.table.to_dict("records"):
        for question in QUESTIONS:
            if row[question]:
                assert (row["unit_id"], question, "all", "all") not in hidden
                assert not breakdown or (row["unit_id"], question, breakdown, row[breakdown]) not in hidden
    # Where a unit's cell is shown overall and in the row's category, every answer behind it is in the rows.
    shown = at_unit[~at_unit["hidden"] & (at_unit["dimension"] == (breakdown or "all"))]
    overall = set(zip(at_unit.loc[~at_unit["hidden"] & (at_unit["dimension"] == "all"), "group_id"],
                      at_unit.loc[~at_unit["hidden"] & (at_unit["dimension"] == "all"), "item"]))
    for unit, question, category, n in zip(shown["group_id"], shown["item"], shown["category"], shown["n"]):
        if (unit, question) not in overall:
            continue
        mine = found.table[(found.table["unit_id"] == unit)
                           & ((found.table[breakdown] == category) if breakdown else True)]
        assert (~mine[question].isin(["", "dont_know"])).sum() == n, (unit, question, category)


def independent_counts(units: pd.DataFrame, people: pd.DataFrame, questionnaire) -> dict:
    """(kind, item) -> cell -> (verified respondents with a valid answer, people the cell is about: those who
    answered, "don't know" included), counted from the respondents one by one."""
    area = dict(zip(units["unit_id"], units["area_id"].fillna(scoring.NO_AREA)))
    kind_of = dict(zip(units["unit_id"], units["service_type"]))
    sex = {"woman": "women", "man": "men"}
    found: dict = {}
    for record in people.to_dict("records"):
        person = {key: None if not isinstance(value, bool) and pd.isna(value) else value
                  for key, value in record.items()}  # pandas may hold a missing answer as NaN
        unit = person["unit_id"]
        helped = "not_stated" if person["helped"] is None else (
            "without_help" if person["helped"] == "nobody" else "with_help")
        categories = [("all", "all"), ("sex", sex.get(person["sex"], "other_or_unstated")), ("help", helped)]
        groups = [("unit", unit), ("area", area[unit]), ("service_type", kind_of[unit]), ("organisation", "all")]
        items = [("question", key, person[key]) for key in QUESTIONS]
        for flag in {f for q in questionnaire.questions if q.key in QUESTIONS for f in q.flags}:
            given = [person[q.key] for q in questionnaire.questions if q.key in QUESTIONS and flag in q.flags]
            valid = [a for a in given if a not in (None, "dont_know")]
            items.append(("flag", flag, valid[0] if valid else next((a for a in given if a), None)))
        for kind, item, answer in items:
            counted_valid = answer not in (None, "dont_know") and person["verified"]
            about = answer is not None
            for group in groups:
                for dimension, category in categories:
                    cell = found.setdefault((kind, item), {}).setdefault((*group, dimension, category), [0, 0])
                    cell[0] += counted_valid
                    cell[1] += about
    return {item: {cell: tuple(v) for cell, v in cells.items()} for item, cells in found.items()}
