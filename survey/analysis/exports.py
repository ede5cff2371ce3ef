"""Export tables built from the suppressed results only: aggregates (CSV, XLSX), microdata, PDF report."""
from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd

from survey.analysis import scoring
from survey.questionnaires.model import Questionnaire, text_of
from survey.questionnaires.quality import QualityModel

TOO_FEW = "too few answers"
COLUMNS = {
    "round": "The round's name.",
    "level": "unit, area, service_type or organisation.",
    "group": "The unit or group the figure belongs to.",
    "group_id": "The group's stable id (a unit's is the one in its dashboard address, /analysis/unit/<id>): it tells "
                "apart units that share a name.",
    "dimension": "all, sex or help: how the respondents are split.",
    "category": "all; women, men, other_or_unstated; with_help, without_help, not_stated.",
    "kind": "question or flag (a quality-area flag from the quality model).",
    "item": "The question key or flag id; stable across rounds.",
    "text": "The question or flag, in the export's language.",
    "status": f"shown, or '{TOO_FEW}' when the figure is hidden by small-group suppression.",
    "respondents": "How many people answered (for a flag: gave a valid answer to at least one of its questions).",
    "positive_share": "Positive answers as a share of valid answers, in percent ('Don't know' is not a valid answer).",
    "dont_know": "Answers 'Don't know' (questions only).",
    "skipped": "Completed questionnaires without an answer to the question (questions only).",
    "colour": "green, yellow or red by the quality model's thresholds (flags only).",
    "comparable_since_version": "The figure can be compared with rounds answered with this questionnaire version or "
                                "a later one: the question (or every question behind the flag) kept its key, meaning "
                                "and scoring since then.",
    "answers: <option>": "How many chose each option (questions only).",
}
SUPPRESSION = ("Figures built from fewer than {threshold} respondents are never shown, and neither is any figure from "
               "which such a figure could be worked out by subtraction (from totals, other groups or the "
               "breakdowns by sex and help). Hidden figures say '" + TOO_FEW + "'. Zero means nobody.")


def aggregate_table(results: scoring.Results, questionnaire: Questionnaire, model: QualityModel,
                    round_names: dict[str, str], lang: str,
                    since: Callable[[str, str], int | None] | None = None) -> pd.DataFrame:
    """Return one row per published cell, hidden cells marked and blank, ready for CSV or Excel.

    `since(kind, item)` gives the oldest questionnaire version each figure is comparable with."""
    cells = results.cells
    flag_names = {flag.id: text_of(flag.name, lang) for _, flag in model.flags()}
    question_texts = {q.key: text_of(q.text, lang) for q in questionnaire.questions}
    texts = [flag_names.get(i, i) if k == "flag" else question_texts.get(i, i)
             for k, i in zip(cells["kind"], cells["item"])]
    table = pd.DataFrame({
        "round": cells["round_id"].map(round_names), "level": cells["level"], "group": cells["group"],
        "group_id": cells["group_id"], "dimension": cells["dimension"], "category": cells["category"],
        "kind": cells["kind"], "item": cells["item"],
        "text": texts, "status": cells["hidden"].map({True: TOO_FEW, False: "shown"}),
        "respondents": cells["n"].astype("Int64"), "positive_share": (cells["share"] * 100).round(1),
        "dont_know": cells["dont_know"].where(cells["kind"] == "question").astype("Int64"),
        "skipped": cells["skipped"].where(cells["kind"] == "question").astype("Int64"),
        "colour": cells["colour"],
    })
    if since is not None:
        known = {pair: since(*pair) for pair in set(zip(cells["kind"], cells["item"]))}
        table["comparable_since_version"] = pd.array([known[p] for p in zip(cells["kind"], cells["item"])],
                                                     dtype="Int64")
    if not results.options.empty:
        wide = results.options.pivot_table(index=scoring.KEY, columns="option", values="answers", aggfunc="sum")
        wide.columns = [f"answers: {option}" for option in wide.columns]
        keys = cells[scoring.KEY].reset_index(drop=True)
        table = pd.concat([table.reset_index(drop=True),
                           keys.merge(wide.reset_index(), on=scoring.KEY, how="left").drop(columns=scoring.KEY)
                           .astype("Int64")], axis=1)
    order = {level: i for i, level in enumerate(scoring.LEVELS)}
    return table.sort_values(["round", "kind", "item", "level", "group", "group_id", "dimension", "category"],
                             key=lambda s: s.map(order) if s.name == "level" else s).reset_index(drop=True)


def explanation(threshold: int) -> pd.DataFrame:
    """Return the sheet that explains every column and the suppression rule."""
    rows = [{"column": name, "meaning": meaning} for name, meaning in COLUMNS.items()]
    rows.append({"column": "suppression", "meaning": SUPPRESSION.format(threshold=threshold)})
    return pd.DataFrame(rows)


def to_csv(table: pd.DataFrame) -> bytes:
    """Write a table as UTF-8 CSV with a byte-order mark, so Excel shows å, ä and ö right."""
    return table.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Write tables as sheets of one Excel workbook."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def aggregate_sheets(table: pd.DataFrame, threshold: int) -> dict[str, pd.DataFrame]:
    """Split the aggregate table into flag and question sheets, with the explanation."""
    flags = table[table["kind"] == "flag"].dropna(axis=1, how="all")
    questions = table[table["kind"] == "question"]
    return {"flags": flags, "questions": questions, "explanation": explanation(threshold)}
