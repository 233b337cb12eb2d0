"""The agenda pack: one PDF with the front sheet and agenda, a contents page, then each item's papers in agenda
order, with a bookmark per item and continuous page numbers; and beside it a folder of the separate PDFs.

Given the agenda as a PDF and the items with their documents (already filtered for the audience by the snapshot:
a public pack receives no paper of an exempt item), this writes the files. PDF papers go in as they are; Word and
OpenDocument papers are converted by LibreOffice first, all in one run.

Merging drops the accessibility tags of the parts (qpdf, pikepdf and pypdf all do), so the pack is for reading and
printing, and the folder holds what to publish on the website: the tagged agenda and each paper as its own PDF,
named in agenda order.

A public pack is read back before it is written: its text must hold no forbidden phrase (the exempt items'
titles and texts) and no distinctive line of an exempt paper.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperprep.errors import ConfidentialLeakError, ExportCancelled, ExportError
from paperprep.export import pdf as P

Progress = Callable[[int, int], bool]

A4 = (595.28, 841.89)
MARGIN = 56.0
INDEX_SIZE = 10.5
INDEX_LEADING = 15.0
INDEX_INDENT = 18.0
PAGE_COLUMN = 48.0
STAMP_SIZE = 9.0


@dataclass(frozen=True)
class PackDocument:
    """One paper of an item: its name as the clerk attached it, its label and the stored file."""

    file_name: str
    source: Path
    label: str = "Report"


@dataclass(frozen=True)
class PackItem:
    """An agenda item as the pack shows it. `withheld` is the line shown instead of an exempt item's papers."""

    ref: str
    title: str
    documents: tuple[PackDocument, ...] = ()
    withheld: str = ""

    @property
    def heading(self) -> str:
        return f"{self.ref}. {self.title}" if self.ref else self.title


@dataclass
class PackResult:
    pages: int
    agenda_pages: int
    index_pages: int
    folder: Path | None
    files: list[Path] = field(default_factory=list)  # the folder's PDFs, in agenda order
    starts: dict[str, int] = field(default_factory=dict)  # item heading -> first page (1-based)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    indent: float
    text: str
    font: str
    target: tuple[int, int] | None  # (item index, document index or -1 for the item); (-1, -1) the agenda


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled("The export was cancelled; nothing was written.")


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^\w]+", "-", text, flags=re.ASCII).strip("-").lower()[:limit].strip("-") or "paper"


