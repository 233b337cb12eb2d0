"""The action log as an Excel workbook that officers fill in and send back.

Sheet "Actions" is an Excel table (filter buttons, frozen header, wrapped text) with real dates, drop-down lists
for status and RAG, colours that follow TODAY() (overdue red, due within 14 days amber, done green) and an A4
landscape print set-up. Hidden columns carry each row's action id, the action's last-changed stamp and the values
as exported, signed with the database's secret (services/action_import.py), so the import finds the row however
officers sort it, can tell their changes from changes made in paperprep since, and refuses a row forged or moved.

Every cell is aligned to the top and wraps, and every row is given the height its wrapped text needs: neither
Excel nor LibreOffice fits the height of rows that a program writes, so without it printed rows overlap. Sheet
"Summary" prints its title, the counts by status and their chart together on its first A4 page, then the counts
by owner.

Text is written the one safe way (`write_text`): cleaned of what XML cannot hold, cut with a visible marker where
it is longer than Excel's cell limit (never cut silently), and always written as a string, with Excel's quote
prefix when it starts like a formula, so nothing typed ever becomes one.

The workbook is written with XlsxWriter, once, row by row. Its constant-memory mode cannot hold an Excel table, so
it keeps the cells (not the XML) in memory until the file is assembled; that is several times faster than
openpyxl's write-only mode, which wrote it before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import io
import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from paperprep.domain import ActionStatus, Audience, Rag
from paperprep.errors import ExportCancelled
from paperprep.export.safety import check_no_leak, clean_xml_text, safe_write
from paperprep.records import ActionRecord
from paperprep.services.action_import import CELL_LIMIT, LONG_TEXT_MARKER, check_code, original_values

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
HEADER_FILL = "#1F4E78"
# What a long text keeps before its marker: the marker and a space still fit within Excel's limit.
KEEP = 32_700
# A text that starts with one of these is a formula, or a formula's start, to Excel or to a CSV reader.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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
    return _letter(HEADERS.index(name))


def _letter(index: int) -> str:
    """The letter of the column at 0-based `index` (A to ZZ is plenty here)."""
    first, second = divmod(index, 26)
    return (chr(ord("A") + first - 1) if first else "") + chr(ord("A") + second)


def excel_width(width: float) -> float:
    """The width to give XlsxWriter for a column `width` wide as Excel stores it (cell margins included), the
    unit the wrapping above is measured in: XlsxWriter adds the 5 pixels of margin itself."""
    return width - 5 / 7


def _utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def fit_cell(text: str) -> str:
    """`text` as a cell can hold it: cleaned of what XML cannot carry, and, when longer than Excel's limit of
    32,767 characters, its first 32,700 followed by a visible marker, so nothing is cut without a word (and the
    import knows the field is as exported)."""
    if not text.isprintable():  # printable text holds nothing XML cannot carry: most cells skip the cleaning
        text = clean_xml_text(text)
    if len(text) <= CELL_LIMIT // 2 or _utf16_length(text) <= CELL_LIMIT:
        return text
    # Excel counts UTF-16 units; a character cut in half at the end is dropped whole.
    kept = text.encode("utf-16-le")[: KEEP * 2].decode("utf-16-le", errors="ignore")
    return kept.rstrip() + " " + LONG_TEXT_MARKER


class TextFormats:
    """A cell format and its twin with Excel's quote prefix, for text that starts like a formula."""

    def __init__(self, book: Any, properties: dict[str, Any]) -> None:
        self.plain = book.add_format(properties)
        self.quoted = book.add_format({**properties, "quote_prefix": True})


def text_writer(ws: Any, formats: TextFormats) -> Callable[[int, int, str], str]:
    """`write_text` for one sheet and one pair of formats, its lookups done once: for the rows of a long log,
    where each of its 700,000 text cells paid for them again."""
    # XlsxWriter's undecorated write_string: row and column are numbers here, never "A1" text to convert.
    write = getattr(ws, "_write_string", ws.write_string)  # the public one where a later XlsxWriter lacks it
    plain, quoted = formats.plain, formats.quoted
    short = CELL_LIMIT // 2

    def put(row: int, col: int, text: str) -> str:
        # Printable text short of the limit is what fit_cell returns unchanged: most cells skip the call.
        value = text if len(text) <= short and text.isprintable() else fit_cell(text)
        write(row, col, value, quoted if value.startswith(FORMULA_START) else plain)
        return value

    return put


