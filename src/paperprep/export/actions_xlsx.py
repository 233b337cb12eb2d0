"""The action log as an Excel workbook that officers fill in and send back.

Sheet "Actions" is an Excel table (filter buttons, frozen header, wrapped text) with real dates, drop-down lists
for status and RAG, colours that follow TODAY() (overdue red, due within 14 days amber, done green) and an A4
landscape print set-up. Hidden columns carry each row's action id, the action's last-changed stamp and the values
as exported, with a check code, so the import finds the row however officers sort it and can tell their changes
from changes made in paperprep since.

Every cell is aligned to the top and wraps, and every row is given the height its wrapped text needs: neither
Excel nor LibreOffice fits the height of rows that openpyxl writes, so without it printed rows overlap. Sheet
"Summary" prints its title, the counts by status and their chart together on its first A4 page, then the counts
by owner.

The workbook is streamed in openpyxl's write-only mode, so memory stays flat however long the log is; the cost is
that every sheet setting must be given before the first row (see bench/README.md for the measured times).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from paperprep.domain import ActionStatus, Audience, Rag
from paperprep.errors import ExportCancelled
from paperprep.export.safety import check_no_leak, clean_xml_text, safe_write
from paperprep.records import ActionRecord
from paperprep.services.action_import import check_code, original_values

SHEET = "Actions"
HEADERS = (
    "Reference",
    "Committee",
    "Meeting date",
    "Minute",
    "Item",
    "Action",
    "Owner",
    "Due date",
    "Status",
    "RAG",
    "Latest update",
    "Update date",
    "Notes",
    "From finding",
    "paperprep id",
    "paperprep stamp",
    "paperprep original",
    "paperprep check",
)
WIDTHS = (17, 24, 12, 8, 30, 45, 20, 12, 13, 10, 45, 12, 25, 30, 10, 18, 10, 12)
HIDDEN = ("paperprep id", "paperprep stamp", "paperprep original", "paperprep check")
DATES = {"Meeting date", "Due date", "Update date"}
DATE_FORMAT = "DD/MM/YYYY"
FONT = "Calibri"  # named on every font: a font without a name prints in a serif face in LibreOffice
FONT_SIZE = 11.0
LINE_HEIGHT = 15.0  # points per line of 11 pt Calibri, Excel's own default row height
MAX_ROW_HEIGHT = 409.0  # Excel's limit; text past about 27 lines of a cell is not printed

# The advance of each character of Calibri (and of Carlito, its metric twin that LibreOffice uses) in units of the
# digit "0", which is Excel's unit of column width: measured on Carlito, rounded up to the next 0.05, which leaves
# a margin of 2 to 3% for the rounding in each program's text layout.
_CHAR_WIDTHS = {
    ch: width
    for chars, width in (
        (" '", 0.45),
        (",.Iijl\u2019\u2018", 0.5),
        (":;", 0.55),
        ("()`", 0.6),
        ("!-J[]f{}", 0.65),
        ("rt", 0.7),
        ('"/\\sz', 0.8),
        ("Lc", 0.85),
        ("kvxy", 0.9),
        ("?FSZag|", 0.95),
        ("KPXbdhnopqu", 1.05),
        ("BCR", 1.1),
        ("AV", 1.15),
        ("DGH", 1.25),
        ("NU", 1.3),
        ("&OQ", 1.35),
        ("%w", 1.45),
        ("m", 1.6),
        ("M", 1.7),
        ("@W", 1.8),
    )
    for ch in chars
}
_OTHER = 1.05  # digits, "e", "E", "T", "Y", most other signs and accented letters are 1.0
_SPACE = _CHAR_WIDTHS[" "]
_BOLD = 1.04  # bold is up to 4% wider
_PADDING = 1.0  # a column's width counts the cell's margins too (5 pixels of Excel's 7 a unit, and a little)


@functools.lru_cache(maxsize=65536)  # words repeat: this halves the cost of measuring 50,000 rows
def _word_width(word: str) -> float:
    width = 0.0
    for ch in word:
        w = _CHAR_WIDTHS.get(ch)
        if w is None:
            w = 2.0 if not ch.isascii() and unicodedata.east_asian_width(ch) in "WF" else _OTHER
        width += w
    return width


@functools.lru_cache(maxsize=8192)  # committee names, owners and item titles repeat on many rows
def text_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` takes when it wraps at word breaks in a column `width` characters wide.

    Errs on the side of one line too many: a row a little too tall prints well, one too short overlaps the next.
    """
    room = max(1.0, width - _PADDING)
    scale = _BOLD if bold else 1.0
    space = _SPACE * scale
    if "\n" not in text and len(text) * 1.8 * scale <= room:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used: float | None = None  # nothing on this line yet
        for word in paragraph.split():
            w = _word_width(word) * scale
            if used is not None and used + space + w <= room:
                used += space + w
                continue
            if used is not None:
                lines += 1
            while w > room:  # a word longer than the line breaks anywhere
                lines += 1
                w -= room
            used = w
    return lines


