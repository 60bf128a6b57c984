"""The key file says whose keys it holds; the signed revocation list; the verification page
written by ``keys export --html`` (its behaviour in a browser: tests/test_verifier_page.py)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digcomp_app.cli import main
from digcomp_app.documents import revocations
from digcomp_app.services import accounts, certificates, signing
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput
from digcomp_app.showcase.demo import SIGNING_PASSPHRASE
from tests.services.conftest import FAST_HASHER


@pytest.fixture
def demo(demo_file, monkeypatch):
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    monkeypatch.setenv("DIGCOMP_PASSPHRASE", SIGNING_PASSPHRASE)
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    try:
        coordinator = accounts.authenticate(db, None, "coordinator", "demo")
        register = certificates.list_register(db, coordinator)
        key_text = signing.export_public_keys(db, coordinator)
    finally:
        db.close()
    return demo_file, register, key_text


def run(demo_file, *arguments, user="coordinator"):
    return main(["--database", str(demo_file), "--user", user, *arguments])


def test_the_key_file_names_the_school_and_reads_back(demo):
    _file, register, text = demo
    lines = text.splitlines()
    assert lines[0] == "# DigComp recognition - public signing keys"
    assert lines[1].startswith("# School: ") and len(lines[1]) > len("# School: ")
    assert lines[2].startswith("# Verification address:")
    assert lines[3].startswith("# Exported: 20")
    assert any(line.startswith("# Key ") and ", fingerprint " in line for line in lines)
    read = signing.read_key_file(text, "keys.pem")
    assert read.school == lines[1].removeprefix("# School: ")
    assert read.exported == lines[3].removeprefix("# Exported: ")
    assert set(read.keys) == set(signing.read_public_keys(text))
    assert {c.key_id for c in register if c.key_id} <= set(read.keys)


def test_older_key_files_and_plain_pem_still_read(demo):
    text = demo[2]
    pem = text[text.index("-----BEGIN") :]
    plain = signing.read_key_file(pem)
    assert (plain.school, plain.address, plain.exported) == ("", "", "")
    old = "# digcomp-app public signing keys\n# organisation: Old School\n" + pem
    assert signing.read_key_file(old).school == "Old School"
    with pytest.raises(InvalidInput) as empty:
        signing.read_key_file("# nothing here\n", "empty.pem")
    assert "empty.pem" in str(empty.value)


def test_the_revocation_list_is_signed_and_lists_the_revoked(demo, tmp_path, capsys):
    demo_file, register, key_text = demo
    revoked = [c for c in register if c.status == "revoked"]
    assert revoked
    target = tmp_path / "revocations.json"
    assert run(demo_file, "certificates", "revoked", "--out", str(target)) == 0
    assert str(target) in capsys.readouterr().out
    text = target.read_text(encoding="utf-8")
    keys = signing.read_key_file(key_text).keys
    listed = certificates.read_revocation_list(text, keys, "revocations.json")
    assert set(listed.entries) == {c.serial for c in revoked}
    for cert in revoked:
        assert listed.entries[cert.serial][1] == cert.revoke_reason
    assert listed.key_id in keys

    # a changed list, or one signed with a key not in the file, is refused naming the file
    document = json.loads(text)
    document["revoked"][0]["reason"] = "something else"
    with pytest.raises(InvalidInput) as changed:
        certificates.read_revocation_list(json.dumps(document), keys, "revocations.json")
    assert "revocations.json" in str(changed.value) and "signature" in str(changed.value)
    stranger = Ed25519PrivateKey.generate()
    other = revocations.sign_revocation_list(
        stranger, "X", "", listed.issued_at, [("DC-X", listed.issued_at.date(), "?")]
    )
    with pytest.raises(InvalidInput, match="not in the key file"):
        certificates.read_revocation_list(other, keys, "revocations.json")
    with pytest.raises(InvalidInput, match="not JSON"):
        certificates.read_revocation_list("{", keys, "revocations.json")

    # the page takes the list in; a bad one is refused
    page = tmp_path / "index.html"
    assert run(demo_file, "keys", "export", "--html", str(page), "--revocations", str(target)) == 0
    html = page.read_text(encoding="utf-8")
    assert 'id="revocations"' in html and revoked[0].serial in html
    forged = tmp_path / "forged.json"
    forged.write_text(other, encoding="utf-8")
    assert run(demo_file, "keys", "export", "--html", str(page), "--revocations", str(forged)) != 0
    assert "not in the key file" in capsys.readouterr().err


def test_only_coordinators_sign_the_list_and_need_the_passphrase(demo, tmp_path, monkeypatch):
    demo_file = demo[0]
    target = tmp_path / "revocations.json"
    assert run(demo_file, "certificates", "revoked", "--out", str(target), user="admin") != 0
    monkeypatch.setenv("DIGCOMP_PASSPHRASE", "not the passphrase")
    assert run(demo_file, "certificates", "revoked", "--out", str(target)) != 0
    assert not target.exists()


def test_keys_export_html_without_a_list_says_so(demo, tmp_path, capsys):
    demo_file = demo[0]
    page = tmp_path / "index.html"
    assert run(demo_file, "keys", "export", "--html", str(page), user="admin") == 0
    out = capsys.readouterr().out
    assert "no revocation list" in out and "BEGIN PUBLIC KEY" not in out
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="revocations"' not in html
