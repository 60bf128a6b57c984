"""``frameworks import-moodle / export-moodle / add / remove`` and ``certificates export
--format edc`` on the demo school."""

from __future__ import annotations

import json

from digcomp_app.cli import main
from digcomp_app.framework import load_framework
from tests.conftest import DATA

VECTOR = DATA / "moodle" / "small-framework.csv"


def test_moodle_in_and_out(tmp_path, capsys):
    folder = tmp_path / "school-dl"
    assert main(["frameworks", "import-moodle", str(VECTOR), "--out", str(folder)]) == 0
    assert "2 areas, 3 competences, 1 statements, 0 learning outcomes, 3 levels" in (
        capsys.readouterr().out
    )
    assert load_framework(folder).key == ("school-dl", "1.0")
    out = tmp_path / "digcomp.csv"
    assert main(["frameworks", "export-moodle", "digcomp", "3.0", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n,") >= 6  # framework and area rows
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    assert main(["--language", "lv", "frameworks", "import-moodle", str(bad)]) == 1
    assert "14" in capsys.readouterr().err
    assert not (tmp_path / "school-dl-1.0").exists()


def test_add_and_remove_in_the_demo_school(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    folder = tmp_path / "school-dl"
    base = ["--database", str(demo_file), "--user", "admin", "frameworks"]
    assert main([*base[:-1], "frameworks", "import-moodle", str(VECTOR), "--out", str(folder)]) == 0
    assert main([*base, "add", str(folder)]) == 0
    assert "school-dl 1.0 is in the school's library" in capsys.readouterr().out
    assert main([*base, "export-moodle", "school-dl", "1.0", "--out", str(tmp_path / "x.csv")]) == 0
    assert main([*base, "remove", "school-dl", "1.0"]) == 0
    assert main([*base, "remove", "school-dl", "1.0"]) == 1


def test_certificates_export_edc(demo_file, tmp_path, monkeypatch, capsys):
    from digcomp_app.services import accounts, certificates
    from digcomp_app.services.database import Database
    from tests.services.conftest import FAST_HASHER

    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    coordinator = accounts.authenticate(db, None, "coordinator", "demo")
    serial = next(
        c.serial for c in certificates.list_register(db, coordinator) if c.status == "issued"
    )
    db.close()
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    arguments = ["--database", str(demo_file), "--user", "coordinator", "certificates", "export"]
    arguments += ["--format", "edc", "--serial", serial, "--out", str(tmp_path)]
    assert main([*arguments, "--registration", "40003012345"]) == 0
    written = tmp_path / f"{serial}.edc.jsonld"
    assert capsys.readouterr().out.strip() == str(written)
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["type"] == ["VerifiableCredential", "EuropeanDigitalCredential"]
    assert document["issuer"]["eIDASIdentifier"]["notation"] == "40003012345"
    assert main(arguments) == 1  # no registration number: refused, and said why
    assert "registration number" in capsys.readouterr().err
