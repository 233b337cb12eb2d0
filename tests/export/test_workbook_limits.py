"""Bounded imports: a returned workbook is measured before it is read. A zip bomb, a file that is not a workbook,
one too big, a sheet too large or too long: each is refused with one sentence, quickly, within bounded memory."""

from __future__ import annotations

import datetime as dt
import resource
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from paperprep.db import open_database
from paperprep.domain import Audience
from paperprep.errors import ImportProblem
from paperprep.imports import actions_xlsx as reader
from paperprep.imports.actions_xlsx import read_action_workbook
from paperprep.ops import exports as jobs
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M

MB = 1024 * 1024


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real action log of five actions, as paperprep exports it."""
    folder = tmp_path_factory.mktemp("limits")
    db = open_database(folder / "limits.sqlite", daily_backup=False)
    with db.transaction() as s:
        c = C.create_committee(s, "Corporate Parenting Board", "CPB")
        m = M.create_meeting(s, c, dt.date(2025, 7, 8), first_minute_number=12)
        item = A.add_item(s, m, "Placements review")
        for n in range(5):
            AC.add_action(s, item, f"Action {n + 1}", owner="Head of Placements")
    out = folder / "log.xlsx"
    jobs.export_action_log(db, out, status="all", audience=Audience.CONFIDENTIAL)
    db.close()
    return out


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand from (name, deflated data, crc, unpacked size, packed size), so that a member can
    claim gigabytes without them ever being made."""
    local, central = bytearray(), bytearray()
    for name, data, crc, size, packed in members:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size, len(encoded), 0
        )
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            packed,
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def _deflate(data: bytes) -> tuple[bytes, int, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return packed, zlib.crc32(data), len(data), len(packed)


def _bomb(workbook: Path, out: Path, gigabytes: int = 2) -> Path:
    """The exported workbook with its Actions sheet replaced by one cell whose text is gigabytes of one repeated
    byte, deflated: the same compressed block, flushed so that it stands alone, repeated. Read as XML, that one
    text would be held whole in memory."""
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    )
    head += b'<c r="A1" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row></sheetData></worksheet>"
    chunk = b"A" * MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH) == block  # each block stands alone
    count = gigabytes * 1024
    stream = start + block * count + packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * MB + len(tail)
    members = []
    with zipfile.ZipFile(workbook) as package:
        for name in package.namelist():
            if name == "xl/worksheets/sheet1.xml":
                members.append((name, stream, crc, size, len(stream)))
            else:
                members.append((name, *_deflate(package.read(name))))
    out.write_bytes(_zip(members))
    return out


def test_a_zip_bomb_is_refused_in_a_moment_within_bounded_memory(workbook: Path, tmp_path: Path) -> None:
    bomb = _bomb(workbook, tmp_path / "bomb.xlsx")
    assert 1 * MB < bomb.stat().st_size < 3 * MB
    with zipfile.ZipFile(bomb) as package:  # a well-formed zip whose sheet unpacks to 2 GB
        assert package.getinfo("xl/worksheets/sheet1.xml").file_size > 2048 * MB
        with package.open("xl/worksheets/sheet1.xml") as sheet:
            assert b"<t>" + b"A" * 50 in sheet.read(200)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportProblem) as refused:
            read_action_workbook(bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    message = str(refused.value)
    assert message.startswith(
        "bomb.xlsx was not read: a part of it (xl/worksheets/sheet1.xml) would unpack to"
    )
    assert message.count(". ") == 0 and message.endswith(").")  # one sentence
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert peak < 200 * MB and grown < 200 * 1024, (peak, grown)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    for name, data in (("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 5000), ("empty.xlsx", b"")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(
            ImportProblem, match=f"^{name} cannot be read as an Excel workbook \\(it is not an"
        ):
            read_action_workbook(path)


def test_a_file_too_big_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.truncate(21 * MB)  # sparse: 21 MB on paper, nothing written
    started = time.perf_counter()
    with pytest.raises(ImportProblem, match="^big.xlsx is 21 MB, larger than the 20 MB an action log can be"):
        read_action_workbook(big)
    assert time.perf_counter() - started < 0.5


def test_a_sheet_too_large_or_too_much_unpacked_is_refused(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(read_action_workbook(workbook).rows) == 5  # within every limit, it reads
    monkeypatch.setattr(reader, "MAX_SHEET", 1000)  # the real limit is 300 MB: too big a file to make here
    with pytest.raises(ImportProblem, match="one of its sheets would unpack to"):
        read_action_workbook(workbook)
    monkeypatch.undo()
    monkeypatch.setattr(reader, "MAX_UNPACKED", 20_000)
    with pytest.raises(ImportProblem, match="it would unpack to 0 MB, more than the 0 MB paperprep reads"):
        read_action_workbook(workbook)


def test_rows_past_the_limit_refuse_the_workbook(workbook: Path, tmp_path: Path) -> None:
    far = tmp_path / "far.xlsx"
    book = load_workbook(workbook)
    ws = book["Actions"]
    ws.cell(row=200_000, column=1).value = "A stray note far below"
    book.save(far)
    started = time.perf_counter()
    with pytest.raises(ImportProblem, match="has more than 100,000 rows"):
        read_action_workbook(far)
    assert time.perf_counter() - started < 5


def test_empty_rows_a_sheet_claims_are_passed_over(workbook: Path, tmp_path: Path) -> None:
    claimed = tmp_path / "claimed.xlsx"
    book = load_workbook(workbook)
    book["Actions"].cell(row=150_000, column=1).value = " "  # a blank cell: the sheet now reaches that far
    book.save(claimed)
    assert load_workbook(claimed, read_only=True)["Actions"].max_row == 150_000
    assert len(read_action_workbook(claimed).rows) == 5


def test_a_damaged_sheet_is_refused_with_a_sentence(workbook: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(
        ImportProblem, match="^damaged.xlsx cannot be read as an Excel workbook, as it is damaged"
    ):
        read_action_workbook(damaged)
