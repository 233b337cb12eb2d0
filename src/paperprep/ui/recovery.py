"""Typed text that could not be saved: closing asks what to do with it, and the next start offers it back.

Closing the window with text the autosaver could not save (the database locked by another program, the disk
full) asks with three choices: try the save again, write the text to a recovery file (paperprep.recovery) and
close, or cancel. On the next start on the same database the window lists what the recovery file holds and offers
to restore it, keep it for later, or discard it.

Restoring runs each field's text through its own operation (one undo step per field). If the field changed since
the text was typed, both are kept: a minute's text and an item's purpose get the recovered text added after the
current text, under a note saying when it was typed; any other field (a title, the presenter, an inspection
summary) stays as it is, and the recovered text stays in the recovery file, to be offered again, and is put on
the clipboard. A recovery file is removed only when everything in it is restored, or when the clerk discards it.

The two questions are module-level functions, so tests answer them without a real dialog.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paperprep import blocks as B
from paperprep import recovery as R
from paperprep.errors import PaperprepError
from paperprep.formats import presenter, uk_date
from paperprep.logs import explain
from paperprep.ops import Operation
from paperprep.ops.actions import SaveInspection
from paperprep.ops.agenda import EditItem
from paperprep.ops.minutes import SaveMinutesText, SetPresenter
from paperprep.queries import meeting as Q
from paperprep.ui import dialogs
from paperprep.ui.store import Store

SOURCE = "recovery"
FIELD_NAMES = {
    "title": "Title",
    "kind": "Kind",
    "purpose": "Purpose",
    "report_of": "Report of",
    "public_title": "Public title",
}
FIRST_WORDS = 8


# -- the questions ------------------------------------------------------------------------------------------


def ask_unsaved(parent: QWidget | None, reason: str, fields: int) -> str:
    """Closing with unsaved typing: "retry", "recover" (write a recovery file, then close) or "cancel"."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Close paperprep")
    what = "1 field" if fields == 1 else f"{fields} fields"
    box.setText(
        f"Typing in {what} could not be saved" + (f": {reason}" if reason else ".") + "\n\n"
        "It is still on screen. Try the save again, or keep the text in a recovery file that paperprep "
        "offers back the next time you open this database."
    )
    retry = box.addButton("&Try again", QMessageBox.ButtonRole.AcceptRole)
    recover = box.addButton("&Save to a recovery file", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(retry)
    box.exec()
    clicked = box.clickedButton()
    return "retry" if clicked is retry else "recover" if clicked is recover else "cancel"


@dataclass(frozen=True)
class Offered:
    """One line of the recovery offer."""

    meeting: str
    item: str
    field: str
    first_words: str
    when: str  # 24/04/2025 14:02


def ask_recovery(parent: QWidget | None, rows: list[Offered]) -> str:
    """What to do with a recovery file: "restore", "keep" (offer it again next time) or "discard"."""
    dialog = QDialog(parent)
    dialog.setObjectName("recoveryDialog")
    dialog.setWindowTitle("Recover unsaved typing")
    dialogs.fit_title(dialog)
    layout = QVBoxLayout(dialog)
    intro = QLabel(
        "When paperprep last closed on this database, this typing could not be saved and was kept in a "
        "recovery file. Restore puts it back (Edit > Undo takes back each field); where a field has changed "
        "since, both texts are kept."
    )
    intro.setWordWrap(True)
    layout.addWidget(intro)
    table = QTableWidget(len(rows), 5)
    table.setObjectName("recoveryList")
    table.setAccessibleName("Recovered typing")
    table.setHorizontalHeaderLabels(["Meeting", "Item", "Field", "First words", "When"])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    for r, row in enumerate(rows):
        for c, text in enumerate((row.meeting, row.item, row.field, row.first_words, row.when)):
            table.setItem(r, c, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the first words take what is left
    layout.addWidget(table)
    buttons = QDialogButtonBox()
    restore = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
    keep = buttons.addButton("&Keep for later", QDialogButtonBox.ButtonRole.RejectRole)
    discard = buttons.addButton("&Discard", QDialogButtonBox.ButtonRole.DestructiveRole)
    choice = {"value": "keep"}  # closing the dialog keeps the file

    def chose(value: str) -> None:
        choice["value"] = value
        dialog.accept()

    restore.clicked.connect(lambda: chose("restore"))
    keep.clicked.connect(lambda: chose("keep"))
    discard.clicked.connect(lambda: chose("discard"))
    restore.setDefault(True)
    layout.addWidget(buttons)
    dialog.resize(820, 360)
    restore.setFocus()
    dialog.exec()
    return choice["value"]


# -- closing ------------------------------------------------------------------------------------------------


def close_allowed(store: Store, parent: QWidget | None) -> bool:
    """Save what is pending; if anything is still unsaved, ask until it is saved, kept in a file, or closing is
    cancelled. True when the window may close."""
    autosaver = store.autosaver
    autosaver.flush()
    while autosaver.unsaved:
        choice = ask_unsaved(parent, autosaver.reason, max(1, len(autosaver.unsaved_operations())))
        if choice == "retry":
            autosaver.retry()
        elif choice == "recover":
            if save_to_file(store, parent):
                return True
        else:
            return False
    return True


def save_to_file(store: Store, parent: QWidget | None) -> bool:
    """Write every unsaved field's text to the database's recovery file. False (the clerk told why) if it failed."""
    try:
        now = dt.datetime.now().replace(microsecond=0)
        entries = [_entry(store, key, op, now) for key, op in store.autosaver.unsaved_operations()]
        R.add(store.db.path, entries)
    except Exception as exc:  # noqa: BLE001 - explained; the text stays on screen and the window stays open
        dialogs.show_error(parent, explain(exc))
        return False
    store.autosaver.forget_unsaved()
    return True


def _entry(store: Store, key: str, op: Operation[Any], now: dt.datetime) -> R.Entry:
    field, text = describe(op)
    meeting, item = _labels(store, getattr(op, "item_id", None))
    return R.Entry(type(op).__name__, R.encode(op), meeting, item, field, text, now, key)


def describe(op: Operation[Any]) -> tuple[str, str]:
    """(the field as the clerk knows it, its text as plain text)."""
    if isinstance(op, SaveMinutesText):
        return "Minutes text", B.to_plain_text(op.blocks)
    if isinstance(op, SetPresenter):
        return "Presenter", presenter(op.name, op.role)
    if isinstance(op, EditItem):
        return FIELD_NAMES.get(op.field, op.field.replace("_", " ").capitalize()), op.value
    if isinstance(op, SaveInspection):
        return "Inspection summary", "\n".join(t for t in _strings(op.data) if t.strip())
    return op.label, "\n".join(t for t in _strings(op) if t.strip())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, enum.Enum):
        return
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _labels(store: Store, item_id: int | None) -> tuple[str, str]:
    """(meeting, item title) as the database has them now, or blanks when it cannot be read."""
    if item_id is None:
        return "", ""
    try:
        details = store.read(Q.item_details, item_id)
        if details is None:
            return "", ""
        heading = store.read(Q.meeting_heading, details.meeting_id)
        return (heading.text if heading is not None else ""), details.title
    except Exception:  # noqa: BLE001 - the database is what failed: the entry keeps its ids and its text
        return "", ""


# -- the next start -----------------------------------------------------------------------------------------


def offer(store: Store, parent: QWidget | None) -> None:
    """If the open database has a recovery file, list it and do as the clerk says."""
    path = store.db.path
    try:
        entries = R.read(path)
    except PaperprepError as exc:
        dialogs.show_error(parent, exc.message)
        return
    if not entries:
        return
    choice = ask_recovery(parent, [_offered(store, e) for e in entries])
    try:
        if choice == "discard":
            R.write(path, [])
        elif choice == "restore":
            kept, notes = restore(store, entries)
            R.write(path, kept)
            dialogs.show_info(parent, "Recover unsaved typing", " ".join(notes))
    except PaperprepError as exc:
        dialogs.show_error(parent, exc.message)


def _offered(store: Store, entry: R.Entry) -> Offered:
    meeting, item = entry.meeting, entry.item
    if not meeting or not item:
        item_id = entry.fields.get("item_id")
        now_meeting, now_item = _labels(store, item_id if isinstance(item_id, int) else None)
        meeting, item = meeting or now_meeting, item or now_item
    words = entry.text.split()
    first = " ".join(words[:FIRST_WORDS]) + ("\u2026" if len(words) > FIRST_WORDS else "")
    when = f"{uk_date(entry.typed_at.date())} {entry.typed_at:%H:%M}"
    return Offered(meeting or "(meeting not found)", item or "(item not found)", entry.field, first, when)


def _operation_class(name: str) -> type[Operation[Any]] | None:
    pending: list[type[Any]] = [Operation]
    while pending:
        cls = pending.pop()
        if cls.__name__ == name and cls is not Operation:
            return cls
        pending.extend(cls.__subclasses__())
    return None


def _version_now(store: Store, op: Operation[Any]) -> tuple[bool, int | None]:
    """(whether the record is still there, the version an edit of it states now)."""
    item_id = getattr(op, "item_id", None)
    if not isinstance(item_id, int):
        return True, None
    if isinstance(op, SaveInspection):
        found = store.read(Q.item_inspection, item_id)
        return found is not None, found.version if found is not None else None
    details = store.read(Q.item_details, item_id)
    return details is not None, details.version if details is not None else None


SAME = "same"  # the recovered text is what the field holds now: nothing to restore


def _both(
    store: Store, op: Operation[Any], entry: R.Entry, version: int | None
) -> Operation[Any] | str | None:
    """The operation that keeps the current text and adds the recovered one after it; SAME when the field already
    holds the recovered text; None for a field that cannot hold two texts."""
    note = (
        f"Recovered text, typed on {uk_date(entry.typed_at.date())} at {entry.typed_at:%H:%M} and not saved "
        "then (the text above was saved since):"
    )
    if isinstance(op, SaveMinutesText):
        minute = store.read(Q.item_minute, op.item_id)
        if minute is None:
            return None
        if minute.blocks == op.blocks:
            return SAME
        return SaveMinutesText(op.item_id, (*minute.blocks, B.paragraph(note), *op.blocks), version)
    if isinstance(op, EditItem) and op.field == "purpose":
        details = store.read(Q.item_details, op.item_id)
        if details is None:
            return None
        if details.purpose == op.value:
            return SAME
        return EditItem(op.item_id, "purpose", f"{details.purpose}\n\n{note}\n{op.value}", version)
    return None


def restore(store: Store, entries: list[R.Entry]) -> tuple[list[R.Entry], list[str]]:
    """Apply each entry through its operation. Returns the entries kept (not restored) and what to tell the clerk."""
    kept: list[R.Entry] = []
    appended: list[str] = []
    messages: list[str] = []
    restored_keys: set[str] = set()
    produced: dict[tuple[str, int], tuple[int, int]] = {}  # record: (version read, version this restore left)
    failures: list[str] = []
    store.failed.connect(failures.append)
    try:
        for entry in entries:
            cls = _operation_class(entry.operation)
            try:
                op = R.decode(cls, entry.fields) if cls is not None else None
            except ValueError:
                op = None
            if op is None:
                kept.append(entry)
                messages.append(f"{entry.field} of {entry.item or 'an item'} could not be read back.")
                continue
            record = ("inspection" if isinstance(op, SaveInspection) else "item", getattr(op, "item_id", 0))
            read = getattr(op, "read_version", None)
            if entry.key not in restored_keys and record in produced and read == produced[record][0]:
                op = replace(op, read_version=produced[record][1])  # type: ignore[type-var]
            try:
                exists, version = _version_now(store, op)
            except Exception:  # noqa: BLE001 - the database cannot be read: keep the text for later
                exists, version = True, getattr(op, "read_version", None)
            changed = exists and version != getattr(op, "read_version", None) and read is not None
            if not exists:
                kept.append(entry)
                messages.append(
                    f"\u201c{entry.item or 'An item'}\u201d no longer exists, so its {entry.field.lower()} "
                    "was not restored."
                )
                continue
            if changed:
                try:
                    both = _both(store, op, entry, version)
                except Exception:  # noqa: BLE001 - the database cannot be read now: keep the text for later
                    both = None
                if both == SAME:
                    restored_keys.add(entry.key)
                    continue
                if not isinstance(both, Operation):
                    kept.append(entry)
                    messages.append(f"{entry.field} of \u201c{entry.item}\u201d was changed since.")
                    continue
                op = both
                appended.append(f"{entry.field.lower()} of \u201c{entry.item}\u201d")
            before = len(failures)
            done = store.run(op, source=SOURCE, quiet=True)
            if done is None:
                kept.append(entry)
                messages.append(
                    failures[-1] if len(failures) > before else f"{entry.field} was not restored."
                )
                continue
            restored_keys.add(entry.key)
            if isinstance(done.result, int) and read is not None and not changed:
                produced[record] = (produced.get(record, (read, 0))[0], done.result)
    finally:
        store.failed.disconnect(failures.append)
    restored = len(entries) - len(kept)
    notes = [f"Restored {restored} of {len(entries)} recovered {'text' if len(entries) == 1 else 'texts'}."]
    if appended:
        notes.append(
            "Changed since, so the recovered text was added after the current text, with a note: "
            + "; ".join(appended)
            + "."
        )
    notes += messages
    if kept:
        QGuiApplication.clipboard().setText("\n\n".join(f"{e.field}, {e.item}:\n{e.text}" for e in kept))
        notes.append(
            "The text not restored is on the clipboard, and stays in the recovery file: it is offered again "
            "the next time you open this database."
        )
    return kept, notes
