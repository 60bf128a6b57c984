"""``digcomp-app verify`` and ``digcomp-app keys`` on the demo school."""

from __future__ import annotations

import pytest

from digcomp_app.cli import main
from digcomp_app.documents import payload
from digcomp_app.services import accounts, certificates
from digcomp_app.services.database import Database
from digcomp_app.showcase.demo.content import SIGNING_PASSPHRASE


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
    code_part = valid.qr_text.rpartition("#")[2]
    middle = len(code_part) // 2
    changed = (
        code_part[:middle] + ("A" if code_part[middle] != "A" else "B") + code_part[middle + 1 :]
    )
    code, out = run(capsys, "--database", database, "verify", changed)
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
    assert "A key file is only as trustworthy as where it came from" in out

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


def test_text_is_read_strictly_and_a_mistyped_serial_is_named(register, capsys):
    database, valid, _revoked = register
    code_part = valid.qr_text.rpartition("#")[2]
    # a line break inside the code is not what any scanner returns
    broken = code_part[:40] + "\n" + code_part[40:]
    code, out = run(capsys, "--database", database, "verify", broken)
    assert code == 1 and out.startswith("NOT VALID") and "not a readable" in out
    code, out = run(capsys, "--database", database, "verify", code_part + "X")
    assert code == 1 and out.startswith("NOT VALID")
    # a v2 code under an address it was not signed for
    fragment = code_part if "#" in valid.qr_text else payload.fragment_of(code_part)
    moved = "https://forger.example/check/#" + fragment
    code, out = run(capsys, "--database", database, "verify", moved)
    assert code == 1 and out.startswith("NOT VALID")
    if code_part.startswith("DC2:"):  # a version 1 code has no address part at all
        assert "forger.example" in out, out

    # a serial typed by hand: found in the register, or named as mistyped
    code, out = run(capsys, "--database", database, "verify", valid.serial.lower())
    assert code == 0 and out.startswith("VALID") and "Found by its serial number" in out
    symbols = valid.serial.replace("-", "")[2:]
    swapped = symbols[:5] + symbols[6] + symbols[5] + symbols[7:]
    if swapped == symbols:  # two equal neighbours: change one symbol instead
        swapped = symbols[:5] + ("B" if symbols[5] != "B" else "C") + symbols[6:]
    typo = "DC-" + "-".join(swapped[i : i + 4] for i in range(0, 16, 4))
    code, out = run(capsys, "--database", database, "verify", typo)
    assert code == 1 and "this serial is mistyped (check symbol)" in out, out
    code, out = run(capsys, "verify", "--no-register", valid.serial)
    assert code == 1 and out.startswith("NOT VERIFIABLE")