def write_text(ws: Any, row: int, col: int, text: str, formats: TextFormats) -> str:
    """Text stays text: whatever a person typed is never written as a formula.

    The text is cleaned first and tested after, so a control character in front of "=" cannot smuggle a formula
    past the test; every text cell is written as a string, and one that starts like a formula also carries the
    quote prefix, so that editing it in Excel keeps it text. Returns the text as written.
    """
    return text_writer(ws, formats)(row, col, text)


@functools.cache
def _sheet_class() -> type:
    from xlsxwriter.worksheet import Worksheet

    class Sheet(Worksheet):  # type: ignore[misc]
        """A worksheet that states two defaults in so many words, which XlsxWriter leaves out: "fit to one page
        wide", and the height of a row of one line. Written out, every reader sees them (openpyxl included), and
        no reader sizes a row of its own accord."""

        def _xml_empty_tag(self, tag: str, attributes: Any = ()) -> None:
            if tag == "pageSetup" and self.fit_page and self.fit_width == 1:
                attributes = [*attributes, ("fitToWidth", 1)]
            super()._xml_empty_tag(tag, list(attributes))

        def _write_row(self, *args: Any, **kwargs: Any) -> None:
            default = self.original_row_height  # type: ignore[has-type]
            self.original_row_height = -1  # no height is "the default", so each is written, with customHeight
            try:
                super()._write_row(*args, **kwargs)
            finally:
                self.original_row_height = default

    return Sheet


def new_workbook(buffer: io.BytesIO) -> Any:
    """An XlsxWriter workbook that writes into `buffer` and never turns a string into a number, formula or link."""
    from xlsxwriter import Workbook

    return Workbook(
        buffer,
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )


def add_sheet(book: Any, name: str) -> Any:
    return book.add_worksheet(name, worksheet_class=_sheet_class())


def page_header(text: str) -> str:
    """A page header's centre section: "&" doubled (it starts a code), and short enough for Excel's 255."""
    text = clean_xml_text(text)
    while len(text.replace("&", "&&")) > 240:
        text = text[: len(text) - 10].rstrip() + "\u2026"
    return "&C" + text.replace("&", "&&")


