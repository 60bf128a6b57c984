"""``digcomp-app learners export``: a learner's data export from the command line."""

from __future__ import annotations

import json
import zipfile

import pytest

from digcomp_app.cli import main
from tests.test_cli_learners import database, run  # noqa: F401  (the fixture)


def test_export_round_trip_by_number_and_by_id(database, tmp_path, capsys):  # noqa: F811
    assert run(database, "learners", "add", "Anna", "Ozola", "--number", "A-17") == 0
    assert run(database, "learners", "add", "Jānis", "Bērziņš", "--number", "A-18") == 0
    capsys.readouterr()
    out = tmp_path / "export" / "anna.zip"
    assert run(database, "learners", "export", "--learner", "a-17", "--out", str(out)) == 0
    assert f"Data export written to {out}" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        document = json.loads(archive.read("learner.json"))
        assert sorted(archive.namelist()) == ["README.txt", "learner.json"]
    assert document["learner"]["surname"] == "Ozola"
    assert document["learner"]["learner_number"] == "A-17"
    assert "Bērziņš" not in json.dumps(document, ensure_ascii=False)

    again = tmp_path / "by-id.zip"
    learner_id = document["learner"]["id"]
    assert (
        run(database, "learners", "export", "--learner-id", str(learner_id), "--out", str(again))
        == 0
    )
    with zipfile.ZipFile(again) as archive:
        assert json.loads(archive.read("learner.json"))["learner"]["id"] == learner_id


def test_an_unknown_learner_or_none_named_exits_1(database, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "x.zip"
    assert run(database, "learners", "export", "--learner", "NOPE", "--out", str(out)) == 1
    assert "There is no learner with the learner number 'NOPE'." in capsys.readouterr().err
    assert run(database, "learners", "export", "--out", str(out)) == 1
    assert "--learner NUMBER" in capsys.readouterr().err
    assert run(database, "learners", "export", "--learner-id", "999", "--out", str(out)) == 1
    assert "There is no such learner." in capsys.readouterr().err
    assert not out.exists()
    assert main(["--database", database, "learners", "export", "--out", str(out)]) == 1


def test_privacy_erase_asks_for_the_full_name(database, capsys):  # noqa: F811
    assert run(database, "learners", "add", "Jānis", "Bērziņš", "--number", "A-18") == 0
    capsys.readouterr()
    args = ("privacy", "erase", "--learner", "A-18", "--confirm")
    assert run(database, *args, "Jānis") == 1
    assert "Type the learner's full name" in capsys.readouterr().err
    assert run(database, *args, "jānis bērziņš") == 0
    out = capsys.readouterr().out
    assert "personal data was erased" in out and "as #" in out
    assert run(database, "learners", "list", "--format", "csv") == 0
    assert "Bērziņš" not in capsys.readouterr().out
    # the learner number is gone with the rest
    assert run(database, *args, "Jānis Bērziņš") == 1
    assert "no learner with the learner number 'A-18'" in capsys.readouterr().err
    assert run(database, "privacy", "compact") == 0


def _school(path):
    from digcomp_app.services import accounts, organisations
    from digcomp_app.services.database import Database
    from tests.test_cli_learners import ADMIN_PASSWORD

    db = Database(path)
    try:
        admin = accounts.authenticate(db, None, "admin", ADMIN_PASSWORD)
        organisations.update_home(db, admin, name="Ķekavas vidusskola")
    finally:
        db.close()


def test_privacy_retention_set_preview_apply(database, capsys):  # noqa: F811
    _school(database)
    assert run(database, "learners", "add", "Anna", "Ozola", "--number", "A-17") == 0
    capsys.readouterr()
    assert (
        run(database, "privacy", "retention", "--evidence-years", "5", "--learner-years", "2") == 0
    )
    out = capsys.readouterr().out
    assert "Evidence files: 5 years" in out and "Learners who left: 2 years" in out
    assert "remove 0 evidence file(s) and erase 0 learner(s)" in out
    for years in ("0", "99"):
        assert run(database, "privacy", "retention", "--evidence-years", years) == 1
        assert "from 1 to 50" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        run(database, "privacy", "retention", "--evidence-years", "five")
    assert stopped.value.code == 2
    assert "give a number of years or 'off'" in capsys.readouterr().err
    assert run(database, "privacy", "retention", "--learner-years", "off") == 0
    assert "Learners who left: off" in capsys.readouterr().out


def test_privacy_consents_list(database, capsys):  # noqa: F811
    from digcomp_app.services import accounts, consent, learners
    from digcomp_app.services.database import Database
    from tests.test_cli_learners import ADMIN_PASSWORD

    assert run(database, "learners", "add", "Anna", "Ozola", "--number", "A-17") == 0
    capsys.readouterr()
    assert run(database, "privacy", "consents") == 0
    assert "No consent records." in capsys.readouterr().out
    db = Database(database)
    try:
        admin = accounts.authenticate(db, None, "admin", ADMIN_PASSWORD)
        [anna] = learners.search(db, admin, "A-17")
        consent.record_consent(
            db, admin, anna.id, "publication", "guardian", "Ilze Ozola", "2026-01-05"
        )
    finally:
        db.close()
    assert run(database, "privacy", "consents", "--learner", "A-17") == 0
    out = capsys.readouterr().out
    assert "Anna Ozola A-17: publication of work or results; given by Ilze Ozola" in out
    assert "current" in out
    assert run(database, "privacy", "consents", "--scope", "host_sharing") == 0
    assert "No consent records." in capsys.readouterr().out
    assert run(database, "privacy", "consents", "--format", "csv", "--current") == 0
    assert "Ilze Ozola,2026-01-05," in capsys.readouterr().out
