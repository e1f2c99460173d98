"""Cells for the CSV and XLSX files the system writes (public results, worklist, follow-up, State
Treasury), safe to open in a spreadsheet program.

- **Formula injection** (OWASP, "CSV Injection"): text that starts with `=`, `+`, `-`, `@`, a tab or a
  carriage return would be read as a formula. In a CSV it gets a leading apostrophe; in an XLSX it is
  written as a text cell with the "quote prefix" style (what Excel itself does when a user types `'=…`),
  so the program shows it as typed and never evaluates it.
- **Control characters** other than tab and newline cannot be stored in an XLSX and mean nothing in a
  CSV: they are removed, so that no applicant's text can break an export.
- **Types**: in an XLSX, amounts are numbers, dates are dates (shown as 01.01.2027) and codes stay text
  ("049" stays "049").
"""

import datetime as dt
import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE_FORMAT = "dd.mm.yyyy"


def clean_text(value: str) -> str:
    """Text without the control characters a spreadsheet cannot hold (tab, newline and CR stay)."""
    return CONTROL_CHARACTERS.sub("", value)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(value) -> str:
    """A value as a CSV cell: text neutralised, amounts with two decimals, dates as 01.01.2027."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = clean_text(str(value))
    return f"'{text}" if is_formula_like(text) else text


def csv_row(values) -> list[str]:
    return [csv_cell(value) for value in values]


def workbook():
    """A write-only XLSX workbook. openpyxl (about 15 MB in a process) is imported by the exports that write
    one, not by every process that imports this module."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def xlsx_cell(sheet, value):
    """A value as a write-only XLSX cell: text as text (never a formula), numbers as numbers, dates as
    dates."""
    from openpyxl.cell import WriteOnlyCell  # see workbook()

    if value is None:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    text = clean_text(str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def xlsx_row(sheet, values) -> list:
    return [xlsx_cell(sheet, value) for value in values]
