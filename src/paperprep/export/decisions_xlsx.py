"""The register of decisions as an Excel workbook: one row per resolution, as a filterable table.

It prints on A4 landscape, fitted to the page width, with the header row on every page. Every cell is aligned to
the top and wraps, and each row is given the height its longest text needs (see actions_xlsx: no reader fits the
height of rows that openpyxl writes), so printed rows never overlap.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence

from paperprep.export.actions_xlsx import FONT, FONT_SIZE, _text, row_height, text_lines
from paperprep.export.safety import check_no_leak, clean_xml_text, safe_write
from paperprep.services.decisions import DecisionRow

HEADERS = ("Committee", "Meeting date", "Minute", "Item", "Wording", "Decision", "Numbered parts")
WIDTHS = (30, 12, 8, 35, 16, 60, 60)


def write_decisions(
    rows: Sequence[DecisionRow], path: str | os.PathLike[str], *, title: str, forbidden: Sequence[str] = ()
) -> None:
    """Write the register. A public register is read back first: no part of it may hold a `forbidden` phrase (the
    exempt items' texts, export/safety.py), or nothing is written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    book = Workbook()
    ws = book.active
    ws.title = "Decisions"
    top = Alignment(wrap_text=True, vertical="top")
    plain = Font(name=FONT, size=FONT_SIZE)
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True, color="FFFFFF")
        cell.fill = PatternFill(start_color="1F4E78", end_color="1F4E78", fill_type="solid")
        cell.alignment = top
    ws.row_dimensions[1].height = row_height(
        max(text_lines(h, w, bold=True) for h, w in zip(HEADERS, WIDTHS, strict=True))
    )
    for n, row in enumerate(rows, start=2):
        # One numbered part a line, as in the minutes.
        parts = "\n".join(f"({i}) {p}" for i, p in enumerate(row.parts, start=1))
        values = (
            row.committee,
            row.meeting_date,
            row.minute_ref,
            row.item_title,
            row.wording,
            row.text,
            parts,
        )
        lines = 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=n, column=col)
            if isinstance(value, str):
                _text(cell, value)
                lines = max(lines, text_lines(value, WIDTHS[col - 1]))
            else:
                cell.value = value
                cell.number_format = "DD/MM/YYYY"
            cell.font, cell.alignment = plain, top
        ws.row_dimensions[n].height = row_height(lines)
    last = max(2, len(rows) + 1)
    table = Table(displayName="Decisions", ref=f"A1:{get_column_letter(len(HEADERS))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    for n, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = clean_xml_text(title).replace("&", "&&")
    ws.oddFooter.right.text = "Page &P of &N"
    book.properties.title = clean_xml_text(title)
    book.properties.language = "en-GB"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    check_no_leak(data, forbidden, "The public register of decisions")
    safe_write(path, data)
