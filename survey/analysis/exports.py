"""Export tables built from released cells only (pure): aggregates and microdata as CSV and Excel.

Every text cell is written so that a spreadsheet shows it as text: a value that begins like a formula
(=, +, -, @, a tab or a carriage return) gets a leading apostrophe, so free text, comments and names
never run as formulas (=HYPERLINK(...) once became a live formula in a feedback workbook).
"""
from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from survey.analysis import scoring
from survey.questionnaires.comparability import Definitions
from survey.questionnaires.model import text_of
from survey.questionnaires.quality import QualityModel

TOO_FEW = "too few answers"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = {
    "round": "The round's name.",
    "level": "unit, pool (a fixed group of small units of one kind), area, service_type or organisation.",
    "group": "The unit or group the figure belongs to.",
    "group_id": "The group's stable id (a unit's is the one in its dashboard address, /analysis/unit/<id>): it tells "
                "apart units that share a name.",
    "periods": "1: this round. 2 or 3: the unit or pool over this round and the one or two released before it in "
               "the same block of three releases (the 1st to 3rd, 4th to 6th, ...; a span never reaches into an "
               "earlier block), audited together with everything the block published.",
    "dimension": "all, sex or help: how the respondents are split.",
    "category": "all; women, men, other_or_unstated; with_help, without_help, not_stated.",
    "kind": "question or flag (a quality-area flag from the quality model).",
    "item": "The question key or flag id; stable across rounds. A question whose meaning or scoring changed during "
            "the round has its answers to the older version under KEY@vN (N: the first version of that wording).",
    "text": "The question or flag, in the export's language.",
    "status": f"shown, or '{TOO_FEW}' when the figure is hidden by small-group suppression.",
    "respondents": "How many people gave a valid answer (for a flag: to at least one of its questions); 'Don't know' "
                   "is not a valid answer.",
    "positive_share": "Positive answers as a share of valid answers, in percent.",
    "dont_know": "Answers 'Don't know' (questions only).",
    "colour": "green, yellow or red by the quality model's thresholds (flags only).",
    "comparable_since_version": "The figure can be compared with rounds answered with this questionnaire version or "
                                "a later one: the question (or every question behind the flag) kept its key, meaning "
                                "and scoring since then.",
    "change": "Positive share now minus in the previous released round, in percentage points, where both are shown "
              "and comparable.",
    "answers: <option>": "How many chose each option (questions only).",
}
SUPPRESSION = ("Figures are shown only where at least {threshold} people gave a valid answer through an invitation "
               "code or the unit's tablet mode (anyone can use an open link, so answers through it are counted but "
               "never make a small group visible). Neither is any figure shown from which a hidden one, or a sum of "
               "hidden ones resting on fewer people, could be worked out by subtraction (from totals, other groups or "
               "the breakdowns by sex and help). Hidden figures say '" + TOO_FEW + "'. Zero means nobody. The figures "
               "are a release, made once after the round closed: they never change.")


def item_texts(definitions: Definitions, model: QualityModel, lang: str) -> dict[tuple[str, str], str]:
    """Return (kind, item) -> its text in a language: flags by the model, questions as the version asked them."""
    found = {("flag", flag.id): text_of(flag.name, lang) for _, flag in model.flags()}
    for version in sorted(definitions):
        for question in definitions[version].questions:
            text = text_of(question.text, lang)
            found[("question", question.key)] = text
            found[("question", f"{question.key}@v{version}")] = text
    return found


def aggregate_table(cells: pd.DataFrame, options: pd.DataFrame, texts: dict[tuple[str, str], str],
                    round_name: str) -> pd.DataFrame:
    """Return one row per released cell, hidden cells marked and blank, ready for CSV or Excel."""
    pairs = list(zip(cells["kind"], cells["item"]))
    table = pd.DataFrame({
        "round": round_name, "level": cells["level"], "group": cells["group"], "group_id": cells["group_id"],
        "periods": cells.get("periods", 1),
        "dimension": cells["dimension"], "category": cells["category"], "kind": cells["kind"],
        "item": cells["item"], "text": [texts.get(pair, pair[1]) for pair in pairs],
        "status": cells["hidden"].map({True: TOO_FEW, False: "shown"}),
        "respondents": cells["n"].astype("Int64"), "positive_share": (cells["share"] * 100).round(1),
        "dont_know": cells["dont_know"].where(cells["kind"] == "question").astype("Int64"),
        "colour": cells["colour"],
        "comparable_since_version": pd.to_numeric(cells["since"]).astype("Int64"),
        "change": (cells["change"] * 100).round(1),
    })
    if not options.empty:
        key = ["level", "group_id", "dimension", "category", "item"]
        wide = options.pivot_table(index=key, columns="option", values="answers", aggfunc="sum")
        wide.columns = [f"answers: {option}" for option in wide.columns]
        own = cells[key].assign(periods=cells.get("periods", 1)).reset_index(drop=True)
        found = own.merge(wide.reset_index().assign(periods=1), on=[*key, "periods"], how="left")
        found = found.drop(columns=[*key, "periods"])
        table = pd.concat([table.reset_index(drop=True), found.astype("Int64")], axis=1)
    order = {level: i for i, level in enumerate(scoring.LEVELS)}
    return table.sort_values(["kind", "item", "level", "periods", "group", "group_id", "dimension", "category"],
                             key=lambda s: s.map(order) if s.name == "level" else s).reset_index(drop=True)


def explanation(threshold: int) -> pd.DataFrame:
    """Return the sheet that explains every column and the suppression rule."""
    rows = [{"column": name, "meaning": meaning} for name, meaning in COLUMNS.items()]
    rows.append({"column": "suppression", "meaning": SUPPRESSION.format(threshold=threshold)})
    return pd.DataFrame(rows)


def as_text(value):
    """Return a value a spreadsheet shows as written: text that begins like a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with every text value (and column name) safe from being read as a formula."""
    safe = table.rename(columns=as_text)
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(as_text)
    return safe


def to_csv(table: pd.DataFrame) -> bytes:
    """Write a table as UTF-8 CSV with a byte-order mark (so Excel shows å, ä and ö right), formula-safe."""
    return formula_safe(table).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Write tables as sheets of one Excel workbook, formula-safe and text as text.

    XlsxWriter row by row: pandas' own to_excel builds an object per cell, and took a minute for a release's
    three languages of 300 units; this takes a few seconds."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        for name, frame in sheets.items():
            sheet = book.add_worksheet(name[:31])
            safe = formula_safe(frame)
            sheet.write_row(0, 0, [str(c) for c in safe.columns])
            values = safe.astype(object).where(safe.notna(), None)
            for number, row in enumerate(values.itertuples(index=False, name=None), start=1):
                sheet.write_row(number, 0, [v.item() if hasattr(v, "item") else v for v in row])
    return buffer.getvalue()


def aggregate_sheets(table: pd.DataFrame, threshold: int) -> dict[str, pd.DataFrame]:
    """Split the aggregate table into flag and question sheets, with the explanation."""
    flags = table[table["kind"] == "flag"].dropna(axis=1, how="all")
    questions = table[table["kind"] == "question"]
    return {"flags": flags, "questions": questions, "explanation": explanation(threshold)}
