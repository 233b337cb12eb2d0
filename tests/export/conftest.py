"""Shared set-up for the export tests: a demo database, and LibreOffice to check that real office software opens
what we write."""

from __future__ import annotations

import pytest

from paperprep.db import open_database
from paperprep.services.demo import load_demo


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path, daily_backup=False)
    with db.transaction() as s:
        load_demo(s)
    yield db
    db.close()
