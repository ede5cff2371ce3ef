"""Time to import (or refuse) XLSForm workbooks at the bounds, beside openpyxl merely reading the same workbook.

Workbooks, each as large as the bounds in survey/questionnaires/xlsform/limits.py let through:
  field form   as many questions and options as the bounds admit, in three languages with hints, required,
               appearances and comment columns: it imports, with warnings (the draft is deleted after each round)
  refused form the same with a condition on every tenth and a constraint on every twentieth row
  numbers      cells of one digit, 100 a row, as many as the cell and element bounds admit
  empty cells  empty cells up to the cell bound (openpyxl spends as long on an empty cell as on a full one)
  rich text    cells of rich text, 600 runs each, up to the XML element bound
  styles       as much formatting as the styles bound admits, and rich text up to the element bound
  350 problems 88 questions, each with a condition, a constraint, a calculation and a default (the issue's
               example: a 16 KB workbook with 350 problems took 40 s)
and hostile ones: a sheet claiming A1:XFD1048576, a 1 GB zip bomb, a zip lying about a part's size, 200 sheets,
groups nested 500 deep. For each: the baseline (openpyxl loading it read-only and reading every row of every
sheet, where it can), the import itself (parse_workbook: read, check, problems listed), and the answer to the
editor's upload through the Flask test client. Goal: every answer <= 2 s. Best of --rounds.
Usage: python benchmarks/xlsform_import.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import io
import re
import struct
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl

from survey.questionnaires.files import DataFileError
from survey.questionnaires.xlsform import limits
from survey.questionnaires.xlsform.parse import parse_workbook

GOAL_SECONDS = 2.0
LANGS = ("Svenska (sv)", "English (en)", "Norsk bokmål (nb)")


def book_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def field_form(conditions: bool = False) -> bytes:
    """A form at the bounds: MAX_QUESTIONS questions, MAX_OPTIONS options in lists of five."""
    head = ["type", "name", *(f"label::{lang}" for lang in LANGS), *(f"hint::{lang}" for lang in LANGS),
            "required", "appearance", "relevant", "constraint", "media::image", "notes", "kobo--score", "$kuid"]
    survey = [head]
    for i in range(limits.MAX_QUESTIONS):
        survey.append([f"select_one list{i % (limits.MAX_OPTIONS // 5)}", f"q{i}",
                       *(f"Fråga {i} om hur du har det hemma?" for _ in LANGS),
                       *(f"Tänk på den senaste veckan {i}" for _ in LANGS), "yes", "minimal",
                       "${q0} = 'yes'" if conditions and i % 10 == 0 else None,
                       ". != 'no'" if conditions and i % 20 == 0 else None, "home.png", f"note {i}", i, f"k{i}"])
    choices = [["list_name", "name", *(f"label::{lang}" for lang in LANGS), "media::image"]]
    choices += [[f"list{i // 5}", f"c{i}", *(f"Svar {i}" for _ in LANGS), "face_happy.png"]
                for i in range(limits.MAX_OPTIONS)]
    data = book_bytes({"survey": survey, "choices": choices, "settings": [["form_id", "form_title"], ["big", "Big"]]})
    assert admitted(data), limits.check_archive(data, "bench.xlsx")
    return data


def xml_size(data: bytes) -> int:
    return sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist()
               if m.filename.endswith(limits.PARSED))


def admitted(data: bytes) -> bool:
    return not limits.check_archive(data, "bench.xlsx")


def sheet_of(cells: list[str], per_row: int = limits.MAX_COLUMNS) -> bytes:
    """A one-sheet workbook: a header of type, name, label and more columns, then these cells, per_row a row."""
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>'
                   for h in ["type", "name", "label", *(f"c{i}" for i in range(per_row - 3))])
    rows = "".join("<row>" + "".join(cells[i:i + per_row]) + "</row>" for i in range(0, len(cells), per_row))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             f"<row>{head}</row>{rows}</sheetData></worksheet>")
    data = replaced(book_bytes({"survey": [["x"]]}), "xl/worksheets/sheet1.xml", sheet.encode())
    assert admitted(data), limits.check_archive(data, "bench.xlsx")
    return data


def worst_cases() -> dict[str, bytes]:
    """Workbooks at the cell and element bounds, the costliest kinds of content for openpyxl."""
    empty = limits.MAX_CELLS - limits.MAX_COLUMNS - 100  # the header, and room for the other parts' few cells
    numbers = min(empty, (limits.MAX_XML_ELEMENTS - 3000) // 4)  # four tags a number
    rich = '<c t="inlineStr"><is>' + "<r><t>a</t></r>" * 600 + "</is></c>"  # four tags a run
    room = (limits.MAX_XML_ELEMENTS - 2000) // 2400  # cells of rich text that fit, with the other parts' tags
    styles = limits.MAX_STYLE_ELEMENTS - 200
    return {f"numbers ({numbers} cells)": sheet_of(["<c><v>1</v></c>"] * numbers),
            f"empty cells ({empty})": sheet_of(["<c/>"] * empty),
            f"rich text ({room * 2400} tags)": sheet_of([rich] * room),
            f"styles ({styles}) + rich text": styled(sheet_of([rich] * (room - styles // 2400 - 1)), styles)}


def styled(data: bytes, count: int) -> bytes:
    """The workbook with `count` cell formats in its styles part (openpyxl builds an object for each)."""
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
    formats = (f'<cellXfs count="{count}">'.encode()
               + b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count + b"</cellXfs>")
    data = replaced(data, "xl/styles.xml", re.sub(rb"<cellXfs.*?</cellXfs>", formats, styles, flags=re.S))
    assert admitted(data), limits.check_archive(data, "bench.xlsx")
    return data


def replaced(data: bytes, part: str, content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, content if member.filename == part else source.read(member))
    return out.getvalue()


def hostile() -> dict[str, bytes]:
    small = book_bytes({"survey": [["type", "name", "label"], ["text", "more", "Mer?"]]})
    claims = replaced(small, "xl/worksheets/sheet1.xml", re.sub(
        rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>',
        zipfile.ZipFile(io.BytesIO(small)).read("xl/worksheets/sheet1.xml")))
    bomb = io.BytesIO(small)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/bomb.xml", b" " * (1024 * 1024 * 1024))
    rows = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 400_000
    sheet = zipfile.ZipFile(io.BytesIO(small)).read("xl/worksheets/sheet1.xml").replace(b"</sheetData>",
                                                                                        rows + b"</sheetData>")
    liar = said_size(replaced(small, "xl/worksheets/sheet1.xml", sheet), "xl/worksheets/sheet1.xml", 2000)
    many = book_bytes({"survey": [["x"]], **{f"s{i}": [["x"]] for i in range(200)}})
    deep = book_bytes({"survey": [["type", "name", "label"]] + [["begin group", f"g{i}"] for i in range(500)]})
    return {"claims A1:XFD1048576": claims, "zip bomb (1 GB)": bomb.getvalue(), "lying zip": liar,
            "200 sheets": many, "groups 500 deep": deep}


def said_size(data: bytes, name: str, size: int) -> bytes:
    record = data.index(b"PK\x01\x02")
    while data[record + 46:record + 46 + struct.unpack("<H", data[record + 28:record + 30])[0]] != name.encode():
        record = data.index(b"PK\x01\x02", record + 4)
    return data[:record + 24] + struct.pack("<I", size) + data[record + 28:]


def best(rounds: int, run) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def openpyxl_reads(data: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    book.close()


def imports(data: bytes, pictograms: set[str], flags: set[str]) -> str:
    try:
        found = parse_workbook(data, "bench.xlsx", flags, pictograms, lambda _n: None, lambda _d: None)
        return f"imported, {len(found.warnings)} warnings"
    except DataFileError as err:
        return f"refused, {len(err.problems) + err.unlisted} problems ({len(err.problems)} listed)"


def editor_client(tmp: Path):
    """An administrator's client on a fresh app with its own copy of the questionnaires."""
    import shutil

    from survey import create_app
    from survey.config import Defaults
    from survey.db import db, migrate
    from survey.staff import accounts
    shutil.copytree(Defaults.QUESTIONNAIRE_DIR, tmp / "questionnaires")
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "SPEECH_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "QUESTIONNAIRE_DIR": str(tmp / "questionnaires")})
    with app.app_context():
        migrate.upgrade()
        accounts.create_account("bench@example.org", "Bench", "benchmark-password", "administrator", [])
        db.session.commit()
    client = app.test_client()
    client.post("/staff/login", data={"email": "bench@example.org", "password": "benchmark-password"})
    return app, client


