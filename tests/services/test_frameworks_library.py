"""Frameworks a school adds: kept in the database (every PC sees them), checked like the
built-in ones, usable for self-assessments and cases, and not removable once used."""

from __future__ import annotations

import zipfile

import pytest

from digcomp_app.framework.moodle import import_csv
from digcomp_app.services import frameworks_library, self_assessment, validation
from digcomp_app.services.database import Database
from digcomp_app.services.errors import NotFound, PermissionDenied, WorkflowError
from digcomp_app.services.frameworks_library import FrameworkRejected
from tests.conftest import DATA
from tests.services.conftest import FAST_HASHER

VECTOR = DATA / "moodle" / "small-framework.csv"


@pytest.fixture
def folder(tmp_path):
    made = import_csv(VECTOR)
    path = tmp_path / "school-dl"
    made.write(path)
    return path


def test_an_added_framework_is_shared_and_usable(db, school, folder):
    added = frameworks_library.add(db, school.admin, folder)
    assert (added.framework_id, added.version, added.competences, added.levels) == (
        "school-dl",
        "1.0",
        3,
        3,
    )
    # another PC (another Database object) sees it too
    other = Database(db.url, password_hasher=FAST_HASHER)
    try:
        library = frameworks_library.library(other, school.teacher)
        assert library.find("school-dl", "1.0") is not None
        assert library.find("digcomp", "3.0") is not None
    finally:
        other.close()
    [info] = frameworks_library.list_added(db, school.learner)
    assert (info.framework_id, info.origin, info.added_by, info.records) == (
        "school-dl",
        "folder",
        "admin",
        0,
    )
    # a learner rates themself against it; a teacher opens a case with it
    started = self_assessment.start(db, school.learner, "school-dl", "1.0")
    assert started.framework_id == "school-dl"
    case = validation.open_case(
        db, school.teacher, school.learner_id, school.mobility_id, "school-dl", "1.0"
    )
    assert case.framework_id == "school-dl"
    # now it has records: removing it is refused, with the reason
    with pytest.raises(WorkflowError, match="cannot be removed: 2 self-assessments, cases"):
        frameworks_library.remove(db, school.admin, "school-dl", "1.0")
    assert frameworks_library.list_added(db, school.admin)[0].records == 2


def test_remove_an_unused_framework_and_refusals(db, school, folder):
    frameworks_library.add(db, school.admin, folder)
    with pytest.raises(FrameworkRejected, match=r"already has school-dl 1\.0"):
        frameworks_library.add(db, school.admin, folder)
    with pytest.raises(PermissionDenied):
        frameworks_library.add(db, school.coordinator, folder)
    with pytest.raises(PermissionDenied):
        frameworks_library.remove(db, school.teacher, "school-dl", "1.0")
    with pytest.raises(WorkflowError, match="built into the app"):
        frameworks_library.remove(db, school.admin, "digcomp", "3.0")
    frameworks_library.remove(db, school.admin, "school-dl", "1.0")
    assert frameworks_library.list_added(db, school.admin) == []
    assert frameworks_library.library(db, school.admin).find("school-dl", "1.0") is None
    with pytest.raises(NotFound):
        frameworks_library.remove(db, school.admin, "school-dl", "1.0")


def test_a_zip_with_one_folder_is_added_from_moodle_too(db, school, folder, tmp_path):
    archive = tmp_path / "school-dl.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in folder.iterdir():
            out.write(file, f"school-dl/{file.name}")
    added = frameworks_library.add(db, school.admin, archive)
    assert added.framework_id == "school-dl"
    moodle = frameworks_library.add_from_moodle(
        db, school.admin, VECTOR, framework_id="school-dl", version="2.0"
    )
    assert moodle.version == "2.0" and moodle.notes
    origins = {(i.version, i.origin) for i in frameworks_library.list_added(db, school.admin)}
    assert origins == {("1.0", "zip"), ("2.0", "moodle")}


@pytest.mark.reliability
def test_bad_frameworks_are_refused_and_nothing_is_stored(db, school, folder, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "framework.yaml").write_text(
        (folder / "framework.yaml").read_text().replace('area: "A"', 'area: "Z"', 1)
    )
    (broken / "texts.en.yaml").write_text((folder / "texts.en.yaml").read_text())
    with pytest.raises(FrameworkRejected) as caught:
        frameworks_library.add(db, school.admin, broken)
    assert any("framework.yaml:" in p and "'Z' is not defined" in p for p in caught.value.problems)
    # a zip that reaches outside its folder, or holds a file bigger than it says
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as out:
        out.writestr("../framework.yaml", "format: 1\n")
    with pytest.raises(FrameworkRejected, match="outside the framework folder"):
        frameworks_library.add(db, school.admin, evil)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("framework.yaml", b"#" * (frameworks_library.MAX_FILE_BYTES + 10))
    with pytest.raises(FrameworkRejected, match="larger than 8 MB"):
        frameworks_library.add(db, school.admin, bomb)
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text(VECTOR.read_text().replace(",B 1,", ",A.1,"))
    with pytest.raises(FrameworkRejected, match=r"Row 8: the ID number “A\.1” is already used"):
        frameworks_library.add_from_moodle(db, school.admin, bad_csv)
    assert frameworks_library.list_added(db, school.admin) == []
    with pytest.raises(FrameworkRejected, match="neither a framework folder nor a zip"):
        frameworks_library.add(db, school.admin, bad_csv)
