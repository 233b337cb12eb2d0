"""Fixtures for driving the real main window: a fresh database, and modal questions answered by the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from paperprep.db import open_database
from paperprep.domain import MembershipRole, PersonKind
from paperprep.services import committees as C


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """Queue answers for the modal questions; a question with no answer queued fails the test."""
    from paperprep.ui import dialogs

    queued: dict[str, list[object]] = {}

    def answer(name: str) -> Callable[..., object]:
        def reply(*_args: object, **_kwargs: object) -> object:
            if not queued.get(name):
                raise AssertionError(f"unexpected question: {name}")
            return queued[name].pop(0)

        return reply

    for name in (
        "ask_text",
        "ask_multiline",
        "ask_paragraphs",
        "ask_new_meeting",
        "ask_new_committee",
        "ask_choice",
        "confirm",
        "ask_first_run",
        "choose_open_file",
        "choose_save_file",
        "ask_meeting_details",
    ):
        monkeypatch.setattr(dialogs, name, answer(name))
    from paperprep.ui import recovery

    for name in ("ask_unsaved", "ask_recovery"):
        monkeypatch.setattr(recovery, name, answer(name))
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, text: errors.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda *_a: None)
    queued["_errors"] = errors  # type: ignore[assignment]
    return queued


def make_committee(path: Path) -> int:
    db = open_database(path)
    with db.transaction() as s:
        committee = C.create_committee(s, "Children & Learning Scrutiny", "CLSC")
        for name, role in (
            ("Janet Pryer", MembershipRole.CHAIR),
            ("Sadia Ahmed", MembershipRole.VICE_CHAIR),
            ("Michael Walsh", MembershipRole.MEMBER),
            ("Grace Okafor", MembershipRole.MEMBER),
        ):
            C.add_member(
                s,
                committee,
                C.get_or_create_person(s, name, PersonKind.COUNCILLOR),
                role,
                dt.date(2020, 5, 1),
            )
        committee_id = committee.id
    db.close()
    return committee_id


@pytest.fixture
def committee_db(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "clerk.sqlite"
    return path, make_committee(path)


@pytest.fixture
def open_window(qtbot, answers) -> Iterator[Callable[[Path], object]]:  # type: ignore[no-untyped-def]
    from paperprep.ui.application import make_application
    from paperprep.ui.main_window import MainWindow

    make_application()
    windows = []

    def opener(path: Path) -> MainWindow:
        window = MainWindow(open_database(path))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.close()
        window.db.close()
