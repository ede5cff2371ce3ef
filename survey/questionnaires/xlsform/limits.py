"""How much of a workbook is read (pure): the bounds that keep any upload's answer within 2 seconds.

An .xlsx file is a zip of XML. Before openpyxl opens one, the zip's own table of contents is checked:
how many sheets it has and how large its XML parts unpack to (a zip bomb says so there, and zipfile never
unpacks more than the table says). Then the XML is counted, not parsed: openpyxl's time grows with the
elements it parses, cells above all (an empty cell costs as much as a full one), so both are bounded.
Then each sheet's claimed size, and the rows and columns actually read, are bounded.
benchmarks/xlsform_import.py measures workbooks at these bounds.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from survey.questionnaires.files import Problem

MAX_WORKBOOK_BYTES = 2 * 1024 * 1024  # the .xlsx file itself; real questionnaires are 10-200 KB
MAX_XML_BYTES = 3 * 1024 * 1024  # everything openpyxl parses, unpacked: sheets, shared strings, styles, ...
MAX_XML_ELEMENTS = 120_000  # the tags in all of it; a cell with a text is four to six
MAX_STYLE_ELEMENTS = 5_000  # the tags in the styles part: openpyxl builds an object for each (about 30 µs)
MAX_CELLS = 40_000  # cells written in the sheets, empty ones too; a large real form has 20,000
MAX_SHEETS = 20
MAX_ROWS = 500  # per sheet, the header included
MAX_COLUMNS = 100
# What becomes the questionnaire. One question a screen, for people who tire: the national surveys ask 15 to 30.
# A draft is a YAML file, written and read back with ruamel's round-trip parser (about 0.1 ms a line): at these
# bounds a successful import is answered in about a second (benchmarks/xlsform_import.py).
MAX_QUESTIONS = 100
MAX_OPTIONS = 250  # rows of the choices sheet
MAX_GROUP_DEPTH = 10  # groups within groups
MAX_LISTED = 100  # problems (and warnings) listed; the rest are counted
PARSED = (".xml", ".rels", ".vml")  # what openpyxl reads as XML; pictures and other binary parts are left unread
OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the start of an Excel 97-2003 (.xls) file
SHEET = re.compile(rb"<(?:\w+:)?sheet\b")
CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")


def size(count: int) -> str:
    """Say a number of bytes the way staff read it: 2 MB, 300 KB."""
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(count / 1024))} KB"


def check_archive(data: bytes, file: str) -> list[Problem]:
    """Return why a workbook will not be opened (too large, not an .xlsx, a zip bomb, too many sheets or cells),
    or []."""
    if len(data) > MAX_WORKBOOK_BYTES:
        return _refused(file, f"the file is {size(len(data))}; a questionnaire workbook may be at most "
                              f"{size(MAX_WORKBOOK_BYTES)}. Remove pictures and other sheets from it and try again")
    if data.startswith(OLD_EXCEL):
        return _refused(file, "is an Excel 97-2003 workbook (.xls): open it in Excel or LibreOffice, save it as "
                              "'Excel Workbook (.xlsx)' and import that file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(PARSED)]
    except (zipfile.BadZipFile, OSError, ValueError):
        return _refused(file, "is not an Excel workbook (.xlsx): save it from Excel or LibreOffice as "
                              "'Excel Workbook (.xlsx)' and import that file")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_XML_BYTES:
        return _refused(file, f"the workbook unpacks to {size(unpacked)} of sheets and other data; at most "
                              f"{size(MAX_XML_BYTES)} is read. A questionnaire is far smaller: it is not a "
                              "questionnaire or it is damaged")
    try:
        return _counted(file, {m.filename.lower(): archive.read(m) for m in members})
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return _refused(file, "is not an Excel workbook (.xlsx) or is damaged: open it in Excel or LibreOffice, "
                              "save it as .xlsx and try again")


def _counted(file: str, parts: dict[str, bytes]) -> list[Problem]:
    """Refuse a workbook with too many sheets, cells or XML elements, counted without parsing."""
    sheets = max(len([n for n in parts if n.startswith(("xl/worksheets/", "xl/chartsheets/"))
                      and n.endswith(".xml")]),
                 len(SHEET.findall(parts.get("xl/workbook.xml", b""))))  # openpyxl opens each listed, even twice
    if sheets > MAX_SHEETS:
        return _refused(file, f"the workbook has {sheets} sheets; at most {MAX_SHEETS} are read. Keep the sheets "
                              "survey, choices and settings (and a few others) and import again")
    cells = sum(len(CELL.findall(content)) for name, content in parts.items() if name.startswith("xl/worksheets/"))
    elements = sum(content.count(b"<") for content in parts.values())
    styles = parts.get("xl/styles.xml", b"").count(b"<")
    if styles > MAX_STYLE_ELEMENTS:
        return _refused(file, f"the workbook holds {styles} pieces of formatting; at most {MAX_STYLE_ELEMENTS} are "
                              "read. Copy the form into a new workbook (paste values only) and import that")
    if cells > MAX_CELLS or elements > MAX_XML_ELEMENTS:
        return _refused(file, f"the workbook holds {cells} cells and {elements} pieces of content and formatting; "
                              f"at most {MAX_CELLS} cells and {MAX_XML_ELEMENTS} pieces are read. A questionnaire is "
                              "far smaller: delete the sheets, rows and columns it does not need (or copy the form "
                              "into a new workbook) and import again")
    return []


def _refused(file: str, message: str) -> list[Problem]:
    return [Problem(file, None, "", message)]
