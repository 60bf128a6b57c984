"""The school's library of frameworks: the built-in ones plus those an administrator added
(a framework folder or zip of the app's format, or a Moodle competency-framework CSV).

An added framework's files are kept in the database (table ``school_frameworks``), so
every PC of the school sees the same frameworks; each PC loads them with the same loader
and checks as the built-in ones. A framework that self-assessments, cases or mobilities
use cannot be removed. Decision 0034.
"""

from __future__ import annotations

import hashlib
import json
import stat
import tempfile
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from digcomp_app.framework import (
    Framework,
    FrameworkError,
    FrameworkLibrary,
    builtin_library,
    load_framework,
)
from digcomp_app.framework.loader import STRUCTURE_FILE
from digcomp_app.framework.moodle import MoodleError, MoodleImport, import_csv
from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, WorkflowError
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import Mobility, SchoolFramework, SelfAssessment, ValidationCase

#: the most files a framework folder or zip may hold
MAX_FILES = 40
#: the biggest file of a framework (bytes; the YAML reader's own cap)
MAX_FILE_BYTES = 8 * 1024 * 1024
#: the most a whole framework may weigh (bytes, unpacked)
MAX_TOTAL_BYTES = 24 * 1024 * 1024
#: the biggest zip file read (bytes)
MAX_ZIP_BYTES = 24 * 1024 * 1024
#: the files a framework folder may hold besides its YAML files (kept with it)
_EXTRA_SUFFIXES = (".txt", ".md")


class FrameworkRejected(InvalidInput):
    """A framework was not added; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("framework", "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class SchoolFrameworkInfo:
    framework_id: str
    version: str
    title: str
    origin: str
    added_by: str
    added_at: str
    #: how many self-assessments, cases and mobilities use it (it cannot be removed then)
    records: int


@dataclass(frozen=True, slots=True)
class AddedFramework:
    framework_id: str
    version: str
    title: str
    areas: int
    competences: int
    levels: int
    notes: tuple[str, ...] = ()


# --- reading a folder or zip ----------------------------------------------------------


def _allowed_name(name: str) -> bool:
    return (
        name == STRUCTURE_FILE
        or (name.startswith("texts.") and name.endswith(".yaml"))
        or name.endswith(_EXTRA_SUFFIXES)
    )


def read_framework_files(path: Path) -> dict[str, str]:
    """The files of a framework folder or zip (or the folder of a ``framework.yaml``),
    checked for size, names and count; raises :class:`FrameworkRejected`."""
    if path.is_file() and path.name == STRUCTURE_FILE:
        path = path.parent
    if path.is_dir():
        return _folder_files(path)
    if path.is_file() and zipfile.is_zipfile(path):
        return _zip_files(path)
    raise FrameworkRejected(
        [_("{path} is neither a framework folder nor a zip of one.").format(path=path)]
    )


def _folder_files(folder: Path) -> dict[str, str]:
    files: dict[str, bytes] = {}
    problems: list[str] = []
    for child in sorted(folder.iterdir()):
        info = child.lstat()
        if stat.S_ISLNK(info.st_mode):
            problems.append(_("{name}: links are not accepted.").format(name=child.name))
            continue
        if not stat.S_ISREG(info.st_mode) or not _allowed_name(child.name):
            continue  # other files and folders are not part of a framework
        if info.st_size > MAX_FILE_BYTES:
            problems.append(_too_big_file(child.name))
            continue
        files[child.name] = child.read_bytes()[: MAX_FILE_BYTES + 1]
    return _decoded(files, problems)


def _zip_files(path: Path) -> dict[str, str]:
    if path.stat().st_size > MAX_ZIP_BYTES:
        raise FrameworkRejected(
            [
                _("The zip file is larger than {size} MB.").format(
                    size=MAX_ZIP_BYTES // (1024 * 1024)
                )
            ]
        )
    problems: list[str] = []
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [e for e in archive.infolist() if not e.is_dir()]
            if len(entries) > MAX_FILES:
                raise FrameworkRejected(
                    [_("The zip holds more than {count} files.").format(count=MAX_FILES)]
                )
            prefix = _common_folder([e.filename for e in entries])
            for entry in entries:
                name = entry.filename
                parts = name.split("/")
                if (
                    name.startswith(("/", "\\"))
                    or "\\" in name
                    or ".." in parts
                    or ":" in parts[0]
                    or stat.S_ISLNK(entry.external_attr >> 16)
                ):
                    problems.append(
                        _("{name}: a path outside the framework folder is refused.").format(
                            name=name
                        )
                    )
                    continue
                inner = name[len(prefix) :]
                if "/" in inner or not _allowed_name(inner):
                    continue
                if entry.file_size > MAX_FILE_BYTES:
                    problems.append(_too_big_file(name))
                    continue
                with archive.open(entry) as stream:  # read no more than the cap, whatever
                    data = stream.read(MAX_FILE_BYTES + 1)  # the header claims
                if len(data) > MAX_FILE_BYTES:
                    problems.append(_too_big_file(name))
                    continue
                files[inner] = data
                if sum(len(d) for d in files.values()) > MAX_TOTAL_BYTES:
                    raise FrameworkRejected([_too_big_total()])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise FrameworkRejected(
            [_("The zip file cannot be read: {error}").format(error=error)]
        ) from None
    return _decoded(files, problems)


def _common_folder(names: list[str]) -> str:
    """ "digcomp-x/" when every file is inside that one folder, else ""."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return tops.pop() + "/"
    return ""


