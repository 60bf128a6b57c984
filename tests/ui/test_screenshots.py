"""``digcomp-app screenshots``: real PNG pictures of every screen, per role, at 1366x768."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage, QPixmap

from digcomp_app.services.database import Database, sqlite_path
from digcomp_app.services.permissions import Role
from digcomp_app.showcase import screenshots
from digcomp_app.ui.screens import discover

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (signature, then the IHDR chunk)."""
    with path.open("rb") as handle:
        header = handle.read(24)
    assert header[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG file"
    length, kind = struct.unpack(">I4s", header[8:16])
    assert (length, kind) == (13, b"IHDR"), f"{path.name} has no IHDR chunk first"
    return struct.unpack(">II", header[16:24])


def password_hashes(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT username, password_hash FROM users").fetchall()
    connection.close()
    return dict(rows)


def test_screenshots_of_every_role_are_saved_as_1366x768_pngs(tmp_path, demo_file):
    out = tmp_path / "pictures"
    # The demo school the other GUI tests use, as a kept demo database (--database): the
    # command without one makes the same school in a temporary database (see below).
    command = ["screenshots", "--database", str(demo_file), "--out", str(out), "--lang", "en"]
    done = subprocess.run(
        [sys.executable, "-m", "digcomp_app", *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listed = [Path(line) for line in done.stdout.splitlines() if line.strip()]
    saved = sorted(out.glob("*.png"))
    assert sorted(listed) == saved  # it says what it wrote, and wrote what it says
    names = {path.name for path in saved}
    assert "sign-in-en.png" in names
    for role in Role:
        assert f"{role.value}-home-en.png" in names, sorted(names)
        assert f"{role.value}-frameworks-en.png" in names, sorted(names)
        assert f"{role.value}-home-en-150.png" in names, sorted(names)  # at 150 % text size
    assert "teacher-cases-assessment-en.png" in names  # a case at assessment, besides
    assert not any(name.endswith("-lv.png") for name in names)
    for path in saved:
        assert png_size(path) == (1366, 768), path.name
        assert path.stat().st_size > 5_000, f"{path.name} looks blank"


def test_without_a_database_the_demo_school_is_made_in_a_temporary_one(tmp_path, monkeypatch):
    """What is pictured without --database: the demo school (the one the test above
    pictures a copy of), made in a new temporary database with cheap password hashing and
    deleted after the pictures."""
    made: list[Database] = []
    pictured: list[tuple[Database, Path, bool]] = []

    def create_school(db: Database, actor: object) -> None:
        assert actor is None
        made.append(db)

    def render(db: Database, out: Path, languages: list[str], *args: object) -> None:
        path = sqlite_path(db.url)
        assert path is not None
        pictured.append((db, path, path.is_file()))

    monkeypatch.setattr(screenshots.demo, "create_school", create_school)
    monkeypatch.setattr(screenshots, "_render", render)
    lines: list[str] = []
    run = screenshots.take_screenshots(tmp_path / "pictures", ["en"], log=lines.append)
    assert run.failures == [] and lines == ["Creating the demo school..."]
    ((db, path, existed),) = pictured
    assert made == [db] and existed
    assert db.hasher is screenshots.FAST_HASHER
    assert not path.parent.exists()  # deleted with its folder


def test_a_screen_asked_for_that_does_not_exist_is_reported(tmp_path, demo_db):
    lines: list[str] = []
    run = screenshots.take_screenshots(
        tmp_path / "pictures", [], demo_db, log=lines.append, screens=["home", "nothing"]
    )
    known = sorted(spec.id for spec in discover())
    assert "home" in known and "nothing" not in known
    assert run.failures == lines
    assert lines == [f"There is no screen nothing; the screens are: {', '.join(known)}."]
    # each extra picture is taken with the screen it opens from
    extras = {name for _role, name, _open in screenshots.EXTRA_PICTURES}
    assert set(screenshots.EXTRA_PICTURE_SCREENS) == extras
    assert set(screenshots.EXTRA_PICTURE_SCREENS.values()) <= set(known)


def test_a_picture_is_saved_as_a_png_of_its_pixels(qapp):
    image = QImage(7, 5, QImage.Format.Format_RGB32)  # rows of 21 bytes: padded in memory
    for x in range(7):
        for y in range(5):
            image.setPixelColor(x, y, QColor(x * 36, y * 60, (x * y * 7) % 256))
    data = screenshots.png_of(QPixmap.fromImage(image))
    read = QImage.fromData(data, "PNG")
    assert not read.isNull() and (read.width(), read.height()) == (7, 5)
    for x in range(7):
        for y in range(5):
            assert read.pixelColor(x, y) == image.pixelColor(x, y), (x, y)


def test_the_command_line_does_not_load_qt_for_the_screenshots_command():
    script = (
        "import sys\n"
        "from digcomp_app.cli import build_parser\n"
        "args = build_parser().parse_args(['screenshots', '--out', 'x'])\n"
        "assert args.lang is None and args.handler.__name__ == 'screenshots_command'\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


BROKEN_SCREENS = {
    # a real screen package each, found by the same discovery as the app's own screens
    "zz_broken_build": """
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec

def create(context):
    raise RuntimeError("cannot build this screen")

SCREEN = ScreenSpec(id="broken_build", roles=frozenset({Role.LEARNER}),
                    title=lambda: "Broken build", create=create, order=5)
""",
    "zz_broken_refresh": """
from PySide6.QtWidgets import QLabel
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec

class Screen(QLabel):
    def refresh(self):
        raise ValueError("cannot load this screen's data")

SCREEN = ScreenSpec(id="broken_refresh", roles=frozenset({Role.TEACHER}),
                    title=lambda: "Broken refresh", create=lambda context: Screen("x"), order=5)
""",
}


def test_a_failing_screen_is_reported_and_the_others_are_still_saved(tmp_path, demo_template):
    database = tmp_path / "school.sqlite3"  # the demo school the other GUI tests use
    shutil.copy(demo_template, database)
    extra = tmp_path / "screens"
    for name, source in BROKEN_SCREENS.items():
        (extra / name).mkdir(parents=True)
        (extra / name / "__init__.py").write_text(source, encoding="utf-8")
    hashes = password_hashes(database)
    out = tmp_path / "pictures"
    # One text size, and the failing screens with one screen of each role before them and
    # one after (--screen), are enough to see a failing screen reported and the others saved.
    asked = ["home", "broken_build", "broken_refresh", "frameworks"]
    script = (
        "import sys\n"
        "import digcomp_app.ui.screens as screens\n"
        f"screens.__path__.append({str(extra)!r})\n"
        "from digcomp_app.cli import main\n"
        f"sys.exit(main(['--database', {str(database)!r}, 'screenshots', '--out', {str(out)!r},"
        f" '--lang', 'en', '--text-size', '100', *{[f'--screen={s}' for s in asked]!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    names = {path.name for path in out.glob("*.png")}
    assert "learner-broken_build-en.png" not in names
    assert "teacher-broken_refresh-en.png" not in names
    for role in Role:  # every other screen of every role is there
        assert f"{role.value}-home-en.png" in names
        assert f"{role.value}-frameworks-en.png" in names
    # and only the screens asked for (with no extra view: none opens from them)
    assert len(names) == 1 + 2 * len(Role), sorted(names)
    assert "screen broken_build of learner05 failed: RuntimeError: cannot build" in done.stdout
    assert "screen broken_refresh of teacher1 failed: ValueError: cannot load" in done.stdout
    assert "Traceback" in done.stderr  # the details, for whoever fixes the screen
    assert password_hashes(database) == hashes  # the sign-ins stored no new password hash


def test_the_pictured_screens_show_work_from_the_demo_school(qtbot, window):
    from digcomp_app.showcase.screenshots import DEMO_USERS, EXTRA_PICTURES, SCREEN_STATES
    from tests.ui.conftest import sign_in

    users = dict(DEMO_USERS)

    def prepared(role: Role, screen_id: str):
        sign_in(qtbot, window, users[role])
        window.workspace.show_screen(screen_id)
        screen = window.workspace.screen(screen_id)
        SCREEN_STATES[screen_id](window, screen)
        return screen

    cases = prepared(Role.TEACHER, "cases")
    assert cases.case.stack.currentWidget() is cases.case.evidence
    assert cases.case.evidence.list.topLevelItemCount() > 0
    assert cases.case.evidence.preview.item is not None
    at_assessment = next(f for r, n, f in EXTRA_PICTURES if n == "cases-assessment")
    at_assessment(window)
    assert cases.case.stack.currentWidget() is cases.case.assessment
    assert "2 levels" in cases.case.assessment.form.flag_shown()
    window.sign_out()

    mobilities = prepared(Role.COORDINATOR, "mobilities")
    assert mobilities.editor.tabs.currentWidget() is mobilities.editor.people
    assert mobilities.editor.mobility is not None
    certification = prepared(Role.COORDINATOR, "certification")
    assert certification.queue.selected_case() is not None
    window.sign_out()

    self_assessment = prepared(Role.LEARNER, "self_assessment")
    assert self_assessment.pages.currentWidget() is self_assessment.questionnaire
    assert self_assessment.questionnaire.competence.id.startswith("2.")
    results = prepared(Role.LEARNER, "results")
    assert results.result is not None and results.result.comparing
