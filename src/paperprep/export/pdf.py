"""PDF from Word: LibreOffice headless converts a .docx (or .doc, .odt) into a tagged PDF with bookmarks.

Every conversion runs its own LibreOffice with its own temporary profile (-env:UserInstallation), so it never
collides with a LibreOffice the clerk has open, or with another export. Several files go through one run, because
starting LibreOffice is the slow part. The filter options ask for a tagged PDF (structure tree, /Lang from the
document's language) and one bookmark per heading; the clerk's PDF is then readable by a screen reader.

Also here: the text of a PDF (pypdf) and the check that a public PDF holds no exempt text.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from paperprep.errors import ConfidentialLeakError, ExportCancelled, ExportError

# The filter options as JSON (LibreOffice 7.4 and later): tagged PDF, and bookmarks from the headings.
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"}}'
)
CONVERTIBLE = (".docx", ".doc", ".odt", ".rtf")

LIBREOFFICE_MISSING = (
    "Writing a PDF needs LibreOffice, which is not installed on this computer: install it (on Debian or "
    "Ubuntu: sudo apt install libreoffice-writer-nogui; on Windows or macOS: from libreoffice.org) and export "
    "again, or export to Word (.docx), which works without it."
)

# Seconds for one run: starting LibreOffice with a new profile takes a few, each document about one more.
START_SECONDS = 60.0
SECONDS_PER_FILE = 30.0

Cancelled = Callable[[], bool]


def _candidates() -> list[Path]:
    """Where LibreOffice is usually installed, for when it is not on PATH."""
    found: list[Path] = []
    if sys.platform == "win32":
        for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            base = os.environ.get(var)
            if base:
                found.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
                found.append(Path(base) / "Programs" / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        for root in (Path("/Applications"), Path.home() / "Applications"):
            found.append(root / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    else:
        found += [
            Path("/usr/bin/soffice"),
            Path("/usr/lib/libreoffice/program/soffice"),
            Path("/snap/bin/libreoffice"),
        ]
        found += sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)
    return found


def find_libreoffice() -> Path | None:
    """LibreOffice's soffice: on PATH first, then in its usual install folders; None when it is not there."""
    for name in ("soffice", "libreoffice"):
        on_path = shutil.which(name)
        if on_path:
            return Path(on_path)
    return next((p for p in _candidates() if p.is_file() and os.access(p, os.X_OK)), None)


def libreoffice_missing() -> str | None:
    """The sentence for the clerk when no PDF can be written here, or None when LibreOffice is installed."""
    return None if find_libreoffice() is not None else LIBREOFFICE_MISSING