def _too_big_file(name: str) -> str:
    return _("{name} is larger than {size} MB.").format(
        name=name, size=MAX_FILE_BYTES // (1024 * 1024)
    )


def _too_big_total() -> str:
    return _("The framework's files together are larger than {size} MB.").format(
        size=MAX_TOTAL_BYTES // (1024 * 1024)
    )


def _decoded(files: Mapping[str, bytes], problems: list[str]) -> dict[str, str]:
    if len(files) > MAX_FILES:
        problems.append(_("The folder holds more than {count} files.").format(count=MAX_FILES))
    if sum(len(d) for d in files.values()) > MAX_TOTAL_BYTES:
        problems.append(_too_big_total())
    if STRUCTURE_FILE not in files and not problems:
        problems.append(_("There is no {file}.").format(file=STRUCTURE_FILE))
    texts: dict[str, str] = {}
    for name, data in files.items():
        try:
            texts[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(_("{name} is not UTF-8 text.").format(name=name))
    if problems:
        raise FrameworkRejected(problems)
    return texts


def _load_files(files: Mapping[str, str]) -> Framework:
    """Load a framework from its files with the built-in frameworks' loader."""
    with tempfile.TemporaryDirectory(prefix="digcomp-framework-") as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8", newline="")
        return load_framework(Path(folder))


def check_framework(files: Mapping[str, str], others: list[Framework]) -> Framework:
    """The framework of ``files`` if it is valid and fits the library of ``others``."""
    try:
        framework = _load_files(files)
    except FrameworkError as error:
        raise FrameworkRejected(
            [_short_issue(issue.path, str(issue)) for issue in error.issues]
        ) from None
    if any(other.key == framework.key for other in others):
        raise FrameworkRejected(
            [
                _(
                    "The library already has {label}; give the new one another id or version."
                ).format(label=framework.label)
            ]
        )
    try:
        FrameworkLibrary([*others, framework])
    except FrameworkError as error:
        raise FrameworkRejected([issue.message for issue in error.issues]) from None
    return framework


def _short_issue(path: Path, text: str) -> str:
    """An issue without the temporary folder's name."""
    folder = str(path.parent) + "/" if path.suffix else str(path) + "/"
    return text.replace(folder, "").replace(str(path), path.name)


# --- the library of one database ------------------------------------------------------

_CACHE_LOCK = threading.Lock()
_STAMPS = "SELECT id, sha256 FROM school_frameworks ORDER BY id"
_FILES = "SELECT files FROM school_frameworks ORDER BY id"


def _query(database: Database, sql: str, session: Session | None = None) -> list[tuple[Any, ...]]:
    """Rows of a read-only query: in ``session``'s transaction when one is given, else on a
    plain pooled connection: no write lock is taken (SQLite transactions here begin
    IMMEDIATE), so services may ask inside their own."""
    if session is not None:
        return [tuple(row) for row in session.execute(text(sql))]
    connection = database.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql)
            return list(cursor.fetchall())
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool, rolled back


