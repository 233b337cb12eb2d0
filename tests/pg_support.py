"""A throwaway PostgreSQL cluster for the tests: made with initdb in a temporary folder, listening on the loopback
address on a free port, started once per test session and removed at its end.

The server binaries come from Debian's `postgresql` package (scripts/setup installs it); the cluster that package
may have created is never used. PostgreSQL refuses to run as root, so as root (here and in CI) the cluster is made
and run by the `postgres` operating-system user that the package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
TEMPLATE = "paperprep_template"


def server_binaries() -> Path:
    """The bin folder of the newest PostgreSQL installed (15 or later), or a failure saying how to get one."""
    found = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        version = Path(folder).parent.name
        if version.isdigit() and int(version) >= 15 and Path(folder, "initdb").exists():
            found.append((int(version), Path(folder)))
    if not found:
        raise RuntimeError(
            "The PostgreSQL tests need the PostgreSQL 15 (or later) server binaries in /usr/lib/postgresql: "
            "run scripts/setup, which installs them."
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError(
            "Running as root, the PostgreSQL tests need runuser (util-linux) to start the server."
        )
    return [runuser, "-u", "postgres", "--", *command]


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(self.bin / "psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                self.url(database),
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def new_database(self, template: str | None = TEMPLATE) -> str:
        """A fresh database (a copy of the migrated template, unless `template` is None) and its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        source = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self.psql(f"CREATE DATABASE {name}{source}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        subprocess.run(
            _as_server_user(
                [str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb into a new temporary folder and start the server on 127.0.0.1 on a free port (trust on loopback:
    a throwaway cluster; durability off, as nothing in it needs to outlive the test run)."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="paperprep-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    os.chmod(folder, 0o700)
    data = folder / "data"
    init = subprocess.run(
        _as_server_user(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()}")
    port = _free_port()
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
    )
    started = subprocess.run(
        _as_server_user(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    cluster = Cluster(folder, port, binaries)
    if started.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        cluster.stop()
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()} {log[-2000:]}")
    return cluster


def make_template(cluster: Cluster) -> None:
    """A database migrated to the current schema, that each test's database is copied from."""
    from paperprep.db import open_database

    url = cluster.new_database(template=None)
    open_database(url).close()
    name = url.rsplit("/", 1)[1]
    cluster.psql(f"ALTER DATABASE {name} RENAME TO {TEMPLATE}")
