"""``digcomp-app certificates``: the register, printing and the Europass text, on the demo
school; the printed QR code scanned and checked with ``verify``."""

from __future__ import annotations

import pytest

from digcomp_app.cli import main
from digcomp_app.services import accounts, certificates
from digcomp_app.services.database import Database
from tests.documents.conftest import decode_qr, flat, page_count, pdf_text
from tests.services.conftest import FAST_HASHER


@pytest.fixture
def demo(demo_file, monkeypatch):
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    try:
        coordinator = accounts.authenticate(db, None, "coordinator", "demo")
        register = certificates.list_register(db, coordinator)
    finally:
        db.close()
    return demo_file, register


def run(demo_file, *arguments, user="coordinator"):
    return main(["--database", str(demo_file), "--user", user, "certificates", *arguments])


def test_list_shows_the_register(demo, capsys):
    demo_file, register = demo
    assert run(demo_file, "list") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Serial", "number", "Holder", "Mobility", "Issued", "Status"]
    assert len(lines) == 1 + len(register)
    for cert in register:
        line = next(line for line in lines if line.startswith(cert.serial))
        assert cert.holder in line and cert.mobility_code in line and cert.status in line
    assert sum(" revoked" in line for line in lines) == 1
    assert run(demo_file, "list", "--mobility", "NO-SUCH-MOBILITY") == 0
    assert "No certificates." in capsys.readouterr().out


def test_print_a_mobility_in_both_languages(demo, tmp_path, capsys):
    demo_file, register = demo
    code = register[0].mobility_code
    in_force = [c for c in register if c.mobility_code == code and c.status == "issued"]
    out = tmp_path / "print"
    assert run(demo_file, "print", "--mobility", code, "--lang", "lv,en", "--out", str(out)) == 0
    printed = capsys.readouterr().out.splitlines()
    files = sorted(out.glob("DC-*_lv-en.pdf"))
    assert len(files) == len(in_force) == len(printed) - 1
    assert {f.name.split("_")[0] for f in files} == {c.serial for c in in_force}
    combined = out / f"attestations_{code}_lv-en.pdf"
    assert printed[-1].endswith(str(combined))
    assert page_count(combined.read_bytes()) == sum(page_count(f.read_bytes()) for f in files)
    one = in_force[0]
    pdf = next(f for f in files if f.name.startswith(one.serial)).read_bytes()
    text = flat(pdf_text(pdf, tmp_path))
    assert one.snapshot["holder"]["surname"] in text and one.serial in text
    # the QR code on the printed page, scanned, is the signed payload that verify accepts
    scanned = decode_qr(pdf, tmp_path)
    assert scanned == [one.qr_text]
    capsys.readouterr()
    assert main(["--database", str(demo_file), "verify", scanned[0]]) == 0
    verdict = capsys.readouterr().out
    assert "VALID" in verdict and one.serial in verdict


def test_a_revoked_certificate_is_refused_in_one_line(demo, tmp_path, capsys):
    demo_file, register = demo
    revoked = next(c for c in register if c.status == "revoked")
    out = tmp_path / "print"
    assert run(demo_file, "print", "--serial", revoked.serial, "--out", str(out)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err.strip()
    assert error.startswith("error: ") and revoked.serial in error and "revoked" in error
    assert len(error.splitlines()) == 1
    assert not out.exists()


def test_print_all_and_single_serial(demo, tmp_path, capsys):
    demo_file, register = demo
    in_force = [c for c in register if c.status == "issued"]
    out = tmp_path / "all"
    assert run(demo_file, "print", "--all", "--lang", "en", "--out", str(out)) == 0
    assert len(list(out.glob("DC-*_en.pdf"))) == len(in_force)
    capsys.readouterr()
    single = tmp_path / "one"
    assert run(demo_file, "print", "--serial", in_force[0].serial, "--out", str(single)) == 0
    assert [p.name for p in single.iterdir()] == [capsys.readouterr().out.strip().split("/")[-1]]


def test_usage_errors_and_permissions(demo, tmp_path, capsys):
    demo_file, register = demo
    with pytest.raises(SystemExit) as usage:
        run(demo_file, "print", "--all", "--lang", "de", "--out", str(tmp_path))
    assert usage.value.code == 2
    assert "lv,en" in capsys.readouterr().err
    serial = register[0].serial
    assert run(demo_file, "print", "--serial", serial, "--out", str(tmp_path), user="teacher1") == 1
    assert "permission" in capsys.readouterr().err
    assert run(demo_file, "print", "--mobility", "NO-SUCH", "--out", str(tmp_path)) == 1
    assert "NO-SUCH" in capsys.readouterr().err


def test_europass_text(demo, capsys):
    demo_file, register = demo
    cert = next(c for c in register if c.status == "issued")
    assert run(demo_file, "europass-text", "--serial", cert.serial, "--lang", "lv") == 0
    text = capsys.readouterr().out
    first = cert.snapshot["competences"][0]
    assert f"- {first['competence']} " in text and cert.serial in text
    assert run(demo_file, "europass-text", "--serial", cert.serial, "--lang", "en") == 0
    english = capsys.readouterr().out
    assert f"level {first['level']} (" in english
    revoked = next(c for c in register if c.status == "revoked")
    assert run(demo_file, "europass-text", "--serial", revoked.serial) == 1
    assert revoked.serial in capsys.readouterr().err
