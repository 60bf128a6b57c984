"""Settings: the user's small INI file, the machine-wide file of the school's IT, portable mode.

No Qt, no translations (this is the lowest layer): problems are reported as untranslated
templates (marked ``N_`` for the catalogs) that the layers above translate.

**The user's file** is looked up in this order, the first that exists wins:

1. the file named by the environment variable ``DIGCOMP_SETTINGS``;
2. portable mode (a ``digcomp-app.portable`` marker beside the program):
   ``data/settings.ini`` beside the program;
3. ``digcomp-app.ini`` next to the running program (a pre-configured install);
4. ``settings.ini`` in the user's configuration folder (platformdirs).

Settings are saved to the file they were read from, or to the user's folder.

**The machine-wide file** (``/etc/digcomp-app/config.ini`` on Linux,
``%ProgramData%\\digcomp-app\\config.ini`` on Windows; ``DIGCOMP_MACHINE_CONFIG`` names
another) sets defaults in ``[defaults]`` and values users may not change in ``[locked]``.

**Precedence**, highest first: a locked machine setting > the command line > the
environment variable > the user's setting > the machine's default > the built-in default
(docs/decisions/0032-portable-and-central-config.md).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

# configparser and platformdirs are imported when needed: the window's start does not wait
APP_NAME = "digcomp-app"
_SECTION = "app"
#: the text sizes the View menu offers, in per cent
TEXT_SIZES = (100, 115, 130, 150)

#: a file of this name beside the program turns portable mode on
PORTABLE_MARKER = f"{APP_NAME}.portable"
#: the folder beside the program that holds a portable install's settings and database
PORTABLE_DATA = "data"
#: stands for the program's folder (tests; a source checkout emulating a bundle)
ENV_PROGRAM_FOLDER = "DIGCOMP_PROGRAM_FOLDER"
#: names another machine-wide configuration file (tests; trying a file before rolling it out)
ENV_MACHINE_CONFIG = "DIGCOMP_MACHINE_CONFIG"
#: the settings the machine-wide file may set
MACHINE_KEYS = ("database_url", "language", "idle_lock_minutes", "verification_address")
MACHINE_SECTIONS = ("defaults", "locked")
#: the longest idle lock the files may ask for (a day)
MAX_IDLE_MINUTES = 1440


def N_(message: str) -> str:  # noqa: N802 - gettext's name: marks a text for the catalogs
    return message


# --- where things are ---------------------------------------------------------------------


def program_folder() -> Path:
    """The folder of the program: the bundle's executable folder when frozen, the folder
    holding the ``digcomp_app`` package for a source install (``DIGCOMP_PROGRAM_FOLDER``
    stands for it)."""
    explicit = os.environ.get(ENV_PROGRAM_FOLDER)
    if explicit:
        return Path(explicit)
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def portable_folder() -> Path | None:
    """``<program folder>/data`` when the portable marker sits beside the program, else None."""
    folder = program_folder()
    return folder / PORTABLE_DATA if (folder / PORTABLE_MARKER).is_file() else None


def data_folder() -> Path:
    """Where the default SQLite database lives: beside the program in portable mode, else
    the user's data folder."""
    portable = portable_folder()
    if portable is not None:
        return portable
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.ini"


def _portable_file() -> Path:
    return Path(sys.argv[0]).resolve().parent / f"{APP_NAME}.ini"


def settings_file() -> Path:
    explicit = os.environ.get("DIGCOMP_SETTINGS")
    if explicit:
        return Path(explicit)
    portable = portable_folder()
    if portable is not None:
        return portable / "settings.ini"
    legacy = _portable_file()
    if legacy.is_file():
        return legacy
    return user_config_file()


def machine_config_file() -> Path:
    """The machine-wide file of the school's IT (it need not exist)."""
    explicit = os.environ.get(ENV_MACHINE_CONFIG)
    if explicit:
        return Path(explicit)
    platform: str = sys.platform  # a plain string: the type checker reads every branch
    if platform.startswith("linux"):
        return Path("/etc") / APP_NAME / "config.ini"
    import platformdirs  # Windows: %ProgramData%\digcomp-app; macOS: /Library/Application Support

    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / "config.ini"


