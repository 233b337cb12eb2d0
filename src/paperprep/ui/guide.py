"""Help that opens: the user guide inside the app, and opening a file or folder with a message when that fails.

The guide is docs/user-guide.md, read where it is: at the root of a checkout (beside src/), or in a docs folder
beside the installed package. Nothing is copied into the package; when no guide is found, a short built-in text
says what to do first. Its pictures (docs/images/...) are found through the browser's search path.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

import paperprep
from paperprep.ui import dialogs

GUIDE_NAME = "user-guide.md"
BUILT_IN = (
    "# paperprep\n\n"
    "The full user guide was not installed with this copy of paperprep.\n\n"
    "1. Pick a meeting on the left, or make one with *Meeting > New meeting* (Ctrl+N).\n"
    "2. Build the agenda: *Add standard items*, then reports and verbal updates.\n"
    "3. On the day, record attendance; afterwards write each minute and its resolution (F11 gives the minutes "
    "the whole window).\n"
    "4. Export the agenda and minutes to Word or PDF, and the action log to Excel, from the *Export* menu.\n"
)


def guide_candidates() -> list[Path]:
    package = Path(paperprep.__file__).resolve().parent
    return [
        package.parents[1] / "docs" / GUIDE_NAME,  # a checkout: src/paperprep -> docs/ at the root
        package.parent / "docs" / GUIDE_NAME,  # installed: a docs folder beside the package
        package / "docs" / GUIDE_NAME,
        Path(sys.prefix) / "share" / "paperprep" / "docs" / GUIDE_NAME,
    ]


def find_guide() -> Path | None:
    return next((path for path in guide_candidates() if path.is_file()), None)


class GuideWindow(QDialog):
    """The user guide in a window of its own (not modal: the clerk can follow it while working)."""

    def __init__(self, parent: QWidget | None = None, guide: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle("paperprep user guide")
        self.browser = QTextBrowser()
        self.browser.setObjectName("userGuideText")
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.path = guide if guide is not None else find_guide()
        if self.path is not None:
            folder = self.path.parent
            self.browser.setSearchPaths([str(folder)])
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))
            self.browser.setMarkdown(self.path.read_text(encoding="utf-8"))
        else:
            self.browser.setMarkdown(BUILT_IN)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(900, 760)


def open_path(parent: QWidget | None, path: Path) -> bool:
    """Open a file or folder with the system's application. If the system cannot, say so and give the path."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    what = "folder" if path.is_dir() else "file"
    dialogs.show_error(
        parent,
        f"The computer could not open the {what} by itself. It is here:\n\n{path}\n\n"
        f"Open it from your file manager (the path can be selected and copied).",
    )
    return False
