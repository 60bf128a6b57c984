"""Portable mode: a marker beside the program keeps settings and the database beside it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from digcomp_app.settings import (
    ENV_PROGRAM_FOLDER,
    PORTABLE_MARKER,
    portable_folder,
    program_folder,
    settings_file,
)
from digcomp_app.storage.urls import default_database_path, resolve_database_url
from tests.conftest import ROOT
from tests.program import run_python


@pytest.fixture
def stick(tmp_path, monkeypatch) -> Path:
    """A program folder on a "USB stick", the user's own settings file not forced."""
    folder = tmp_path / "stick" / "DigComp"
    folder.mkdir(parents=True)
    monkeypatch.setenv(ENV_PROGRAM_FOLDER, str(folder))
    monkeypatch.delenv("DIGCOMP_SETTINGS")
    monkeypatch.delenv("DIGCOMP_DATABASE_URL", raising=False)
    return folder


def test_with_the_marker_settings_and_database_live_beside_the_program(stick):
    (stick / PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert portable_folder() == stick / "data"
    assert settings_file() == stick / "data" / "settings.ini"
    assert default_database_path() == stick / "data" / "digcomp.sqlite3"
    assert resolve_database_url(environ={}) == f"sqlite:///{stick / 'data' / 'digcomp.sqlite3'}"


def test_without_the_marker_they_stay_in_the_users_folders(stick):
    assert portable_folder() is None
    assert stick not in settings_file().parents
    assert stick not in default_database_path().parents


def test_a_bundle_looks_beside_its_executable(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_PROGRAM_FOLDER, raising=False)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "digcomp-app.exe"))
    assert program_folder() == bundle
    (bundle / PORTABLE_MARKER).touch()
    assert portable_folder() == bundle / "data"


def test_a_source_install_looks_beside_the_package(monkeypatch):
    monkeypatch.delenv(ENV_PROGRAM_FOLDER, raising=False)
    assert program_folder() == ROOT


def test_the_command_line_uses_the_portable_folder(stick, tmp_path):
    (stick / PORTABLE_MARKER).touch()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DIGCOMP_SETTINGS", "DIGCOMP_DATABASE_URL")
    }
    env["DIGCOMP_NEW_PASSWORD"] = "a long first password"
    done = run_python("-m", "digcomp_app", "setup", "admin", env=env)
    assert done.returncode == 0, done.stderr
    assert (stick / "data" / "digcomp.sqlite3").is_file()
    assert not list((stick / "data").glob("*.lease"))  # closed: the lease went with it
