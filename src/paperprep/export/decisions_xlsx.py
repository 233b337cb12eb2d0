"""The register of decisions as an Excel workbook: one row per resolution, as a filterable table.

It prints on A4 landscape, fitted to the page width, with the header row on every page. Every cell is aligned to
the top and wraps, and each row is given the height its longest text needs (see actions_xlsx: no reader fits the
height of rows that a program writes), so printed rows never overlap. Text is written as the action log writes
it: as strings, never formulas, and never cut without a marker.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence

from paperprep.export.actions_xlsx import (
    DATE_FORMAT,
    FONT,
    FONT_SIZE,
    HEADER_FILL,
    TextFormats,
    add_sheet,
    excel_width,
    new_workbook,
    page_header,
    row_height,
    text_lines,
    text_writer,
)
from paperprep.export.safety import check_no_leak, clean_xml_text, safe_write
from paperprep.services.decisions import DecisionRow

HEADERS = ("Committee", "Meeting date", "Minute", "Item", "Wording", "Decision", "Numbered parts")
WIDTHS = (30, 12, 8, 35, 16, 60, 60)


def write_decisions(
    rows: Sequence[DecisionRow], path: str | os.PathLike[str], *, title: str, forbidden: Sequence[str] = ()
) -> None:
    """Write the register. A public register is read back first: no part of it may hold a `forbidden` phrase (the
    exempt items' texts, export/safety.py), or nothing is written."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    ws = add_sheet(book, "Decisions")
    top = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", "text_wrap": True}
    header_format = book.add_format({**top, "bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL})
    text = TextFormats(book, top)
    date_format = book.add_format({**top, "num_format": DATE_FORMAT})
    last = max(2, len(rows) + 1)
    ws.add_table(
        0,
        0,
        last - 1,
        len(HEADERS) - 1,
        {
            "name": "Decisions",
            "style": "Table Style Medium 2",
            "columns": [{"header": name, "header_format": header_format} for name in HEADERS],
        },
    )
    ws.set_row(0, row_height(max(text_lines(h, w, bold=True) for h, w in zip(HEADERS, WIDTHS, strict=True))))
    put_text = text_writer(ws, text)
    for r, row in enumerate(rows, start=1):
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
        for c, value in enumerate(values):
            if isinstance(value, str):
                written = put_text(r, c, value)
                lines = max(lines, text_lines(written, WIDTHS[c]))
            else:
                ws.write_datetime(r, c, value, date_format)
        ws.set_row(r, row_height(lines))
    if not rows:  # the table's one empty row, styled like the rest
        for c in range(len(HEADERS)):
            ws.write_blank(1, c, None, date_format if c == 1 else text.plain)
        ws.set_row(1, row_height(1))
    ws.freeze_panes(1, 0)
    for n, width in enumerate(WIDTHS):
        ws.set_column(n, n, excel_width(width))
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_header(page_header(title))
    ws.set_footer("&RPage &P of &N")
    book.set_properties({"title": clean_xml_text(title)})
    book.close()
    data = buffer.getvalue()
    check_no_leak(data, forbidden, "The public register of decisions")
    safe_write(path, data)
