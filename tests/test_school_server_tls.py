"""docs/school-setup.md, TLS (section 2), done on a PostgreSQL server of the test's own.

A private, temporary server (``initdb`` into a temporary folder, as the ``postgres`` user
when the tests run as root, on a free port; the shared test server is left as it is) with
``ssl = on``, a certificate for the name ``localhost`` signed by a school CA made here, and
the guide's ``pg_hba.conf`` line (TLS only, ``scram-sha-256``, only the program's role to
its database). The role and database come from the guide's SQL. The program connects as
that role with ``sslmode=verify-full`` and ``sslrootcert`` naming the CA file, as the guide
tells a school; the connection is encrypted (``pg_stat_ssl``). Another CA, another server
name, or an address without TLS are refused, the program saying so in plain, translated
words.

Needs PostgreSQL's server programs (Debian: ``/usr/lib/postgresql/<version>/bin``);
skipped without them, except when ``DIGCOMP_REQUIRE_PG_TOOLS`` is set (CI), where it fails.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from digcomp_app.cli import main
from digcomp_app.i18n import set_language
from digcomp_app.services import accounts
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ServerNotTrusted
from tests.conftest import ROOT
from tests.services.conftest import FAST_HASHER

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
#: the guide's names
ROLE, DATABASE = "digcomp_app", "digcomp"


def server_programs() -> tuple[Path | None, str]:
    """The folder of PostgreSQL's server programs (the newest Debian one, else the PATH's),
    or None and why not."""
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    on_path = shutil.which("initdb")
    if on_path:
        folders.append(Path(on_path).parent)
    for folder in reversed(folders):
        if all((folder / name).is_file() for name in SERVER_PROGRAMS):
            if os.geteuid() == 0 and shutil.which("runuser") is None:
                return None, "runuser is missing (needed to run PostgreSQL as root)"
            if os.geteuid() == 0:
                try:
                    import pwd

                    pwd.getpwnam("postgres")
                except KeyError:
                    return None, "no 'postgres' user to run the server as"
            return folder, ""
    return None, "PostgreSQL's server programs (initdb, pg_ctl, postgres) are missing"


def _certificate_authority(name: str):  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
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
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _server_certificate(ca_key, ca_certificate, host: str):  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _pem(certificate) -> bytes:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate.public_bytes(Encoding.PEM)


def _key_pem(key) -> bytes:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def guide_sql() -> tuple[list[str], list[str]]:
    """The guide's SQL for the role and the database (its first ``sql`` block), as
    statements for the server's ``postgres`` database and, after ``\\connect digcomp``,
    for the new database."""
    guide = (ROOT / "docs" / "school-setup.md").read_text(encoding="utf-8")
    block = re.search(r"^```sql\n(.*?)^```$", guide, re.M | re.S)
    assert block, "docs/school-setup.md has no sql block"
    before, _, after = block[1].partition(f"\\connect {DATABASE}\n")
    assert after, f"the guide's SQL does not switch to the database with \\connect {DATABASE}"

    def statements(part: str) -> list[str]:
        return [line.strip() for line in part.split(";\n") if line.strip()]

    return statements(before), statements(after)


@dataclass
class TlsServer:
    port: int
    password: str
    school_ca: Path
    other_ca: Path

    def url(self, *, host: str = "localhost", ca: Path | None = None, mode: str = "verify-full"):
        """The program's address, as docs/school-setup.md writes it."""
        return (
            f"postgresql://{ROLE}:{self.password}@{host}:{self.port}/{DATABASE}"
            f"?sslmode={mode}&sslrootcert={ca or self.school_ca}"
        )


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    programs, missing = server_programs()
    if programs is None:
        if os.environ.get("DIGCOMP_REQUIRE_PG_TOOLS"):
            pytest.fail(f"{missing} (Debian: postgresql)")
        pytest.skip(missing)
    as_root = os.geteuid() == 0

    def run(*command: str | Path, folder: Path) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
        done = subprocess.run(
            [*prefix, *map(str, command)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )
        assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}\n{done.stderr}"

    # The server's folder: its own, outside pytest's (which only root may enter).
    folder = Path(tempfile.mkdtemp(prefix="digcomp-pg-tls-"))
    client = Path(tempfile.mkdtemp(prefix="digcomp-pg-tls-client-"))
    data = folder / "data"
    started = False
    try:
        ca_key, ca = _certificate_authority("School test CA")
        server_key, server_certificate = _server_certificate(ca_key, ca, "localhost")
        _other_key, other_ca = _certificate_authority("Some other CA")
        (folder / "server.crt").write_bytes(_pem(server_certificate))
        (folder / "server.key").write_bytes(_key_pem(server_key))
        (folder / "server.key").chmod(0o600)  # PostgreSQL refuses a key others can read
        (client / "school-ca.crt").write_bytes(_pem(ca))  # what the guide copies to each PC
        (client / "other-ca.crt").write_bytes(_pem(other_ca))
        if as_root:
            shutil.chown(folder, "postgres", "postgres")
            for name in ("server.crt", "server.key"):
                shutil.chown(folder / name, "postgres", "postgres")
        run(
            programs / "initdb",
            "--pgdata", data, "--username", "postgres", "--auth", "trust",
            "--encoding", "UTF8", "--no-locale", "--no-sync", "--no-instructions",
            folder=folder,
        )  # fmt: skip
        port = free_port()
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"port = {port}\n"
                "listen_addresses = 'localhost'\n"
                f"unix_socket_directories = '{folder}'\n"
                "ssl = on\n"
                f"ssl_cert_file = '{folder / 'server.crt'}'\n"
                f"ssl_key_file = '{folder / 'server.key'}'\n"
                "fsync = off\n"
            )
        # The guide's pg_hba.conf line (for this PC's addresses), and the superuser through
        # the server's own socket only, to set it up.
        (data / "pg_hba.conf").write_text(
            "# TYPE    DATABASE  USER         ADDRESS          METHOD\n"
            "local     all       postgres                      trust\n"
            f"hostssl   {DATABASE}   {ROLE}  127.0.0.1/32     scram-sha-256\n"
            f"hostssl   {DATABASE}   {ROLE}  ::1/128          scram-sha-256\n",
            encoding="utf-8",
        )
        run(
            programs / "pg_ctl", "--pgdata", data, "--log", folder / "server.log",
            "--wait", "--timeout", "30", "start",
            folder=folder,
        )  # fmt: skip
        started = True
        password = secrets.token_urlsafe(16)
        _create_role_and_database(folder, port, password)
        yield TlsServer(port, password, client / "school-ca.crt", client / "other-ca.crt")
    finally:
        if started:
            run(programs / "pg_ctl", "--pgdata", data, "--mode", "immediate", "stop", folder=folder)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(client, ignore_errors=True)


