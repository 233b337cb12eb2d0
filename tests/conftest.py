"""Shared test set-up: Qt offscreen before anything imports it, and a fresh database for every test.

`database_url` gives each test that asks for it twice: once an SQLite file, once a fresh PostgreSQL database in
the throwaway cluster of the test session (tests/pg_support.py), and `database` the Database opened on it;
`fresh_database` makes as many new ones as a property test has examples, on the same engine. The cluster starts
only when a PostgreSQL test runs; without the server binaries those tests fail, saying what to do.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import AbstractContextManager, contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the default database, settings and logs of every test away from the real user's folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("PAPERPREP_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "paperprep.sqlite"


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    from paperprep.db import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """The session's PostgreSQL cluster, with a migrated template database to copy."""
    import pg_support

    cluster = pg_support.start_cluster()
    try:
        pg_support.make_template(cluster)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine a test runs on: every test that asks for it (or for `database_url`, `database`) runs on both."""
    return str(request.param)


@pytest.fixture
def database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh database lives: an SQLite file (not made yet), or a new PostgreSQL database at the current
    schema, dropped after the test."""
    if engine_name == "sqlite":
        yield str(tmp_path / "paperprep.sqlite")
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    try:
        yield url
    finally:
        cluster.drop_database(url)


@pytest.fixture
def database(database_url: str) -> Iterator[Any]:
    """The Database on `database_url`, on either engine."""
    from paperprep.db import open_database

    opened = open_database(database_url, daily_backup=False)
    yield opened
    opened.close()


@pytest.fixture
def fresh_database(
    engine_name: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], AbstractContextManager[Any]]:
    """fresh() -> a context manager that gives a new Database at the current schema on the test's engine each
    time it is entered, closed (on PostgreSQL also dropped) on leaving: one for each example of a property test."""
    cluster = request.getfixturevalue("pg_cluster") if engine_name == "postgresql" else None

    @contextmanager
    def fresh() -> Iterator[Any]:
        from paperprep.db import open_database

        if cluster is None:
            location = str(tmp_path_factory.mktemp("fresh") / "paperprep.sqlite")
        else:
            location = cluster.new_database()
        try:
            opened = open_database(location, daily_backup=False)
            try:
                yield opened
            finally:
                opened.close()
        finally:
            if cluster is not None:
                cluster.drop_database(location)

    return fresh
