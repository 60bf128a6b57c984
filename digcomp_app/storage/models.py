"""The school's data as SQLAlchemy 2 typed models (SQLite and PostgreSQL alike).

Only ``digcomp_app.services`` uses these; everything above it receives immutable DTOs.
Schema changes go through Alembic (``storage/migrations``); a test compares these models
with the migrations so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


_TS = DateTime(timezone=True)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="school")  # school | host | partner
    address: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    logo_sha256: Mapped[str | None] = mapped_column(ForeignKey("evidence_blobs.sha256"))
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the school's choice: print the holder's date of birth on attestations
    print_birth_date: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the school's choice: record learners' dates of birth at all (GDPR: off unless needed)
    keep_birth_date: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the school's page where attestations are checked (https; "" when none): the QR
    #: code of an attestation is this address with the signed data after "#"
    verification_address: Mapped[str] = mapped_column(String(300), default="")
    #: retention rules (decision 0027; None: off): evidence files go this many years after
    #: their mobility (or, without one, their case) ended
    evidence_retention_years: Mapped[int | None] = mapped_column(Integer)
    #: learners are erased this many years after they were deactivated (left the school)
    learner_retention_years: Mapped[int | None] = mapped_column(Integer)


class Learner(Base):
    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_names: Mapped[str] = mapped_column(String(200))
    surname: Mapped[str] = mapped_column(String(200))
    #: lower-case, without diacritics: "berzins janis" finds "Bērziņš Jānis"
    search_name: Mapped[str] = mapped_column(String(410), index=True)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    #: the school's own learner number (from its register); unique when given
    learner_number: Mapped[str | None] = mapped_column(String(50))
    #: a learner who left: kept with their records, hidden from lists and new work
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the learner's personal data was erased (decision 0027): the row is a pseudonym
    #: that keeps the register's attestations answerable
    erased_at: Mapped[dt.datetime | None] = mapped_column(_TS)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(_TS)
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("learners.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    #: a one-time password was set: the next sign-in must choose a new one
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint(
            "role IN ('learner', 'teacher', 'coordinator', 'administrator')", name="known_role"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    school_year: Mapped[str] = mapped_column(String(20), default="")
    #: set at the end of a school year: the group stays on old cases, takes no new learners
    archived_at: Mapped[dt.datetime | None] = mapped_column(_TS)


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class GroupTeacher(Base):
    __tablename__ = "group_teachers"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Mobility(Base):
    __tablename__ = "mobilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    programme: Mapped[str] = mapped_column(String(100), default="Erasmus+")
    sending_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    host_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    host_mentor: Mapped[str] = mapped_column(String(200), default="")
    host_country: Mapped[str] = mapped_column(String(2))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    objective: Mapped[str] = mapped_column(Text, default="")
    #: {language: {"title", "objective", "activities", "host_description": text}}; the
    #: columns title and objective hold the school language's (or the first given) text
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    framework_id: Mapped[str] = mapped_column(String(50), default="digcomp")
    framework_version: Mapped[str] = mapped_column(String(20), default="3.0")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MobilityParticipant(Base):
    __tablename__ = "mobility_participants"

    mobility_id: Mapped[int] = mapped_column(
        ForeignKey("mobilities.id", ondelete="CASCADE"), primary_key=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: the official Europass Mobility number, when the national centre has assigned one
    europass_number: Mapped[str] = mapped_column(String(50), default="")


class MobilityTeacher(Base):
    __tablename__ = "mobility_teachers"

    mobility_id: Mapped[int] = mapped_column(
        ForeignKey("mobilities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SelfAssessment(Base):
    __tablename__ = "self_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    mobility_id: Mapped[int | None] = mapped_column(ForeignKey("mobilities.id"))
    framework_id: Mapped[str] = mapped_column(String(50))
    framework_version: Mapped[str] = mapped_column(String(20))
    #: before | after | other - when, relative to a mobility, it was made
    moment: Mapped[str] = mapped_column(String(10), default="other")
    started_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(_TS)
    answers: Mapped[list[SelfAssessmentAnswer]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SelfAssessmentAnswer.id"
    )


class SelfAssessmentAnswer(Base):
    __tablename__ = "self_assessment_answers"
    __table_args__ = (
        UniqueConstraint("self_assessment_id", "competence_id"),
        CheckConstraint("level IS NULL OR (level >= 1 AND level <= 8)", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    self_assessment_id: Mapped[int] = mapped_column(
        ForeignKey("self_assessments.id", ondelete="CASCADE")
    )
    competence_id: Mapped[str] = mapped_column(String(20))
    #: 1-8, or None for "not yet"
    level: Mapped[int | None] = mapped_column(Integer)
    ticked: Mapped[list[str]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)


class ValidationCase(Base):
    __tablename__ = "validation_cases"
    __table_args__ = (
        CheckConstraint(
            "stage IN ('identification', 'documentation', 'assessment', 'certification', "
            "'certified')",
            name="known_stage",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    mobility_id: Mapped[int | None] = mapped_column(ForeignKey("mobilities.id"), index=True)
    #: the learner's group when the case was opened (kept when they move to another)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    framework_id: Mapped[str] = mapped_column(String(50))
    framework_version: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20), default="identification")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    targets: Mapped[list[TargetCompetence]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="TargetCompetence.id"
    )

    __mapper_args__ = {"version_id_col": version}


class StageChange(Base):
    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("validation_cases.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_user: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)


class TargetCompetence(Base):
    __tablename__ = "target_competences"
    __table_args__ = (
        UniqueConstraint("case_id", "competence_id"),
        CheckConstraint("target_level >= 1 AND target_level <= 8", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("validation_cases.id", ondelete="CASCADE"))
    competence_id: Mapped[str] = mapped_column(String(20))
    target_level: Mapped[int] = mapped_column(Integer)
    #: DigComp 3.0 learning outcome ids aimed at
    outcome_ids: Mapped[list[str]] = mapped_column(default=list)


class EvidenceBlob(Base):
    """File contents, addressed by their SHA-256 (see docs/decisions/0008)."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceItem(Base):
    __tablename__ = "evidence_items"
    __table_args__ = (CheckConstraint("kind IN ('file', 'link', 'note')", name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("validation_cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: the name the file had when added - shown to people, never used as a path
    file_name: Mapped[str] = mapped_column(String(300), default="")
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("evidence_blobs.sha256"))
    url: Mapped[str] = mapped_column(String(2000), default="")
    competence_ids: Mapped[list[str]] = mapped_column(default=list)
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("case_id", "competence_id"),
        CheckConstraint("level >= 1 AND level <= 8", name="level_range"),
        CheckConstraint(
            "method IN ('observation', 'practical_task', 'portfolio_review', 'interview', 'test')",
            name="known_method",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("validation_cases.id", ondelete="CASCADE"))
    competence_id: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    criteria: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (CheckConstraint("status IN ('issued', 'revoked')", name="known_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("validation_cases.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    mobility_id: Mapped[int | None] = mapped_column(ForeignKey("mobilities.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the frozen case: canonical JSON, never changed after issue
    snapshot: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text, default="")
    key_id: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(10), default="issued")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(_TS)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_serial: Mapped[str] = mapped_column(String(40), default="")
    #: its bit in the school's status list of digital credentials, chosen at random when it is
    #: first exported as Open Badges 3.0 (docs/digital-credentials.md, section 5)
    status_index: Mapped[int | None] = mapped_column(Integer, unique=True, index=True)


class Consent(Base):
    """A consent the school asked for (decision 0027): who gave it, when, for what, and
    when it was withdrawn."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(
            "scope IN ('evidence_photos', 'host_sharing', 'publication')", name="known_scope"
        ),
        CheckConstraint("given_by IN ('learner', 'guardian')", name="known_giver"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(30))
    #: learner | guardian (a parent or other legal representative of a minor)
    given_by: Mapped[str] = mapped_column(String(10))
    giver_name: Mapped[str] = mapped_column(String(200))
    given_on: Mapped[dt.date] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)


class SigningKey(Base):
    """The school's Ed25519 key pairs. The newest active one signs; retired ones still
    verify what they signed. The private key is sealed with a passphrase (argon2id +
    AES-256-GCM, see services/signing.py); the database never holds it in the clear."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: JSON: KDF parameters, salt, nonce and the sealed private key (base64)
    sealed_private_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(_TS)


class AuditEvent(Base):
    """Append-only; each row's hash covers its content and the previous row's hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(_TS)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(50), default="")
    entity_id: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[str] = mapped_column(String(10))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """The audit head signed with the school's signing key when a coordinator uses it: a
    chain recomputed or cut after a checkpoint no longer matches its signed hash, and
    nobody without the signing passphrase can sign a new checkpoint."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    key_id: Mapped[str] = mapped_column(String(16))
    #: Ed25519 over CHECKPOINT_CONTEXT + "<last_id>:<last_hash>:<signed_at>", hex
    signature: Mapped[str] = mapped_column(String(128))


class AuditHead(Base):
    """One row: the hash of the newest audit event. Locking it orders concurrent writers."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


Index("ix_certificates_status", Certificate.status)
Index("ix_learners_learner_number", Learner.learner_number, unique=True)
#: covering the school overview's count of answers per competence and level (decision 0036)
Index(
    "ix_self_assessment_answers_competence_level",
    SelfAssessmentAnswer.competence_id,
    SelfAssessmentAnswer.level,
    SelfAssessmentAnswer.self_assessment_id,
)


class SchoolFramework(Base):
    """A framework an administrator added to the school's library (decision 0034): its
    folder's files, kept in the database so every PC of the school sees the same one."""

    __tablename__ = "school_frameworks"
    __table_args__ = (UniqueConstraint("framework_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(50))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    #: the folder's files as JSON: {"framework.yaml": "...", "texts.en.yaml": "..."}
    files: Mapped[str] = mapped_column(Text)
    #: SHA-256 of ``files``: a PC's cached copy is reused only while it matches
    sha256: Mapped[str] = mapped_column(String(64))
    #: where it came from: "folder", "zip" or "moodle"
    origin: Mapped[str] = mapped_column(String(10), default="folder")
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)


class SkillsTest(Base):
    """A learner's DigCompSAT skills test (82 items): answered one item at a time, kept as
    history like self-assessments, before/after a mobility by ``moment``."""

    __tablename__ = "skills_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    mobility_id: Mapped[int | None] = mapped_column(ForeignKey("mobilities.id"))
    #: before | after | other - when, relative to a mobility, it was taken
    moment: Mapped[str] = mapped_column(String(10), default="other")
    #: the language of the items answered ("lv" or "en")
    language: Mapped[str] = mapped_column(String(5))
    started_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(_TS)
    answers: Mapped[list[SkillsTestAnswer]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SkillsTestAnswer.id"
    )


class SkillsTestAnswer(Base):
    __tablename__ = "skills_test_answers"
    __table_args__ = (
        UniqueConstraint("skills_test_id", "item_id"),
        CheckConstraint("value IS NULL OR (value >= 0 AND value <= 3)", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    skills_test_id: Mapped[int] = mapped_column(ForeignKey("skills_tests.id", ondelete="CASCADE"))
    #: the DigCompSAT item ("Q1" .. "Q82")
    item_id: Mapped[str] = mapped_column(String(10))
    #: 0-3 on the item's answer scale, or None for "unclear to me"
    value: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime] = mapped_column(_TS, default=utcnow)