def library_of(database: Database, session: Session | None = None) -> FrameworkLibrary:
    """Built-in frameworks plus the school's (loaded again only when they changed).

    Which frameworks the school has is asked of the database on every call (another PC may
    have added one); only their loading is kept, per database, while they stay the same.
    A service that has its transaction open passes its ``session``: the question is then
    asked there (its database is migrated), not on a connection of its own, which for an
    SQLite file is a new connection each time."""
    try:
        stamps = _query(database, _STAMPS, session)
    except Exception:  # a database of an older app, not yet migrated
        if session is not None:  # (a service's database is migrated: that is another fault)
            raise
        return builtin_library()
    if not stamps:
        return builtin_library()
    key = tuple((row[0], row[1]) for row in stamps)
    with _CACHE_LOCK:
        cached: tuple[Any, FrameworkLibrary] | None = getattr(database, "_school_library", None)
        if cached is not None and cached[0] == key:
            return cached[1]
    rows = _query(database, _FILES, session)
    frameworks = list(builtin_library())
    for (files,) in rows:
        try:
            framework = _load_files(json.loads(files))
            FrameworkLibrary([*frameworks, framework])
        except (FrameworkError, ValueError):
            continue  # no longer valid for this version of the app: left out, not fatal
        frameworks.append(framework)
    library = FrameworkLibrary(frameworks)
    with _CACHE_LOCK:
        database._school_library = (key, library)  # type: ignore[attr-defined]
    return library


def framework_of(database: Database, framework_id: str, version: str) -> Framework | None:
    return library_of(database).find(framework_id, version)


def framework_files(database: Database, framework_id: str, version: str) -> dict[str, str] | None:
    """The files (name → text) of a framework the school added, as kept in the database
    (None when the school added none of that id and version): for work done where the
    database is not at hand, such as the print workers."""
    with database.transaction() as session:
        text = session.scalar(
            select(SchoolFramework.files).where(
                SchoolFramework.framework_id == framework_id,
                SchoolFramework.version == version,
            )
        )
    if text is None:
        return None
    files = json.loads(text)
    return {str(name): str(content) for name, content in files.items()}


# --- services -------------------------------------------------------------------------


@service("frameworks.library")
def library(db: Database, actor: Actor) -> FrameworkLibrary:
    """Every framework the school can use: built-in and added."""
    return library_of(db)


@service("frameworks.list_added")
def list_added(db: Database, actor: Actor) -> list[SchoolFrameworkInfo]:
    from digcomp_app.storage.models import User

    with db.transaction() as session:
        rows = session.execute(
            select(SchoolFramework, User.username)
            .join(User, User.id == SchoolFramework.added_by)
            .order_by(SchoolFramework.framework_id, SchoolFramework.version)
        ).all()
        return [
            SchoolFrameworkInfo(
                row.framework_id,
                row.version,
                row.title,
                row.origin,
                username,
                row.added_at.date().isoformat(),
                _records(session, row.framework_id, row.version),
            )
            for row, username in rows
        ]


def _records(session: Any, framework_id: str, version: str) -> int:
    total = 0
    for model in (SelfAssessment, ValidationCase, Mobility):
        total += session.scalar(
            select(func.count())
            .select_from(model)
            .where(model.framework_id == framework_id, model.framework_version == version)
        )
    return int(total)


