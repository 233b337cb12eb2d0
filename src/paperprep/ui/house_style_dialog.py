"""The house style dialog (File > House style...): how the council's papers write times, agenda numbers,
decisions and councillors, and the standard wording of the standard agenda items.

It edits a `HouseStyle` value and hands it back; the caller saves it with the SetHouseStyle operation. The dialog
is opened through `ask_house_style`, which tests replace, so that no test waits on exec().
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import ItemKind
from paperprep.queries.settings import (
    COUNCILLOR_TITLES,
    DEFAULT_WORDING,
    STANDARD_KINDS,
    AgendaNumbers,
    DecisionLayout,
    HouseStyle,
    TimeFormat,
    with_wording,
)


def _named(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


class HouseStyleDialog(QDialog):
    def __init__(self, style: HouseStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("houseStyleDialog")
        self.setWindowTitle("House style")
        self._start = style
        layout = QVBoxLayout(self)
        intro = QLabel(
            "How this council's agendas and minutes are written. The defaults follow published English "
            "council papers."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.time_format = self._combo("houseStyleTime", "Times", [(t, t.label) for t in TimeFormat])
        self.agenda_numbers = self._combo(
            "houseStyleAgendaNumbers", "Agenda item numbers", [(a, a.label) for a in AgendaNumbers]
        )
        self.decision_layout = self._combo(
            "houseStyleDecisions", "RESOLVED and AGREED", [(d, d.label) for d in DecisionLayout]
        )
        self.councillor_title = self._combo(
            "houseStyleCouncillor",
            "Councillors are written",
            [(t, f"{t} Janet Pryer") for t in COUNCILLOR_TITLES],
        )
        self.preview = QLabel()
        self.preview.setObjectName("houseStylePreview")
        self.preview.setWordWrap(True)
        form.addRow("&Times:", self.time_format)
        form.addRow("&Agenda item numbers:", self.agenda_numbers)
        form.addRow("&RESOLVED and AGREED:", self.decision_layout)
        form.addRow("&Councillors:", self.councillor_title)
        form.addRow("Example:", self.preview)
        layout.addLayout(form)

        wording_box = QGroupBox("Standard wording on the agenda")
        wording_box.setObjectName("houseStyleWordingBox")
        wording_form = QFormLayout(wording_box)
        self.wording: dict[ItemKind, QLineEdit] = {}
        for kind in STANDARD_KINDS:
            edit = QLineEdit()
            _named(edit, f"houseStyleWording_{kind.value}", f"Standard wording: {kind.label}")
            edit.setPlaceholderText(DEFAULT_WORDING[kind])
            self.wording[kind] = edit
            wording_form.addRow(f"{kind.label}:", edit)
        note = QLabel("An item's own purpose, when it has one, is printed instead.")
        note.setWordWrap(True)
        wording_form.addRow(note)
        layout.addWidget(wording_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("houseStyleButtons")
        self.defaults = QPushButton("Restore &defaults")
        _named(self.defaults, "houseStyleDefaults", "Restore the default house style")
        buttons.addButton(self.defaults, QDialogButtonBox.ButtonRole.ResetRole)
        for button in buttons.buttons():
            if not button.objectName():
                text = button.text().replace("&", "")
                _named(button, f"houseStyle{text}", text)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.defaults.clicked.connect(lambda: self.show_style(HouseStyle()))
        layout.addWidget(buttons)
        for combo in (self.time_format, self.decision_layout, self.councillor_title):
            combo.currentIndexChanged.connect(self._update_preview)
        self.show_style(style)

    def _combo(self, name: str, accessible: str, choices: list[tuple[object, str]]) -> QComboBox:
        combo = QComboBox()
        _named(combo, name, accessible)
        for value, label in choices:
            combo.addItem(label, value)
        return combo

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def show_style(self, style: HouseStyle) -> None:
        self._select(self.time_format, style.time_format)
        self._select(self.agenda_numbers, style.agenda_numbers)
        self._select(self.decision_layout, style.decision_layout)
        self._select(self.councillor_title, style.councillor_title)
        for kind, edit in self.wording.items():
            text = style.standard_wording(kind)
            edit.setText("" if text == DEFAULT_WORDING[kind] else text)
        self._update_preview()

    def chosen_style(self) -> HouseStyle:
        """The style as the dialog shows it; a blank wording is the default wording."""
        chosen = HouseStyle(
            time_format=TimeFormat(self.time_format.currentData()),
            agenda_numbers=AgendaNumbers(self.agenda_numbers.currentData()),
            decision_layout=DecisionLayout(self.decision_layout.currentData()),
            councillor_title=str(self.councillor_title.currentData()),
        )
        return with_wording(chosen, {kind: edit.text() for kind, edit in self.wording.items()})

    def _update_preview(self) -> None:
        style = self.chosen_style()
        decision = (
            "AGREED / That the update be noted."
            if style.decision_layout is DecisionLayout.OWN_LINE
            else "RESOLVED to note the information."
        )
        self.preview.setText(
            f"The meeting began at {style.time(dt.time(18, 30))} and ended at {style.time(dt.time(20, 15))}. "
            f"{style.councillor('Janet Pryer')} (Chair). {decision}"
        )


def ask_house_style(parent: QWidget | None, current: HouseStyle) -> HouseStyle | None:
    """The house style the clerk chose, or None when they cancelled."""
    dialog = HouseStyleDialog(current, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen_style()