def _create_role_and_database(socket_folder: Path, port: int, password: str) -> None:
    """The guide's SQL as the superuser, with the password chosen here."""
    import psycopg

    on_server, in_database = guide_sql()
    assert any(f"CREATE ROLE {ROLE}" in statement for statement in on_server)
    for database, statements in (("postgres", on_server), (DATABASE, in_database)):
        with psycopg.connect(
            host=str(socket_folder), port=port, user="postgres", dbname=database, autocommit=True
        ) as connection:
            for statement in statements:
                connection.execute(statement.replace("'change-me'", f"'{password}'"))


def refusal(url: str) -> str:
    """What the program says when it does not connect to ``url`` for want of trust."""
    with pytest.raises(ServerNotTrusted) as raised:
        Database(url, password_hasher=FAST_HASHER)
    return str(raised.value)


def test_the_program_connects_with_verified_tls_as_the_schools_role(tls_server, monkeypatch):
    url = tls_server.url()
    db = Database(url, password_hasher=FAST_HASHER)  # tables created by the role itself
    try:
        with db.engine.connect() as connection:
            ssl, version = connection.execute(
                text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).one()
            role, superuser = connection.execute(
                text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
            ).one()
        assert ssl is True and version.startswith("TLSv1.")
        assert (role, superuser) == (ROLE, False)
        assert accounts.needs_first_administrator(db, None)
    finally:
        db.close()
    # the guide's first administrator, from the command line, over the same address
    monkeypatch.setenv("DIGCOMP_NEW_PASSWORD", "first admin password")
    assert main(["--database", url, "--language", "en", "setup", "admin"]) == 0
    db = Database(url, password_hasher=FAST_HASHER)
    try:
        assert not accounts.needs_first_administrator(db, None)
    finally:
        db.close()


def test_the_server_takes_no_unencrypted_connection(tls_server):
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        psycopg.connect(tls_server.url(mode="disable").split("?")[0] + "?sslmode=disable")


@pytest.mark.parametrize(
    ("case", "host", "other_ca"),
    [
        ("a certificate authority that is not the school's", "localhost", True),
        ("an address that is not the name in the certificate", "127.0.0.1", False),
    ],
)
def test_a_server_that_cannot_prove_it_is_the_schools_is_refused_in_plain_words(
    tls_server, capsys, monkeypatch, case, host, other_ca
):
    url = tls_server.url(host=host, ca=tls_server.other_ca if other_ca else None)
    server = f"{host}:{tls_server.port}/{DATABASE}"
    assert refusal(url).startswith(
        f"The database server {server} could not prove that it is the school's server: its "
        "certificate was refused."
    ), case
    set_language("lv")
    said = refusal(url)
    assert said.startswith(f"Datubāzes serveris {server} nevarēja pierādīt"), said
    assert "sertifikāts tika noraidīts" in said
    # the command line: the same words, no traceback
    monkeypatch.setenv("DIGCOMP_PASSWORD", "whatever")
    assert main(["--database", url, "--language", "en", "--user", "admin", "users", "list"]) == 1
    err = capsys.readouterr().err
    assert f"The database server {server} could not prove" in err
    assert "Traceback" not in err and "OperationalError" not in err


@pytest.mark.postgres
def test_a_server_without_tls_is_named_when_the_address_requires_it():
    """The shared test server (when it has no TLS): asked for TLS, the program says so."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = os.environ.get("DIGCOMP_TEST_DATABASE_URL", "")
    if not url:
        pytest.skip("DIGCOMP_TEST_DATABASE_URL is not set")
    address = make_url(url)
    with psycopg.connect(address.set(drivername="postgresql").render_as_string(False)) as c:
        if c.execute("SHOW ssl").fetchone() != ("off",):
            pytest.skip("the test server has TLS")
    server = f"{address.host}:{address.port}/{address.database}"
    said = refusal(address.update_query_dict({"sslmode": "require"}).render_as_string(False))
    assert said.startswith(
        f"The database server {server} offers no encrypted connection (TLS), which the database "
        "address requires (sslmode)."
    )
