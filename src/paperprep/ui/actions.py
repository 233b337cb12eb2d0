"""Every command of the main window, declared once: its name, text, shortcut and tip, and where it goes in the
menus and the toolbar. A command's slot is a dotted path from the window ("databases.open_database"), looked up
when it is triggered, so the table can be read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar

from paperprep.ui import style
from paperprep.ui.spelling import SpellingCommands
from paperprep.ui.store import Store
from paperprep.ui.undo import UndoActions

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class Command:
    attr: str  # the window attribute that holds the action (act_...)
    name: str  # its objectName
    text: str
    slot: str  # a dotted path from the window
    shortcut: Key | str | None = None
    tip: str = ""
    widget_shortcut: bool = False  # the focused field handles the key itself; the entry serves the mouse
    checkable: bool = False


COMMANDS: tuple[Command, ...] = (
    # File
    Command("act_new_db", "newDatabase", "&New database...", "databases.new_database"),
    Command("act_open", "openDatabase", "&Open database...", "databases.open_database", Key.Open),
    Command(
        "act_connect",
        "connectDatabase",
        "&Connect to a shared database...",
        "databases.connect_shared",
        tip="Work on the team's shared PostgreSQL database",
    ),
    Command(
        "act_save",
        "saveNow",
        "&Save now",
        "save_now",
        Key.Save,
        "Everything is saved as you type; this saves at once",
    ),
    Command(
        "act_send_changes",
        "sendChanges",
        "Sen&d my changes...",
        "databases.send_changes",
        tip="Send the changes made in this offline copy to the shared database it was copied from",
    ),
    Command("act_backup", "backupNow", "&Backup now...", "databases.backup_now"),
    Command("act_restore", "restoreBackup", "&Restore from backup...", "databases.restore_backup"),
    Command(
        "act_import_minutes",
        "importMinutes",
        "Import &minutes...",
        "minutes_import.import_minutes",
        tip="Add meetings from published minutes documents (.txt, .docx, .pdf), or a folder of them",
    ),
    Command("act_council", "councilName", "Council &name...", "commands.edit_council_name"),
    Command("act_house_style", "houseStyle", "&House style...", "commands.edit_house_style"),
    Command(
        "act_print", "printPaper", "&Print...", "exports.print_paper", Key.Print, "Print the agenda or minutes"
    ),
    Command("act_print_preview", "printPreview", "Print pre&view...", "exports.print_preview"),
    Command("act_quit", "quit", "&Quit", "close", Key.Quit),
    # Edit (Undo and Redo come from ui.undo)
    Command("act_cut", "cut", "Cu&t", "action_collection.edit_cut", Key.Cut, widget_shortcut=True),
    Command("act_copy", "copy", "&Copy", "action_collection.edit_copy", Key.Copy, widget_shortcut=True),
    Command(
        "act_paste_text", "paste", "&Paste", "action_collection.edit_paste", Key.Paste, widget_shortcut=True
    ),
    Command("act_find", "find", "&Find...", "open_search", Key.Find),
    Command(
        "act_next_mistake",
        "nextSpellingMistake",
        "Next spelling &mistake",
        "action_collection.spelling.next_mistake",
        "F7",
        "Select the next misspelt word in the text you are in, with its suggestions",
    ),
    Command(
        "act_spelling",
        "checkSpelling",
        "Check &spelling",
        "action_collection.spelling.toggle",
        tip="Underline misspelt words as you type",
        checkable=True,
    ),
    Command(
        "act_spelling_uk",
        "spellingEnglishUK",
        "Spelling: English (&UK)",
        "action_collection.spelling.english_uk",
        checkable=True,
    ),
    Command(
        "act_spelling_us",
        "spellingEnglishUS",
        "Spelling: English (U&S)",
        "action_collection.spelling.english_us",
        checkable=True,
    ),
    # Meeting
    Command("act_new_committee", "newCommittee", "New &committee...", "commands.new_committee"),
    Command("act_committee", "committeeSettings", "Committee &settings...", "commands.edit_committee"),
    Command("act_members", "committeeMembers", "Committee &members...", "commands.edit_members"),
    Command("act_new_meeting", "newMeeting", "&New meeting...", "commands.new_meeting", Key.New),
    Command(
        "act_details",
        "meetingDetails",
        "Meeting &details...",
        "commands.edit_meeting_details",
        "Ctrl+Shift+D",
    ),
    Command("act_delete_meeting", "deleteMeeting", "&Delete meeting...", "commands.delete_meeting"),
    Command("act_add_item", "addItem", "&Add item...", "commands.add_item", "Ctrl+Shift+A"),
    Command(
        "act_add_standard",
        "addStandard",
        "Add &standard items",
        "commands.add_standard_items",
        "Ctrl+Shift+T",
    ),
    Command(
        "act_write_minutes",
        "writeMinutes",
        "&Write minutes of selected item",
        "commands.write_minutes",
        "Ctrl+E",
    ),
    Command(
        "act_add_resolution",
        "addResolutionAction",
        "Add &resolution...",
        "commands.focus_resolution",
        "Ctrl+Shift+R",
    ),
    Command("act_paste", "pasteMinutes", "Paste &minutes text...", "paste_minutes", "Ctrl+Shift+V"),
    Command("act_approve", "approveMinutes", "A&pprove minutes", "approve_minutes"),
    Command("act_reopen", "reopenMinutes", "Re&open minutes...", "commands.reopen_minutes"),
    Command("act_action_log", "actionLog", "Action &log", "open_action_log", "Ctrl+L"),
    Command("act_inspections", "inspectionHistory", "&Inspection history...", "open_inspection_history"),
    Command("act_topics", "topicHistory", "&Topic history...", "open_topic_history"),
    # Export
    Command(
        "act_export_agenda",
        "exportAgendaPublic",
        "&Agenda (public)...",
        "exports.agenda_public",
        "Ctrl+Shift+G",
    ),
    Command(
        "act_export_agenda_conf",
        "exportAgendaConfidential",
        "Agenda (&confidential)...",
        "exports.agenda_confidential",
    ),
    Command(
        "act_export_minutes",
        "exportMinutesPublic",
        "&Minutes (public)...",
        "exports.minutes_public",
        "Ctrl+Shift+M",
    ),
    Command(
        "act_export_minutes_conf",
        "exportMinutesConfidential",
        "Minutes (c&onfidential)...",
        "exports.minutes_confidential",
    ),
    Command("act_export_agenda_pdf", "exportAgendaPdf", "Agenda (&PDF)...", "exports.agenda_pdf"),
    Command("act_export_minutes_pdf", "exportMinutesPdf", "Minutes (PD&F)...", "exports.minutes_pdf_public"),
    Command(
        "act_export_minutes_pdf_conf",
        "exportMinutesPdfConfidential",
        "Mi&nutes, confidential (PDF)...",
        "exports.minutes_pdf_confidential",
    ),
    Command("act_export_pack", "exportPackPublic", "Agenda pac&k (PDF)...", "exports.pack_public"),
    Command(
        "act_export_pack_conf",
        "exportPackConfidential",
        "Agenda pack, confid&ential (PDF)...",
        "exports.pack_confidential",
    ),
    Command("act_template", "chooseTemplate", "Word &template...", "exports.choose_template"),
    Command("act_house_template", "defaultTemplate", "Use the &house template", "exports.use_house_template"),
    Command("act_export_log", "exportActionLog", "Action &log (Excel)...", "exports.action_log_public"),
    Command(
        "act_export_log_conf",
        "exportActionLogConfidential",
        "Action log, confidential (E&xcel)...",
        "exports.action_log_confidential",
    ),
    Command("act_export_decisions", "exportDecisions", "&Decisions register (Excel)...", "exports.decisions"),
    Command(
        "act_export_decisions_conf",
        "exportDecisionsConfidential",
        "Decisions register, confidential (Exce&l)...",
        "exports.decisions_confidential",
    ),
    Command(
        "act_import_updates", "importActionUpdates", "&Import officers' updates...", "exports.import_updates"
    ),
    # View
    Command(
        "act_focus",
        "focusMode",
        "&Focus on the minutes",
        "toggle_focus_mode",
        "F11",
        "Only the item and its minutes (F11 or Esc to come back)",
        checkable=True,
    ),
    Command("act_scheme_system", "appearanceSystem", "Appearance: follow &system", "appearance.follow_system"),
    Command("act_scheme_light", "appearanceLight", "Appearance: &light", "appearance.light"),
    Command("act_scheme_dark", "appearanceDark", "Appearance: &dark", "appearance.dark"),
    # Help
    Command("act_guide", "userGuide", "&User guide", "open_guide", Key.HelpContents),
    Command("act_about", "about", "&About paperprep", "about"),
)

RECENT, SEPARATOR = "@recent", "-"
# (title, objectName, entries): an entry is a command's attr, a separator, or the recent databases submenu.
MENUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("&File", "fileMenu", ("act_new_db", "act_open", "act_connect", RECENT, "-", "act_save", "act_send_changes", "act_backup", "act_restore",
                           "act_import_minutes", "act_council", "act_house_style", "-", "act_print", "act_print_preview", "-", "act_quit")),
    ("&Edit", "editMenu", ("act_undo", "act_redo", "-", "act_cut", "act_copy", "act_paste_text", "-", "act_find",
                           "-", "act_next_mistake", "act_spelling", "act_spelling_uk", "act_spelling_us")),
    ("&Meeting", "meetingMenu", ("act_new_committee", "act_committee", "act_members", "act_new_meeting",
                                 "act_details", "act_delete_meeting", "-", "act_add_item", "act_add_standard",
                                 "act_write_minutes", "act_add_resolution", "act_paste", "-", "act_approve",
                                 "act_reopen", "-", "act_action_log", "act_inspections", "act_topics")),
    ("E&xport", "exportMenu", ("act_export_agenda", "act_export_agenda_conf", "act_export_minutes",
                               "act_export_minutes_conf", "-", "act_export_agenda_pdf",
                               "act_export_minutes_pdf", "act_export_minutes_pdf_conf", "act_export_pack",
                               "act_export_pack_conf", "-", "act_template", "act_house_template", "-",
                               "act_export_log", "act_export_log_conf", "act_export_decisions", "act_export_decisions_conf",
                               "act_import_updates")),
    ("&View", "viewMenu", ("act_focus", "-", "act_scheme_system", "act_scheme_light", "act_scheme_dark")),
    ("&Help", "helpMenu", ("act_guide", "act_about")),
)  # fmt: skip
TOOLBAR = ("act_new_meeting", "act_add_item", "act_add_standard", "-", "act_undo", "act_redo", "act_find",
           "act_action_log")  # fmt: skip


def _resolve(root: object, path: str) -> Any:
    target: Any = root
    for part in path.split("."):
        target = getattr(target, part)
    return target


class ActionCollection:
    """The window's actions, built from COMMANDS, with its menus and toolbar built from MENUS and TOOLBAR."""

    def __init__(self, window: QMainWindow, undo: UndoActions) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {"act_undo": undo.undo, "act_redo": undo.redo}
        for command in COMMANDS:
            self.actions[command.attr] = self._make(command)
        self.menus: dict[str, QMenu] = {}
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setObjectName("recentMenu")
        bar = window.menuBar()
        for title, name, entries in MENUS:
            menu = bar.addMenu(title)
            menu.setObjectName(name)
            self.menus[name] = menu
            for entry in entries:
                if entry == SEPARATOR:
                    menu.addSeparator()
                elif entry == RECENT:
                    menu.addMenu(self.recent_menu)
                else:
                    menu.addAction(self.actions[entry])
        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        for entry in TOOLBAR:
            if entry == SEPARATOR:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.actions[entry])
        window.addToolBar(self.toolbar)
        style.toolbar_icons(self.actions, self.toolbar)
        store: Store = window.store  # type: ignore[attr-defined]  # the main window's, built before its menus
        self.spelling = SpellingCommands(window, store, self.actions)

    def __getitem__(self, attr: str) -> QAction:
        return self.actions[attr]

    def _make(self, command: Command) -> QAction:
        action = QAction(command.text, self.window)
        action.setObjectName(command.name)
        if command.shortcut is not None:
            action.setShortcut(QKeySequence(command.shortcut))
        action.setCheckable(command.checkable)
        if command.widget_shortcut:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(command.tip or command.text.replace("&", "").rstrip("."))
        action.triggered.connect(lambda _checked=False, path=command.slot: _resolve(self.window, path)())
        return action

    # -- Cut, Copy and Paste act on the focused field ------------------------------------------------------------

    @staticmethod
    def _focused(method: str) -> None:
        widget = QApplication.focusWidget()
        if widget is not None and hasattr(widget, method):
            getattr(widget, method)()

    def edit_cut(self) -> None:
        self._focused("cut")

    def edit_copy(self) -> None:
        self._focused("copy")

    def edit_paste(self) -> None:
        self._focused("paste")
