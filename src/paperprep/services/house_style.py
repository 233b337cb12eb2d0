"""The council's house style for its papers: how times, agenda numbers, decisions and councillors are written, and
the standard wording of the standard agenda items.

One frozen `HouseStyle`, stored as one JSON row in the `settings` table (key "house_style"). Every field has a
default that matches published English council papers, so a council that never opens the dialog gets papers that
read like the examples. Reading is forgiving: an unknown or damaged value falls back to its default, never fails.
The Word writers take a `HouseStyle` and call its small methods, so the rules live here, beside their defaults.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from paperprep.db.models import Setting
from paperprep.domain import ItemKind
from paperprep.errors import ValidationError

SETTING_KEY = "house_style"


class TimeFormat(StrEnum):
    TWELVE_HOUR = "12h"  # 6.30 pm, 10.00 am, 12 noon
    TWENTY_FOUR_HOUR = "24h"  # 18:30

    @property
    def label(self) -> str:
        return {"12h": "6.30 pm (12-hour, 12 noon)", "24h": "18:30 (24-hour)"}[self.value]


class AgendaNumbers(StrEnum):
    SEQUENCE = "sequence"  # 1, 2, 3 on every agenda
    MINUTE_NUMBERS = "minute_numbers"  # the minute numbers the items will take: 57, 58... or 1/25, 2/25...

    @property
    def label(self) -> str:
        return {"sequence": "1, 2, 3 on every agenda", "minute_numbers": "The minute numbers (57, 58...)"}[
            self.value
        ]


class DecisionLayout(StrEnum):
    OWN_LINE = "own_line"  # "AGREED" alone, then "That the update be noted." (the published examples)
    RUN_IN = "run_in"  # "RESOLVED to note the information."

    @property
    def label(self) -> str:
        return {"own_line": "On its own line", "run_in": "Run into the text"}[self.value]


COUNCILLOR_TITLES = ("Councillor", "Cllr")

# The wording an agenda prints under a standard item when the clerk has written no purpose of its own.
DEFAULT_WORDING: dict[ItemKind, str] = {
    ItemKind.APOLOGIES: "To receive any apologies for absence.",
    ItemKind.SUBSTITUTES: "To note any substitute members.",
    ItemKind.DECLARATIONS: "To receive any declarations of interest.",
    ItemKind.PREVIOUS_MINUTES: "To approve the minutes of the previous meeting as a correct record.",
    ItemKind.ACTION_LOG: "To review the action log and any matters arising.",
    ItemKind.PETITIONS: "To receive any petitions and deputations.",
    ItemKind.URGENT_BUSINESS: "To consider any item which the Chair considers urgent.",
    ItemKind.EXCLUSION_MOTION: "To consider passing the following resolution:",
}
STANDARD_KINDS: tuple[ItemKind, ...] = tuple(DEFAULT_WORDING)


def _default_wording() -> tuple[tuple[ItemKind, str], ...]:
    return tuple(DEFAULT_WORDING.items())


@dataclass(frozen=True)
class HouseStyle:
    time_format: TimeFormat = TimeFormat.TWELVE_HOUR
    agenda_numbers: AgendaNumbers = AgendaNumbers.SEQUENCE
    decision_layout: DecisionLayout = DecisionLayout.OWN_LINE
    councillor_title: str = "Councillor"
    wording: tuple[tuple[ItemKind, str], ...] = field(default_factory=_default_wording)

    # -- what the papers print --------------------------------------------------------------------------------

    def time(self, time: dt.time | None) -> str:
        """6.30 pm, 10.00 am, 12 noon, 12 midnight; or 18:30. "" when there is no time."""
        if time is None:
            return ""
        if self.time_format is TimeFormat.TWENTY_FOUR_HOUR:
            return f"{time:%H:%M}"
        if time.minute == 0 and time.hour in (0, 12):
            return "12 noon" if time.hour == 12 else "12 midnight"
        hour = time.hour % 12 or 12
        return f"{hour}.{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"

    def standard_wording(self, kind: ItemKind) -> str:
        return dict(self.wording).get(kind, "")

    def councillor(self, name: str) -> str:
        """A councillor's name with the council's title: "Councillor Janet Pryer" or "Cllr Janet Pryer"."""
        bare = strip_title(name)
        return f"{self.councillor_title} {bare}" if bare else name

    def names(self, text: str) -> str:
        """Text the app wrote ("Cllr X (for Cllr Y)", "Councillors A and B") with the council's own title.

        Only for text made from the data, never for the clerk's own words."""
        if self.councillor_title == "Cllr":
            swaps = {"Councillor": "Cllr", "Councillors": "Cllrs"}
        else:
            swaps = {"Cllr": "Councillor", "Cllrs": "Councillors", "Cllr.": "Councillor"}
        return " ".join(swaps.get(word, word) for word in text.split(" "))

    # -- storage ----------------------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "time_format": self.time_format.value,
                "agenda_numbers": self.agenda_numbers.value,
                "decision_layout": self.decision_layout.value,
                "councillor_title": self.councillor_title,
                "wording": {kind.value: text for kind, text in self.wording},
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> HouseStyle:
        """The style in `raw`; anything missing, unknown or damaged takes its default."""
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        default = cls()
        changes: dict[str, Any] = {}
        choices: tuple[tuple[str, type[StrEnum]], ...] = (
            ("time_format", TimeFormat),
            ("agenda_numbers", AgendaNumbers),
            ("decision_layout", DecisionLayout),
        )
        for name, kind in choices:
            try:
                changes[name] = kind(str(data.get(name)))
            except ValueError:
                pass
        if data.get("councillor_title") in COUNCILLOR_TITLES:
            changes["councillor_title"] = data["councillor_title"]
        stored = data.get("wording")
        if isinstance(stored, Mapping):
            changes["wording"] = with_wording(
                default,
                {
                    kind: str(stored[kind.value])
                    for kind in STANDARD_KINDS
                    if isinstance(stored.get(kind.value), str)
                },
            ).wording
        return replace(default, **changes)


def with_wording(style: HouseStyle, wording: Mapping[ItemKind, str]) -> HouseStyle:
    """The style with some standard wordings replaced; a blank one goes back to the default."""
    current = dict(style.wording)
    for kind, text in wording.items():
        text = " ".join(text.split())
        current[kind] = text or DEFAULT_WORDING.get(kind, "")
    return replace(style, wording=tuple((k, current[k]) for k in STANDARD_KINDS if k in current))


def strip_title(name: str) -> str:
    """ "Cllr Janet Pryer", "Councillor Janet Pryer" or "Janet Pryer" -> "Janet Pryer"."""
    for title in ("councillor ", "cllr. ", "cllr "):
        if name.lower().startswith(title):
            return name[len(title) :].strip()
    return name.strip()


def house_style(session: Session) -> HouseStyle:
    setting = session.get(Setting, SETTING_KEY)
    return HouseStyle.from_json(setting.value if setting is not None else "")


def set_house_style(session: Session, style: HouseStyle) -> None:
    if style.councillor_title not in COUNCILLOR_TITLES:
        raise ValidationError(
            f"Councillors are written \u201cCouncillor\u201d or \u201cCllr\u201d, not \u201c{style.councillor_title}\u201d."
        )
    session.merge(Setting(key=SETTING_KEY, value=HouseStyle.from_json(style.to_json()).to_json()))
    session.flush()
