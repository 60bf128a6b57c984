"""Evidence for a validation case: files, links and notes, each tied to competences.

Files are stored once per content, addressed by SHA-256, in the database (see
docs/decisions/0008-evidence-in-the-database.md); the hash is checked every time a file is
opened. Only known file types are accepted, recognised by their content, not their name;
the name a file had is kept for display and never used as a path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import IntegrityProblem, InvalidInput, NotFound
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.validation import _require_stage, load_case
from digcomp_app.storage.models import (
    EvidenceBlob,
    EvidenceItem,
    Organisation,
    User,
    ValidationCase,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
#: stages at which evidence can be added
EVIDENCE_STAGES = ("identification", "documentation", "assessment")
#: stages at which an item can be removed or tied to other competences (before assessment)
CHANGE_STAGES = ("identification", "documentation")

_OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff_media_type(content: bytes) -> str | None:
    """The type of a file from its first bytes; None when it is not one we accept."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    if b"\x00" not in content[:8192]:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _sniff_zip(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            if "[Content_Types].xml" in names:
                for prefix, media_type in _OFFICE_TYPES.items():
                    if any(n.startswith(prefix) for n in names):
                        return media_type
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


@dataclass(frozen=True, slots=True)
class EvidenceInfo:
    id: int
    case_id: int
    kind: str
    title: str
    description: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    url: str
    competence_ids: tuple[str, ...]
    added_by: str
    added_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    name: str
    media_type: str
    content: bytes


def _info(session: Session, item: EvidenceItem) -> EvidenceInfo:
    blob = session.get(EvidenceBlob, item.blob_sha256) if item.blob_sha256 else None
    user = session.get(User, item.added_by)
    return EvidenceInfo(
        item.id,
        item.case_id,
        item.kind,
        item.title,
        item.description,
        item.file_name,
        blob.media_type if blob else "",
        blob.size if blob else 0,
        item.blob_sha256 or "",
        item.url,
        tuple(item.competence_ids or ()),
        user.display_name if user else "",
        item.added_at,
    )


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("title", _("Give the evidence a title."))
    return title[:300]


def _check_competences(case_targets: set[str], competence_ids: tuple[str, ...]) -> list[str]:
    if not competence_ids:
        raise InvalidInput("competences", _("Tie the evidence to at least one competence."))
    wrong = [c for c in competence_ids if c not in case_targets]
    if wrong:
        raise InvalidInput(
            "competences",
            _("These are not target competences of the case: {ids}").format(ids=", ".join(wrong)),
        )
    return list(dict.fromkeys(competence_ids))


def display_name(raw_name: str) -> str:
    """Keep only the last part of a name from outside, without path or control characters."""
    name = raw_name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "file"


