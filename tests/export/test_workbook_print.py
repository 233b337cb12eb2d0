"""The action log and the decisions register as printed: every cell aligned to the top, rows as tall as their
wrapped text, the header on every page, and the Summary's chart on one page with its table.

Read back with openpyxl, then rendered by LibreOffice to PDF and checked word by word with `pdftotext -bbox`:
each row's words lie in that row's band and spell the row's whole text, and no two words on a page overlap.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from paperprep.db import open_database
from paperprep.domain import Audience, ResolutionWording
from paperprep.export import actions_xlsx, decisions_xlsx
from paperprep.export.actions_xlsx import text_lines
from paperprep.ops import exports as jobs
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.demo import load_demo
from tests_support import to_pdf

TODAY = dt.date(2025, 8, 20)
LONG_UPDATE = (
    "The service has sampled forty supervision records across the three localities and found that most were "
    "on time, but the recording of reflective discussion was thin in a quarter of them. A workshop for team "
    "managers is booked for September, the audit will be repeated in November, and the results will be "
    "reported to the Sub-Committee with the next performance report, together with the agency staff figures."
)
LONG_RESOLUTION = (
    "That the Sub-Committee, having considered the report of the Director of Children's Services on the "
    "outcome of the Ofsted focused visit, the written statement of action for special educational needs and "
    "disabilities and the sufficiency of school places in the north of the borough, notes the progress made, "
    "thanks the officers and the young people of the Children in Care Council for their contributions, and "
    "asks that a further report on each of these matters be brought to its meeting in six months' time, with "
    "the views of parents and carers gathered through the parent carer forum."
)
URL = "https://www.example.gov.uk/council-and-democracy/committees/children/reports/2025/ofsted-letter.pdf"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo council's action log and decisions register, with a few rows of very long text added."""
    folder = tmp_path_factory.mktemp("print")
    db = open_database(folder / "demo.sqlite", daily_backup=False)
    with db.transaction() as s:
        load_demo(s)
        c = C.create_committee(s, "Children's Services Scrutiny Committee", "CSSC")
        m = M.create_meeting(s, c, dt.date(2025, 7, 8), first_minute_number=57)
        item = A.add_item(
            s, m, "Ofsted focused visit: the local authority's arrangements for children in need"
        )
        res = MI.add_resolution(
            s,
            item,
            ResolutionWording.RESOLVED,
            LONG_RESOLUTION,
            parts=[LONG_UPDATE, "that the letter be published at " + URL, "=SUM(A1:A9) is not a formula"],
        )
        action = AC.add_action(
            s,
            item,
            "Circulate the Ofsted letter, the action plan and " + LONG_UPDATE.lower(),
            owner="Assistant Director, Safeguarding and Quality Assurance",
            due_date=dt.date(2025, 8, 1),
            resolution=res,
        )
        AC.update_action(s, action, notes="Letter at " + URL)
        AC.add_update(s, action, LONG_UPDATE, dt.date(2025, 7, 20))
        AC.add_action(s, item, "Audit supervision records", owner="Head of Quality", resolution=res)
    actions, decisions = folder / "actions.xlsx", folder / "decisions.xlsx"
    jobs.export_action_log(db, actions, status="all", audience=Audience.PUBLIC, today=TODAY)
    jobs.export_decisions(db, decisions)
    db.close()
    return actions, decisions


