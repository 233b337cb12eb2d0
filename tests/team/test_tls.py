"""Connections without trusting the network, and without a password: a throwaway cluster of its own that speaks
TLS (its certificate signed by a throwaway certificate authority, tests/pg_support.py) and takes peer logins over
its Unix socket. `sslmode=verify-full` with the authority's certificate connects; a server the address does not
trust is refused in one sentence; the operating-system user logs in over the socket with no password, for the app
and for `paperprep migrate`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import pg_support
from paperprep.cli import parse_args, run
from paperprep.db import head_revision, open_server
from paperprep.errors import DatabaseProblem
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateMeeting
from paperprep.services import committees as C


@pytest.fixture(scope="module")
def tls_cluster() -> Iterator[pg_support.Cluster]:
    cluster = pg_support.start_cluster(tls=True, local_auth="peer")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def tls_database(tls_cluster: pg_support.Cluster) -> str:
    """The name of an empty database on the TLS cluster (each test that opens it finds it at the schema)."""
    return tls_cluster.new_database(template=None).rsplit("/", 1)[1]


def _address(cluster: pg_support.Cluster, database: str, host: str = "127.0.0.1", **parameters: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in parameters.items())
    return f"postgresql://{pg_support.SUPERUSER}@{host}:{cluster.port}/{database}?{query}"


def _refusal(address: str) -> str:
    with pytest.raises(DatabaseProblem) as caught:
        open_server(address)
    said = caught.value.message
    assert "\n" not in said and "Traceback" not in said and "SSL error" not in said, said
    return said


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_verify_full_with_the_councils_authority_connects_over_tls(
    tls_cluster: pg_support.Cluster, tls_database: str, host: str
) -> None:
    assert tls_cluster.ca_file is not None
    address = _address(
        tls_cluster, tls_database, host, sslmode="verify-full", sslrootcert=str(tls_cluster.ca_file)
    )
    db = open_server(address)
    try:
        with db.transaction() as s:
            encrypted = s.execute(
                text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).one()
            committee = C.create_committee(s, f"Scrutiny over TLS ({host})", "TLS" + host[:3].upper())
            committee_id = committee.id
        assert encrypted.ssl is True and encrypted.version.startswith("TLS")
        meeting = Workbench(db).run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
        item = Workbench(db).run(AddItem(meeting, "School place planning")).result
        with db.transaction() as s:
            assert s.execute(text("SELECT title FROM agenda_items WHERE id = :i"), {"i": item}).scalar() == (
                "School place planning"
            )
    finally:
        db.close()


def test_a_server_signed_by_another_authority_is_refused_in_one_sentence(
    tls_cluster: pg_support.Cluster,
    tls_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = pg_support.make_authority(tmp_path, "another-ca")
    address = _address(tls_cluster, tls_database, sslmode="verify-full", sslrootcert=str(other.cert_file))
    said = _refusal(address)
    assert said == (
        f"paperprep did not connect to {tls_database} on 127.0.0.1:{tls_cluster.port}: its certificate is not "
        "signed by the certificate authority that the address trusts (sslrootcert), so it may not be the "
        "council's server; ask IT for the right CA certificate."
    )
    # The command line says the same on one line, and exits 1.
    assert run(parse_args(["migrate", "--db", address])) == 1
    assert capsys.readouterr().err == f"paperprep: {said}\n"


def test_the_app_shows_the_refusal_and_asks_for_no_password(
    qapp: Any,
    tls_cluster: pg_support.Cluster,
    tls_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paperprep.ui import databases as D

    other = pg_support.make_authority(tmp_path, "another-ca")
    address = _address(tls_cluster, tls_database, sslmode="verify-full", sslrootcert=str(other.cert_file))
    told: list[str] = []
    monkeypatch.setattr(D.dialogs, "show_error", lambda _parent, said: told.append(said))
    monkeypatch.setattr(
        D, "ask_password", lambda *_a, **_k: pytest.fail("a TLS refusal asks for no password")
    )
    assert D.connect_server(None, address) is None
    assert len(told) == 1 and told[0].startswith("paperprep did not connect to ")
    assert "certificate authority" in told[0] and "\n" not in told[0]


def test_a_certificate_for_another_name_or_a_missing_authority_file_is_said_plainly(
    tls_cluster: pg_support.Cluster, tls_database: str, tmp_path: Path
) -> None:
    assert tls_cluster.ca_file is not None
    # Reached at the right address, but asked for by a name the certificate does not carry.
    wrong_name = _address(
        tls_cluster,
        tls_database,
        "db.council.test",
        hostaddr="127.0.0.1",
        sslmode="verify-full",
        sslrootcert=str(tls_cluster.ca_file),
    )
    assert _refusal(wrong_name).endswith(
        "its certificate was issued for another server name, so it may not be the council's server; check the "
        "server name in the address with IT."
    )
    absent = tmp_path / "council-ca.pem"
    missing = _address(tls_cluster, tls_database, sslmode="verify-full", sslrootcert=str(absent))
    assert _refusal(missing) == (
        f"paperprep did not connect to {tls_database} on 127.0.0.1:{tls_cluster.port}: the CA certificate "
        f"{absent} named in the address (sslrootcert) does not exist; check the path, or ask IT for the file."
    )


def test_tls_asked_of_a_server_without_it_is_said_plainly(pg_cluster: Any) -> None:
    """The session's own cluster speaks no TLS."""
    url = pg_cluster.new_database()
    try:
        said = _refusal(f"{url}?sslmode=require")
        assert said.endswith(
            "the address asks for an encrypted connection (sslmode) and the server offers none; ask IT to turn on "
            "TLS on the server, or for the right address."
        )
    finally:
        pg_cluster.drop_database(url)


