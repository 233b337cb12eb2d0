"""Operations on the database-wide settings: the council's house style for its papers, and the personal word list
of the spell checker (kept in the database so that it travels with the data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy.orm import Session

from paperprep.db.models import Setting
from paperprep.ops.base import Operation
from paperprep.services.house_style import HouseStyle, set_house_style
from paperprep.spelling import WORDS_KEY, read_word_list, word_for_list, write_word_list


@dataclass(frozen=True)
class SetHouseStyle(Operation[None]):
    """Replace the house style. Not undoable, like the council's name: it changes no meeting's record, only how
    every paper is written from now on, and the dialog shows the current style to change back."""

    style: HouseStyle
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Set the house style"

    def apply(self, session: Session) -> None:
        set_house_style(session, self.style)


@dataclass(frozen=True)
class AddToDictionary(Operation[None]):
    """Add a word to the personal word list, so that the spell checker knows it from now on, in every window
    and after a restart. It changes no meeting, so it joins no meeting's undo history."""

    word: str

    @property
    def label(self) -> str:
        return f"Add \u201c{self.word.strip()}\u201d to the dictionary"

    def apply(self, session: Session) -> None:
        word = word_for_list(self.word)
        setting = session.get(Setting, WORDS_KEY)
        words = read_word_list(setting.value if setting is not None else "")
        if word in words:
            return
        session.merge(Setting(key=WORDS_KEY, value=write_word_list((*words, word))))
        session.flush()
