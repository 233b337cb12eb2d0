"""What the app remembers between runs. Every key is declared here once, with its default; nowhere else names one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from paperprep.spelling import DEFAULT_LANGUAGE, LANGUAGES

MAX_RECENT = 8


def _settings() -> QSettings:
    override = os.environ.get("PAPERPREP_SETTINGS")  # an INI file instead of the clerk's own: the self-test's
    if override:
        return QSettings(override, QSettings.Format.IniFormat)
    return QSettings("paperprep", "paperprep")


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any = None

    def get(self) -> Any:
        return _settings().value(self.key, self.default)

    def set(self, value: Any) -> None:
        _settings().setValue(self.key, value)

    def clear(self) -> None:
        _settings().remove(self.key)


GEOMETRY = Setting("geometry")  # the main window's size and place (QByteArray)
SPLITTER = Setting("splitter")  # navigator and workspace widths (QByteArray)
MINUTES_SPLITTER = Setting(
    "minutes_splitter"
)  # minutes text above resolutions/actions/declarations (QByteArray)
AGENDA_SPLITTER = Setting("agenda_splitter")  # agenda table above the selected item's details (QByteArray)
APPEARANCE = Setting("appearance", "system")  # "system" (follow the system), "light" or "dark"
ACTION_LOG_GEOMETRY = Setting("action_log_geometry")  # the Action log window's size and place (QByteArray)
RECENT = Setting("recent", [])  # databases opened, newest first
LAST_EXPORT_FOLDER = Setting("last_export_folder", "")  # where the last export was written
WORD_TEMPLATE = Setting("word_template", "")  # the council's Word template, "" for the house template
SPELLING = Setting("spelling", True)  # check spelling as the clerk types (Edit > Check spelling)
SPELLING_LANGUAGE = Setting("spelling_language", DEFAULT_LANGUAGE)  # a key of paperprep.spelling.LANGUAGES


def byte_array(setting: Setting) -> QByteArray | None:
    value = setting.get()
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def recent_databases() -> list[str]:
    stored = RECENT.get()
    if isinstance(stored, str):  # one entry comes back as a plain string
        stored = [stored] if stored else []
    return [str(p) for p in stored] if isinstance(stored, list) else []


def remember_database(path: Path) -> list[str]:
    recent = [p for p in recent_databases() if p != str(path)]
    recent.insert(0, str(path))
    RECENT.set(recent[:MAX_RECENT])
    return recent[:MAX_RECENT]


def last_export_folder() -> str:
    value = LAST_EXPORT_FOLDER.get()
    folder = str(value) if value else ""
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_export_folder(written: Path) -> None:
    LAST_EXPORT_FOLDER.set(str(written.parent))


def word_template() -> Path | None:
    """The council's Word template chosen in Export > Word template, if it is still there."""
    value = WORD_TEMPLATE.get()
    path = Path(str(value)) if value else None
    return path if path is not None and path.is_file() else None


def set_word_template(path: Path | None) -> None:
    if path is None:
        WORD_TEMPLATE.clear()
    else:
        WORD_TEMPLATE.set(str(path))


def spelling_enabled() -> bool:
    value = SPELLING.get()
    if isinstance(value, str):  # some settings back ends give "true" and "false" back
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def set_spelling_enabled(on: bool) -> None:
    SPELLING.set(bool(on))


def spelling_language() -> str:
    """The chosen dictionary's language code; an unknown stored value falls back to English (UK)."""
    value = str(SPELLING_LANGUAGE.get() or "")
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def set_spelling_language(language: str) -> None:
    SPELLING_LANGUAGE.set(language)
