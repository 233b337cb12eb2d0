"""The window's end of the failure road: a sentence in a message box, never a traceback (see paperprep.logs)."""

from __future__ import annotations

from types import TracebackType

from PySide6.QtWidgets import QWidget

from paperprep.logs import explain
from paperprep.ui import dialogs


def report(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the clerk about `exc`: its own sentence if expected, else an apology naming the log file."""
    dialogs.show_error(parent, explain(exc))


def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """The last line of defence for an exception that escaped a slot."""
    if value.__traceback__ is None and tb is not None:
        value = value.with_traceback(tb)
    report(None, value)
