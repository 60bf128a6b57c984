"""Where the bundled data is found: a source checkout, an installed wheel, the self-contained
program (PyInstaller sets ``sys.frozen`` and ``sys._MEIPASS``)."""

from __future__ import annotations

import sys
from pathlib import Path

from digcomp_app import resources

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_the_top_level_resources():
    assert not getattr(sys, "frozen", False)
    assert resources.bundle_dir() is None
    assert (resources.frameworks_dir() / "digcomp-3.0" / "framework.yaml").is_file()
    installed = resources.package_data_dir() / "resources"
    if not installed.is_dir():  # an editable install or the checkout itself
        assert resources.resources_dir() == ROOT / "resources"


def test_the_built_program_reads_its_own_folder(tmp_path, monkeypatch):
    data = tmp_path / "_internal" / "digcomp_app" / "resources"
    (data / "frameworks").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert resources.bundle_dir() == tmp_path / "_internal"
    assert resources.package_data_dir() == tmp_path / "_internal" / "digcomp_app"
    assert resources.resources_dir() == data
    assert resources.frameworks_dir() == data / "frameworks"


def test_a_built_program_missing_its_data_never_reads_a_checkout(tmp_path, monkeypatch):
    """A broken bundle fails on its own files, not by finding some other copy by chance."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "digcomp_app" / "resources"


def test_frozen_without_a_bundle_folder_is_an_ordinary_install(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources.bundle_dir() is None
    assert (resources.frameworks_dir() / "digcomp-3.0").is_dir()
