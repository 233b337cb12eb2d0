"""The look: the platform's style (Fusion where the platform's own is poor), one accent colour, light or dark.

Light and dark follow the system unless the clerk picks one (View > Appearance, kept in ui.settings). Qt 6.8+ lets
an app ask for a colour scheme (QStyleHints.setColorScheme); where the platform ignores it, Fusion with a palette
of our own gives the same result. Toolbar icons come from the platform's icon theme, with Qt's standard pixmaps
where the theme has none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QMainWindow,
    QStyle,
    QStyleFactory,
    QTableView,
    QToolBar,
)

from paperprep.ui import settings

ACCENT = QColor("#2c6e9e")  # one calm blue, for selections and links
ACCENT_DARK = QColor("#4f95c9")
SCHEMES = ("system", "light", "dark")
POOR_STYLES = (
    "windows",
)  # the Windows 95 look; "windowsvista" and "macos" are good, "fusion" is the fallback

SP = QStyle.StandardPixmap
# The toolbar's icons: a freedesktop icon name, and Qt's own pixmap when the theme has none.
TOOLBAR_ICONS: dict[str, tuple[str, QStyle.StandardPixmap]] = {
    "act_new_meeting": ("appointment-new", SP.SP_FileIcon),
    "act_add_item": ("list-add", SP.SP_FileDialogNewFolder),
    "act_add_standard": ("view-list-text", SP.SP_FileDialogListView),
    "act_undo": ("edit-undo", SP.SP_ArrowBack),
    "act_redo": ("edit-redo", SP.SP_ArrowForward),
    "act_find": ("edit-find", SP.SP_FileDialogContentsView),
    "act_action_log": ("x-office-spreadsheet", SP.SP_FileDialogDetailedView),
    "act_open": ("document-open", SP.SP_DialogOpenButton),
    "act_save": ("document-save", SP.SP_DialogSaveButton),
    "act_guide": ("help-contents", SP.SP_DialogHelpButton),
    "act_about": ("help-about", SP.SP_MessageBoxInformation),
    "act_quit": ("application-exit", SP.SP_DialogCloseButton),
}


def apply_style(app: QApplication) -> None:
    """Fusion where the platform's style is poor; then the colour scheme the clerk chose."""
    if app.style().name().lower() in POOR_STYLES:
        app.setStyle(QStyleFactory.create("Fusion"))
    apply_scheme(app, scheme())


def scheme() -> str:
    value = str(settings.APPEARANCE.get() or "system")
    return value if value in SCHEMES else "system"


def _palette(dark: bool) -> QPalette:
    if not dark:
        palette = QApplication.style().standardPalette()
        palette.setColor(QPalette.ColorRole.Highlight, ACCENT)
        palette.setColor(QPalette.ColorRole.HighlightedText, Qt.GlobalColor.white)
        palette.setColor(QPalette.ColorRole.Link, ACCENT)
        return palette
    palette = QPalette()
    window, base, text = QColor("#2b2d30"), QColor("#1f2023"), QColor("#e6e6e6")
    for role, color in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#26282b")),
        (QPalette.ColorRole.ToolTipBase, QColor("#3a3d41")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor("#8c8f94")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#35373b")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#ff6b6b")),
        (QPalette.ColorRole.Light, QColor("#45484d")),
        (QPalette.ColorRole.Midlight, QColor("#3a3d41")),
        (QPalette.ColorRole.Mid, QColor("#303236")),
        (QPalette.ColorRole.Dark, QColor("#18191b")),
        (QPalette.ColorRole.Shadow, QColor("#000000")),
        (QPalette.ColorRole.Highlight, ACCENT_DARK),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Link, ACCENT_DARK),
    ):
        palette.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d82"))
    return palette


def system_is_dark() -> bool:
    return QApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_scheme(app: QApplication, chosen: str) -> None:
    """ "system" follows the platform (and its changes); "light" and "dark" are Fusion palettes of our own."""
    hints = app.styleHints()
    wanted = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(chosen, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+
        hints.setColorScheme(wanted)
    if chosen == "system":
        app.setPalette(_palette(system_is_dark()))
    else:
        if app.style().name().lower() != "fusion":  # our dark palette is drawn well only by Fusion
            app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(_palette(chosen == "dark"))


def toolbar_icons(actions: dict[str, QAction], toolbar: QToolBar) -> None:
    style = QApplication.style()
    for attr, (name, fallback) in TOOLBAR_ICONS.items():
        action = actions.get(attr)
        if action is not None:
            action.setIcon(QIcon.fromTheme(name, style.standardIcon(fallback)))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)


class Appearance:
    """View > Appearance: Follow system, Light, Dark (one checked), stored in settings."""

    def __init__(self, window: QMainWindow, actions: dict[str, QAction]) -> None:
        self.window = window
        self.group = QActionGroup(window)
        self.group.setExclusive(True)
        self.actions = {
            "system": actions["act_scheme_system"],
            "light": actions["act_scheme_light"],
            "dark": actions["act_scheme_dark"],
        }
        current = scheme()
        for name, action in self.actions.items():
            action.setCheckable(True)
            action.setChecked(name == current)
            self.group.addAction(action)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.styleHints().colorSchemeChanged.connect(lambda _s: self._system_changed())

    def choose(self, name: str) -> None:
        settings.APPEARANCE.set(name)
        self.actions[name].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_scheme(app, name)

    def follow_system(self) -> None:
        self.choose("system")

    def light(self) -> None:
        self.choose("light")

    def dark(self) -> None:
        self.choose("dark")

    def _system_changed(self) -> None:
        app = QApplication.instance()
        if scheme() == "system" and isinstance(app, QApplication):
            app.setPalette(_palette(system_is_dark()))


def fit_columns(table: QTableView, stretch: int, minimum: int = 56) -> None:
    """Columns as wide as their contents and their header (never cut), one column taking the room left."""
    header = table.horizontalHeader()
    header.setMinimumSectionSize(minimum)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