def row_height(lines: int, size: float = FONT_SIZE) -> float:
    """The height in points of a row of `lines` lines of text in a font of `size` points."""
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT * size / FONT_SIZE)


def column_letter(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(HEADERS.index(name) + 1)


def _text(cell: Any, value: str) -> None:
    """Text stays text: whatever a person typed is never written as a formula.

    The text is cleaned first and tested after, so a control character in front of "=" cannot smuggle a formula
    past the test; and every text cell is written as a string, whatever it starts with.
    """
    cell.value = clean_xml_text(value)
    cell.data_type = "s"


def write_action_log(
    rows: Sequence[ActionRecord],
    path: str | os.PathLike[str],
    *,
    title: str,
    audience: Audience,
    today: dt.date | None = None,
    progress: Callable[[int, int], bool] | None = None,
    forbidden: Sequence[str] = (),
) -> None:
    """Write the log. A public log is read back first: no part of it may hold a `forbidden` phrase (the exempt
    items' texts, export/safety.py), or nothing is written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    today = today or dt.date.today()
    # Write-only mode streams the rows to disk: tens of thousands of actions without holding them all as cells.
    # Its sheet settings (columns, panes, print set-up) must be given before the first row.
    book = Workbook(write_only=True)
    ws = book.create_sheet(SHEET)
    last = max(2, len(rows) + 1)
    for header, width in zip(HEADERS, WIDTHS, strict=True):
        ws.column_dimensions[column_letter(header)].width = width
    for header in HIDDEN:
        ws.column_dimensions[column_letter(header)].hidden = True
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    label = title + (" (confidential)" if audience is Audience.CONFIDENTIAL else "")
    ws.oddHeader.center.text = clean_xml_text(label).replace("&", "&&")
    ws.oddFooter.left.text = f"Exported {today:%d/%m/%Y}"
    ws.oddFooter.right.text = "Page &P of &N"
    top = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill(start_color="1F4E78", end_color="1F4E78", fill_type="solid")
    header_font = Font(name=FONT, size=FONT_SIZE, bold=True, color="FFFFFF")
    heading_cells = []
    for name in HEADERS:
        cell = WriteOnlyCell(ws, value=name)
        # An explicit fill, not only the table style, so the header shows in every spreadsheet program.
        cell.font, cell.fill, cell.alignment = header_font, header_fill, top
        heading_cells.append(cell)
    shown = [
        (n, width) for n, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)) if name not in HIDDEN
    ]
    ws.row_dimensions[1].height = row_height(
        max(text_lines(HEADERS[n], width, bold=True) for n, width in shown)
    )
    ws.append(heading_cells)
    # Each cell shares the style of one of two cells made here: setting a style on a cell looks it up by hash,
    # which for 18 cells a row costs seconds at 50,000 rows. Sharing is safe because no cell's style is changed
    # after this (openpyxl only reads it, when the row is written).
    text_cell, date_cell = WriteOnlyCell(ws), WriteOnlyCell(ws)
    text_cell.alignment = date_cell.alignment = top
    date_cell.number_format = DATE_FORMAT
    styles = [(date_cell if name in DATES else text_cell)._style for name in HEADERS]
    total = len(rows)
    for n, row in enumerate(rows, start=2):
        latest = row.latest_update
        stamp = row.updated_at.isoformat(timespec="seconds")
        original = original_values(row)
        values: list[Any] = [
            row.reference,
            row.committee_name,
            row.meeting_date,
            row.minute_ref,
            row.item_title,
            row.text,
            row.owner,
            row.due_date,
            row.status.label,
            row.rag.label if row.rag is not Rag.NONE else "",
            latest.text if latest else "",
            latest.date if latest else None,
            row.notes,
            row.source_finding,
            row.id,
            stamp,
            original,
            check_code(row.id, stamp, original),
        ]
        cells = []
        for value, style in zip(values, styles, strict=True):
            cell = WriteOnlyCell(ws)
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
            cell._style = style
            cells.append(cell)
        lines = max((text_lines(values[c], w) for c, w in shown if isinstance(values[c], str)), default=1)
        ws.row_dimensions[n].height = row_height(lines)
        ws.append(cells)
        if progress is not None and n % 500 == 0 and progress(n, total) is False:
            raise ExportCancelled("The export was cancelled; nothing was written.")
    end_col = column_letter(HEADERS[-1])
    table = Table(displayName="ActionLog", ref=f"A1:{end_col}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    # Write-only sheets cannot read the heading cells back, so the table's columns are named here.
    table.tableColumns = [TableColumn(id=n, name=name) for n, name in enumerate(HEADERS, start=1)]
    table.autoFilter = AutoFilter(ref=table.ref)
    with warnings.catch_warnings():
        # openpyxl always reminds write-only callers to name the columns themselves, which is done just above.
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
        ws.add_table(table)

    status_list = DataValidation(
        type="list",
        formula1='"' + ",".join(s.label for s in ActionStatus) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose a status from the list.",
    )
    rag_list = DataValidation(
        type="list",
        formula1='"' + ",".join(r.label for r in Rag if r is not Rag.NONE) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="RAG",
        error="Choose Green, Amber or Red, or leave it empty.",
    )
    date_check = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Date",
        error="Type a date, e.g. 24/04/2025.",
    )
    for validation, header in (
        (status_list, "Status"),
        (rag_list, "RAG"),
        (date_check, "Due date"),
        (date_check, "Update date"),
    ):
        letter = column_letter(header)
        validation.add(f"{letter}2:{letter}{last}")
        if validation not in ws.data_validations.dataValidation:
            ws.data_validations.append(validation)

    due, status = column_letter("Due date"), column_letter("Status")
    rows_range = f"A2:{column_letter('From finding')}{last}"
    still_open = f'${status}2<>"{ActionStatus.DONE.label}",${status}2<>"{ActionStatus.CANCELLED.label}"'
    ws.conditional_formatting.add(
        rows_range,
        FormulaRule(
            formula=[f'AND(${due}2<>"",${due}2<TODAY(),{still_open})'],
            fill=PatternFill(start_color="F8CBAD", end_color="F8CBAD", fill_type="solid"),
            stopIfTrue=True,
        ),
    )
    ws.conditional_formatting.add(
        rows_range,
        FormulaRule(
            formula=[f'AND(${due}2<>"",${due}2>=TODAY(),${due}2<=TODAY()+14,{still_open})'],
            fill=PatternFill(start_color="FFE699", end_color="FFE699", fill_type="solid"),
            stopIfTrue=True,
        ),
    )
    ws.conditional_formatting.add(
        rows_range,
        FormulaRule(
            formula=[f'${status}2="{ActionStatus.DONE.label}"'],
            fill=PatternFill(start_color="C6EFCE", end_color="C6EFCE", fill_type="solid"),
        ),
    )

    _summary(book, rows, label, BarChart, Reference)
    book.properties.title = clean_xml_text(label)
    book.properties.language = "en-GB"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    check_no_leak(data, forbidden, "The public action log")
    safe_write(path, data)


def _summary(book: Any, rows: Sequence[ActionRecord], title: str, bar_chart: Any, reference: Any) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    ws = book.create_sheet("Summary")
    widths = (30, 14, 14)
    for letter, width in zip("ABC", widths, strict=True):
        ws.column_dimensions[letter].width = width
    # Before the first row, as every setting of a write-only sheet.
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # a long list of owners runs on to more pages, at the same scale
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    top = Alignment(wrap_text=True, vertical="top")
    plain, bold = Font(name=FONT, size=FONT_SIZE), Font(name=FONT, size=FONT_SIZE, bold=True)
    row_number = 0

    def append(*values: Any, font: Any = plain, size: float = FONT_SIZE, span: bool = False) -> None:
        nonlocal row_number
        row_number += 1
        cells, lines = [], 1
        for value, width in zip(values, widths, strict=False):
            c = WriteOnlyCell(ws)
            c.font, c.alignment = font, top
            if isinstance(value, str):
                _text(c, value)
                if span and text_lines(value, sum(widths) * FONT_SIZE / size, bold=font.b) == 1:
                    c.alignment = Alignment(vertical="top")  # one line, into the empty cells beside it
                else:
                    lines = max(lines, text_lines(value, width * FONT_SIZE / size, bold=font.b))
            else:
                c.value = value
            cells.append(c)
        ws.row_dimensions[row_number].height = row_height(lines, size)
        ws.append(cells)

    append(title, font=Font(name=FONT, size=14, bold=True), size=14, span=True)
    append()
    append("Status", "Actions", font=bold)
    by_status = Counter(r.status for r in rows)
    for status in ActionStatus:
        append(status.label, by_status.get(status, 0))
    status_end = row_number
    append()
    # The chart sits under the status counts, across columns A to C, on rows kept empty for it: the page is
    # fitted to the width of those columns, so the chart prints whole on the first page, after its table.
    chart_row = row_number + 1
    chart_rows = 16
    for _ in range(chart_rows):
        append()
    chart = bar_chart()
    chart.type = "bar"
    chart.title = "Actions by status"
    chart.y_axis.title = "Actions"
    chart.y_axis.majorUnit = max(1, -(-max(by_status.values(), default=0) // 10))  # whole actions
    chart.y_axis.scaling.min = 0
    # openpyxl marks axes deleted unless told otherwise, and Excel then draws the bars without their labels.
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend = None
    chart.add_data(reference(ws, min_col=2, min_row=3, max_row=status_end), titles_from_data=True)
    chart.set_categories(reference(ws, min_col=1, min_row=4, max_row=status_end))
    # Sizes in cm: the columns' width (7 pixels a character plus 5, at 96 pixels an inch) and the rows kept.
    chart.width = sum(7 * w + 5 for w in widths) * 2.54 / 96 - 0.2
    chart.height = (chart_rows - 1) * LINE_HEIGHT * 2.54 / 72
    ws.add_chart(chart, f"A{chart_row}")
    append()
    append("Owner", "Open actions", "All actions", font=bold)
    owners = sorted({r.owner or "(no owner)" for r in rows})
    open_by_owner = Counter((r.owner or "(no owner)") for r in rows if r.status.is_open)
    all_by_owner = Counter((r.owner or "(no owner)") for r in rows)
    for owner in owners:
        append(owner, open_by_owner.get(owner, 0), all_by_owner.get(owner, 0))
    ws.print_area = f"A1:C{row_number}"  # a defined name of the workbook, so it can be given last
