"""Database work off the GUI thread: a function runs on a pool thread, and its result comes back as a signal.

The function must not touch widgets; it gets only plain values and returns frozen records. The callback runs
on the GUI thread, queued through the signal.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


_jobs: set[_Signals] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None] | None = None,
) -> _Signals:
    """Run `fn` on the shared pool; `on_done(result)` or `on_failed(exc)` is then called on the GUI thread."""
    signals = _Signals()
    _jobs.add(signals)  # keep the signal object alive until it has delivered

    def work() -> None:  # on the pool thread
        try:
            result = fn()
        except BaseException as exc:  # handed to the GUI thread, which shows it
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            signals.failed.emit(exc)
            return
        signals.done.emit(result)

    def finished(result: Any) -> None:
        _jobs.discard(signals)
        on_done(result)

    def failed(exc: BaseException) -> None:
        _jobs.discard(signals)
        if on_failed is not None:
            on_failed(exc)
        else:
            raise exc

    signals.done.connect(finished)
    signals.failed.connect(failed)
    # A plain callable, not a QRunnable subclass: the pool keeps it alive, and no Python wrapper of a runnable
    # that Qt deletes is left for the garbage collector (which crashed the interpreter when a job was started from
    # a timer).
    QThreadPool.globalInstance().start(work)
    return signals