def answered(app, client, data: bytes) -> float:
    """Time the editor's answer to an upload of the workbook; delete the draft it made, if any (untimed)."""
    from survey.questionnaires import drafts
    started = time.perf_counter()
    response = client.post("/editor/import", data={"workbook": (io.BytesIO(data), "bench.xlsx")},
                           content_type="multipart/form-data")
    seconds = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        questionnaire_id, version = response.headers["Location"].split("/")[-2:]
        with app.app_context():
            drafts.delete_draft(questionnaire_id, int(version.removeprefix("v")))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    small = book_bytes({"survey": [["type", "name", "label", "relevant", "constraint", "calculation", "default"]] + [
        ["text", f"q{i}", f"Fråga {i}?", "${q0} = 'x'", ". != ''", "1 + 1", "ja"] for i in range(88)]})
    workbooks = {f"field form ({limits.MAX_QUESTIONS} q)": field_form(),
                 f"refused form ({limits.MAX_QUESTIONS} q)": field_form(conditions=True),
                 **worst_cases(), f"{len(small) // 1024} KB, 352 problems": small, **hostile()}
    with tempfile.TemporaryDirectory() as tmp:
        app, client = editor_client(Path(tmp))
        library = app.extensions["survey.library"]
        pictograms, flags = set(library.pictograms), library.quality_model.flag_ids()
        print(f"{'workbook':28} {'file':>8} {'XML':>9}  {'openpyxl':>8}  {'import':>7}  {'answer':>7}  outcome")
        for name, data in workbooks.items():
            unpacked = xml_size(data)
            baseline = "(not run)"  # on the zip bomb: openpyxl would unpack 1 GB
            try:
                if unpacked <= 10 * limits.MAX_XML_BYTES:
                    baseline = f"{best(args.rounds, lambda d=data: openpyxl_reads(d)):7.2f}s"
            except Exception as err:  # a hostile workbook may be one openpyxl cannot read at all
                baseline = f"fails: {type(err).__name__}"
            outcome = imports(data, pictograms, flags)
            seconds = best(args.rounds, lambda d=data: imports(d, pictograms, flags))
            answer = min(answered(app, client, data) for _ in range(args.rounds))
            met = "met" if answer <= GOAL_SECONDS else "MISSED"
            print(f"{name:28} {len(data) / 1024:7.0f}K {unpacked / 2**20:8.1f}M  {baseline:>8}  {seconds:6.2f}s  "
                  f"{answer:6.2f}s  {outcome} (goal <= {GOAL_SECONDS:.0f} s: {met})")


if __name__ == "__main__":
    main()