# -- no password: a peer login over the Unix socket -------------------------------------------------------------


@pytest.fixture(scope="module")
def own_database(tls_cluster: pg_support.Cluster) -> str:
    """An empty database owned by a role named after this process's operating-system user, as IT makes one for a
    clerk who logs in over the server's socket."""
    user = pg_support.socket_user()
    tls_cluster.psql(f'CREATE ROLE "{user}" LOGIN')
    name = tls_cluster.new_database(template=None).rsplit("/", 1)[1]
    tls_cluster.psql(f'ALTER DATABASE {name} OWNER TO "{user}"')
    return name


def test_migrate_over_the_socket_with_no_password(
    tls_cluster: pg_support.Cluster, own_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    address = tls_cluster.socket_url(own_database)
    assert "@" not in address and "password" not in address
    assert run(parse_args(["migrate", "--db", address])) == 0
    assert capsys.readouterr().out.strip() == (
        f"{own_database} on {tls_cluster.folder}:{tls_cluster.port} is at schema {head_revision()}."
    )
    # Run again, it finds the schema current and changes nothing.
    assert run(parse_args(["migrate", "--db", address])) == 0
    assert capsys.readouterr().out.strip().endswith(f"is at schema {head_revision()}.")


def test_a_peer_login_over_the_socket_opens_and_works(
    tls_cluster: pg_support.Cluster, own_database: str
) -> None:
    db = open_server(tls_cluster.socket_url(own_database))
    try:
        with db.transaction() as s:
            who = s.execute(text("SELECT current_user, inet_client_addr() IS NULL AS on_socket")).one()
            committee_id = C.create_committee(s, "Scrutiny on the socket", "SOCK").id
        assert who.current_user == pg_support.socket_user() and who.on_socket
        bench = Workbench(db, user="clerk")
        meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 7, 1))).result
        item = bench.run(AddItem(meeting, "Home to school transport")).result
        with db.transaction() as s:
            assert s.execute(
                text("SELECT meeting_id FROM agenda_items WHERE id = :i"), {"i": item}
            ).scalar() == (meeting)
    finally:
        db.close()
    # The socket takes peer logins, not anyone: another role than the operating-system user is refused.
    other = tls_cluster.socket_url(own_database).replace(
        "postgresql:///", f"postgresql://{pg_support.SUPERUSER}@/"
    )
    with pytest.raises(DatabaseProblem, match="^The server refused your login to "):
        open_server(other)
