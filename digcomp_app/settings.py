"""User settings: one small INI file, no Qt.

Looked up in this order, the first that exists wins:

1. the file named by the environment variable ``DIGCOMP_SETTINGS``;
2. ``digcomp-app.ini`` next to the running program (a school administrator's
   pre-configured, portable install on a locked-down PC);
3. ``settings.ini`` in the user's configuration folder (platformdirs).

Settings are saved to the file they were read from, or to the user's folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

# configparser and platformdirs are imported when needed: the window's start does not wait
APP_NAME = "digcomp-app"
_SECTION = "app"
#: the text sizes the View menu offers, in per cent
TEXT_SIZES = (100, 115, 130, 150)


def user_config_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.ini"


def _portable_file() -> Path:
    return Path(sys.argv[0]).resolve().parent / f"{APP_NAME}.ini"


def settings_file() -> Path:
    explicit = os.environ.get("DIGCOMP_SETTINGS")
    if explicit:
        return Path(explicit)
    portable = _portable_file()
    if portable.is_file():
        return portable
    return user_config_file()


@dataclass(frozen=True, slots=True)
class Settings:
    #: UI language code ("lv", "en"); empty means "follow the system".
    language: str = ""
    #: SQLAlchemy URL of the database; empty means the default SQLite file.
    database_url: str = ""
    #: Lock the window after this many minutes without input (0: never).
    idle_lock_minutes: int = 10
    #: The folder printed attestations and reports were last saved to (empty: not yet).
    output_folder: str = ""
    #: The size of all text in the window, in per cent of the system's (one of TEXT_SIZES).
    text_size: int = 100
    #: Where the window was and how large, as the window saved it (base64; empty: not yet).
    window_geometry: str = ""

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_file()
    if not path.is_file():  # the first start: nothing saved yet
        return Settings()
    import configparser

    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return Settings()
    if not parser.has_section(_SECTION):
        return Settings()
    section = parser[_SECTION]
    try:
        idle = max(0, section.getint("idle_lock_minutes", fallback=Settings.idle_lock_minutes))
    except ValueError:
        idle = Settings.idle_lock_minutes
    try:
        text_size = section.getint("text_size", fallback=Settings.text_size)
    except ValueError:
        text_size = Settings.text_size
    if text_size not in TEXT_SIZES:
        text_size = Settings.text_size
    return Settings(
        language=section.get("language", fallback="").strip(),
        database_url=section.get("database_url", fallback="").strip(),
        idle_lock_minutes=idle,
        output_folder=section.get("output_folder", fallback="").strip(),
        text_size=text_size,
        window_geometry=section.get("window_geometry", fallback="").strip(),
    )


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    import configparser

    path = path or settings_file()
    parser = configparser.ConfigParser()
    parser[_SECTION] = {
        "language": settings.language,
        "database_url": settings.database_url,
        "idle_lock_minutes": str(settings.idle_lock_minutes),
        "output_folder": settings.output_folder,
        "text_size": str(settings.text_size),
        "window_geometry": settings.window_geometry,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    tmp.replace(path)
    return path
