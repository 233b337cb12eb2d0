"""The database-wide settings as the views read them: the council's house style for its papers.

The style and its choices are plain frozen values, re-exported here so that the ui never imports the services.
"""

from __future__ import annotations

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

__all__ = [
    "COUNCILLOR_TITLES",
    "DEFAULT_WORDING",
    "STANDARD_KINDS",
    "AgendaNumbers",
    "DecisionLayout",
    "HouseStyle",
    "TimeFormat",
    "house_style",
    "with_wording",
]
