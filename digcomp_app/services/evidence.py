"""Evidence for a validation case: files, links and notes, each tied to competences.

Files are stored once per content, addressed by SHA-256, in the database (see
docs/decisions/0008-evidence-in-the-database.md); the hash is checked every time a file is
opened. Only known file types are accepted, recognised by their content (with bounded reads)
and never programs; the name a file had is kept for display, made safe (no bidirectional
controls, no Windows device names) and given the extension of its type; it is never used as
a path. See docs/decisions/0025-evidence-files.md.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import struct
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import IntegrityProblem, InvalidInput, NotFound
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.user_names import display_names
from digcomp_app.services.validation import load_case
from digcomp_app.services.validation.rows import require_stage
from digcomp_app.storage.models import (
    EvidenceBlob,
    EvidenceItem,
    Organisation,
    ValidationCase,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
#: the longest texts an item may have, in characters (title and link: the columns' sizes)
MAX_TITLE = 300
MAX_DESCRIPTION = 4000
MAX_NOTE = 8000
MAX_URL = 2000
#: the longest name a file may come with (it is shortened to 200 for display and storage)
MAX_FILE_NAME = 1000
#: stages at which evidence can be added
EVIDENCE_STAGES = ("identification", "documentation", "assessment")
#: stages at which an item can be removed or tied to other competences (before assessment)
CHANGE_STAGES = ("identification", "documentation")

#: type detection never decompresses more than this of any zip member
ZIP_MEMBER_CAP = 64 * 1024
#: an office document with more entries than this is not looked into (nor accepted)
MAX_ZIP_ENTRIES = 10_000
#: text is checked for UTF-8 in slices of this size (never decoded as a whole)
_TEXT_CHUNK = 1024 * 1024

_OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ODF = "application/vnd.oasis.opendocument."

#: accepted media types and the extensions a stored name may end with; the first is the one
#: appended when a name ends with anything else
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "text/plain": (".txt", ".text", ".md", ".csv", ".log"),
    _ODF + "text": (".odt",),
    _ODF + "text-template": (".ott",),
    _ODF + "spreadsheet": (".ods",),
    _ODF + "spreadsheet-template": (".ots",),
    _ODF + "presentation": (".odp",),
    _ODF + "presentation-template": (".otp",),
    _ODF + "graphics": (".odg",),
    _ODF + "graphics-template": (".otg",),
    _OFFICE_TYPES["word/"]: (".docx",),
    _OFFICE_TYPES["xl/"]: (".xlsx",),
    _OFFICE_TYPES["ppt/"]: (".pptx",),
}

#: types the app would ever let the system open (it offers only "Save a copy" today; see
#: docs/decisions/0025-evidence-files.md): never text, which may be a script or HTML
SYSTEM_VIEWER_TYPES = frozenset(t for t in EXTENSIONS if t != "text/plain")

#: bidirectional controls (and marks) that make "report\u202efdp.exe" read "reportexe.pdf"
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: names Windows treats as devices whatever extension follows (CON.txt is the console)
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")]
)
_NOT_IN_NAMES = frozenset('<>:"|?*/\\')


class _Refused(Exception):
    """Content we recognise and refuse; the message says why."""


def sniff_media_type(content: bytes) -> str | None:
    """The type of a file from its content; None when it is not one we accept.

    Reads are bounded: a fixed head, the zip central directory and at most
    ``ZIP_MEMBER_CAP`` bytes of any member, text checked in slices.
    """
    try:
        return _detect(content)
    except _Refused:
        return None


def _detect(content: bytes) -> str | None:
    head = content[:8192]
    _refuse_programs(content, head)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    if _is_utf8_text(content):
        return "text/plain"
    return None


def _has_pe_header(content: bytes, at: int) -> bool:
    """A DOS/Windows program header ("MZ" with a "PE" header where it points) at ``at``."""
    if len(content) < at + 64:
        return False
    pointer = int.from_bytes(content[at + 0x3C : at + 0x40], "little")
    return 0 < pointer < 0x10000 and content[at + pointer : at + pointer + 4] == b"PE\x00\x00"


def _refuse_programs(content: bytes, head: bytes) -> None:
    program = _(
        "This file is a program; programs are not accepted as evidence. Add a PDF, a "
        "picture, a text file or an office document instead."
    )
    disguised = _(
        "This file is a PDF and a program at the same time (a disguised file); it is not "
        "accepted. Print or export the document to PDF again and add the new file."
    )
    is_mz = head.startswith(b"MZ") and (b"\x00" in head[:64] or _has_pe_header(content, 0))
    if is_mz and b"%PDF-" in head[:1024]:
        raise _Refused(disguised)  # PDF readers look for %PDF- in the first 1024 bytes
    if is_mz or head.startswith(
        (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa", b"\xca\xfe\xba\xbe")
    ):
        raise _Refused(program)
    if b"%PDF-" in head[:1024] and not head.startswith(b"%PDF-"):
        # a PDF behind something else: what a viewer shows is not what the head says
        raise _Refused(disguised)
    if head.startswith(b"%PDF-"):
        at = content.find(b"MZ")
        while at != -1:
            if _has_pe_header(content, at):
                raise _Refused(disguised)
            at = content.find(b"MZ", at + 2)
        if content.find(b"\x7fELF\x01") != -1 or content.find(b"\x7fELF\x02") != -1:
            raise _Refused(disguised)


def _is_utf8_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(content), _TEXT_CHUNK):
            decoder.decode(view[start : start + _TEXT_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _zip_entries(content: bytes) -> dict[str, tuple[int, int, int]] | None:
    """name -> (method, compressed size, local header offset), from the central directory
    only; None when it is not a plain (non-zip64) archive of a sensible size."""
    tail_from = max(0, len(content) - (22 + 0xFFFF))
    end = content.rfind(b"PK\x05\x06", tail_from)
    if end == -1 or len(content) < end + 22:
        return None
    count, size, offset = struct.unpack("<HII", content[end + 10 : end + 20])
    if count > MAX_ZIP_ENTRIES or offset + size > end or count == 0xFFFF:
        return None
    entries: dict[str, tuple[int, int, int]] = {}
    at = offset
    for _index in range(count):
        record = content[at : at + 46]
        if len(record) < 46 or record[:4] != b"PK\x01\x02":
            return None
        method, compressed, name_len, extra_len, comment_len, local = (
            struct.unpack("<H", record[10:12])[0],
            *struct.unpack("<I", record[20:24]),
            *struct.unpack("<HHH", record[28:34]),
            *struct.unpack("<I", record[42:46]),
        )
        name = content[at + 46 : at + 46 + name_len].decode("utf-8", "replace")
        entries[name] = (method, compressed, local)
        at += 46 + name_len + extra_len + comment_len
        if at > end:
            return None
    return entries


def _read_member(content: bytes, entry: tuple[int, int, int], cap: int) -> bytes | None:
    """At most ``cap`` bytes of a member, inflated in small steps (never the whole)."""
    method, compressed, local = entry
    header = content[local : local + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = local + 30 + name_len + extra_len
    stop = min(start + compressed, len(content))
    if method == 0:
        return content[start : min(stop, start + cap)]
    if method != 8:
        return None
    inflater = zlib.decompressobj(-15)
    out = b""
    try:
        for at in range(start, stop, 16 * 1024):
            out += inflater.decompress(content[at : min(at + 16 * 1024, stop)], cap - len(out))
            if len(out) >= cap or inflater.eof:
                break
    except zlib.error:
        return None
    return out[:cap]


def _sniff_zip(content: bytes) -> str | None:
    entries = _zip_entries(content)
    if entries is None:
        return None
    macros = _(
        "Office documents with macros are not accepted. Save the document without macros "
        "(for example as .docx, .xlsx or .odt) and add it again."
    )
    if "mimetype" in entries:
        data = _read_member(content, entries["mimetype"], ZIP_MEMBER_CAP)
        declared = (data or b"").decode("ascii", "replace").strip()
        if declared in EXTENSIONS and declared.startswith(_ODF):
            if any(n.startswith(("Basic/", "Scripts/")) for n in entries):
                raise _Refused(macros)
            return declared
    if "[Content_Types].xml" in entries:
        if any(n.lower().endswith("vbaproject.bin") for n in entries):
            raise _Refused(macros)
        for prefix, media_type in _OFFICE_TYPES.items():
            if any(n.startswith(prefix) for n in entries):
                return media_type
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


def _info(
    session: Session,
    item: EvidenceItem,
    files: Mapping[str, tuple[str, int]] | None = None,
    names: Mapping[int, str] | None = None,
) -> EvidenceInfo:
    """What the services return of an item. ``files`` (SHA-256 -> media type and size, see
    :func:`_file_facts`) and ``names`` (user id -> display name) spare a list its queries
    per item; without them they are read here."""
    if files is None:
        files = _file_facts(session, [item.blob_sha256])
    if names is None:
        names = display_names(session, [item.added_by])
    facts = files.get(item.blob_sha256) if item.blob_sha256 else None
    return EvidenceInfo(
        item.id,
        item.case_id,
        item.kind,
        item.title,
        item.description,
        safe_name(item.file_name, facts[0]) if facts else item.file_name,
        facts[0] if facts else "",
        facts[1] if facts else 0,
        item.blob_sha256 or "",
        item.url,
        tuple(item.competence_ids or ()),
        names.get(item.added_by, ""),
        item.added_at,
    )


def _file_facts(session: Session, digests: Iterable[str | None]) -> dict[str, tuple[str, int]]:
    """The media type and size of these stored files (SHA-256 -> both), without their
    content: reading the blob rows whole would read every file to show its size."""
    wanted = {digest for digest in digests if digest}
    if not wanted:
        return {}
    rows = session.execute(
        select(EvidenceBlob.sha256, EvidenceBlob.media_type, EvidenceBlob.size).where(
            EvidenceBlob.sha256.in_(wanted)
        )
    )
    return {digest: (media_type, size) for digest, media_type, size in rows}


def _clean_title(title: object) -> str:
    """The title checked (no control character, at most MAX_TITLE) and on one line."""
    title = " ".join(clean_text(title, "title", _("title"), MAX_TITLE, multiline=True).split())
    if not title:
        raise InvalidInput("title", _("Give the evidence a title."))
    return title


def _check_file_name(file_name: object) -> str:
    """The name a file came with, refused when no system could have given it (a NUL, or
    longer than MAX_FILE_NAME); other odd characters are made safe by :func:`safe_name`."""
    if not isinstance(file_name, str):
        raise InvalidInput("file_name", _("The {field} must be text.").format(field=_("file name")))
    if "\x00" in file_name:
        raise InvalidInput(
            "file_name",
            _(
                "The {field} contains a control character (one that cannot be printed or "
                "stored, such as NUL); remove it."
            ).format(field=_("file name")),
        )
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    if len(name) > MAX_FILE_NAME:
        raise InvalidInput(
            "file_name",
            _("The {field} is too long: at most {limit} characters, now {count}.").format(
                field=_("file name"), limit=MAX_FILE_NAME, count=len(name)
            ),
        )
    return file_name


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
    """A name from outside made safe to show and to offer when saving: no path, no control
    or bidirectional characters, nothing Windows forbids in names, no device name."""
    name = unicodedata.normalize("NFC", raw_name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        "_" if ch in _NOT_IN_NAMES else ch
        for ch in name
        if ch not in BIDI_CONTROLS and ch.isprintable()
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > 200:
        _stem, dot, extension = name.rpartition(".")
        keep = "." + extension if dot and len(extension) <= 10 else ""
        name = name[: 200 - len(keep)].rstrip(" .") + keep
    if name.split(".", 1)[0].rstrip(" ").upper() in RESERVED_NAMES:
        name = "_" + name
    return name or "file"


def safe_name(raw_name: str, media_type: str) -> str:
    """``display_name``, ending with an extension of ``media_type`` (appended when the name
    ends with another one: a text file "payload.bat" is kept as "payload.bat.txt")."""
    name = display_name(raw_name)
    extensions = EXTENSIONS.get(media_type)
    if extensions and not name.lower().endswith(extensions):
        name += extensions[0]
    return name


def check_content(content: bytes) -> str:
    """The media type of a file that may be stored as evidence; InvalidInput says why not."""
    if not content:
        raise InvalidInput("file", _("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(
            "file",
            _("The file is {size} MB; files up to {limit} MB are accepted.").format(
                size=round(len(content) / 2**20, 1), limit=MAX_FILE_BYTES // 2**20
            ),
        )
    try:
        media_type = _detect(content)
    except _Refused as refused:
        raise InvalidInput("file", str(refused)) from None
    if media_type is None:
        raise InvalidInput(
            "file",
            _(
                "This kind of file is not accepted. Use a PDF, an image "
                "(PNG, JPEG, GIF, WebP), a text file or an office "
                "document."
            ),
        )
    return media_type


def store_blob(session: Session, content: bytes) -> EvidenceBlob:
    return put_blob(session, content, check_content(content))


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
    """Add an item; ``description`` is checked by the caller (it is a note's text)."""
    title = _clean_title(title)
    with db.transaction() as session:
        case = load_case(session, actor, case_id)
        require_stage(case, *EVIDENCE_STAGES)
        ties = _check_competences({t.competence_id for t in case.targets}, competence_ids)
        content = fields.pop("content", None)
        media_type = fields.pop("media_type", None)
        if isinstance(content, bytes) and isinstance(media_type, str):
            fields["blob_sha256"] = put_blob(session, content, media_type).sha256
        item = EvidenceItem(
            case_id=case_id,
            kind=kind,
            title=title,
            description=description,
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
    _check_file_name(file_name)
    description = _clean_description(description)
    media_type = check_content(content)
    name = safe_name(file_name, media_type)
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
        media_type=media_type,
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
    url = clean_text(url, "url", _("link"), MAX_URL)
    description = _clean_description(description)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("url", _("A link must start with http:// or https://."))
    return _add(db, actor, case_id, "link", title, tuple(competence_ids), description, url=url)


@service("evidence.add_note")
def add_note(
    db: Database,
    actor: Actor,
    case_id: int,
    title: str,
    text: str,
    competence_ids: tuple[str, ...] = (),
) -> EvidenceInfo:
    text = clean_text(text, "text", _("note"), MAX_NOTE, multiline=True)
    if not text:
        raise InvalidInput("text", _("The note is empty."))
    return _add(db, actor, case_id, "note", title, tuple(competence_ids), text)


def _clean_description(description: object) -> str:
    return clean_text(description, "description", _("description"), MAX_DESCRIPTION, multiline=True)


def _load_item(
    session: Session, actor: Actor, evidence_id: int
) -> tuple[EvidenceItem, ValidationCase]:
    """The item and its case, if this person may work on the case and its stage allows
    changing its evidence."""
    item = session.get(EvidenceItem, evidence_id)
    if item is None:
        raise NotFound(_("There is no evidence with the number {id}.").format(id=evidence_id))
    case = load_case(session, actor, item.case_id)
    require_stage(case, *CHANGE_STAGES)
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
        ).all()
        files = _file_facts(session, (item.blob_sha256 for item in items))
        names = display_names(session, (item.added_by for item in items))
        return [_info(session, item, files, names) for item in items]


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
                ).format(name=display_name(item.file_name))
            )
        append(session, actor.username, "evidence.open_file", "ok", "evidence", evidence_id)
        # rows stored before names were checked get a safe name here too
        name = safe_name(item.file_name, blob.media_type)
        return EvidenceFile(name, blob.media_type, blob.content)
