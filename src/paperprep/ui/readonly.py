"""A connection that may only read (a viewer's account on a shared database), honoured where the clerk edits.

The store knows whether its account may write: `Store.read_only` is why not ("" when it may), and
`Store.readOnlyChanged` says when that changes. Each panel, window and dialog that edits asks it when it sets its
own widgets' state (as it already does for approved minutes), and calls `follow` once when it is built, so that a
panel built later is read-only from the start and every panel follows a change without anyone polling.

`set_editable` is the one way a widget is made read-only here: a text field is made read-only, not disabled, so its
text can still be selected and copied; a button, a choice or a tick box is disabled. `guard_commands` disables the
window's commands that change data, with a tip saying why, and gives them back when the account may write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from paperprep.ui.store import Store

# The main window's commands that change the record (ui.actions.COMMANDS); the rest read, export or navigate.
CHANGING_COMMANDS = (
    "act_restore",
    "act_import_minutes",
    "act_council",
    "act_house_style",
    "act_new_committee",
    "act_committee",
    "act_new_meeting",
    "act_details",
    "act_delete_meeting",
    "act_add_item",
    "act_add_standard",
    "act_add_resolution",
    "act_paste",
    "act_approve",
    "act_reopen",
    "act_import_updates",
)
_TIP = "paperprepWritableTip"  # a command's own tip, kept while the read-only reason stands in for it
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


class _Follower(QObject):
    """Calls `update` when the store's read-only state changes, for as long as its owner lives."""

    def __init__(self, owner: QObject, update: Callable[[], None]) -> None:
        super().__init__(owner)
        self._update = update

    @Slot(str)
    def changed(self, _reason: str) -> None:
        self._update()


def follow(store: Store, owner: QObject, update: Callable[[], None]) -> None:
    """Call `update()` whenever the connection becomes read-only or writable again, until `owner` is destroyed.
    `update` sets the owner's widgets from `store.read_only`, as the owner does when it is built or loads."""
    follower = _Follower(owner, update)
    store.readOnlyChanged.connect(follower.changed)


def set_editable(editable: bool, *widgets: QWidget, reason: str = "") -> None:
    """Let the clerk change these widgets, or not. A text field not editable is read-only, its text still
    selectable and copyable; anything else is disabled. `reason`, when given, is the tip of a widget not editable."""
    for widget in widgets:
        if isinstance(widget, QLineEdit | QAbstractSpinBox):
            widget.setReadOnly(not editable)
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            if not editable:
                widget.setReadOnly(True)
                widget.setTextInteractionFlags(_SELECTABLE)  # the keyboard selects and copies too
            elif widget.isReadOnly():
                widget.setReadOnly(False)
        else:
            widget.setEnabled(editable)
        if reason or editable:
            _swap_tip(widget, "" if editable else reason)


def _swap_tip(target: QWidget | QAction, reason: str) -> None:
    """Show `reason` as the tip (keeping the widget's own), or give the own tip back when `reason` is ""."""
    kept = target.property(_TIP)
    if reason:
        if kept is None:
            target.setProperty(_TIP, target.toolTip())
        target.setToolTip(reason)
        if isinstance(target, QAction):
            target.setStatusTip(reason)
    elif kept is not None:
        target.setToolTip(str(kept))
        target.setProperty(_TIP, None)
        if isinstance(target, QAction):
            target.setStatusTip("")


def guard_commands(actions: Mapping[str, QAction], reason: str, names: Iterable[str] = CHANGING_COMMANDS) -> None:
    """Disable the commands that change data while `reason` says why the connection may only read (their tip and
    status tip say so), or enable them again when `reason` is ""."""
    for name in names:
        action = actions.get(name)
        if action is None:
            continue
        action.setEnabled(not reason)
        _swap_tip(action, f"Not available: {reason}" if reason else "")