def _shown(value: object) -> str:
    """A cell's value as LibreOffice prints it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _rows(path: Path, sheet: str, columns: int) -> list[list[str]]:
    ws = load_workbook(path)[sheet]
    return [[_shown(c.value) for c in row[:columns]] for row in ws.iter_rows()]


def test_every_cell_is_aligned_to_the_top_and_each_row_is_as_tall_as_its_text(workbooks) -> None:  # type: ignore[no-untyped-def]
    actions, decisions = workbooks
    for path, sheet, widths in (
        (actions, "Actions", actions_xlsx.WIDTHS),
        (decisions, "Decisions", decisions_xlsx.WIDTHS),
    ):
        ws = load_workbook(path)[sheet]
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        heights: dict[int, float] = {}
        longest: dict[int, int] = {}
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(widths)):
            for cell in row:  # the hidden columns too
                assert cell.alignment.vertical == "top", f"{sheet}!{cell.coordinate}"
                assert cell.alignment.wrap_text, f"{sheet}!{cell.coordinate}"
            n = row[0].row
            height = ws.row_dimensions[n].height
            assert height is not None and height >= 15, f"{sheet} row {n} has no height"
            heights[n] = height
            longest[n] = max(
                text_lines(c.value, w)
                for c, w in zip(row, widths, strict=True)
                if isinstance(c.value, str) and not ws.column_dimensions[c.column_letter].hidden
            )
        assert heights[1] >= 30, f"{sheet}: the header row does not fit its wrapped headers"
        # More lines of wrapped text, a taller row; the long rows added above are the tallest.
        for a in heights:
            for b in heights:
                if a > 1 and b > 1 and longest[a] > longest[b]:
                    assert heights[a] > heights[b], f"{sheet}: row {a} is no taller than row {b}"
        assert max(heights.values()) >= 6 * 15
    summary = load_workbook(actions)["Summary"]
    assert summary.print_area.endswith(f"$A$1:$C${summary.max_row}")
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.fitToWidth == 1
    (chart,) = summary._charts
    assert chart.anchor._from.col == 0 and chart.anchor._from.row < summary.max_row
    # The chart is anchored at both corners: no wider than the columns, it ends in column C at the latest.
    assert chart.anchor.to.col <= 2


def test_wrapped_lines_grow_with_the_text_and_shrink_with_the_width() -> None:
    assert text_lines("Open", 10) == 1
    assert text_lines("", 10) == 1
    assert text_lines("one\ntwo\n\nfour", 45) == 4
    assert text_lines("Children & Learning Overview & Scrutiny Sub-Committee", 24) == 3
    assert text_lines(URL, 30) >= 4  # a word longer than the column breaks anywhere
    assert text_lines(LONG_UPDATE, 45) > text_lines(LONG_UPDATE[:150], 45) > 1
    assert text_lines("Meeting date", 12, bold=True) >= text_lines("Meeting date", 12)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_wrapped_lines_never_fewer_in_a_narrower_column(text: str) -> None:
    counts = [text_lines(text, width) for width in (8, 12, 30, 60)]
    assert counts == sorted(counts, reverse=True) and counts[-1] >= 1


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def _pages(pdf: Path) -> list[list[Word]]:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is needed for the document tests: run scripts/setup"
    out = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append(
            [
                Word(float(a), float(b), float(c), float(d), unicodedata.normalize("NFKC", html.unescape(t)))
                for a, b, c, d, t in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                    page,
                )
            ]
        )
    return pages


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _check_table_pages(
    pages: list[list[Word]], expected: list[list[str]], anchor: tuple[int, str], name: str
) -> None:
    """Each page repeats the whole header; each row's words lie between its top and the next row's top and spell
    the row's cells in full; nothing on a page overlaps. `anchor` is a column that holds one line in every row,
    and the pattern of its first word."""
    header, data = expected[0], expected[1:]
    first = header[0].split()[0]
    seen: list[list[str]] = []
    for number, page in enumerate(pages, start=1):
        where = f"{name}, page {number}"
        # LibreOffice draws "###", clipped to nothing, for each number in a hidden column (the action log's ids).
        words = [w for w in page if w.text != "###"]
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                # A word's box is taller than the pitch of the lines, so neighbouring lines overlap a little.
                tall = 0.4 * min(a.y1 - a.y0, b.y1 - b.y0)
                overlap = min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > tall
                assert not overlap, f"{where}: {a.text!r} overlaps {b.text!r}"
        top = min(w.y0 for w in words if w.text == first)
        # The headers are aligned to the top, so the first word of each starts on the header's first line.
        starts = []
        for text in header:
            x = [w.x0 for w in words if w.text == text.split()[0] and abs(w.y0 - top) < 1]
            assert x, f"{where}: the header {text!r} is missing or not aligned to the top"
            starts.append(min(x) - 1)
        edges = [*starts[1:], float("inf")]

        def column(w: Word, edges: list[float] = edges) -> int:
            return next(n for n, edge in enumerate(edges) if w.x0 < edge)

        footer = max(w.y0 for w in words if w.text == "Page")
        body = [w for w in words if top - 1 <= w.y0 < footer - 1 and w.x0 >= starts[0]]
        # Every cell is aligned to the top, so each row starts where its anchor word is.
        row_tops = sorted({w.y0 for w in body if column(w) == anchor[0] and re.fullmatch(anchor[1], w.text)})
        bands = [top, *row_tops, footer - 1]
        for band, (y0, y1) in enumerate(zip(bands, bands[1:], strict=False)):
            cells = [""] * len(header)
            for w in sorted(body, key=lambda w: (round(w.y0), w.x0)):
                if y0 - 1 <= w.y0 < y1 - 1:
                    cells[column(w)] += w.text
            if band == 0:
                assert cells == [_squash(h) for h in header], f"{where}: the header is cut: {cells}"
            else:
                seen.append(cells)
    assert len(seen) == len(data), f"{name}: {len(seen)} rows printed of {len(data)}"
    for n, (printed, row) in enumerate(zip(seen, data, strict=True), start=2):
        assert printed == [_squash(v) for v in row], f"{name} row {n} is cut or overlaps: {printed} != {row}"


@pytest.mark.libreoffice
def test_printed_workbooks_show_every_row_whole_and_the_summary_on_one_page(
    workbooks, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    actions, decisions = workbooks
    log_pdf, register_pdf = to_pdf([actions, decisions], tmp_path / "pdf", tmp_path / "profile")
    shown = [h for h in actions_xlsx.HEADERS if h not in actions_xlsx.HIDDEN]
    log_rows = _rows(actions, "Actions", len(shown))
    register_rows = _rows(decisions, "Decisions", len(decisions_xlsx.HEADERS))
    register = _pages(register_pdf)
    assert len(register) >= 2, "the register should run over pages, to show the header repeated"
    date = (decisions_xlsx.HEADERS.index("Meeting date"), r"\d\d/\d\d/\d{4}")
    _check_table_pages(register, register_rows, date, "register")

    pages = _pages(log_pdf)
    exported = f"{TODAY:%d/%m/%Y}"
    log = [p for p in pages if any(w.text == exported for w in p)]
    _check_table_pages(log, log_rows, (0, "[A-Z]{2,}"), "action log")  # the committee code of the reference
    # The Summary (no page footer) prints on one page: title, counts by status, chart, counts by owner.
    summary = [[w.text for w in p] for p in pages if p not in log]
    assert len(summary) == 1, f"the Summary prints on {len(summary)} pages"
    text = " ".join(summary[0])
    assert "Action log: All committees" in text and "Actions by status" in text and "Owner" in text
    for status in ("Open", "Done", "Cancelled"):
        assert summary[0].count(status) >= 2, f"{status!r}: in the table and on the chart's axis"
