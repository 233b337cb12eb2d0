"""Connecting the app to a shared database: the address from the dialog, the password asked when the server wants
one and kept in the keyring (never in the settings), a saved connection among the recent databases, and one clear
sentence when the server cannot be reached."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import keyring
import pytest
from keyring.backend import KeyringBackend

from paperprep.errors import DatabaseProblem
from paperprep.ui import databases as D

from .conftest import Shared


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in the test's memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def _refused(message: str) -> DatabaseProblem:
    problem = DatabaseProblem("The server refused your login to paperprep on db.council.local:5432.")
    problem.__cause__ = RuntimeError(message)
    return problem


def test_the_address_holds_the_tls_mode_and_never_a_password() -> None:
    connection = D.Connection("db.council.local", 5433, "paperprep", "sam.patel")
    address = connection.address()
    assert address == "postgresql://sam.patel@db.council.local:5433/paperprep?sslmode=verify-full"
    secret = D.with_password(address, "p@ss:word/1")
    assert "p%40ss%3Aword%2F1" in secret
    assert D.without_password(secret) == address
    assert D.keyring_key(secret) == "sam.patel@db.council.local:5433/paperprep"


def test_the_password_is_asked_once_then_kept_in_the_keyring(
    qapp: Any, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = D.Connection("db.council.local", 5432, "paperprep", "sam.patel", "require").address()
    tried: list[str] = []

    def server(location: str) -> object:
        tried.append(location)
        if ":s3cret@" not in location:
            raise _refused('connection failed: fe_sendauth: no password supplied')
        return "opened"

    asked: list[bool] = []

    def ask(_parent: Any, _address: str, again: bool) -> str:
        asked.append(again)
        return "s3cret"

    monkeypatch.setattr(D, "open_database", server)
    monkeypatch.setattr(D, "ask_password", ask)
    assert D.connect_server(None, address) == "opened"
    assert asked == [False]
    assert memory_keyring.kept == {("paperprep", "sam.patel@db.council.local:5432/paperprep"): "s3cret"}
    assert tried[0] == address and "sslmode=require" in tried[1]

    # Next time the keyring's password is used, and nothing is asked.
    tried.clear()
    assert D.connect_server(None, address) == "opened"
    assert asked == [False] and len(tried) == 1

    # A kept password that the server now refuses is forgotten, and the clerk asked again.
    memory_keyring.kept[("paperprep", "sam.patel@db.council.local:5432/paperprep")] = "old"

    def changed(location: str) -> object:
        if ":s3cret@" not in location:
            raise _refused('password authentication failed for user "sam.patel"')
        return "opened"

    monkeypatch.setattr(D, "open_database", changed)
    assert D.connect_server(None, address) == "opened"
    assert asked == [False, True]
    assert memory_keyring.kept[("paperprep", "sam.patel@db.council.local:5432/paperprep")] == "s3cret"


def test_an_unreachable_server_is_one_sentence_and_nothing_opens(
    qapp: Any, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    told: list[str] = []
    monkeypatch.setattr(D.dialogs, "show_error", lambda _parent, text: told.append(text))
    monkeypatch.setattr(D, "ask_password", lambda *_a, **_k: pytest.fail("no password is asked of an absent server"))
    address = D.Connection("127.0.0.1", port, "paperprep", "sam.patel", "disable").address()
    assert D.connect_server(None, address) is None
    assert len(told) == 1 and told[0].startswith("paperprep cannot reach paperprep on 127.0.0.1:")
    assert "\n" not in told[0] and "Traceback" not in told[0]


def test_a_saved_connection_is_a_recent_database_without_its_password(
    qtbot: Any, shared: Shared, window_on_file: Any, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperprep.ui import settings

    window = window_on_file()
    host_port = shared.url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    database = shared.url.rsplit("/", 1)[1]
    chosen = D.Connection(host, int(port), database, "postgres", "disable")
    monkeypatch.setattr(D, "ask_connection", lambda _parent: (chosen, True))
    window.databases.connect_shared()
    assert window.db.on_server
    assert window.store.team is not None
    address = chosen.address()
    assert settings.recent_databases()[0] == address
    assert [a.text() for a in window.recent_menu.actions()][0] == address
    servers = [entry for entry in settings.recent_databases() if entry.startswith("postgresql://")]
    assert servers[0] == address and all(urlsplit(entry).password is None for entry in servers)
    window.store.leave_team()
