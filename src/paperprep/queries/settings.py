"""The database-wide settings as the views read them: the council's house style for its papers, and the words the
spell checker knows from the database (names of people and committees, and the personal word list).

The style and its choices are plain frozen values, re-exported here so that the ui never imports the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep.db.models import Committee, Person, Setting
from paperprep.services.house_style import (
    COUNCILLOR_TITLES,
    DEFAULT_WORDING,
    STANDARD_KINDS,
    AgendaNumbers,
    DecisionLayout,
    HouseStyle,
    TimeFormat,
    house_style,
    with_wording,
)
from paperprep.spelling import WORDS_KEY, read_word_list

__all__ = [
    "COUNCILLOR_TITLES",
    "DEFAULT_WORDING",
    "STANDARD_KINDS",
    "AgendaNumbers",
    "DecisionLayout",
    "HouseStyle",
    "KnownWords",
    "TimeFormat",
    "house_style",
    "known_words",
    "with_wording",
]


@dataclass(frozen=True)
class KnownWords:
    """What the database tells the spell checker: names (split into words by the checker) and the personal list."""

    names: tuple[str, ...]
    personal: tuple[str, ...]


def known_words(session: Session) -> KnownWords:
    people = session.scalars(select(Person.name)).all()
    committees = session.scalars(select(Committee.name)).all()
    setting = session.get(Setting, WORDS_KEY)
    return KnownWords(
        tuple(sorted({*people, *committees})), read_word_list(setting.value if setting is not None else "")
    )
