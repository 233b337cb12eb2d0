"""Fixtures shared by the operations tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ops_support import Template, Templates


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("demo"))
    yield found
    found.drop()


@pytest.fixture
def template(engine_name: str, templates: Templates, request: pytest.FixtureRequest) -> Iterator[Template]:
    """The demo council on the engine of this run of the test (both, through `engine_name`)."""
    cluster = request.getfixturevalue("pg_cluster") if engine_name == "postgresql" else None
    found = templates.get(engine_name, cluster)
    yield found
    found.drop_copies()
