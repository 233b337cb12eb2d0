"""Recovery files: typed text that could not be saved to the database, kept safe until the clerk deals with it.

When the window closes with text it could not save (the database locked by another program, the disk full), the
clerk can write that text to a recovery file. There is one per database, in a private folder beside it
("paperprep-recovery/<database file name>.json", the file 0600 and the folder 0700 on POSIX), so the next start
on the same database finds it. Each entry is one field's text as the operation that would have saved it, plus
what the clerk needs to recognise it: the meeting, the item, the field and when it was typed (ISO 8601).

A recovery file is written whole and atomically (a private temporary file, flushed to disk, then renamed over the
old one), and is only ever removed once every entry in it has been restored or the clerk has discarded it. Qt-free,
so the crash harness and tests can read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import os
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperprep.db import private_folder
from paperprep.db.backup import fsync_path
from paperprep.errors import PaperprepError

FOLDER = "paperprep-recovery"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """One field's unsaved text: the operation that saves it, encoded, and how to show it to the clerk."""

    operation: str  # the operation's class name, e.g. "SaveMinutesText"
    fields: Mapping[str, Any]  # the operation's fields as JSON values (see `encode`)
    meeting: str  # the meeting as the clerk knows it, or "" when it could not be read
    item: str  # the item's title, or ""
    field: str  # "Minutes text", "Presenter", "Title"...
    text: str  # the text itself, as plain text, for the list and the clipboard
    typed_at: dt.datetime  # when it was written to the file: the text is at least this recent
    # The field's autosave key ("body:12"): two entries with one key are two versions of one field.
    key: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "fields": dict(self.fields),
            "meeting": self.meeting,
            "item": self.item,
            "field": self.field,
            "text": self.text,
            "typed_at": self.typed_at.isoformat(timespec="seconds"),
            "key": self.key,
        }

    @classmethod
    def from_json(cls, data: Any) -> Entry:
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            raise ValueError("an entry is not an object with fields")
        return cls(
            str(data["operation"]),
            data["fields"],
            str(data.get("meeting", "")),
            str(data.get("item", "")),
            str(data.get("field", "")),
            str(data.get("text", "")),
            dt.datetime.fromisoformat(str(data["typed_at"])),
            str(data.get("key", "")),
        )


def folder(db_path: Path) -> Path:
    return Path(db_path).parent / FOLDER


def file_for(db_path: Path) -> Path:
    """The recovery file of this database (which may not exist)."""
    return folder(db_path) / f"{Path(db_path).name}.json"


def read(db_path: Path) -> list[Entry]:
    """The entries kept for this database; [] when there are none. A damaged file is reported, never removed."""
    path = file_for(db_path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise PaperprepError(
            f"The recovery file {path} cannot be read ({exc.strerror}). It is kept: check its folder's permissions."
        ) from None
    try:
        data = json.loads(raw)
        return [Entry.from_json(e) for e in data["entries"]]
    except (ValueError, KeyError, TypeError):
        raise PaperprepError(
            f"The recovery file {path} is damaged and cannot be offered. It is kept: open it in a text editor "
            "to copy the text out."
        ) from None


def write(db_path: Path, entries: Iterable[Entry]) -> Path:
    """Keep `entries` as the whole recovery file of this database (removing the file when there are none)."""
    entries = list(entries)
    path = file_for(db_path)
    if not entries:
        path.unlink(missing_ok=True)
        return path
    body = json.dumps(
        {"format": FORMAT, "database": Path(db_path).name, "entries": [e.to_json() for e in entries]},
        ensure_ascii=False,
        indent=1,
    )
    try:
        private_folder(path.parent)
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        handle = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(handle, body.encode("utf-8"))
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(partial, path)
        if os.name == "posix":  # the rename is on disk too (other systems have no folder handles)
            fsync_path(path.parent)
    except OSError as exc:
        raise PaperprepError(
            f"The recovery file could not be written in {path.parent} ({exc.strerror}). "
            "Copy the text on screen somewhere safe before closing."
        ) from None
    return path


def add(db_path: Path, entries: Iterable[Entry]) -> Path:
    """Add entries after those already kept (an earlier close may have left some for later)."""
    return write(db_path, [*read(db_path), *entries])


# -- operations as JSON ---------------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A JSON value for a dataclass (an operation and what it holds): enums by value, dates in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in a recovery file")


def decode(cls: type[Any], data: Mapping[str, Any]) -> Any:
    """The dataclass `cls` from its `encode`d form. Raises ValueError for data that does not fit."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _decode_value(hints[f.name], data[f.name])
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def _decode_value(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for arg in (a for a in args if a is not type(None)):
            try:
                return _decode_value(arg, value)
            except (ValueError, TypeError):
                continue
        raise ValueError(f"{value!r} fits none of {hint}")
    if origin in (tuple, list):
        if not isinstance(value, list):
            raise ValueError(f"{value!r} is not a list")
        item = args[0] if args else Any
        items = [_decode_value(item, v) for v in value]
        return tuple(items) if origin is tuple else items
    if hint is Any:
        return value
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                raise ValueError(f"{value!r} is not an object")
            return decode(hint, value)
        if issubclass(hint, enum.Enum):
            return hint(value)
        if hint is dt.date:
            return dt.date.fromisoformat(value)
        if hint is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if hint is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{value!r} is not true or false")
            return value
        if hint is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if hint in (int, float, str):
            if not isinstance(value, hint) or isinstance(value, bool):
                raise ValueError(f"{value!r} is not a {hint.__name__}")
            return value
    raise ValueError(f"cannot read a {hint} from a recovery file")