# --- the settings -------------------------------------------------------------------------


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
    #: The school's registration number typed last for a European Digital Credential.
    edc_registration: str = ""
    #: Where the window was and how large, as the window saved it (base64; empty: not yet).
    window_geometry: str = ""
    #: The verification address a new school starts with (machine-wide file only).
    verification_address: str = ""
    #: The settings the school's IT locked in the machine-wide file.
    locked: frozenset[str] = field(default_factory=frozenset)
    #: The machine-wide file that set any of these ("" when none did).
    machine_file: str = ""

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def is_locked(self, name: str) -> bool:
        return name in self.locked


#: what the user's file keeps (the rest come from the machine-wide file or are computed)
_USER_FIELDS = (
    "language",
    "database_url",
    "idle_lock_minutes",
    "output_folder",
    "text_size",
    "window_geometry",
    "edc_registration",
)


def _user_value(name: str, raw: str) -> str | int | None:
    """A value of the user's file, or None when empty or not valid (the default is used)."""
    raw = raw.strip()
    if not raw:
        return None
    if name == "idle_lock_minutes":
        try:
            return min(MAX_IDLE_MINUTES, max(0, int(raw)))
        except ValueError:
            return None
    if name == "text_size":
        try:
            size = int(raw)
        except ValueError:
            return None
        return size if size in TEXT_SIZES else None
    return raw


def _read_user_file(path: Path) -> dict[str, str | int]:
    """The valid, non-empty values of the user's file (nothing when it is missing or broken)."""
    if not path.is_file():  # the first start: nothing saved yet
        return {}
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return {}
    if not parser.has_section(_SECTION):
        return {}
    values: dict[str, str | int] = {}
    for name in _USER_FIELDS:
        value = _user_value(name, parser[_SECTION].get(name, ""))
        if value is not None:
            values[name] = value
    return values


def load_settings(path: Path | None = None, machine: MachineConfig | None = None) -> Settings:
    """The settings in force: the user's file merged with the machine-wide file."""
    user = _read_user_file(path or settings_file())
    machine = machine if machine is not None else load_machine_config()
    values: dict[str, object] = {}
    for item in fields(Settings):
        name = item.name
        if name in ("locked", "machine_file"):
            continue
        if name in machine.locked:
            values[name] = machine.values[name]
        elif name in user:
            values[name] = user[name]
        elif name in machine.values:
            values[name] = machine.values[name]
    return Settings(
        **values,  # type: ignore[arg-type]
        locked=machine.locked,
        machine_file=str(machine.path) if machine.values else "",
    )


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the user's own choices. A locked setting keeps what the user's file had; a
    value equal to the machine's default (or the built-in one) is not written, so it
    follows the machine's default when IT changes it."""
    import configparser

    path = path or settings_file()
    previous = _read_user_file(path)
    machine = load_machine_config()
    builtin = Settings()
    values: dict[str, str] = {}
    for name in _USER_FIELDS:
        if name in machine.locked:
            kept = previous.get(name)
            values[name] = "" if kept is None else str(kept)
            continue
        value = getattr(settings, name)
        fallback = machine.values.get(name, getattr(builtin, name))
        values[name] = str(value) if value != fallback else ""
    parser = configparser.ConfigParser(interpolation=None)
    parser[_SECTION] = values
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    tmp.replace(path)
    return path


def choose(name: str, command_line: str | None, environment: str | None = None) -> str:
    """A text setting by the precedence rule: locked machine setting, the command line,
    the environment variable, then the settings in force ("" when none is set)."""
    settings = load_settings()
    if settings.is_locked(name):
        return str(getattr(settings, name))
    return command_line or environment or str(getattr(settings, name))