@contextlib.contextmanager
def cycles_paused() -> Iterator[None]:
    """Python's cycle collector paused while a big workbook is built: XlsxWriter holds every cell as an object
    until it closes, and each full collection would walk all of them again, to find nothing (cells make no
    cycles, and reference counting frees all the export lets go of)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def write_action_log(
    rows: Sequence[ActionRecord],
    path: str | os.PathLike[str],
    *,
    title: str,
    audience: Audience,
    secret: bytes,
    today: dt.date | None = None,
    progress: Callable[[int, int], bool] | None = None,
    forbidden: Sequence[str] = (),
) -> None:
    """Write the log, each row signed with the database's `secret`. A public log is read back first: no part of
    it may hold a `forbidden` phrase (the exempt items' texts, export/safety.py), or nothing is written."""
    with cycles_paused():
        data = _action_log_bytes(
            rows, title=title, audience=audience, secret=secret, today=today, progress=progress
        )
    check_no_leak(data, forbidden, "The public action log")
    safe_write(path, data)


def _action_log_bytes(
    rows: Sequence[ActionRecord],
    *,
    title: str,
    audience: Audience,
    secret: bytes,
    today: dt.date | None,
    progress: Callable[[int, int], bool] | None,
) -> bytes:
    today = today or dt.date.today()
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    ws = add_sheet(book, SHEET)
    last = max(2, len(rows) + 1)
    font = {"font_name": FONT, "font_size": FONT_SIZE}
    top = {**font, "valign": "top", "text_wrap": True}
    header_format = book.add_format(
        # An explicit fill, not only the table style, so the header shows in every spreadsheet program.
        {**top, "bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL}
    )
    text = TextFormats(book, top)
    date_format = book.add_format({**top, "num_format": DATE_FORMAT})
    for n, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        ws.set_column(n, n, excel_width(width), None, {"hidden": header in HIDDEN})
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    label = title + (" (confidential)" if audience is Audience.CONFIDENTIAL else "")
    ws.set_header(page_header(label))
    ws.set_footer(f"&LExported {today:%d/%m/%Y}&RPage &P of &N")
    # The table writes the heading cells, in the header's format.
    ws.add_table(
        0,
        0,
        last - 1,
        len(HEADERS) - 1,
        {
            "name": "ActionLog",
            "style": "Table Style Medium 2",
            "columns": [{"header": name, "header_format": header_format} for name in HEADERS],
        },
    )
    shown = [
        (n, width) for n, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)) if name not in HIDDEN
    ]
    ws.set_row(0, row_height(max(text_lines(HEADERS[n], width, bold=True) for n, width in shown)))
    is_date = [name in DATES for name in HEADERS]
    # Per text column, the width its wrapped lines are measured in, or None for a hidden one (never printed).
    measured = [None if name in HIDDEN else width for name, width in zip(HEADERS, WIDTHS, strict=True)]
    # XlsxWriter's undecorated writers (as its own add_table uses): the public ones first test each call for a
    # cell given as "A1" text, a cost paid 900,000 times in a 50,000-action log.
    # A later XlsxWriter without them falls back to the public ones: slower, the same cells.
    write_blank = getattr(ws, "_write_blank", ws.write_blank)
    write_date = getattr(ws, "_write_datetime", ws.write_datetime)
    write_number = getattr(ws, "_write_number", ws.write_number)
    plain = text.plain
    put_text = text_writer(ws, text)
    status_labels = {status: status.label for status in ActionStatus}
    rag_labels = {rag: rag.label if rag is not Rag.NONE else "" for rag in Rag}
    total = len(rows)
    for r, row in enumerate(rows, start=1):
        latest = row.latest_update
        stamp = row.updated_at.isoformat(timespec="seconds")
        original = original_values(row, fit_cell)
        values: list[Any] = [
            row.reference,
            row.committee_name,
            row.meeting_date,
            row.minute_ref,
            row.item_title,
            row.text,
            row.owner,
            row.due_date,
            status_labels[row.status],
            rag_labels[row.rag],
            latest.text if latest else "",
            latest.date if latest else None,
            row.notes,
            row.source_finding,
            row.id,
            stamp,
            original,
            check_code(secret, row.id, stamp, original),
        ]
        lines = 1
        for c, value in enumerate(values):
            if isinstance(value, str):
                value = put_text(r, c, value)
                column_width = measured[c]
                if column_width is not None and value:
                    lines = max(lines, text_lines(value, column_width))
            elif value is None:
                write_blank(r, c, None, date_format if is_date[c] else plain)
            elif isinstance(value, dt.date):
                write_date(r, c, value, date_format)
            else:
                write_number(r, c, value, plain)
        ws.set_row(r, row_height(lines))
        if progress is not None and (r + 1) % 500 == 0 and progress(r + 1, total) is False:
            raise ExportCancelled("The export was cancelled; nothing was written.")
    if not rows:  # the table's one empty row, styled like the rest
        for c in range(len(HEADERS)):
            ws.write_blank(1, c, None, date_format if is_date[c] else text.plain)
        ws.set_row(1, row_height(1))

    ws.data_validation(
        f"{column_letter('Status')}2:{column_letter('Status')}{last}",
        {
            "validate": "list",
            "source": [s.label for s in ActionStatus],
            "ignore_blank": False,
            "error_title": "Status",
            "error_message": "Choose a status from the list.",
        },
    )
    ws.data_validation(
        f"{column_letter('RAG')}2:{column_letter('RAG')}{last}",
        {
            "validate": "list",
            "source": [r.label for r in Rag if r is not Rag.NONE],
            "error_title": "RAG",
            "error_message": "Choose Green, Amber or Red, or leave it empty.",
        },
    )
    dates = " ".join(f"{column_letter(h)}2:{column_letter(h)}{last}" for h in ("Due date", "Update date"))
    ws.data_validation(
        f"{column_letter('Due date')}2:{column_letter('Due date')}{last}",  # the first range; all are in multi_range
        {
            "validate": "date",
            "criteria": ">",
            "value": 1,
            "multi_range": dates,
            "error_title": "Date",
            "error_message": "Type a date, e.g. 24/04/2025.",
        },
    )

    due, status = column_letter("Due date"), column_letter("Status")
    rows_range = f"A2:{column_letter('From finding')}{last}"
    still_open = f'${status}2<>"{ActionStatus.DONE.label}",${status}2<>"{ActionStatus.CANCELLED.label}"'
    for formula, colour, stop in (
        (f'AND(${due}2<>"",${due}2<TODAY(),{still_open})', "#F8CBAD", True),
        (f'AND(${due}2<>"",${due}2>=TODAY(),${due}2<=TODAY()+14,{still_open})', "#FFE699", True),
        (f'${status}2="{ActionStatus.DONE.label}"', "#C6EFCE", False),
    ):
        ws.conditional_format(
            rows_range,
            {
                "type": "formula",
                "criteria": "=" + formula,
                "format": book.add_format({"bg_color": colour}),
                "stop_if_true": stop,
            },
        )

    _summary(book, rows, label)
    book.set_properties({"title": clean_xml_text(label)})
    book.close()
    return buffer.getvalue()