def _read(path: Path, name: str) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExportError(
                f"{name} is protected by a password, so it cannot go into the pack. "
                "Attach a copy without the password and export again."
            )
        if len(reader.pages) == 0:
            raise ExportError(f"{name} has no pages. Attach the paper again and export again.")
        return reader
    except OSError as exc:
        raise ExportError(
            f"The stored copy of {name} cannot be read ({exc.strerror}). Attach it again."
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(
            f"{name} is not a readable PDF ({exc}). Attach a good copy and export again."
        ) from None


# -- contents page -------------------------------------------------------------------------------------------


def _index_rows(items: Sequence[PackItem], included: dict[tuple[int, int], int]) -> list[_Row]:
    width = A4[0] - 2 * MARGIN - PAGE_COLUMN
    rows: list[_Row] = []

    def add(
        indent: float, text: str, font: str, target: tuple[int, int] | None, hang: float = INDEX_INDENT
    ) -> None:
        lines = P.wrap(text, width - indent - hang, INDEX_SIZE, font)
        for n, line in enumerate(lines):
            # The page number stands on the last line of an entry; the lines after an entry's first hang.
            rows.append(
                _Row(indent + (hang if n else 0), line, font, target if n == len(lines) - 1 else None)
            )

    add(0, "Front sheet and agenda", P.BOLD, (-1, -1))
    for i, item in enumerate(items):
        add(0, item.heading, P.BOLD, (i, -1))
        for j, doc in enumerate(item.documents):
            if (i, j) in included:
                add(INDEX_INDENT, f"{doc.label}: {doc.file_name}", P.REGULAR, (i, j))
        if item.withheld:
            add(INDEX_INDENT, item.withheld, P.REGULAR, None, hang=0)
    return rows


def _index_layout(rows: list[_Row], title_lines: int) -> list[list[_Row]]:
    usable = A4[1] - 2 * MARGIN
    first = int((usable - 26 - title_lines * 14 - 18) // INDEX_LEADING)
    later = int((usable - 26) // INDEX_LEADING)
    pages = [rows[:first]]
    rest = rows[first:]
    while rest:
        pages.append(rest[:later])
        rest = rest[later:]
    return pages


def _index_pages(
    pages: list[list[_Row]], title: str, subtitle: list[str], page_of: Callable[[tuple[int, int]], int]
) -> list[Any]:
    drawn = []
    for n, rows in enumerate(pages):
        ops = bytearray()
        y = A4[1] - MARGIN - 16
        ops += P.text_op(MARGIN, y, "Contents of this pack" + (" (continued)" if n else ""), 16, P.BOLD)
        y -= 26
        if n == 0:
            for line in [title, *subtitle]:
                ops += P.text_op(MARGIN, y, line, 10.5, P.REGULAR, grey=0.2)
                y -= 14
            y -= 18
            ops += P.text_op(
                A4[0] - MARGIN - P.text_width("Page", 9, P.BOLD), y + 14, "Page", 9, P.BOLD, grey=0.3
            )
        for row in rows:
            ops += P.text_op(MARGIN + row.indent, y, row.text, INDEX_SIZE, row.font)
            if row.target is not None:
                number = str(page_of(row.target))
                x = A4[0] - MARGIN - P.text_width(number, INDEX_SIZE, row.font)
                ops += P.text_op(x, y, number, INDEX_SIZE, row.font)
            y -= INDEX_LEADING
        drawn.append(P.drawn_page(A4[0], A4[1], bytes(ops)))
    return drawn


# -- page numbers ---------------------------------------------------------------------------------------------


def _stamp(page: Any, text: str) -> None:
    if page.rotation % 360:
        page.transfer_rotation_to_content()
    box = page.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    x = right - 28 - P.text_width(text, STAMP_SIZE)
    ops = P.text_op(x - left, top - bottom - 22, text, STAMP_SIZE, P.REGULAR, grey=0.25)
    stamp = P.drawn_page(right - left, top - bottom, ops)
    if left or bottom:
        from pypdf import Transformation

        page.merge_transformed_page(stamp, Transformation().translate(left, bottom))
    else:
        page.merge_page(stamp)


# -- the pack -------------------------------------------------------------------------------------------------


def _agenda_pages_of_items(agenda_texts: list[str], items: Sequence[PackItem]) -> dict[int, int]:
    """The agenda page (0-based) on which each item's heading stands; the first page when it is not found."""
    flat = [P.normalise(t) for t in agenda_texts]
    found = {}
    for i, item in enumerate(items):
        needle = P.normalise(item.heading)[:40]
        found[i] = next((n for n, text in enumerate(flat) if needle and needle in text), 0)
    return found


def _copy_outline(writer: Any, reader: Any, entries: list[Any], offset: int, parent: Any) -> None:
    """The bookmarks of a part, under `parent`, pointing at its pages in the pack."""
    last = None
    for entry in entries:
        if isinstance(entry, list):
            if last is not None:
                _copy_outline(writer, reader, entry, offset, last)
            continue
        try:
            number = reader.get_destination_page_number(entry)
        except (KeyError, ValueError, TypeError, AttributeError):
            continue
        if number is None or number < 0:
            continue
        last = writer.add_outline_item(
            title=str(entry.title), page_number=offset + number, parent=parent, is_open=False
        )


def write_pack(
    agenda_source: Path,
    items: Sequence[PackItem],
    out: Path,
    *,
    title: str,
    subtitle: Sequence[str] = (),
    confidential: bool = False,
    folder: Path | None = None,
    forbidden: Sequence[str] = (),
    exempt_documents: Sequence[Path] = (),
    progress: Progress | None = None,
) -> PackResult:
    """Write the pack to `out` and the separate PDFs to `folder`; check a public pack for exempt text first.

    `agenda_source` is the agenda as a PDF, or as a Word document to convert (with the papers, in one run).
    """
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    warnings: list[str] = []
    docs = [(i, j, doc) for i, item in enumerate(items) for j, doc in enumerate(item.documents)]
    total = len(docs) + 4
    step = 0
    _tick(progress, step, total)

    with tempfile.TemporaryDirectory(prefix="paperprep-pack-") as work_name:
        work = Path(work_name)
        sources: dict[tuple[int, int], Path] = {}
        to_convert: list[tuple[tuple[int, int], Path]] = []
        for i, j, doc in docs:
            suffix = doc.source.suffix.lower()
            if not doc.source.is_file():
                raise ExportError(
                    f"The stored copy of {doc.file_name} (item {items[i].heading}) is missing. Attach the paper "
                    "again, then export the pack again."
                )
            if suffix == ".pdf":
                sources[(i, j)] = doc.source
            elif suffix in P.CONVERTIBLE:
                to_convert.append(((i, j), doc.source))
            else:
                warnings.append(
                    f"{doc.file_name} (item {items[i].heading}) is not a PDF, Word or OpenDocument file, so it is "
                    "not in the pack. Publish it separately."
                )
        exempt_pdfs = [p for p in exempt_documents if p.suffix.lower() == ".pdf" and p.is_file()]
        exempt_convert = [p for p in exempt_documents if p.suffix.lower() in P.CONVERTIBLE and p.is_file()]
        # One LibreOffice run for everything that needs converting: its start-up is the slow part.
        inbox = work / "in"
        inbox.mkdir()
        batch: list[Path] = []
        agenda_is_word = agenda_source.suffix.lower() in P.CONVERTIBLE
        if agenda_is_word:
            batch.append(
                Path(shutil.copyfile(agenda_source, inbox / f"agenda{agenda_source.suffix.lower()}"))
            )
        for n, (_, src) in enumerate(to_convert):
            batch.append(Path(shutil.copyfile(src, inbox / f"paper-{n:03d}{src.suffix.lower()}")))
        for n, src in enumerate(exempt_convert):
            batch.append(Path(shutil.copyfile(src, inbox / f"exempt-{n:03d}{src.suffix.lower()}")))
        converted = P.convert_to_pdf(
            batch, work / "out", cancelled=lambda: progress is not None and progress(step, total) is False
        )
        agenda_pdf = converted.pop(0) if agenda_is_word else agenda_source
        for (key, _), result in zip(to_convert, converted, strict=False):
            sources[key] = result
        exempt_pdfs += converted[len(to_convert) :]
        step += 1
        _tick(progress, step, total)

        agenda = _read(agenda_pdf, "The agenda")
        agenda_texts = [page.extract_text() or "" for page in agenda.pages]
        readers = {
            key: _read(path, items[key[0]].documents[key[1]].file_name) for key, path in sources.items()
        }

        # Where everything starts: agenda, contents page(s), then the papers in agenda order.
        included = {key: len(r.pages) for key, r in readers.items()}
        rows = _index_rows(items, included)
        layout = _index_layout(rows, 1 + len(subtitle))
        starts: dict[tuple[int, int], int] = {(-1, -1): 0}
        page = len(agenda.pages) + len(layout)
        for i, j, _doc in docs:
            if (i, j) in included:
                starts[(i, j)] = page
                page += included[(i, j)]
        total_pages = page
        on_agenda = _agenda_pages_of_items(agenda_texts, items)
        for i, item in enumerate(items):
            first = next((starts[(i, j)] for j in range(len(item.documents)) if (i, j) in starts), None)
            starts[(i, -1)] = first if first is not None else on_agenda[i]

        writer = PdfWriter()
        writer.append(agenda, import_outline=False)
        for drawn in _index_pages(layout, title, list(subtitle), lambda key: starts[key] + 1):
            writer.add_page(drawn)
        for i, j, _doc in docs:
            if (i, j) in readers:
                writer.append(readers[(i, j)], import_outline=False)
                step += 1
                _tick(progress, step, total)
        if len(writer.pages) != total_pages:
            raise AssertionError(f"pack has {len(writer.pages)} pages, expected {total_pages}")

        top = writer.add_outline_item(title="Front sheet and agenda", page_number=0, is_open=False)
        _copy_outline(writer, agenda, list(agenda.outline), 0, top)
        writer.add_outline_item(title="Contents of this pack", page_number=len(agenda.pages))
        for i, item in enumerate(items):
            entry = writer.add_outline_item(title=item.heading, page_number=starts[(i, -1)], is_open=False)
            for j, doc in enumerate(item.documents):
                if (i, j) in readers:
                    sub = writer.add_outline_item(
                        title=f"{doc.label}: {doc.file_name}",
                        page_number=starts[(i, j)],
                        parent=entry,
                        is_open=False,
                    )
                    _copy_outline(writer, readers[(i, j)], list(readers[(i, j)].outline), starts[(i, j)], sub)

        prefix = "Confidential \u2013 " if confidential else ""
        for n, pack_page in enumerate(writer.pages, start=1):
            _stamp(pack_page, f"{prefix}Page {n} of {total_pages}")
        step += 1
        _tick(progress, step, total)

        writer.add_metadata({"/Title": f"{title}: agenda pack", "/Creator": "paperprep"})
        writer.root_object[NameObject("/Lang")] = TextStringObject("en-GB")
        writer.page_mode = "/UseOutlines"
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()

        if not confidential:
            originals = {key: items[key[0]].documents[key[1]].source for key in readers}
            _check_public_pack(
                data, agenda_texts, readers, originals, forbidden, exempt_documents, exempt_pdfs
            )
        step += 1
        _tick(progress, step, total)

        from paperprep.export.safety import safe_write

        written: list[Path] = []
        if folder is not None:
            parts = [("00-agenda.pdf", agenda_pdf)]
            width = max(2, len(str(len(docs))))
            n = 0
            for i, j, doc in docs:
                if (i, j) in sources:
                    n += 1
                    ref = _slug(items[i].ref or str(i + 1), 10)
                    name = f"{n:0{width}d}-item-{ref}-{_slug(Path(doc.file_name).stem)}.pdf"
                    parts.append((name, sources[(i, j)]))
            written = _write_folder(folder, parts)
        safe_write(out, data)
        step += 1
        _tick(progress, step, total)

    return PackResult(
        pages=total_pages,
        agenda_pages=len(agenda.pages),
        index_pages=len(layout),
        folder=folder,
        files=written,
        starts={items[i].heading: starts[(i, -1)] + 1 for i in range(len(items))},
        warnings=warnings,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_public_pack(
    data: bytes,
    agenda_texts: list[str],
    readers: dict[tuple[int, int], Any],
    originals: dict[tuple[int, int], Path],
    forbidden: Sequence[str],
    exempt_documents: Sequence[Path],
    exempt_pdfs: Sequence[Path],
) -> None:
    """Read the finished public pack back: no exempt paper in it, no forbidden phrase, no exempt paper's text.

    An exempt paper's distinctive line found in the pack is a leak when no public paper holds it, or when three or
    more lines, and half or more of the paper's, are there (a copy of it). A line or two that it shares with a
    public paper are a council's boilerplate ("Report of the Director of ..."), and lines it shares with the
    agenda prove nothing.
    """
    texts = P.page_texts(data)
    P.check_pdf_file_no_leak(data, forbidden, "The public agenda pack")
    exempt_digests = {_digest(p) for p in exempt_documents if p.is_file()}
    public_lines: set[str] = set()
    for key, reader in readers.items():
        if _digest(originals[key]) in exempt_digests:
            raise ConfidentialLeakError(
                "The public agenda pack was not written: one of its papers is also attached to an exempt item. "
                "Check where the paper is attached, or export the confidential pack."
            )
        public_lines |= P.distinctive_lines(page.extract_text() or "" for page in reader.pages)
    agenda_lines = P.distinctive_lines(agenda_texts)
    whole = "\n".join(P.normalise(t) for t in texts)
    for path in exempt_pdfs:
        lines = P.distinctive_lines(P.page_texts(path)) - agenda_lines
        found = sorted(line for line in lines if line in whole)
        unexplained = [line for line in found if line not in public_lines]
        if unexplained or (len(found) >= 3 and 2 * len(found) >= len(lines)):
            P.check_pdf_no_leak(texts, unexplained or found, "The public agenda pack")


def _write_folder(folder: Path, parts: list[tuple[str, Path]]) -> list[Path]:
    """Fill `folder` with these PDFs, replacing an earlier export's folder in one step where it can."""
    if folder.exists():
        if not folder.is_dir():
            raise ExportError(
                f"{folder} is a file, so the pack's folder cannot be written. Move it, then export again."
            )
        others = [p.name for p in folder.iterdir() if p.suffix.lower() != ".pdf" or p.is_dir()]
        if others:
            raise ExportError(
                f"The folder {folder.name} already holds other files ({', '.join(sorted(others)[:3])}), so the "
                "pack's papers were not written there. Choose another name for the pack, or empty the folder."
            )
    if not folder.parent.is_dir():
        raise ExportError(f"The folder {folder.parent} does not exist. Choose another folder.")
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        for name, source in parts:
            shutil.copyfile(source, staging / name)
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}-old-", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(staging, folder)
        staging = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except PermissionError:
        raise ExportError(
            f"The folder {folder.name} is open in another program or is read-only. Close it, then export again."
        ) from None
    except OSError as exc:
        raise ExportError(
            f"The folder {folder.name} could not be written ({exc.strerror}). Check the disk."
        ) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name, _ in parts]
