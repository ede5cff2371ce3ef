"""Hostile and huge workbooks are refused with a message that says why, before openpyxl reads more than the bounds;
at most 100 problems (and warnings) are listed, and the rest are counted. benchmarks/xlsform_import.py times it."""
import io
import re
import struct
import zipfile

import pytest

from survey.cli import main
from survey.questionnaires.files import DataFileError
from survey.questionnaires.xlsform import limits
from survey.questionnaires.xlsform import parse as xlsform_import
from tests.questionnaires.helpers import stored_versions, workbook

YES_NO = [["list_name", "name", "label"], ["yes_no", "yes", "Ja"], ["yes_no", "no", "Nej"]]
HEADER = ["type", "name", "label"]


def problems(data: bytes) -> list[str]:
    """Import a workbook; return what stopped it."""
    with pytest.raises(DataFileError) as refused:
        xlsform_import.parse_workbook(data, "form.xlsx", set(), {"home"}, lambda _n: None, lambda _d: None)
    return [str(p) for p in refused.value.problems]


def rezipped(data: bytes, change) -> bytes:
    """Return the workbook with change(name, content) applied to each of its parts."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, change(member.filename, source.read(member)))
    return out.getvalue()


def with_dimension(data: bytes, ref: str | None) -> bytes:
    """Return a one-sheet workbook whose sheet claims another size (or none)."""
    def change(name: str, content: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return content
        return re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode() if ref else b"", content)
    return rezipped(data, change)


def questions(count: int) -> list[list]:
    return [HEADER] + [["select_one yes_no", f"q{i}", f"Fråga {i}?"] for i in range(count)]


def test_a_sheet_claiming_the_largest_dimension_excel_allows_is_refused():
    data = with_dimension(workbook(questions(2), None, None), "A1:XFD1048576")
    assert problems(data) == ["form.xlsx: sheet 'survey': the sheet says it has 1048576 rows and 16384 columns; at "
                              f"most {limits.MAX_ROWS} rows and {limits.MAX_COLUMNS} columns are read. Delete the "
                              "empty rows and columns after your form (or copy the form into a new workbook) and "
                              "import again"]


def test_rows_and_columns_beyond_the_bounds_are_refused_whatever_the_sheet_claims():
    rows = [HEADER] + [["start", f"s{i}"] for i in range(limits.MAX_ROWS)]  # the header and MAX_ROWS rows: one too many
    assert problems(with_dimension(workbook(rows, YES_NO, None), None)) == [
        f"form.xlsx: survey row {limits.MAX_ROWS + 1}: more than {limits.MAX_ROWS} rows: a questionnaire here is far "
        "shorter. Split the form, or delete the rows it does not need"]
    assert problems(with_dimension(workbook(rows, YES_NO, None), "A1:C3"))[0].startswith(
        f"form.xlsx: survey row {limits.MAX_ROWS + 1}: more than {limits.MAX_ROWS} rows")
    wide = [HEADER + [f"note{i}" for i in range(limits.MAX_COLUMNS)], ["text", "more", "Mer?"]]
    assert problems(with_dimension(workbook(wide, None, None), None)) == [
        f"form.xlsx: survey row 1: more than {limits.MAX_COLUMNS} columns: delete the ones the questionnaire does "
        "not need and import again"]


def test_more_questions_or_options_than_a_questionnaire_here_has_are_refused_and_reading_stops_there():
    assert problems(workbook(questions(limits.MAX_QUESTIONS + 1) + [["geopoint", "where"]], YES_NO, None)) == [
        f"form.xlsx: survey row {limits.MAX_QUESTIONS + 2}, column type: more than {limits.MAX_QUESTIONS} questions: "
        "a questionnaire here is far shorter (one question a screen). Split the form into several questionnaires"]
    options = YES_NO + [[f"list{i % 50}", f"c{i}", f"Svar {i}"] for i in range(limits.MAX_OPTIONS - 1)]
    assert problems(workbook(questions(1), options, None)) == [
        f"form.xlsx: choices row {limits.MAX_OPTIONS + 2}: more than {limits.MAX_OPTIONS} answer options: a "
        "questionnaire here offers a few to each question. Delete the lists no question uses, or shorten the long ones"]


def test_groups_nested_beyond_the_bound_are_refused_and_reading_stops_there():
    rows = [HEADER] + [["begin group", f"g{i}"] for i in range(limits.MAX_GROUP_DEPTH + 1)]
    rows += [["geopoint", "where", "Var?"]] + [["end group"]] * (limits.MAX_GROUP_DEPTH + 1)
    assert problems(workbook(rows, None, None)) == [
        f"form.xlsx: survey row {limits.MAX_GROUP_DEPTH + 2}, column type: groups are nested more than "
        f"{limits.MAX_GROUP_DEPTH} deep: here every question is on its own screen, so remove the groups"]


def test_a_zip_bomb_is_refused_from_the_zips_table_of_contents():
    with zipfile.ZipFile(buffer := io.BytesIO(workbook(questions(1), YES_NO, None)), "a", zipfile.ZIP_DEFLATED) \
            as archive:
        archive.writestr("xl/bomb.xml", b" " * (40 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100 * 1024
    assert problems(data) == ["form.xlsx: the workbook unpacks to 40 MB of sheets and other data; at most 3 MB is "
                              "read. A questionnaire is far smaller: it is not a questionnaire or it is damaged"]


def test_a_zip_that_lies_about_a_parts_size_is_never_unpacked_beyond_what_it_says():
    huge = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 400_000  # 20 MB of rows
    def change(name: str, content: bytes) -> bytes:
        return content.replace(b"</sheetData>", huge + b"</sheetData>") if name == "xl/worksheets/sheet1.xml" \
            else content
    data = rezipped(workbook(questions(1), None, None), change)
    data = said_size(data, "xl/worksheets/sheet1.xml", 2000)
    assert problems(data) == ["form.xlsx: is not an Excel workbook (.xlsx) or is damaged: open it in Excel or "
                              "LibreOffice, save it as .xlsx and try again"]


def said_size(data: bytes, name: str, size: int) -> bytes:
    """Return a zip whose table of contents (its central directory) says one part unpacks to `size` bytes."""
    record = data.index(b"PK\x01\x02")
    while data[record + 46:record + 46 + struct.unpack("<H", data[record + 28:record + 30])[0]] != name.encode():
        record = data.index(b"PK\x01\x02", record + 4)
    return data[:record + 24] + struct.pack("<I", size) + data[record + 28:]


@pytest.mark.parametrize(("rows", "cells"), [
    ("<row>" + "<c/>" * 100 + "</row>", limits.MAX_CELLS + 100),  # cells cost openpyxl time even when empty
    ("<row><c t='inlineStr'><is>" + "<r><t>a</t></r>" * (limits.MAX_XML_ELEMENTS // 4) + "</is></c></row>", 1),
])
def test_more_cells_or_xml_than_a_questionnaire_needs_is_refused_before_openpyxl_parses_it(rows, cells):
    def change(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        return re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows.encode() * (cells // 100 or 1)
                      + b"</sheetData>", content)
    [found] = problems(rezipped(workbook([HEADER], None, None), change))
    counted = re.fullmatch(f"form.xlsx: the workbook holds {cells} cells and ([0-9]+) pieces of content and "
                           f"formatting; at most {limits.MAX_CELLS} cells and {limits.MAX_XML_ELEMENTS} pieces are "
                           r"read\. A questionnaire is far smaller: delete the sheets, rows and columns it does not "
                           r"need \(or copy the form into a new workbook\) and import again", found)
    assert counted, found
    assert cells > limits.MAX_CELLS or int(counted.group(1)) > limits.MAX_XML_ELEMENTS


def test_many_sheets_are_refused_before_openpyxl_opens_them():
    extra = {f"notes{i}": [["x"]] for i in range(limits.MAX_SHEETS)}
    assert problems(workbook(questions(1), YES_NO, None, extra)) == [
        f"form.xlsx: the workbook has {limits.MAX_SHEETS + 2} sheets; at most {limits.MAX_SHEETS} are read. Keep the "
        "sheets survey, choices and settings (and a few others) and import again"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "is an Excel 97-2003 workbook (.xls): open it in Excel or "
     "LibreOffice, save it as 'Excel Workbook (.xlsx)' and import that file"),
    (b"type,name,label\ntext,more,Mer?\n", "is not an Excel workbook (.xlsx): save it from Excel or LibreOffice as "
     "'Excel Workbook (.xlsx)' and import that file"),
    (b"PK" + bytes(3 * 1024 * 1024), "the file is 3 MB; a questionnaire workbook may be at most 2 MB. Remove "
     "pictures and other sheets from it and try again"),
])
def test_a_file_that_is_not_a_workbook_says_what_it_is(data, expected):
    assert problems(data) == [f"form.xlsx: {expected}"]


def test_at_most_100_problems_are_listed_and_the_rest_counted(editable_app, tmp_path):
    rows = [HEADER + ["relevant", "constraint", "default"]] + [
        ["text", f"q{i}", f"Fråga {i}?", "${q0} = 'x'", ". != ''", "ja"] for i in range(90)]
    path = tmp_path / "form.xlsx"
    path.write_bytes(workbook(rows, None, None))
    before = stored_versions(editable_app)
    result = editable_app.test_cli_runner().invoke(main, ["import-xlsform", str(path)])
    assert result.exit_code == 1
    listed = [line for line in result.output.splitlines() if line.startswith("form.xlsx: survey row ")]
    assert len(listed) == limits.MAX_LISTED and listed[-1].startswith("form.xlsx: survey row 35, column relevant")
    assert "... and 170 more problem(s), not listed.\n270 problem(s) found; nothing was changed." in result.output
    assert stored_versions(editable_app) == before


def test_at_most_100_warnings_are_kept_and_the_rest_counted():
    rows = [HEADER + ["hint", "required", "appearance"]] + [
        ["select_one yes_no", f"q{i}", f"Fråga {i}?", "Tänk efter", "yes", "minimal"] for i in range(90)]
    found = xlsform_import.parse_workbook(workbook(rows, YES_NO, None), "form.xlsx", set(), {"tell", "answer"},
                                          lambda _n: None, lambda _d: None)
    listed = [str(w) for w in found.warnings.listed]
    assert len(listed) == len(set(listed)) == limits.MAX_LISTED
    assert listed[-1].startswith("form.xlsx: survey row 34, column required")  # no settings sheet and no title first
    # besides three per row: no settings sheet, no title, no pictures on either sheet, no intro, no thanks
    assert found.warnings.unlisted == 90 * 3 + 6 - limits.MAX_LISTED
