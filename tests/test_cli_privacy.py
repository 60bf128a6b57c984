"""``digcomp-app learners export``: a learner's data export from the command line."""

from __future__ import annotations

import json
import zipfile

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