@service("frameworks.add")
def add(db: Database, actor: Actor, path: Path) -> AddedFramework:
    """Add the framework folder or zip at ``path`` to the school's library."""
    files = read_framework_files(Path(path))
    origin = "folder" if Path(path).is_dir() or Path(path).name == STRUCTURE_FILE else "zip"
    return _add_files(db, actor, files, origin)


@service("frameworks.add_from_moodle")
def add_from_moodle(
    db: Database,
    actor: Actor,
    path: Path,
    framework_id: str | None = None,
    version: str | None = None,
    language: str = "en",
) -> AddedFramework:
    """Import a Moodle competency-framework CSV and add it to the school's library."""
    made = moodle_import(Path(path), framework_id, version, language)
    return _add_files(db, actor, dict(made.files), "moodle", made.notes)


def moodle_import(
    path: Path, framework_id: str | None, version: str | None, language: str = "en"
) -> MoodleImport:
    """A Moodle CSV as a framework folder's files, checked by the framework loader
    (no database: the command line writes the folder); raises :class:`FrameworkRejected`."""
    try:
        made = import_csv(path, framework_id=framework_id, version=version, language=language)
    except MoodleError as error:
        raise FrameworkRejected(error.problems) from None
    check_framework(made.files, list(builtin_library()))
    return made


def _add_files(
    db: Database,
    actor: Actor,
    files: dict[str, str],
    origin: str,
    notes: tuple[str, ...] = (),
) -> AddedFramework:
    framework = check_framework(files, list(library_of(db)))
    encoded = json.dumps(files, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(encoded.encode("utf-8")).hexdigest()
    title = framework.title.get(framework.source_language)[:300]
    with db.transaction() as session:
        exists = session.scalar(
            select(SchoolFramework.id).where(
                SchoolFramework.framework_id == framework.id,
                SchoolFramework.version == framework.version,
            )
        )
        if exists is not None:
            raise FrameworkRejected(
                [_("The library already has {label}.").format(label=framework.label)]
            )
        session.add(
            SchoolFramework(
                framework_id=framework.id,
                version=framework.version,
                title=title,
                files=encoded,
                sha256=digest,
                origin=origin,
                added_by=actor.user_id,
            )
        )
        append(
            session,
            actor.username,
            "frameworks.add",
            "ok",
            "framework",
            framework.label,
            {"origin": origin, "sha256": digest},
        )
    return AddedFramework(
        framework.id,
        framework.version,
        title,
        len(framework.areas),
        sum(1 for _c in framework.competences()),
        len(framework.levels),
        notes,
    )


@service("frameworks.remove")
def remove(db: Database, actor: Actor, framework_id: str, version: str) -> None:
    """Remove an added framework that no record uses (built-in ones cannot be removed)."""
    with db.transaction() as session:
        row = session.scalar(
            select(SchoolFramework).where(
                SchoolFramework.framework_id == framework_id,
                SchoolFramework.version == version,
            )
        )
        if row is None:
            if builtin_library().find(framework_id, version) is not None:
                raise WorkflowError(
                    _("{id} {version} is built into the app and cannot be removed.").format(
                        id=framework_id, version=version
                    )
                )
            raise NotFound(
                _("The school's library has no framework {id} {version}.").format(
                    id=framework_id, version=version
                )
            )
        used = _records(session, framework_id, version)
        if used:
            raise WorkflowError(
                _(
                    "{id} {version} cannot be removed: {count} self-assessments, cases or "
                    "mobilities use it. Their records must keep the framework they were "
                    "made with."
                ).format(id=framework_id, version=version, count=used)
            )
        session.delete(row)
        append(
            session,
            actor.username,
            "frameworks.remove",
            "ok",
            "framework",
            f"{framework_id} {version}",
        )
