"""The machine-wide file of the school's IT: precedence, locking, and mistakes in it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.services.configuration import (
    locked_explanation,
    machine_config_messages,
    overridden_notice,
)
from digcomp_app.settings import (
    ENV_MACHINE_CONFIG,
    Settings,
    choose,
    load_machine_config,
    load_settings,
    machine_config_file,
    save_settings,
)
from digcomp_app.storage.urls import resolve_database_url
from tests.program import run_python

SERVER = "postgresql+psycopg://digcomp_app@db.school.example/digcomp?sslmode=require"


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """Write the machine-wide file (the environment names it, as in every test)."""
    path = tmp_path / "machine" / "config.ini"
    path.parent.mkdir()
    monkeypatch.setenv(ENV_MACHINE_CONFIG, str(path))

    def write(text: str) -> Path:
        path.write_text(text, encoding="utf-8")
        return path

    return write


def user_file(text: str) -> None:
    Path(os.environ["DIGCOMP_SETTINGS"]).write_text("[app]\n" + text, encoding="utf-8")


def test_where_the_machine_file_is(monkeypatch):
    monkeypatch.delenv(ENV_MACHINE_CONFIG)
    if sys.platform.startswith("linux"):
        assert machine_config_file() == Path("/etc/digcomp-app/config.ini")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("ProgramData", r"C:\ProgramData")
    if os.name == "nt":  # platformdirs asks Windows itself
        assert machine_config_file().parent.name == "digcomp-app"


def test_without_a_machine_file_the_user_decides(machine):
    user_file("language = lv\nidle_lock_minutes = 25\n")
    settings = load_settings()
    assert (settings.language, settings.idle_lock_minutes) == ("lv", 25)
    assert settings.locked == frozenset() and settings.machine_file == ""
    assert machine_config_messages() == []


def test_machine_defaults_sit_below_the_user_and_above_the_built_in(machine):
    machine("[defaults]\nlanguage = lv\nidle_lock_minutes = 5\ndatabase_url = " + SERVER + "\n")
    assert load_settings().language == "lv"  # nothing of the user's: the machine's default
    assert load_settings().idle_lock_minutes == 5
    user_file("language = en\n")
    settings = load_settings()
    assert settings.language == "en"  # the user's choice wins over a default
    assert settings.idle_lock_minutes == 5
    assert settings.locked == frozenset()
    # the database: command line > environment > settings (here the machine's default)
    assert resolve_database_url(None, settings.database_url, environ={}) == SERVER
    env = {"DIGCOMP_DATABASE_URL": "sqlite:////tmp/env.sqlite3"}
    assert resolve_database_url(None, settings.database_url, env) == env["DIGCOMP_DATABASE_URL"]
    explicit = resolve_database_url("sqlite:////tmp/cli.sqlite3", settings.database_url, env)
    assert explicit == "sqlite:////tmp/cli.sqlite3"
    assert choose("language", "nl") == "nl"  # the command line over the user


def test_a_locked_setting_beats_the_user_the_environment_and_the_command_line(machine):
    machine(f"[locked]\nlanguage = lv\nidle_lock_minutes = 3\ndatabase_url = {SERVER}\n")
    user_file("language = en\nidle_lock_minutes = 60\ndatabase_url = sqlite:////tmp/mine\n")
    settings = load_settings()
    assert (settings.language, settings.idle_lock_minutes) == ("lv", 3)
    assert settings.locked == {"language", "idle_lock_minutes", "database_url"}
    assert settings.machine_file == os.environ[ENV_MACHINE_CONFIG]
    env = {"DIGCOMP_DATABASE_URL": "sqlite:////tmp/env.sqlite3"}
    assert resolve_database_url("sqlite:////tmp/cli.sqlite3", settings.database_url, env) == SERVER
    assert choose("language", "en", "en") == "lv"
    notice = overridden_notice("database_url", "sqlite:////tmp/cli.sqlite3")
    assert "--database" in notice and os.environ[ENV_MACHINE_CONFIG] in notice
    assert overridden_notice("database_url", None) == ""
    assert overridden_notice("text_size", "150") == ""  # not locked


def test_saving_keeps_the_users_own_choices_only(machine, tmp_path):
    machine("[defaults]\nlanguage = lv\n[locked]\nidle_lock_minutes = 3\n")
    user_file("idle_lock_minutes = 45\n")
    save_settings(load_settings().with_changes(text_size=130))
    saved = Path(os.environ["DIGCOMP_SETTINGS"]).read_text(encoding="utf-8")
    assert "text_size = 130" in saved
    assert "language = \n" in saved  # the machine's default is not copied as the user's
    assert "idle_lock_minutes = 45" in saved  # the user's own value waits behind the lock
    # IT changes the default and lifts the lock: the user follows the new default and gets
    # their own idle time back
    machine("[defaults]\nlanguage = en\n")
    settings = load_settings()
    assert (settings.language, settings.idle_lock_minutes, settings.text_size) == ("en", 45, 130)


def test_a_locked_setting_cannot_be_saved_over(machine):
    machine("[locked]\nlanguage = lv\n")
    save_settings(load_settings().with_changes(language="en"))
    assert load_settings().language == "lv"
    machine("")
    assert load_settings().language == ""  # nothing of the user's was written


def test_mistakes_name_the_file_and_line_and_the_rest_still_applies(machine):
    path = machine(
        "# the school's settings\n"  # 1
        "[defaults]\n"  # 2
        "langauge = lv\n"  # 3 unknown setting
        "idle_lock_minutes = soon\n"  # 4 bad value
        "language = xx\n"  # 5 a language the program does not speak
        "this is not a setting\n"  # 6
        "[extra]\n"  # 7 unknown section
        "language = en\n"  # 8 (in the unknown section: ignored)
        "[locked]\n"  # 9
        "database_url = mysql://db/school\n"  # 10 not a database the program uses
        "verification_address = http://www.school.example/verify/\n"  # 11 not https
        "idle_lock_minutes = 7\n"  # 12 fine
    )
    config = load_machine_config()
    assert [problem.line for problem in config.problems] == [3, 4, 6, 7, 10, 11]
    assert config.values == {"language": "xx", "idle_lock_minutes": 7}
    messages = machine_config_messages()
    assert len(messages) == 7
    assert all(str(path) in message for message in messages)
    assert f"{path}, line 3: unknown setting langauge" in messages[0]
    assert "line 4: idle_lock_minutes = soon" in messages[1]
    assert "line 6: not understood" in messages[2]
    assert "line 7: unknown section [extra]" in messages[3]
    assert "line 10: database_url = mysql://db/school" in messages[4]
    assert "line 11" in messages[5] and "https://" in messages[5]
    assert "line 5: language = xx" in messages[6]
    settings = load_settings()  # what was valid applies; the rest is the built-in default
    assert settings.idle_lock_minutes == 7 and settings.locked == {"idle_lock_minutes"}
    assert settings.database_url == ""
    set_language("lv")
    latvian = machine_config_messages()
    assert all(str(path) in message for message in latvian)
    assert latvian != messages and "3. rind" in latvian[0]


def test_a_setting_in_both_sections_is_locked(machine):
    machine("[locked]\nlanguage = lv\n[defaults]\nlanguage = en\n")
    config = load_machine_config()
    assert config.locked == {"language"} and config.values["language"] == "lv"
    assert [problem.line for problem in config.problems] == [4]
    assert "locked wins" in machine_config_messages()[0]


def test_an_unreadable_file_is_reported_and_the_defaults_used(machine):
    path = machine("")
    path.write_bytes(b"[locked]\nlanguage = \xff\xfe\n")
    assert load_settings() == Settings()
    (message,) = machine_config_messages()
    assert str(path) in message and "cannot be read" in message


def test_the_program_starts_with_a_broken_machine_file_and_says_where(machine, tmp_path):
    path = machine("[locked]\nidle_lock_minutes = -4\n")
    env = {**os.environ, "DIGCOMP_SETTINGS": str(tmp_path / "user.ini")}
    done = run_python("-m", "digcomp_app", "frameworks", "list", env=env)
    assert done.returncode == 0, done.stderr
    assert "digcomp" in done.stdout
    assert f"{path}, line 2: idle_lock_minutes = -4" in done.stderr


def test_a_locked_language_rules_the_command_line(machine, tmp_path):
    machine("[locked]\nlanguage = lv\n")
    env = {**os.environ, "DIGCOMP_SETTINGS": str(tmp_path / "user.ini")}
    done = run_python("-m", "digcomp_app", "--language", "en", "--help", env=env)
    assert done.returncode == 0
    assert "komanda" in done.stdout.lower()  # Latvian help, not the English asked for


def test_locked_explanation_names_the_file(machine):
    path = machine("[locked]\nlanguage = lv\n")
    assert str(path) in locked_explanation()
    assert "IT" in locked_explanation()


def test_a_new_school_starts_with_the_machines_verification_address(machine, tmp_path):
    from digcomp_app.services import accounts, organisations
    from digcomp_app.services.database import Database
    from tests.services.conftest import FAST_HASHER

    machine("[defaults]\nverification_address = https://www.school.example/verify/\n")
    db = Database(f"sqlite:///{tmp_path / 'school.sqlite3'}", password_hasher=FAST_HASHER)
    try:
        accounts.create_first_administrator(db, None, "admin", "Admin", "a long password")
        admin = accounts.authenticate(db, None, "admin", "a long password")
        home = organisations.update_home(db, admin, name="School", country="LV")
        assert home.verification_address == "https://www.school.example/verify/"
        # a default: the school may change it
        home = organisations.update_home(db, admin, verification_address="https://other.example/a/")
        assert home.verification_address == "https://other.example/a/"
        # locked: the machine's address is kept whatever is typed
        machine("[locked]\nverification_address = https://www.school.example/verify/\n")
        home = organisations.update_home(
            db, admin, name="School", verification_address="https://other.example/a/"
        )
        assert home.verification_address == "https://www.school.example/verify/"
    finally:
        db.close()
