"""XLSForm, the spreadsheet form format of ODK, KoBoToolbox and SurveyCTO: `write` exports a version as a
workbook, `read` reads a workbook's sheets with a problem per cell, `parse` turns its rows into a draft."""
