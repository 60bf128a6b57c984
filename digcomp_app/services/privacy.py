"""A learner's own data, for the school to answer an access request (GDPR Art. 15 and 20).

:func:`export_learner` gives a zip with ``learner.json`` (everything the app holds about the
learner, machine-readable; format in ``docs/learner-export.md``), ``evidence/<id>-<name>``
for each evidence file of their cases, and ``README.txt`` (Latvian and English).
:func:`save_learner_export` writes the same zip to a file. Administrators and coordinators
may export anyone's data; a learner, their own only. Evidence blobs are read and
compressed one at a time, each in its own short transaction, so memory stays bounded by the
largest single file and the database is not held for the whole export. The export itself is
audited (who, which learner, counts; never content).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from digcomp_app.framework.digcompsat import TYPES, ItemBank, Profile, Score, builtin_bank, score
from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import NotFound, ServiceError
from digcomp_app.services.evidence import safe_name
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.storage.models import (
    Assessment,
    AuditEvent,
    Certificate,
    EvidenceBlob,
    EvidenceItem,
    Group,
    GroupMember,
    Learner,
    Mobility,
    MobilityParticipant,
    SelfAssessment,
    SkillsTest,
    StageChange,
    User,
    ValidationCase,
)

#: the version of ``learner.json``'s layout (docs/learner-export.md)
FORMAT = "digcomp-app learner export"
FORMAT_VERSION = 1

Progress = Callable[[int, int, str], None]

README = """\
DigComp atzīšana — izglītojamā datu eksports
=============================================

Šajā arhīvā ir visi dati, ko skolas lietotne "DigComp atzīšana" glabā par vienu
izglītojamo (VDAR 15. un 20. pants):

- learner.json — dati mašīnlasāmā JSON formātā (UTF-8): identitāte, konts (bez paroles),
  grupas, mobilitātes, pašvērtējumi ar katru atbildi, digitālo prasmju testi (DigCompSAT) ar
  katru atbildi un rezultātiem, validācijas lietas ar novērtējumiem, pierādījumu aprakstiem un
  posmu vēsturi, apliecinājumi un audita žurnāla ieraksti par izglītojamo. Formāts
  aprakstīts lietotnes dokumentācijā (docs/learner-export.md).
- evidence/ — pierādījumu faili, kā tie glabāti; faila nosaukuma sākumā ir pierādījuma
  numurs (learner.json laukā "evidence" → "id" un "file").
- README.txt — šis fails.

Jautājumus par datiem uzdodiet skolai: tā ir datu pārzine.


DigComp recognition — a learner's data export
=============================================

This archive holds all the data the school's "DigComp recognition" app keeps about one
learner (GDPR Articles 15 and 20):

- learner.json — the data in machine-readable JSON (UTF-8): identity, account (never the
  password), groups, mobilities, self-assessments with every answer, digital skills tests
  (DigCompSAT) with every answer and the result, validation cases with assessments,
  evidence descriptions and stage history, attestations, and the audit log entries about
  the learner. The format is described in the app's documentation (docs/learner-export.md).
- evidence/ — the evidence files as stored; each name starts with the evidence number
  (in learner.json: "evidence" → "id" and "file").
- README.txt — this file.

Questions about the data go to the school: it is the controller.
"""


class Cancelled(ServiceError):
    """The export was stopped (``cancelled()`` said so); nothing was written or audited."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export holds (counts only), as audited."""

    learner_id: int
    self_assessments: int
    cases: int
    evidence_items: int
    evidence_files: int
    certificates: int
    audit_events: int
    skills_tests: int = 0
    size: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "self_assessments": self.self_assessments,
            "skills_tests": self.skills_tests,
            "cases": self.cases,
            "evidence_items": self.evidence_items,
            "evidence_files": self.evidence_files,
            "certificates": self.certificates,
            "audit_events": self.audit_events,
        }


