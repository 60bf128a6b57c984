"""``digcomp-app verify`` and ``digcomp-app keys`` on the demo school."""

from __future__ import annotations

import pytest

from digcomp_app.cli import main
from digcomp_app.documents import payload
from digcomp_app.services import accounts, certificates
from digcomp_app.services.database import Database
from digcomp_app.services.demo_content import SIGNING_PASSPHRASE


@pytest.fixture
def register(demo_file):
    db = Database(f"sqlite:///{demo_file}")
    coordinator = accounts.authenticate(db, None, "coordinator", "demo")
    found = certificates.list_register(db, coordinator)
    db.close()
    valid = next(c for c in found if c.status == "issued")
    revoked = next(c for c in found if c.status == "revoked")
    return str(demo_file), valid, revoked


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_genuine_attestation_is_valid_with_holder_and_levels(register, capsys):
    database, valid, _revoked = register
    code, out = run(capsys, "--database", database, "verify", valid.qr_text)
    assert code == 0, out
    assert out.startswith("VALID") and valid.serial in out and valid.holder in out
    first = valid.snapshot["competences"][0]
    assert f"{first['competence']} " in out and f": {first['level']} – " in out
    assert valid.key_fingerprint in out


def test_altered_revoked_and_unknown_are_refused_with_the_right_words(register, capsys, tmp_path):
    database, valid, revoked = register
    raw = bytearray(payload.encoded_bytes(valid.qr_text))
    raw[3] ^= 0x01  # inside the serial number
    code, out = run(capsys, "--database", database, "verify", payload.text_from_bytes(bytes(raw)))
    assert code == 1 and out.startswith("NOT VALID")

    code, out = run(capsys, "--database", database, "verify", revoked.qr_text)
    assert code == 1 and out.startswith("REVOKED") and revoked.revoke_reason in out

    # A verifier at another school: no register, only the exported public key.
    keys = tmp_path / "school-keys.pem"
    export = ["--database", database, "--user", "coordinator", "keys", "export"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGCOMP_PASSWORD", "demo")
        assert run(capsys, *export, "--out", str(keys))[0] == 0
    assert "PRIVATE" not in keys.read_text() and "BEGIN PUBLIC KEY" in keys.read_text()
    code, out = run(capsys, "verify", "--no-register", valid.qr_text)
    assert code == 1 and out.startswith("UNKNOWN KEY")
    code, out = run(capsys, "verify", "--no-register", "--key", str(keys), revoked.qr_text)
    assert code == 0 and "not checked" in out  # revocation needs the register

    text_file = tmp_path / "scanned.txt"
    text_file.write_text(valid.qr_text + "\n", encoding="utf-8")
    assert run(capsys, "--database", database, "verify", str(text_file))[0] == 0
    code, out = run(capsys, "--database", database, "verify", str(tmp_path / "missing.pdf"))
    assert code == 1 and "missing.pdf" in out


def test_keys_are_created_by_the_administrator_and_the_old_one_retired(
    demo_file, capsys, monkeypatch
):
    database = str(demo_file)
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    monkeypatch.setenv("DIGCOMP_PASSPHRASE", "the new school key")
    code, out = run(capsys, "--database", database, "--user", "coordinator", "keys", "create")
    assert code == 1 and "permission" in out
    code, out = run(capsys, "--database", database, "--user", "admin", "keys", "create")
    assert code == 0 and "fingerprint" in out
    code, out = run(capsys, "--database", database, "--user", "admin", "keys", "list")
    lines = out.strip().splitlines()
    assert len(lines) == 2 and lines[0].endswith("active") and "retired" in lines[1]
    assert SIGNING_PASSPHRASE not in out
