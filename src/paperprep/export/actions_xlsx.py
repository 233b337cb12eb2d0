"""The action log as an Excel workbook that officers fill in and send back.

Sheet "Actions" is an Excel table (filter buttons, frozen header, wrapped text) with real dates, drop-down lists
for status and RAG, colours that follow TODAY() (overdue red, due within 14 days amber, done green) and an A4
landscape print set-up. Hidden columns carry each row's action id, the action's last-changed stamp and the values
as exported, with a check code, so the import finds the row however officers sort it and can tell their changes
from changes made in paperprep since.

The workbook is streamed in openpyxl's write-only mode, so memory stays flat however long the log is; the cost is
that every sheet setting must be given before the first row (see bench/README.md for the measured times).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from paperprep.domain import ActionStatus, Audience, Rag
from paperprep.errors import ExportCancelled
from paperprep.export.safety import clean_xml_text, safe_write
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
WIDTHS = (14, 24, 12, 8, 30, 45, 20, 12, 13, 10, 45, 12, 25, 30, 10, 18, 10, 12)
HIDDEN = ("paperprep id", "paperprep stamp", "paperprep original", "paperprep check")
WRAPPED = {"Item", "Action", "Latest update", "Notes", "Committee", "From finding"}
DATE_FORMAT = "DD/MM/YYYY"
FORMULA_STARTS = ("=", "+", "-", "@")


def column_letter(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(HEADERS.index(name) + 1)


def _text(cell: Any, value: str) -> None:
    """Text stays text: whatever a person typed is never written as a formula."""
    cell.value = clean_xml_text(value)
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"


def write_action_log(
    rows: Sequence[ActionRecord],
    path: str | os.PathLike[str],
    *,
    title: str,
    audience: Audience,
    today: dt.date | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> None:
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
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill(start_color="1F4E78", end_color="1F4E78", fill_type="solid")
    header_font = Font(bold=True, color="FFFFFF")
    heading_cells = []
    for name in HEADERS:
        cell = WriteOnlyCell(ws, value=name)
        # An explicit fill, not only the table style, so the header shows in every spreadsheet program.
        cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        heading_cells.append(cell)
    ws.row_dimensions[1].height = 30
    ws.append(heading_cells)
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
        lines = 1
        cells = []
        for col, (header, value) in enumerate(zip(HEADERS, values, strict=True), start=1):
            if header in WRAPPED and isinstance(value, str):
                # Excel grows wrapped rows when it opens the file; other readers need the height given.
                lines = max(lines, -(-len(value) // max(1, int(WIDTHS[col - 1] * 1.1))))
            cell = WriteOnlyCell(ws)
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
            if header in ("Meeting date", "Due date", "Update date"):
                cell.number_format = DATE_FORMAT
            if header in WRAPPED:
                cell.alignment = (
                    wrap  # other cells keep the default style: each style set costs at 50,000 rows
                )
            cells.append(cell)
        ws.row_dimensions[n].height = 15 * min(lines, 12)
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
    safe_write(path, buffer.getvalue())


def _summary(book: Any, rows: Sequence[ActionRecord], title: str, bar_chart: Any, reference: Any) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = book.create_sheet("Summary")
    for letter, width in (("A", 30), ("B", 14), ("C", 14)):
        ws.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def cell(value: Any, font: Any = None) -> Any:
        c = WriteOnlyCell(ws)
        if isinstance(value, str):
            _text(c, value)
        else:
            c.value = value
        if font is not None:
            c.font = font
        return c

    ws.append([cell(title, Font(bold=True, size=14))])
    ws.append([])
    ws.append([cell("Status", bold), cell("Actions", bold)])
    by_status = Counter(r.status for r in rows)
    for status in ActionStatus:
        ws.append([cell(status.label), cell(by_status.get(status, 0))])
    status_end = 3 + len(ActionStatus)
    ws.append([])
    ws.append([cell("Owner", bold), cell("Open actions", bold), cell("All actions", bold)])
    owners = sorted({r.owner or "(no owner)" for r in rows})
    open_by_owner = Counter((r.owner or "(no owner)") for r in rows if r.status.is_open)
    all_by_owner = Counter((r.owner or "(no owner)") for r in rows)
    for owner in owners:
        ws.append([cell(owner), cell(open_by_owner.get(owner, 0)), cell(all_by_owner.get(owner, 0))])
    chart = bar_chart()
    chart.type = "bar"
    chart.title = "Actions by status"
    chart.y_axis.title = "Actions"
    chart.legend = None
    chart.add_data(reference(ws, min_col=2, min_row=3, max_row=status_end), titles_from_data=True)
    chart.set_categories(reference(ws, min_col=1, min_row=4, max_row=status_end))
    ws.add_chart(chart, "E3")
