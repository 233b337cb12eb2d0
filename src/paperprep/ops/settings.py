"""Operations on the database-wide settings: the council's house style for its papers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy.orm import Session

from paperprep.ops.base import Operation
from paperprep.services.house_style import HouseStyle, set_house_style


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