def store_blob(session: Session, content: bytes) -> EvidenceBlob:
    if not content:
        raise InvalidInput("file", _("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(
            "file",
            _("The file is {size} MB; files up to {limit} MB are accepted.").format(
                size=round(len(content) / 2**20, 1), limit=MAX_FILE_BYTES // 2**20
            ),
        )
    media_type = sniff_media_type(content)
    if media_type is None:
        raise InvalidInput(
            "file",
            _(
                "This kind of file is not accepted. Use a PDF, an image "
                "(PNG, JPEG, GIF, WebP), a text file or an office "
                "document."
            ),
        )
    return put_blob(session, content, media_type)


def put_blob(session: Session, content: bytes, media_type: str) -> EvidenceBlob:
    """The stored blob of ``content`` (checked by the caller), added if it is new."""
    digest = hashlib.sha256(content).hexdigest()
    blob = session.get(EvidenceBlob, digest)
    if blob is None:
        blob = EvidenceBlob(
            sha256=digest, size=len(content), media_type=media_type, content=content
        )
        session.add(blob)
    return blob


def release_blob(session: Session, sha256: str | None) -> bool:
    """Delete a stored file nothing refers to any more (no evidence item, no logo).

    Call after the reference was removed and flushed; True when the blob was deleted.
    """
    if not sha256:
        return False
    in_use = session.scalar(
        select(EvidenceItem.id).where(EvidenceItem.blob_sha256 == sha256).limit(1)
    ) or session.scalar(select(Organisation.id).where(Organisation.logo_sha256 == sha256).limit(1))
    if in_use is not None:
        return False
    blob = session.get(EvidenceBlob, sha256)
    if blob is None:
        return False
    session.delete(blob)
    session.flush()
    return True


def _add(
    db: Database,
    actor: Actor,
    case_id: int,
    kind: str,
    title: str,
    competence_ids: tuple[str, ...],
    description: str,
    **fields: object,
) -> EvidenceInfo:
    with db.transaction() as session:
        case = load_case(session, actor, case_id)
        _require_stage(case, *EVIDENCE_STAGES)
        ties = _check_competences({t.competence_id for t in case.targets}, competence_ids)
        content = fields.pop("content", None)
        if isinstance(content, bytes):
            fields["blob_sha256"] = store_blob(session, content).sha256
        item = EvidenceItem(
            case_id=case_id,
            kind=kind,
            title=_clean_title(title),
            description=description.strip(),
            competence_ids=ties,
            added_by=actor.user_id,
            **fields,
        )
        session.add(item)
        session.flush()
        append(
            session,
            actor.username,
            f"evidence.add_{kind}",
            "ok",
            "evidence",
            item.id,
            {"case": case_id, "competences": ties, "sha256": item.blob_sha256 or ""},
        )
        return _info(session, item)


@service("evidence.add_file")
def add_file(
    db: Database,
    actor: Actor,
    case_id: int,
    file_name: str,
    content: bytes,
    title: str = "",
    competence_ids: tuple[str, ...] = (),
    description: str = "",
) -> EvidenceInfo:
    name = display_name(file_name)
    return _add(
        db,
        actor,
        case_id,
        "file",
        title or name,
        tuple(competence_ids),
        description,
        file_name=name,
        content=content,
    )


@service("evidence.add_link")
def add_link(
    db: Database,
    actor: Actor,
    case_id: int,
    url: str,
    title: str,
    competence_ids: tuple[str, ...] = (),
    description: str = "",
) -> EvidenceInfo:
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("url", _("A link must start with http:// or https://."))
    return _add(
        db, actor, case_id, "link", title, tuple(competence_ids), description, url=url.strip()
    )


@service("evidence.add_note")
def add_note(
    db: Database,
    actor: Actor,
    case_id: int,
    title: str,
    text: str,
    competence_ids: tuple[str, ...] = (),
) -> EvidenceInfo:
    if not text.strip():
        raise InvalidInput("text", _("The note is empty."))
    return _add(db, actor, case_id, "note", title, tuple(competence_ids), text)


def _load_item(
    session: Session, actor: Actor, evidence_id: int
) -> tuple[EvidenceItem, ValidationCase]:
    """The item and its case, if this person may work on the case and its stage allows
    changing its evidence."""
    item = session.get(EvidenceItem, evidence_id)
    if item is None:
        raise NotFound(_("There is no evidence with the number {id}.").format(id=evidence_id))
    case = load_case(session, actor, item.case_id)
    _require_stage(case, *CHANGE_STAGES)
    return item, case


@service("evidence.set_competences")
def set_competences(
    db: Database, actor: Actor, evidence_id: int, competence_ids: tuple[str, ...]
) -> EvidenceInfo:
    """Tie an item to other target competences of its case (before assessment)."""
    with db.transaction() as session:
        item, case = _load_item(session, actor, evidence_id)
        ties = _check_competences({t.competence_id for t in case.targets}, tuple(competence_ids))
        before = list(item.competence_ids or ())
        item.competence_ids = ties
        session.flush()
        append(
            session,
            actor.username,
            "evidence.set_competences",
            "ok",
            "evidence",
            item.id,
            {"case": item.case_id, "before": before, "after": ties},
        )
        return _info(session, item)


@service("evidence.remove")
def remove(db: Database, actor: Actor, evidence_id: int) -> EvidenceInfo:
    """Remove an item added by mistake (before assessment); what it was is returned.

    A file's content is deleted too unless another item (or the school's logo) uses it.
    """
    with db.transaction() as session:
        item, _case = _load_item(session, actor, evidence_id)
        removed = _info(session, item)
        session.delete(item)
        session.flush()
        deleted = release_blob(session, removed.sha256)
        append(
            session,
            actor.username,
            "evidence.remove",
            "ok",
            "evidence",
            evidence_id,
            {
                "case": removed.case_id,
                "kind": removed.kind,
                "title": removed.title,
                "competences": list(removed.competence_ids),
                "sha256": removed.sha256,
                "file_deleted": deleted,
            },
        )
        return removed


@service("evidence.list")
def list_items(db: Database, actor: Actor, case_id: int) -> list[EvidenceInfo]:
    with db.transaction() as session:
        load_case(session, actor, case_id)
        items = session.scalars(
            select(EvidenceItem).where(EvidenceItem.case_id == case_id).order_by(EvidenceItem.id)
        )
        return [_info(session, item) for item in items]


@service("evidence.open_file")
def open_file(db: Database, actor: Actor, evidence_id: int) -> EvidenceFile:
    """The file's content, after checking that it is still what was stored."""
    with db.transaction() as session:
        item = session.get(EvidenceItem, evidence_id)
        if item is None or item.blob_sha256 is None:
            raise NotFound(_("There is no file with the number {id}.").format(id=evidence_id))
        load_case(session, actor, item.case_id)
        blob = session.get(EvidenceBlob, item.blob_sha256)
        if blob is None or hashlib.sha256(blob.content).hexdigest() != item.blob_sha256:
            append(
                session,
                actor.username,
                "evidence.open_file",
                "failed",
                "evidence",
                evidence_id,
                {"reason": "hash mismatch"},
            )
            raise IntegrityProblem(
                _(
                    "The stored file '{name}' has been damaged or altered "
                    "(its checksum does not match). Restore it from a "
                    "backup."
                ).format(name=item.file_name)
            )
        append(session, actor.username, "evidence.open_file", "ok", "evidence", evidence_id)
        return EvidenceFile(item.file_name, blob.media_type, blob.content)
