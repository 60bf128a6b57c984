"""Erasing a learner's personal data (GDPR Art. 17) and cleaning the database file after it.

:func:`erase_learner` removes everything about one learner that could identify them (names,
e-mail, date of birth, learner number, groups, mobilities, self-assessments, cases' targets,
assessments, evidence and their files, stage reasons, consents, their sign-in account) and
keeps a pseudonymised row ("#K7Q2-M9XD") so that the attestations already issued still
answer "this serial was issued / revoked" in the register. What the register keeps is
decided in ``docs/decisions/0027-erasure-and-retention.md``.

On SQLite the erasing connection sets ``PRAGMA secure_delete=ON`` (freed space is
overwritten with zeros) and, after the commit, the file is rebuilt with ``VACUUM`` (which
also drops traces of *earlier* versions of the rows left in free space) and the
write-ahead log is checkpointed and truncated, so the erased name is no longer anywhere in
``digcomp.sqlite3`` or its ``-wal`` file. On PostgreSQL the rows are updated and deleted;
the server reclaims dead tuples with VACUUM (the school's IT runs ``VACUUM FULL`` to give
the space back at once, see the decision).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import NotFound, WorkflowError
from digcomp_app.services.evidence import release_blob
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.learners import fold
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.engine import sqlite_path
from digcomp_app.storage.models import (
    Assessment,
    Base,
    Certificate,
    Consent,
    EvidenceItem,
    GroupMember,
    Learner,
    MobilityParticipant,
    SelfAssessment,
    SkillsTest,
    StageChange,
    User,
    ValidationCase,
    utcnow,
)

#: letters and digits that cannot be mistaken for one another
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PSEUDONYM = re.compile(r"^#[A-Z2-9]{4}-[A-Z2-9]{4}$")


def new_pseudonym() -> str:
    """``#K7Q2-M9XD``: random (about 40 bits), says nothing about the person."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"#{code[:4]}-{code[4:]}"


def is_pseudonym(text: str) -> bool:
    """Whether ``text`` is an erased learner's pseudonym (what their surname became)."""
    return bool(_PSEUDONYM.match(text or ""))


def erased_name(pseudonym: str) -> str:
    """How an erased learner is shown: "Erased learner #K7Q2-M9XD"."""
    return _("Erased learner {pseudonym}").format(pseudonym=pseudonym)


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What erasing a learner would remove (shown before asking for the confirmation)."""

    learner_id: int
    full_name: str
    learner_number: str
    erased: bool
    self_assessments: int
    cases: int
    #: cases kept (without content) because an attestation was issued from them
    cases_kept: int
    evidence_items: int
    evidence_files: int
    certificates: int
    consents: int
    has_account: bool


@dataclass(frozen=True, slots=True)
class ErasureResult:
    learner_id: int
    pseudonym: str
    counts: dict[str, int]
    #: the SQLite file was rebuilt and its write-ahead log emptied (False on PostgreSQL, or
    #: when another program kept the file busy: see :func:`clean_database_file`)
    file_cleaned: bool


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def full_name(learner: Learner) -> str:
    return " ".join(p for p in (learner.given_names.strip(), learner.surname.strip()) if p)


def secure_delete(session: Session) -> None:
    """Freed space is overwritten with zeros on this session's SQLite connection (a
    connection setting, not part of the data: the file stays readable by any SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")


def _counts(session: Session, learner: Learner) -> dict[str, int]:
    case_ids = list(
        session.scalars(select(ValidationCase.id).where(ValidationCase.learner_id == learner.id))
    )
    certified = set(
        session.scalars(select(Certificate.case_id).where(Certificate.learner_id == learner.id))
    )
    items = (
        list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id.in_(case_ids))))
        if case_ids
        else []
    )
    return {
        "self_assessments": session.scalar(
            select(func.count())
            .select_from(SelfAssessment)
            .where(SelfAssessment.learner_id == learner.id)
        )
        or 0,
        "cases": len(case_ids),
        "cases_kept": len(certified),
        "evidence_items": len(items),
        "evidence_files": len({i.blob_sha256 for i in items if i.blob_sha256}),
        "certificates": session.scalar(
            select(func.count())
            .select_from(Certificate)
            .where(Certificate.learner_id == learner.id)
        )
        or 0,
        "consents": session.scalar(
            select(func.count()).select_from(Consent).where(Consent.learner_id == learner.id)
        )
        or 0,
    }


def erased_snapshot(text: str, pseudonym: str, erased_on: dt.date) -> str:
    """The register's copy of an attestation after its holder was erased: what identifies
    the attestation (serial, dates, school, framework), never the holder or their levels."""
    try:
        old = json.loads(text)
    except ValueError:
        old = {}
    if not isinstance(old, dict):
        old = {}
    kept = {key: old[key] for key in ("format", "serial", "issued_at", "issued_on") if key in old}
    kept.update(
        {
            "erased": True,
            "erased_on": erased_on.isoformat(),
            "issued_by": str(old.get("issued_by", "")),
            "issuer": old.get("issuer") or {},
            "framework": old.get("framework") or {},
            "holder": {"given_names": "", "surname": pseudonym, "date_of_birth": None},
            "mobility": None,
            "competences": [],
        }
    )
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _user_is_referenced(session: Session, user_id: int) -> bool:
    """Whether a row kept after erasure still names this user (a case they opened, ...)."""
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != User.__tablename__ or fk.ondelete == "CASCADE":
                continue
            column = fk.parent
            if session.execute(select(column).where(column == user_id).limit(1)).first():
                return True
    return False