def require_libreoffice() -> Path:
    soffice = find_libreoffice()
    if soffice is None:
        raise ExportError(LIBREOFFICE_MISSING)
    return soffice


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the run and whatever it started (soffice starts soffice.bin)."""
    try:
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def convert_to_pdf(
    sources: Sequence[Path],
    outdir: Path,
    *,
    timeout: float | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    """Convert each source to a tagged PDF in `outdir` (named by its stem), in one LibreOffice run.

    The stems must differ. Raises ExportError when LibreOffice is missing, times out or leaves a file unconverted,
    and ExportCancelled (after ending LibreOffice) when `cancelled` says so.
    """
    if not sources:
        return []
    stems = [s.stem for s in sources]
    if len(set(stems)) != len(stems):
        raise ValueError("convert_to_pdf needs files with different names")
    soffice = require_libreoffice()
    limit = timeout if timeout is not None else START_SECONDS + SECONDS_PER_FILE * len(sources)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="paperprep-lo-") as profile:
        command = [
            str(soffice),
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(outdir),
            *(str(s) for s in sources),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            raise ExportError(
                f"LibreOffice ({soffice}) could not be started ({exc.strerror}). Reinstall it, then export again."
            ) from None
        deadline = time.monotonic() + limit
        while True:
            try:
                stdout, stderr = process.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    _stop(process)
                    raise ExportCancelled("The export was cancelled; nothing was written.") from None
                if time.monotonic() > deadline:
                    _stop(process)
                    raise ExportError(
                        f"LibreOffice did not finish converting to PDF within {int(limit)} seconds, so nothing "
                        "was written. Close any LibreOffice window that is waiting for an answer, and export "
                        "again."
                    ) from None
    results = [outdir / f"{s.stem}.pdf" for s in sources]
    for source, result in zip(sources, results, strict=True):
        if not result.is_file() or result.stat().st_size == 0:
            said = " ".join((stderr or stdout or b"").decode("utf-8", "replace").split())[:200]
            raise ExportError(
                f"LibreOffice could not convert {source.name} to PDF"
                + (f" ({said})" if said else "")
                + ". Check that the file opens in Word or LibreOffice, then export again."
            )
    return results


# -- text, for the leak check ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def page_texts(source: Path | bytes) -> list[str]:
    """The text of each page, as pypdf extracts it (lines kept)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
        if reader.is_encrypted:
            reader.decrypt("")
        return [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        name = "the PDF" if isinstance(source, bytes) else Path(source).name
        raise ExportError(f"The text of {name} could not be read ({exc}). Check the file.") from None


def distinctive_lines(texts: Iterable[str], min_length: int = 30) -> set[str]:
    """Lines long enough that finding one elsewhere means it was copied, not a coincidence."""
    lines: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            clean = normalise(line)
            if len(clean) >= min_length:
                lines.add(clean)
    return lines


def check_pdf_no_leak(texts: Sequence[str], forbidden: Iterable[str], what: str = "The public PDF") -> None:
    """Refuse a public PDF whose text (one string per page) holds any forbidden phrase (already normalised), as
    whole words (export/safety.py). A phrase that runs over from one page to the next is found too."""
    from paperprep.export.safety import find_phrase, shown

    phrases = [p for p in forbidden if p]
    if not phrases:
        return
    flats = [normalise(text) for text in texts]
    for number, flat in enumerate(flats, start=1):
        following = flats[number] if number < len(flats) else ""
        phrase = find_phrase(flat, phrases) or find_phrase(f"{flat} {following}", phrases)
        if phrase is not None:
            raise ConfidentialLeakError(
                f"{what} was not written: page {number} would contain exempt text (\u201c{shown(phrase)}\u201d). "
                "Check that the item is marked exempt and its papers are attached to it, or export the "
                "confidential version."
            )


def metadata_texts(source: Path | bytes) -> list[str]:
    """The PDF's document information (title, subject, keywords...) and its XMP metadata, as text."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
        if reader.is_encrypted:
            reader.decrypt("")
        out = [str(v) for v in (reader.metadata or {}).values()]
        root = reader.trailer["/Root"]
        xmp = root.get("/Metadata") if hasattr(root, "get") else None
        if xmp is not None:
            from paperprep.export.safety import xml_text

            out.append(xml_text(xmp.get_object().get_data().decode("utf-8", errors="replace")))
        outline = reader.outline
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        name = "the PDF" if isinstance(source, bytes) else Path(source).name
        raise ExportError(f"The text of {name} could not be read ({exc}). Check the file.") from None

    def titles(entries: Any) -> None:
        for entry in entries:
            if isinstance(entry, list):
                titles(entry)
            else:
                out.append(str(getattr(entry, "title", "") or ""))

    titles(outline)
    return out


def check_pdf_file_no_leak(
    source: Path | bytes, forbidden: Iterable[str], what: str = "The public PDF"
) -> None:
    """The whole check of a finished public PDF: the text of every page, its bookmarks and its metadata."""
    phrases = [p for p in forbidden if p]
    if not phrases:
        return
    check_pdf_no_leak(page_texts(source), phrases, what)
    from paperprep.export.safety import find_phrase, shown

    for text in metadata_texts(source):
        phrase = find_phrase(normalise(text), phrases)
        if phrase is not None:
            raise ConfidentialLeakError(
                f"{what} was not written: its properties or bookmarks would contain exempt text "
                f"(\u201c{shown(phrase)}\u201d). Check that the item is marked exempt, or export the confidential "
                "version."
            )


# -- drawing: pages written by hand in the standard Helvetica, which every PDF reader has ----------------------

# Advance widths (1/1000 em) of Helvetica and Helvetica-Bold for ASCII 32-126 (from the URW metric-compatible
# Nimbus Sans AFM files); any other character is taken as 556, the width of a digit, which is close enough to
# wrap a line and right-align a page number.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
REGULAR, BOLD = "/F1", "/F2"


def text_width(text: str, size: float, font: str = REGULAR) -> float:
    table = _HELVETICA_BOLD if font == BOLD else _HELVETICA
    return sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in text) * size / 1000


def wrap(text: str, width: float, size: float, font: str = REGULAR) -> list[str]:
    """Lines of `text` no wider than `width`; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, font) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size, font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding; a character it lacks becomes '?'."""
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += f"\\{byte:03o}".encode("ascii")
    return bytes(out + b")")


def text_op(x: float, y: float, text: str, size: float, font: str = REGULAR, grey: float = 0.0) -> bytes:
    return (
        f"BT {font} {size:g} Tf {grey:g} g {x:.2f} {y:.2f} Td ".encode("ascii")
        + pdf_string(text)
        + b" Tj ET\n"
    )


def drawn_page(width: float, height: float, content: bytes) -> Any:
    """A page of text in Helvetica (regular /F1, bold /F2), to add to a pypdf writer or merge onto a page."""
    from pypdf import PageObject
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    def font(name: str) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(name),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )

    page = PageObject.create_blank_page(width=width, height=height)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject(
                {NameObject(REGULAR): font("/Helvetica"), NameObject(BOLD): font("/Helvetica-Bold")}
            )
        }
    )
    stream = ContentStream(None, None)
    stream.set_data(content)
    page.replace_contents(stream)
    return page