# --- the machine-wide file ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """Something wrong in the machine-wide file: ``message`` is an untranslated template
    (translate it, then ``format(**values)``); ``line`` 0 means the whole file."""

    file: str
    line: int
    message: str
    values: tuple[tuple[str, str], ...] = ()

    def arguments(self) -> dict[str, str]:
        return {"file": self.file, "line": str(self.line), **dict(self.values)}


@dataclass(frozen=True, slots=True)
class MachineConfig:
    path: Path
    #: the machine's values (defaults and locked ones), checked
    values: dict[str, str | int] = field(default_factory=dict)
    locked: frozenset[str] = field(default_factory=frozenset)
    #: the line of each value, for messages about it
    lines: dict[str, int] = field(default_factory=dict)
    problems: tuple[ConfigProblem, ...] = ()


_LANGUAGE = re.compile(r"^[a-z]{2}$")
_DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")


def _check_machine_value(name: str, raw: str) -> tuple[str | int | None, str]:
    """The checked value, or None and the reason (an untranslated template)."""
    if name == "idle_lock_minutes":
        try:
            minutes = int(raw)
        except ValueError:
            minutes = -1
        if not 0 <= minutes <= MAX_IDLE_MINUTES:
            return None, N_("a whole number of minutes from 0 (never) to 1440 is needed")
        return minutes, ""
    if name == "language":
        if not _LANGUAGE.match(raw):
            return None, N_("a language code such as lv or en is needed")
        return raw, ""
    if name == "database_url":
        head, found, _rest = raw.partition("://")
        if found and head.split("+")[0].lower() not in _DATABASE_SCHEMES:
            return None, N_("a postgresql:// address or an SQLite file is needed")
        return raw, ""
    if not raw.lower().startswith("https://"):  # verification_address: checked fully later
        return None, N_("an address starting with https:// is needed")
    return raw, ""


def read_machine_config(path: Path) -> MachineConfig:
    """Read the machine-wide file line by line (a strict INI subset, so every problem can
    name its line). A missing file is no problem; a bad line is skipped and reported."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return MachineConfig(path)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        unreadable = ConfigProblem(
            str(path),
            0,
            N_("{file} cannot be read ({reason}); the built-in settings are used."),
            (("reason", str(reason)),),
        )
        return MachineConfig(path, problems=(unreadable,))
    problems: list[ConfigProblem] = []
    values: dict[str, str | int] = {}
    lines: dict[str, int] = {}
    locked: set[str] = set()
    section: str | None = None

    def problem(number: int, message: str, **arguments: str) -> None:
        problems.append(ConfigProblem(str(path), number, message, tuple(arguments.items())))

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
            if section not in MACHINE_SECTIONS:
                problem(
                    number,
                    N_("{file}, line {line}: unknown section [{section}] (known: {known})."),
                    section=section,
                    known=", ".join(f"[{name}]" for name in MACHINE_SECTIONS),
                )
            continue
        key, equals, raw = stripped.partition("=")
        key = key.strip().lower()
        if not equals or not key:
            problem(number, N_("{file}, line {line}: not understood: {text}"), text=stripped)
            continue
        if section not in MACHINE_SECTIONS:
            if section is None:
                problem(
                    number,
                    N_("{file}, line {line}: {key} is outside [defaults] and [locked]."),
                    key=key,
                )
            continue  # an unknown section was reported once
        if key not in MACHINE_KEYS:
            problem(
                number,
                N_("{file}, line {line}: unknown setting {key} (known: {known})."),
                key=key,
                known=", ".join(MACHINE_KEYS),
            )
            continue
        raw = raw.strip()
        value, reason = _check_machine_value(key, raw)
        if value is None:
            problem(
                number,
                N_("{file}, line {line}: {key} = {value}: {reason}; it is not used."),
                key=key,
                value=raw,
                reason=reason,
            )
            continue
        if key in lines and (key in locked) != (section == "locked"):
            problem(
                number,
                N_("{file}, line {line}: {key} is in both [defaults] and [locked]; locked wins."),
                key=key,
            )
            if key in locked:
                continue
        values[key] = value
        lines[key] = number
        if section == "locked":
            locked.add(key)
    return MachineConfig(path, values, frozenset(locked), lines, tuple(problems))


def load_machine_config() -> MachineConfig:
    return read_machine_config(machine_config_file())
