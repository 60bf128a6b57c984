"""``digcomp-app reports``: a learner's profile and a mobility's summary, on the demo school."""

from __future__ import annotations

from pathlib import Path

import pytest

from digcomp_app.cli import main
from digcomp_app.services import accounts, learners, mobilities
from digcomp_app.services.database import Database
from tests.documents.conftest import flat, pdf_text
from tests.services.conftest import FAST_HASHER


@pytest.fixture
def demo(demo_file, monkeypatch):
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    try:
        coordinator = accounts.authenticate(db, None, "coordinator", "demo")
        learner = accounts.authenticate(db, None, "learner01", "demo")
        person = learners.get_record(db, coordinator, learner.learner_id).learner
        finished = min(mobilities.list_all(db, coordinator), key=lambda m: m.start_date)
    finally:
        db.close()
    return demo_file, person, finished


def run(demo_file, *arguments, user="coordinator"):
    return main(["--database", str(demo_file), "--user", user, "reports", *arguments])


def test_a_learner_prints_their_own_profile(demo, tmp_path, capsys):
    demo_file, person, _finished = demo
    assert run(demo_file, "profile", "--lang", "lv", "--out", str(tmp_path), user="learner01") == 0
    path = capsys.readouterr().out.strip()
    assert path.endswith("_lv.pdf") and path.startswith(str(tmp_path))
    text = flat(pdf_text(Path(path).read_bytes(), tmp_path))
    assert person.full_name in text


def test_coordinator_names_the_learner_by_name_or_number(demo, tmp_path, capsys):
    demo_file, person, _finished = demo
    target = tmp_path / "profile.pdf"
    assert run(demo_file, "profile", "--learner", person.full_name, "--lang", "en",
               "--out", str(target)) == 0  # fmt: skip
    assert capsys.readouterr().out.strip() == str(target)
    assert person.full_name in flat(pdf_text(target.read_bytes(), tmp_path))
    assert run(demo_file, "profile", "--learner", str(person.id), "--out", str(tmp_path)) == 0
    capsys.readouterr()
    # words that find several learners: one clear line naming them
    assert run(demo_file, "profile", "--learner", "a", "--out", str(tmp_path)) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: Several learners match") and len(error.splitlines()) == 1
    assert run(demo_file, "profile", "--out", str(tmp_path)) == 1
    assert "--learner" in capsys.readouterr().err


def test_a_learner_cannot_print_someone_elses_profile(demo, tmp_path, capsys):
    demo_file, person, _finished = demo
    assert run(demo_file, "profile", "--learner", str(person.id + 1), "--out", str(tmp_path),
               user="learner01") == 1  # fmt: skip
    assert "access" in capsys.readouterr().err


def test_mobility_summary(demo, tmp_path, capsys):
    demo_file, _person, finished = demo
    assert run(demo_file, "mobility", "--mobility", finished.code, "--lang", "en",
               "--out", str(tmp_path)) == 0  # fmt: skip
    path = capsys.readouterr().out.strip()
    text = pdf_text(Path(path).read_bytes(), tmp_path)
    assert finished.code in text and "certified, DC-" in text
    assert run(demo_file, "mobility", "--mobility", finished.code, "--out", str(tmp_path),
               user="teacher1") == 1  # fmt: skip
    assert "permission" in capsys.readouterr().err
