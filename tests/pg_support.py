"""A throwaway PostgreSQL cluster for the tests: made with initdb in a temporary folder, listening on the loopback
address on a free port, started once per test session and removed at its end.

The server binaries come from Debian's `postgresql` package (scripts/setup installs it); the cluster that package
may have created is never used. PostgreSQL refuses to run as root, so as root (here and in CI) the cluster is made
and run by the `postgres` operating-system user that the package creates.

A cluster may also run with TLS (`tls=True`): a throwaway certificate authority, made here with the `cryptography`
package, signs the server's certificate for 127.0.0.1 and localhost, and `Cluster.ca_file` is the authority's
certificate for libpq's sslrootcert. `local_auth="peer"` makes logins over the Unix socket password-less peer
logins (the operating-system user is the database role), as a council server's local socket usually is.
"""

from __future__ import annotations

import datetime as dt
import getpass
import glob
import ipaddress
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Authority:
    """A throwaway certificate authority: its certificate file (for sslrootcert) and what signs with it."""

    cert_file: Path
    key: Any
    cert: Any


def make_authority(folder: Path, name: str) -> Authority:
    """A new certificate authority named `name`, its certificate written to folder/name.pem."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file = folder / f"{name}.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Authority(cert_file, key, cert)


def _server_certificate(authority: Authority, folder: Path) -> tuple[Path, Path]:
    """The server's certificate (CN and SAN 127.0.0.1 and localhost), signed by `authority`, and its private key:
    (certificate file, key file), the key readable by its owner only, as the server demands."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(authority.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False
        )
        .sign(authority.key, hashes.SHA256())
    )
    cert_file, key_file = folder / "server.crt", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    os.chmod(key_file, 0o600)
    if os.geteuid() == 0:
        for made in (cert_file, key_file):
            shutil.chown(made, "postgres", "postgres")
    return cert_file, key_file


def socket_user() -> str:
    """The database role a peer login over the socket becomes: this process's operating-system user."""
    return getpass.getuser()


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path
    # With TLS: the certificate of the authority that signed the server's certificate (libpq's sslrootcert).
    ca_file: Path | None = None

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def socket_url(self, database: str) -> str:
        """The address of `database` over the cluster's Unix socket, with no user, host name or password: libpq
        logs in as the operating-system user."""
        return f"postgresql:///{database}?host={self.folder}&port={self.port}"

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


def start_cluster(*, tls: bool = False, local_auth: str = "trust") -> Cluster:
    """initdb into a new temporary folder and start the server on 127.0.0.1 on a free port (trust on loopback:
    a throwaway cluster; durability off, as nothing in it needs to outlive the test run). Its Unix socket is in
    that folder, with `local_auth` ("trust" or "peer"); with `tls`, the server also speaks TLS (module docstring)."""
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
                "--auth-host=trust",
                f"--auth-local={local_auth}",
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
    ca_file = None
    if tls:
        authority = make_authority(folder, "paperprep-test-ca")
        cert_file, key_file = _server_certificate(authority, folder)
        options += f" -c ssl=on -c ssl_cert_file={cert_file} -c ssl_key_file={key_file}"
        ca_file = authority.cert_file
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
    cluster = Cluster(folder, port, binaries, ca_file)
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
