"""Safety of written files: no exempt text in a public document, no half-written file, no illegal characters.

These work on any Office Open XML package (a zip of XML parts), so the Word and the Excel exporters share them.
"""

from __future__ import annotations

import html
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from paperprep.errors import ConfidentialLeakError, ExportError

# XML 1.0 allows tab, newline, carriage return and most of the rest; everything else is dropped, never a crash.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A forbidden text must be specific enough that finding it in a public file means a leak, not a coincidence:
# "to note the report" is in every set of minutes. Titles are distinctive; other texts need some length.
MIN_TITLE_LENGTH = 12
MIN_TEXT_LENGTH = 30


def clean_xml_text(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def forbidden_phrases(titles: Iterable[str], texts: Iterable[str]) -> list[str]:
    phrases = [t for t in titles if len(t.strip()) >= MIN_TITLE_LENGTH]
    phrases += [t for t in texts if len(t.strip()) >= MIN_TEXT_LENGTH]
    return sorted({_normalise(clean_xml_text(p)) for p in phrases if p.strip()})


def package_text(data: bytes) -> dict[str, str]:
    """The text of every XML part of a package, with tags removed, one normalised string per part."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            raw = package.read(name).decode("utf-8", errors="replace")
            raw = re.sub(r"</w:p>|</a:p>|<w:tab/>|<w:br/>", " ", raw)
            text = html.unescape(re.sub(r"<[^>]+>", "", raw))
            out[name] = _normalise(text)
    return out


def check_no_leak(data: bytes, forbidden: Sequence[str]) -> None:
    """Refuse a package in which any forbidden phrase appears in any part (body, headers, properties...)."""
    if not forbidden:
        return
    for part, text in package_text(data).items():
        for phrase in forbidden:
            if phrase and phrase in text:
                shown = phrase if len(phrase) <= 60 else phrase[:57] + "..."
                raise ConfidentialLeakError(
                    f"The public document was not written: it would contain exempt text (\u201c{shown}\u201d, in "
                    f"{part}). Check that the item is marked exempt, or export the confidential version."
                )


def safe_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, then replace `path` with it in one step."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder. Choose a file name to export to.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist. Choose another folder.")
    handle = None
    temp_name = ""
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=folder
        )
        handle = os.fdopen(fd, "wb")
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        handle = None
        os.replace(temp_name, target)
    except PermissionError:
        _discard(handle, temp_name)
        raise ExportError(
            f"{target.name} is open in another program or is read-only, so it was not replaced. Close it, or choose "
            "another name, and export again."
        ) from None
    except OSError as exc:
        _discard(handle, temp_name)
        raise ExportError(
            f"{target.name} could not be written ({exc.strerror}). Check the folder and the disk."
        ) from None
    return target


def _discard(handle: object, temp_name: str) -> None:
    if handle is not None:
        try:
            handle.close()  # type: ignore[attr-defined]
        except OSError:
            pass
    if temp_name:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