def _summary(book: Any, rows: Sequence[ActionRecord], title: str) -> None:
    ws = add_sheet(book, "Summary")
    widths = (30, 14, 14)
    for n, width in enumerate(widths):
        ws.set_column(n, n, excel_width(width))
    ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # a long list of owners runs on to more pages, at the same scale
    font = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", "text_wrap": True}
    plain, bold = TextFormats(book, font), TextFormats(book, {**font, "bold": True})
    heading = {"font_name": FONT, "font_size": 14, "bold": True, "valign": "top"}
    heading_wrapped = TextFormats(book, {**heading, "text_wrap": True})
    heading_one_line = TextFormats(book, heading)  # one line, into the empty cells beside it
    number = book.add_format(font)
    row_number = -1

    def append(
        *values: Any, formats: TextFormats = plain, size: float = FONT_SIZE, span: bool = False
    ) -> None:
        nonlocal row_number
        row_number += 1
        lines = 1
        for col, (value, width) in enumerate(zip(values, widths, strict=False)):
            if isinstance(value, str):
                bold_text = formats is not plain
                if span and text_lines(value, sum(widths) * FONT_SIZE / size, bold=bold_text) == 1:
                    write_text(ws, row_number, col, value, heading_one_line)
                else:
                    write_text(ws, row_number, col, value, formats)
                    lines = max(lines, text_lines(value, width * FONT_SIZE / size, bold=bold_text))
            else:
                ws.write_number(row_number, col, value, number)
        ws.set_row(row_number, row_height(lines, size))

    append(title, formats=heading_wrapped, size=14, span=True)
    append()
    append("Status", "Actions", formats=bold)
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
    chart = book.add_chart({"type": "bar"})
    chart.set_title({"name": "Actions by status"})
    # In a bar chart the value axis runs across: XlsxWriter calls it the x axis.
    chart.set_x_axis(
        {"name": "Actions", "min": 0, "major_unit": max(1, -(-max(by_status.values(), default=0) // 10))}
    )
    chart.set_legend({"none": True})
    chart.add_series(
        {
            "name": ["Summary", 2, 1],
            "categories": ["Summary", 3, 0, status_end, 0],
            "values": ["Summary", 3, 1, status_end, 1],
        }
    )
    # Sizes in pixels: a little narrower than columns A to C (7 pixels a character of their stored width), as
    # tall as the rows kept (20 pixels a 15-point row).
    chart.set_size({"width": sum(7 * w for w in widths) - 4, "height": (chart_rows - 1) * 20})
    ws.insert_chart(chart_row, 0, chart)
    append()
    append("Owner", "Open actions", "All actions", formats=bold)
    owners = sorted({r.owner or "(no owner)" for r in rows})
    open_by_owner = Counter((r.owner or "(no owner)") for r in rows if r.status.is_open)
    all_by_owner = Counter((r.owner or "(no owner)") for r in rows)
    for owner in owners:
        append(owner, open_by_owner.get(owner, 0), all_by_owner.get(owner, 0))
    ws.print_area(0, 0, row_number, 2)
