"""Settings locked by the school's IT: shown, disabled, with the reason."""

from __future__ import annotations

import pytest

from digcomp_app.settings import ENV_MACHINE_CONFIG, load_settings, settings_file
from digcomp_app.ui.main_window import MainWindow
from tests.ui.conftest import sign_in

SERVER = "postgresql://digcomp_app@db.school.example/digcomp?sslmode=verify-full"


@pytest.fixture
def locked_window(qtbot, demo_db, tmp_path, monkeypatch):
    config = tmp_path / "config.ini"
    config.write_text(
        f"[locked]\ndatabase_url = {SERVER}\nlanguage = en\n[defaults]\nidle_lock_minutes = 20\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV_MACHINE_CONFIG, str(config))
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, config


def test_the_locked_database_is_shown_disabled_with_the_reason(qtbot, locked_window):
    window, config = locked_window
    sign_in(qtbot, window, "admin")
    window.workspace.show_screen("database")
    box = window.workspace.screen("database").connection
    assert box.postgresql_choice.isChecked() and box.url.text() == SERVER
    for widget in (box.sqlite_choice, box.postgresql_choice, box.file, box.url, box.save_button):
        assert not widget.isEnabled()
    assert box.test_button.isEnabled()  # trying the school's server is still allowed
    assert "school's IT" in box.note.text() and str(config) in box.note.text()
    box.save()  # even if asked to: nothing is written
    assert load_settings().database_url == SERVER
    user_file = settings_file()
    assert not user_file.exists() or "postgresql" not in user_file.read_text(encoding="utf-8")


def test_the_locked_language_menu_is_disabled_with_the_reason(locked_window):
    window, config = locked_window
    assert window.idle_minutes == 20  # the machine's default (nothing of the user's)
    actions = window.language_actions
    assert actions["en"].isChecked()
    assert not any(action.isEnabled() for action in actions.values())
    assert str(config) in window.language_menu.toolTip()


def test_an_unlocked_window_lets_people_choose(qtbot, window):
    sign_in(qtbot, window, "admin")
    window.workspace.show_screen("database")
    box = window.workspace.screen("database").connection
    assert box.save_button.isEnabled() and box.sqlite_choice.isEnabled()
    assert all(action.isEnabled() for action in window.language_actions.values())
