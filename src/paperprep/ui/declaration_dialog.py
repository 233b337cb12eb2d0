"""A declaration of interest in one form: the member, the type of interest, its nature, the item, and what the
member did about it (remained, left the room and took no part, did not vote).

`ask_declaration` is module-level so that tests can answer it, like the questions in ui.dialogs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import DeclarationOutcome, DeclarationType
from paperprep.queries.meeting import ItemChoice, PersonChoice

TITLE = "Declaration of interest"


@dataclass(frozen=True)
class DeclarationAnswer:
    person_id: int
    type: DeclarationType
    nature: str
    item_id: int | None  # None: a declaration not tied to one item
    outcome: DeclarationOutcome


class DeclarationDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        members: Sequence[PersonChoice],
        items: Sequence[ItemChoice],
        current_item_id: int | None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("declarationDialog")
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.member = QComboBox()
        self.member.setObjectName("declarationMember")
        self.member.setAccessibleName("Member")
        for m in members:
            self.member.addItem(m.name, m.id)
        self.type_group = QButtonGroup(self)
        self.type_buttons: dict[DeclarationType, QRadioButton] = {}
        types = QVBoxLayout()
        for n, kind in enumerate(DeclarationType):
            button = QRadioButton(kind.label)
            button.setObjectName(f"declarationType_{kind.value}")
            self.type_group.addButton(button, n)
            self.type_buttons[kind] = button
            types.addWidget(button)
        self.type_buttons[DeclarationType.NON_REGISTRABLE].setChecked(True)
        self.nature = QLineEdit()
        self.nature.setObjectName("declarationNature")
        self.nature.setAccessibleName("Nature of the interest")
        self.nature.setPlaceholderText("e.g. Her son attends a school named in the report")
        self.item = QComboBox()
        self.item.setObjectName("declarationItem")
        self.item.setAccessibleName("Item")
        self.item.addItem("No particular item", None)
        for i in items:
            self.item.addItem(i.label, i.id)
        self.item.setCurrentIndex(
            max(0, self.item.findData(current_item_id)) if current_item_id is not None else 0
        )
        self.outcome = QComboBox()
        self.outcome.setObjectName("declarationOutcome")
        self.outcome.setAccessibleName("What the member did")
        for o in DeclarationOutcome:
            self.outcome.addItem(o.label, o.value)
        form = QFormLayout(self)
        for text, widget in (("&Member:", self.member), ("&Nature of the interest:", self.nature)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        type_label = QLabel("&Type of interest:")
        type_label.setBuddy(self.type_buttons[DeclarationType.DISCLOSABLE_PECUNIARY])
        form.addRow(type_label, types)
        for text, widget in (("&Item:", self.item), ("&What the member did:", self.outcome)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.problem = QLabel()
        self.problem.setObjectName("declarationProblem")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("declarationButtons")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        if not members:
            self.problem.setText(
                "No members are recorded for this meeting. Add the committee's members first."
            )
            ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            ok.setEnabled(False)

    def chosen_type(self) -> DeclarationType:
        for kind, button in self.type_buttons.items():
            if button.isChecked():
                return kind
        return DeclarationType.NON_REGISTRABLE

    def set_type(self, kind: DeclarationType) -> None:
        self.type_buttons[kind].setChecked(True)

    def _accept(self) -> None:
        if self.member.currentData() is None:
            self.problem.setText("Choose the member who declared the interest.")
            return
        self.accept()

    def answer(self) -> DeclarationAnswer:
        return DeclarationAnswer(
            int(self.member.currentData()),
            self.chosen_type(),
            " ".join(self.nature.text().split()),
            self.item.currentData(),
            DeclarationOutcome(self.outcome.currentData()),
        )


def ask_declaration(
    parent: QWidget | None,
    members: Sequence[PersonChoice],
    items: Sequence[ItemChoice],
    current_item_id: int | None,
) -> DeclarationAnswer | None:
    """The declaration the clerk records, or None (cancelled). `members` have `id` and `name`; `items` have `id`
    and `label`; the item shown is chosen at first."""
    dialog = DeclarationDialog(parent, members, items, current_item_id)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answer()
