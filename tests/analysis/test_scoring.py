"""Scoring over random datasets: every output path reads cells from which nothing hidden can be derived."""
import functools
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.analysis import exports, scoring
from survey.analysis.scoring import CELL, Counts
from survey.config import Defaults
from survey.questionnaires.model import load_library
from tests.oracle import determinable, determinable_jointly

QUESTIONS = ["decide_important", "staff_care", "safe_with_staff"]


@functools.cache
def library():
    from pathlib import Path
    return load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))


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
                                "decide_important": draw(st.sampled_from(["yes", "no", "dont_know", None])),
                                "staff_care": draw(st.sampled_from(["yes", "no", "dont_know", None])),
                                "safe_with_staff": draw(st.sampled_from(["yes", "sometimes", None]))})
    return units, pd.DataFrame(respondents, columns=CELL + QUESTIONS)


def counts_of(units: pd.DataFrame, people: pd.DataFrame) -> Counts:
    """Count a random dataset the way survey/results.py counts the database."""
    long = people.melt(id_vars=CELL, value_vars=[c for c in people.columns if c not in CELL], var_name="question_key",
                       value_name="option").dropna(subset=["option"]).assign(version=1)
    options = (long.groupby(CELL + ["version", "question_key", "option"], dropna=False).size()
               .reset_index(name="answers"))
    questions = long.groupby(CELL + ["version", "question_key"], dropna=False).size().reset_index(name="respondents")
    questions["completed_respondents"] = questions["respondents"]
    flags_of = {q.key: q.flags for q in library().questionnaires["user"].questions}
    valid = long[long["option"] != "dont_know"].assign(person=lambda f: f.index)
    valid = valid.assign(flag=valid["question_key"].map(flags_of)).explode("flag").dropna(subset=["flag"])
    flags = valid.groupby(CELL + ["flag"], dropna=False)["person"].nunique().reset_index(name="respondents")
    completed = people.groupby(CELL, dropna=False).size().reset_index(name="completed")
    rounds = pd.DataFrame([{"round_id": "r1", "round": "R1", "questionnaire_id": "user"}])
    return Counts(options, questions, flags, completed, units, rounds)


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
    cells = scoring.score(counts_of(units, people), library().questionnaires["user"], library().quality_model, 5).cells
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
    questionnaire = library().questionnaires["user"]
    results = scoring.score(counts_of(units, people), questionnaire, library().quality_model, threshold)
    cells = results.cells
    shown = cells[~cells["hidden"]]
    assert ((shown["n"] >= threshold) | (shown["n"] == 0)).all()
    # The exports (CSV, Excel, JSON API, pages) all read these cells: check what a reader of the CSV sees.
    table = pd.read_csv(io.BytesIO(exports.to_csv(exports.aggregate_table(
        results, questionnaire, library().quality_model, {"r1": "R1"}, "sv"))))
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
