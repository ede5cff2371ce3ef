"""How much of a workbook is read (pure): the bounds that keep any upload's answer within 2 seconds.

An .xlsx file is a zip of XML. Before openpyxl opens one, the zip's own table of contents is checked:
how many sheets it has and how large its XML parts unpack to (a zip bomb says so there, and zipfile never
unpacks more than the table says). Then each sheet's claimed size, and the rows and columns actually read,
are bounded. benchmarks/xlsform_import.py measures a workbook at these bounds.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from survey.questionnaires.files import Problem

MAX_WORKBOOK_BYTES = 2 * 1024 * 1024  # the .xlsx file itself; real questionnaires are 10-200 KB
MAX_XML_BYTES = 3 * 1024 * 1024  # everything openpyxl parses, unpacked: sheets, shared strings, styles, ...
MAX_SHEETS = 20
MAX_ROWS = 2000  # per sheet, the header included
MAX_COLUMNS = 100
MAX_GROUP_DEPTH = 10  # groups within groups
MAX_LISTED = 100  # problems (and warnings) listed; the rest are counted
PARSED = (".xml", ".rels", ".vml")  # what openpyxl reads as XML; pictures and other binary parts are left unread
OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the start of an Excel 97-2003 (.xls) file
SHEET = re.compile(rb"<(?:\w+:)?sheet\b")


def size(count: int) -> str:
    """Say a number of bytes the way staff read it: 2 MB, 300 KB."""
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{max(1, round(count / 1024))} KB"


def check_archive(data: bytes, file: str) -> list[Problem]:
    """Return why a workbook will not be opened (too large, not an .xlsx, a zip bomb, too many sheets), or []."""
    def refused(message: str) -> list[Problem]:
        return [Problem(file, None, "", message)]

    if len(data) > MAX_WORKBOOK_BYTES:
        return refused(f"the file is {size(len(data))}; a questionnaire workbook may be at most "
                       f"{size(MAX_WORKBOOK_BYTES)}. Remove pictures and other sheets from it and try again")
    if data.startswith(OLD_EXCEL):
        return refused("is an Excel 97-2003 workbook (.xls): open it in Excel or LibreOffice, save it as "
                       "'Excel Workbook (.xlsx)' and import that file")
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return refused("is not an Excel workbook (.xlsx): save it from Excel or LibreOffice as "
                       "'Excel Workbook (.xlsx)' and import that file")
    unpacked = sum(m.file_size for m in members if m.filename.lower().endswith(PARSED))
    if unpacked > MAX_XML_BYTES:
        return refused(f"the workbook unpacks to {size(unpacked)} of sheets and other data; at most "
                       f"{size(MAX_XML_BYTES)} is read. A questionnaire is far smaller: it is not a questionnaire "
                       "or it is damaged")
    sheets = sum(1 for m in members if m.filename.lower().startswith(("xl/worksheets/", "xl/chartsheets/"))
                 and m.filename.lower().endswith(".xml"))
    listed = _listed_sheets(data, members)
    if max(sheets, listed) > MAX_SHEETS:
        return refused(f"the workbook has {max(sheets, listed)} sheets; at most {MAX_SHEETS} are read. Keep the "
                       "sheets survey, choices and settings (and a few others) and import again")
    return []


def _listed_sheets(data: bytes, members: list[zipfile.ZipInfo]) -> int:
    """Count the sheets the workbook part lists (openpyxl opens each of them, even the same part twice)."""
    part = next((m for m in members if m.filename.lower() == "xl/workbook.xml"), None)
    if part is None:
        return 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            return len(SHEET.findall(archive.read(part)))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
            return 0  # openpyxl will find it damaged and say so
