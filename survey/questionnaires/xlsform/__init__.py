"""XLSForm, the spreadsheet form format of ODK, KoBoToolbox and SurveyCTO, out and in (pure: no Flask, no database).

Layers: `write` exports a version as a workbook. In: `limits` (how much of a workbook is read, checked
from its zip before openpyxl opens it), `terms` (XLSForm's column, type and language names, and which
change meaning, which only help), `read` (the sheets as rows, with a problem or warning per cell),
`rows` and `choices` (the survey and choices sheets), `parse` (the whole, checked with the files' own
rules). survey/questionnaires/drafts.py stores what `parse` returns as a draft.
"""