def erase_in(session: Session, learner: Learner, pseudonym: str) -> dict[str, int]:
    """Erase ``learner`` in the caller's transaction; the counts of what went."""
    counts = _counts(session, learner)
    certified = set(
        session.scalars(select(Certificate.case_id).where(Certificate.learner_id == learner.id))
    )
    blobs: set[str] = set()
    for case in list(
        session.scalars(select(ValidationCase).where(ValidationCase.learner_id == learner.id))
    ):
        for item in session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id)):
            if item.blob_sha256:
                blobs.add(item.blob_sha256)
            session.delete(item)
        if case.id in certified:  # kept as the certificate's anchor, without content
            for assessment in session.scalars(
                select(Assessment).where(Assessment.case_id == case.id)
            ):
                session.delete(assessment)
            for change in session.scalars(
                select(StageChange).where(StageChange.case_id == case.id)
            ):
                session.delete(change)
            case.targets.clear()
        else:
            session.delete(case)  # targets, assessments, stage changes cascade
    for model in (SelfAssessment, SkillsTest, GroupMember, MobilityParticipant, Consent):
        for record in session.scalars(select(model).where(model.learner_id == learner.id)):
            session.delete(record)
    session.flush()
    deleted_files = sum(1 for sha256 in sorted(blobs) if release_blob(session, sha256))
    counts["evidence_files_deleted"] = deleted_files

    today = dt.date.today()
    for cert in session.scalars(select(Certificate).where(Certificate.learner_id == learner.id)):
        cert.snapshot = erased_snapshot(cert.snapshot, pseudonym, today)
        cert.signature = ""
        cert.revoke_reason = ""

    user = session.scalar(select(User).where(User.learner_id == learner.id))
    counts["account_deleted"] = 0
    counts["account_disabled"] = 0
    if user is not None:
        user.roles.clear()
        user.learner_id = None
        session.flush()
        if _user_is_referenced(session, user.id):
            user.username = f"erased-{pseudonym[1:].lower()}"
            user.display_name = pseudonym
            user.password_hash = "!erased"
            user.active = False
            user.must_change_password = False
            user.failed_logins = 0
            user.locked_until = None
            counts["account_disabled"] = 1
        else:
            session.delete(user)
            counts["account_deleted"] = 1

    learner.given_names = ""
    learner.surname = pseudonym
    learner.search_name = fold(pseudonym)
    learner.date_of_birth = None
    learner.email = ""
    learner.learner_number = None
    learner.active = False
    learner.erased_at = utcnow()
    session.flush()
    return counts


def _learner(session: Session, learner_id: int) -> Learner:
    learner = session.get(Learner, int(learner_id))
    if learner is None:
        raise NotFound(_("There is no such learner."))
    return learner


def clean_database_file(database: Database, attempts: int = 30) -> bool:
    """Rebuild an SQLite file (VACUUM: free space and old row versions go) and checkpoint
    and truncate its write-ahead log. False on PostgreSQL, or when it could not be done
    now (another program is reading the file; the erased rows are gone all the same, and
    the next erasure or ``privacy compact`` tries again)."""
    import sqlite3

    if sqlite_path(database.url) is None:
        return False
    raw = database.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None  # an open connection of the sqlite3 module
        try:
            connection.execute("VACUUM")
        except sqlite3.Error:
            return False
        for _attempt in range(attempts):
            busy, _log, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            time.sleep(0.1)
        return False
    finally:
        raw.close()


@service("privacy.erasure_preview")
def erasure_preview(db: Database, actor: Actor, learner_id: int) -> ErasurePreview:
    """What :func:`erase_learner` would remove for this learner (nothing is changed)."""
    with db.transaction() as session:
        learner = _learner(session, learner_id)
        counts = _counts(session, learner)
        has_account = (
            session.scalar(select(User.id).where(User.learner_id == learner.id)) is not None
        )
        return ErasurePreview(
            learner.id,
            full_name(learner),
            learner.learner_number or "",
            learner.erased_at is not None,
            counts["self_assessments"],
            counts["cases"],
            counts["cases_kept"],
            counts["evidence_items"],
            counts["evidence_files"],
            counts["certificates"],
            counts["consents"],
            has_account,
        )


@service("privacy.erase_learner")
def erase_learner(db: Database, actor: Actor, learner_id: int, confirmation: str) -> ErasureResult:
    """Erase one learner's personal data for good. ``confirmation`` must be the learner's
    full name ("given names surname", as shown; case and spacing ignored): a typed
    confirmation, so nobody erases the wrong person by a slip. Audited without the name."""
    typed = clean_text(confirmation, "confirmation", _("confirmation"), 500)
    pseudonym = new_pseudonym()
    with db.transaction() as session:
        secure_delete(session)
        learner = _learner(session, learner_id)
        if learner.erased_at is not None:
            raise WorkflowError(_("This learner's data was already erased."))
        if not typed or _norm(typed) != _norm(full_name(learner)):
            from digcomp_app.services.errors import InvalidInput

            raise InvalidInput(
                "confirmation",
                _("Type the learner's full name exactly as shown to confirm the erasure."),
            )
        counts = erase_in(session, learner, pseudonym)
        append(
            session,
            actor.username,
            "privacy.erase_learner",
            "ok",
            "learner",
            learner.id,
            {"pseudonym": pseudonym, **counts},
        )
    return ErasureResult(int(learner_id), pseudonym, counts, clean_database_file(db))


@service("privacy.compact_database")
def compact_database(db: Database, actor: Actor) -> bool:
    """Rebuild the SQLite file and empty its write-ahead log (what erasure does at its end);
    True when done, False on PostgreSQL or when the file is busy."""
    done = clean_database_file(db)
    with db.transaction() as session:
        append(session, actor.username, "privacy.compact_database", "ok", details={"done": done})
    return done
