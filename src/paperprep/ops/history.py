"""Undo histories: one per meeting, so that undo acts only on the meeting the clerk is looking at.

A step goes to the history of the meeting it edited (derived from the rows it wrote, not from the window it came
from), so a status set in the Action log window is undone from the meeting's own history like one set on its
Actions tab. Typing in one field within a few seconds is one step. An operation that cannot be undone (approval,
say) ends its meeting's history; the history then says what cannot be undone, for the Edit menu.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from paperprep.errors import ConflictError, MinutesLockedError, PaperprepError
from paperprep.ops.base import Step, Workbench
from paperprep.ops.changes import Changes

LIMIT = 200  # steps kept per meeting; the oldest are forgotten first


@dataclass
class History:
    done: list[Step] = field(default_factory=list)
    undone: list[Step] = field(default_factory=list)
    barrier: str = ""  # the label of the last step that cannot be undone

    def record(self, step: Step) -> None:
        if not step.undoable:
            self.done.clear()
            self.undone.clear()
            self.barrier = step.label
            return
        self.undone.clear()
        if self.done and self.done[-1].can_merge(step):
            self.done[-1] = self.done[-1].merged_with(step)
        else:
            self.done.append(step)
            del self.done[:-LIMIT]

    @property
    def undo_label(self) -> str:
        return self.done[-1].label if self.done else ""

    @property
    def redo_label(self) -> str:
        return self.undone[-1].label if self.undone else ""


class Histories:
    """Every meeting's history, over one workbench. Keys are meeting ids (any hashable works)."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self._histories: dict[Hashable, History] = {}
        self.last_irreversible = ""  # the last step anywhere that could not be undone

    def get(self, key: Hashable | None) -> History:
        if key is None:
            return History(barrier=self.last_irreversible)
        return self._histories.setdefault(key, History())

    def record(self, step: Step, key: Hashable | None = None) -> None:
        if key is None:
            key = step.changes.home_meeting
        if not step.undoable:
            self.last_irreversible = step.label
        elif key is not None:
            self.last_irreversible = ""
        if key is not None:
            self.get(key).record(step)

    def can_undo(self, key: Hashable | None) -> bool:
        return key is not None and bool(self.get(key).done)

    def can_redo(self, key: Hashable | None) -> bool:
        return key is not None and bool(self.get(key).undone)

    def undo(self, key: Hashable, source: str = "") -> Changes:
        """Undo the newest step of this history. A step that can no longer be undone is dropped, and says why."""
        history = self.get(key)
        return self._replay(history, history.done, history.undone, self.bench.undo, source)

    def redo(self, key: Hashable, source: str = "") -> Changes:
        history = self.get(key)
        return self._replay(history, history.undone, history.done, self.bench.redo, source)

    @staticmethod
    def _replay(
        history: History,
        source_list: list[Step],
        target_list: list[Step],
        replay: Callable[[Step, str], Changes],
        source: str,
    ) -> Changes:
        step = source_list.pop()
        try:
            changes = replay(step, source)
        except (ConflictError, MinutesLockedError):
            history.undone.clear()  # it can never be replayed now: drop it, and say why
            raise
        except PaperprepError:
            source_list.append(step)  # the database was busy, say: the step stays for another try
            raise
        target_list.append(step)
        return changes

    def forget(self, key: Hashable) -> None:
        self._histories.pop(key, None)

    def clear(self) -> None:
        self._histories.clear()
        self.last_irreversible = ""