def _time(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _check_scope(actor: Actor, learner_id: int) -> None:
    if actor.has(Role.ADMINISTRATOR) or actor.has(Role.COORDINATOR):
        return
    if actor.has(Role.LEARNER) and actor.learner_id == learner_id:
        return
    deny_object("learner", learner_id)


class _Names:
    """Display names of staff users, looked up once each."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[int, str] = {}

    def __call__(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id not in self._cache:
            user = self._session.get(User, user_id)
            self._cache[user_id] = user.display_name if user else ""
        return self._cache[user_id]


def _score(figures: Score) -> dict[str, Any]:
    found = figures.band
    return {
        "percent": figures.percent,
        "band": found.id if found else None,
        "levels": list(found.levels) if found else None,
        "answered": figures.answered,
        "unclear": figures.unclear,
        "unanswered": figures.unanswered,
    }


def _profile(profile: Profile) -> dict[str, Any]:
    return {
        "id": profile.id,
        **_score(profile.overall),
        "by_type": {kind: _score(profile.by_type[kind]) for kind in TYPES},
    }


def _skills_test(bank: ItemBank, test: SkillsTest) -> dict[str, Any]:
    """One DigCompSAT test: its answers in the test's order and, once finished, its result
    scored as the app shows it (``framework.digcompsat.score``)."""
    order = {item.id: item.number for item in bank.items}
    answers = sorted(test.answers, key=lambda a: (order.get(a.item_id, len(order) + 1), a.id))
    result = None
    if test.completed_at is not None:
        scored = score(bank, {a.item_id: a.value for a in test.answers})
        result = {
            "answered": scored.answered,
            "unclear": scored.unclear,
            "total": scored.total,
            "competences": [_profile(p) for p in scored.competences],
            "areas": [_profile(p) for p in scored.areas],
        }
    return {
        "id": test.id,
        "mobility_id": test.mobility_id,
        "moment": test.moment,
        "item_bank": {
            "id": "digcompsat",
            "framework": {"id": bank.framework[0], "version": bank.framework[1]},
        },
        "language": test.language,
        "started_at": _time(test.started_at),
        "completed_at": _time(test.completed_at),
        "answers": [
            {
                "item_id": answer.item_id,
                "competence_id": bank.item(answer.item_id).competence
                if bank.has_item(answer.item_id)
                else None,
                "type": bank.item(answer.item_id).type if bank.has_item(answer.item_id) else None,
                "value": answer.value,
                "answered_at": _time(answer.answered_at),
            }
            for answer in answers
        ],
        "scores": result,
    }


def _collect(
    session: Session, learner: Learner
) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
    """``learner.json``'s content (without "exported_at"/"exported_by") and the evidence
    files to add: (evidence id, blob sha256, zip member name)."""
    names = _Names(session)
    user = session.scalar(select(User).where(User.learner_id == learner.id))
    identity = {
        "id": learner.id,
        "learner_number": learner.learner_number or "",
        "given_names": learner.given_names,
        "surname": learner.surname,
        "date_of_birth": _date(learner.date_of_birth),
        "email": learner.email,
        "active": bool(learner.active),
        "created_at": _time(learner.created_at),
    }
    account = None
    if user is not None:  # never the password hash, the lockout counters or other users
        account = {
            "username": user.username,
            "display_name": user.display_name,
            "roles": sorted(role.role for role in user.roles),
            "active": bool(user.active),
            "created_at": _time(user.created_at),
        }

    groups = [
        {
            "id": group.id,
            "name": group.name,
            "school_year": group.school_year,
            "archived_at": _time(group.archived_at),
            "current": True,
        }
        for group in session.scalars(
            select(Group)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.learner_id == learner.id)
            .order_by(Group.name)
        )
    ]
    cases = list(
        session.scalars(
            select(ValidationCase)
            .where(ValidationCase.learner_id == learner.id)
            .order_by(ValidationCase.id)
        )
    )
    # past groups: the groups their cases were opened in, when no longer a member
    current_ids = {g["id"] for g in groups}
    for group_id in sorted({c.group_id for c in cases if c.group_id} - current_ids):
        group = session.get(Group, group_id)
        if group is not None:
            groups.append(
                {
                    "id": group.id,
                    "name": group.name,
                    "school_year": group.school_year,
                    "archived_at": _time(group.archived_at),
                    "current": False,
                }
            )

    mobilities = [
        {
            "id": mobility.id,
            "code": mobility.code,
            "title": mobility.title,
            "programme": mobility.programme,
            "host_country": mobility.host_country,
            "start_date": _date(mobility.start_date),
            "end_date": _date(mobility.end_date),
            "europass_number": participant.europass_number,
        }
        for participant, mobility in session.execute(
            select(MobilityParticipant, Mobility)
            .join(Mobility, Mobility.id == MobilityParticipant.mobility_id)
            .where(MobilityParticipant.learner_id == learner.id)
            .order_by(Mobility.start_date, Mobility.id)
        )
    ]

    self_assessments = [
        {
            "id": sa.id,
            "mobility_id": sa.mobility_id,
            "framework": {"id": sa.framework_id, "version": sa.framework_version},
            "moment": sa.moment,
            "started_at": _time(sa.started_at),
            "completed_at": _time(sa.completed_at),
            "answers": [
                {
                    "competence_id": answer.competence_id,
                    "level": answer.level,
                    "ticked": list(answer.ticked or []),
                    "note": answer.note,
                    "answered_at": _time(answer.answered_at),
                }
                for answer in sa.answers
            ],
        }
        for sa in session.scalars(
            select(SelfAssessment)
            .where(SelfAssessment.learner_id == learner.id)
            .order_by(SelfAssessment.id)
        )
    ]

    bank = builtin_bank()
    skills_tests = [
        _skills_test(bank, test)
        for test in session.scalars(
            select(SkillsTest).where(SkillsTest.learner_id == learner.id).order_by(SkillsTest.id)
        )
    ]

    files: list[tuple[int, str, str]] = []
    case_records: list[dict[str, Any]] = []
    for case in cases:
        evidence = []
        for item in session.scalars(
            select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id)
        ):
            media_type, size, member = "", 0, None
            if item.blob_sha256:
                blob = session.execute(
                    select(EvidenceBlob.media_type, EvidenceBlob.size).where(
                        EvidenceBlob.sha256 == item.blob_sha256
                    )
                ).first()
                if blob is not None:
                    media_type, size = blob
                    member = f"evidence/{item.id}-{safe_name(item.file_name or 'file', media_type)}"
                    files.append((item.id, item.blob_sha256, member))
            evidence.append(
                {
                    "id": item.id,
                    "kind": item.kind,
                    "title": item.title,
                    "description": item.description,
                    "file_name": item.file_name,
                    "media_type": media_type,
                    "size": size,
                    "sha256": item.blob_sha256 or "",
                    "url": item.url,
                    "competence_ids": list(item.competence_ids or []),
                    "added_by": names(item.added_by),
                    "added_at": _time(item.added_at),
                    "file": member,
                }
            )
        case_records.append(
            {
                "id": case.id,
                "mobility_id": case.mobility_id,
                "group_id": case.group_id,
                "framework": {"id": case.framework_id, "version": case.framework_version},
                "stage": case.stage,
                "opened_by": names(case.created_by),
                "created_at": _time(case.created_at),
                "updated_at": _time(case.updated_at),
                "targets": [
                    {
                        "competence_id": target.competence_id,
                        "target_level": target.target_level,
                        "outcome_ids": list(target.outcome_ids or []),
                    }
                    for target in case.targets
                ],
                "assessments": [
                    {
                        "competence_id": a.competence_id,
                        "level": a.level,
                        "method": a.method,
                        "criteria": a.criteria,
                        "comment": a.comment,
                        "assessor": names(a.assessor_id),
                        "assessed_on": _date(a.assessed_on),
                        "updated_at": _time(a.updated_at),
                    }
                    for a in session.scalars(
                        select(Assessment)
                        .where(Assessment.case_id == case.id)
                        .order_by(Assessment.competence_id)
                    )
                ],
                "evidence": evidence,
                "stage_history": [
                    {
                        "from_stage": change.from_stage,
                        "to_stage": change.to_stage,
                        "reason": change.reason,
                        "by": names(change.by_user),
                        "at": _time(change.at),
                    }
                    for change in session.scalars(
                        select(StageChange)
                        .where(StageChange.case_id == case.id)
                        .order_by(StageChange.id)
                    )
                ],
            }
        )

    certificates = []
    for cert in session.scalars(
        select(Certificate).where(Certificate.learner_id == learner.id).order_by(Certificate.id)
    ):
        try:
            snapshot: Any = json.loads(cert.snapshot)
        except ValueError:
            snapshot = cert.snapshot
        certificates.append(
            {
                "serial": cert.serial,
                "case_id": cert.case_id,
                "mobility_id": cert.mobility_id,
                "status": cert.status,
                "issued_at": _time(cert.issued_at),
                "issued_by": names(cert.issued_by),
                "revoked_at": _time(cert.revoked_at),
                "revoke_reason": cert.revoke_reason,
                "replaces_serial": cert.replaces_serial,
                "content_hash": cert.content_hash,
                "key_id": cert.key_id,
                "snapshot": snapshot,
            }
        )

    # audit events about the learner, their account or their records, or done by them;
    # never the details (they may name other people) nor who else acted
    about = [
        and_(AuditEvent.entity == "learner", AuditEvent.entity_id == str(learner.id)),
    ]
    owned: dict[str, list[Any]] = {
        "case": [c.id for c in cases],
        "self_assessment": [s["id"] for s in self_assessments],
        "skills_test": [t["id"] for t in skills_tests],
        "evidence": [e["id"] for c in case_records for e in c["evidence"]],
        "certificate": [
            c.id
            for c in session.scalars(
                select(Certificate).where(Certificate.learner_id == learner.id)
            )
        ],
    }
    for entity, ids in owned.items():
        if ids:
            about.append(
                and_(AuditEvent.entity == entity, AuditEvent.entity_id.in_([str(i) for i in ids]))
            )
    if user is not None:
        about.append(and_(AuditEvent.entity == "user", AuditEvent.entity_id == str(user.id)))
        about.append(AuditEvent.actor == user.username)
    audit = [
        {
            "at": _time(event.at),
            "action": event.action,
            "outcome": event.outcome,
            "entity": event.entity,
            "entity_id": event.entity_id,
            "by_learner": user is not None and event.actor == user.username,
        }
        for event in session.scalars(select(AuditEvent).where(or_(*about)).order_by(AuditEvent.id))
    ]

    data = {
        "learner": identity,
        "account": account,
        "groups": groups,
        "mobilities": mobilities,
        "self_assessments": self_assessments,
        "skills_tests": skills_tests,
        "validation_cases": case_records,
        "certificates": certificates,
        "audit_events": audit,
    }
    return data, files


def _blob_content(db: Database, sha256: str) -> bytes | None:
    with db.transaction() as session:
        return session.scalar(select(EvidenceBlob.content).where(EvidenceBlob.sha256 == sha256))


def _write(
    db: Database,
    actor: Actor,
    learner_id: int,
    out: BinaryIO,
    report: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> ExportSummary:
    _check_scope(actor, int(learner_id))
    with db.transaction() as session:
        learner = session.get(Learner, int(learner_id))
        if learner is None:
            raise NotFound(_("There is no such learner."))
        data, files = _collect(session, learner)
    total = len(files) + 1
    written: dict[int, str] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.encode("utf-8"))
        for done, (evidence_id, sha256, member) in enumerate(files):
            if cancelled is not None and cancelled():
                raise Cancelled(_("The export was stopped; no file was written."))
            if report is not None:
                report(
                    done,
                    total,
                    _("Adding evidence file {number} of {count}…").format(
                        number=done + 1, count=len(files)
                    ),
                )
            content = _blob_content(db, sha256)  # one file in memory at a time
            if content is None:  # removed since the data was read
                continue
            with archive.open(member, "w", force_zip64=True) as entry:
                view = memoryview(content)
                for start in range(0, len(view), 1 << 20):
                    entry.write(view[start : start + (1 << 20)])
            del content, view
            written[evidence_id] = member
        for case in data["validation_cases"]:
            for item in case["evidence"]:
                item["file"] = written.get(item["id"])
        summary = ExportSummary(
            int(learner_id),
            len(data["self_assessments"]),
            len(data["validation_cases"]),
            sum(len(c["evidence"]) for c in data["validation_cases"]),
            len(written),
            len(data["certificates"]),
            len(data["audit_events"]),
            skills_tests=len(data["skills_tests"]),
        )
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": _time(dt.datetime.now(dt.UTC)),
            "exported_by": actor.display_name,
            **data,
        }
        archive.writestr(
            "learner.json",
            json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8"),
        )
        if report is not None:
            report(total, total, "")
    return summary


def _audit(db: Database, actor: Actor, summary: ExportSummary) -> None:
    with db.transaction() as session:
        append(
            session,
            actor.username,
            "privacy.export_learner",
            "ok",
            "learner",
            summary.learner_id,
            summary.counts(),
        )


def _unwritable(target: Path, error: OSError) -> ServiceError:
    return ServiceError(
        _("The export could not be written to {path}: {problem}").format(
            path=target, problem=error.strerror or error
        )
    )


@service("privacy.export_learner")
def export_learner(db: Database, actor: Actor, learner_id: int) -> bytes:
    """The learner's data export as zip bytes (for small exports and tests; the window and
    the command line use :func:`save_learner_export`, which streams to a file)."""
    buffer = io.BytesIO()
    summary = _write(db, actor, learner_id, buffer, None, None)
    _audit(db, actor, summary)
    return buffer.getvalue()


@service("privacy.save_learner_export")
def save_learner_export(
    db: Database,
    actor: Actor,
    learner_id: int,
    path: str | os.PathLike[str],
    report: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportSummary:
    """Write the learner's data export to ``path`` (a zip), through a temporary file in the
    same folder so a failed or stopped export leaves nothing half-written."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".part", dir=target.parent)
    except OSError as error:
        raise _unwritable(target, error) from error
    try:
        with os.fdopen(handle, "wb") as out:
            summary = _write(db, actor, learner_id, out, report, cancelled)
            out.flush()
            os.fsync(out.fileno())
        size = os.path.getsize(temporary)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):  # disk full, no permission, ...
            raise _unwritable(target, error) from error
        raise
    summary = ExportSummary(**{**summary.counts(), "learner_id": summary.learner_id, "size": size})
    _audit(db, actor, summary)
    return summary
