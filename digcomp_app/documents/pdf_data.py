"""Machine-readable data inside the PDFs, and joining PDFs into one file for the printer.

Every attestation PDF carries a file attachment, ``digcomp-attestations.json``: a JSON
list with, for each attestation in the file, the QR payload text and what the attestation
prints (docs/attestation-format.md, "The PDF's attached data"):

- ``{"qr": …, "printed": {…}}``: the *printed record*, the certificate's snapshot reduced
  to what the pages show (no teacher comments, no target levels, no case number, the date
  of birth only when printed, the mobility's texts only in the languages printed); for
  every code that carries its signed content (version 2) and for unsigned previews;
- ``{"qr": …, "snapshot": {…}}``: the whole frozen snapshot, for a version 1 code
  (``DC1:``), which signs only the hash of that snapshot: without it a verifier away
  from the register could not tell what was signed.

It is written with reportlab's low-level PDF objects (the catalog's ``/Names
/EmbeddedFiles`` tree, a ``/Filespec`` with an ``/EF`` stream), made a PDF/A-3
associated file by ``archival.finish``, and read back with pdfium's attachment API.
The printer's combined file carries no attachment: it is for printing, not verifying.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

ATTACHMENT_NAME = "digcomp-attestations.json"
ATTACHMENT_DESCRIPTION = (
    "Attestation data: the QR codes' text and what the attestations print (JSON)"
)
JSON_MEDIA_TYPE = "/application#2Fjson"  # "application/json" as a PDF name


class EmbeddedDataError(ValueError):
    """The file is not a readable PDF, or its attestation data is not readable."""


#: the format of a printed record (the ``"format"`` key of its JSON)
PRINTED_FORMAT = "digcomp-printed-1"


@dataclass(frozen=True, slots=True)
class EmbeddedRecord:
    """One attestation's data as embedded in a PDF.

    ``snapshot`` is the certificate's whole snapshot (``printed`` False: a version 1
    code, whose signed hash it matches) or its printed record (``printed`` True): the
    same keys as a snapshot, with only what the attestation prints.
    """

    qr_text: str
    snapshot: Mapping[str, Any]
    printed: bool = False


def signs_snapshot_hash(qr_text: str) -> bool:
    """Whether ``qr_text`` is a version 1 code, which signs only the snapshot's hash."""
    return qr_text.rsplit("#", 1)[-1].strip().upper().startswith("DC1:")


def records_json(records: Sequence[EmbeddedRecord]) -> bytes:
    return json.dumps(
        [{"qr": r.qr_text, ("printed" if r.printed else "snapshot"): r.snapshot} for r in records],
        ensure_ascii=False,
        sort_keys=True,
        indent=1,
    ).encode("utf-8")


def attach_file(
    canvas: Canvas, name: str, data: bytes, description: str, media_type: str = JSON_MEDIA_TYPE
) -> None:
    """Embed ``data`` as the file ``name`` in the document ``canvas`` is drawing.

    Call before ``canvas.save()``; one call per document (it sets the catalog's name
    tree of embedded files).
    """
    document = canvas._doc  # type: ignore[attr-defined]  # reportlab's document, not in its stubs
    stream = pdfdoc.PDFStream(content=data, filters=[pdfdoc.PDFZCompress])
    stream.dictionary["Type"] = "/EmbeddedFile"
    stream.dictionary["Subtype"] = media_type
    stream.dictionary["Params"] = pdfdoc.PDFDictionary({"Size": len(data)})
    stream_ref = document.Reference(stream)
    filespec = pdfdoc.PDFDictionary(
        {
            "Type": "/Filespec",
            "F": pdfdoc.PDFString(name),
            "UF": pdfdoc.PDFString(name),
            "Desc": pdfdoc.PDFString(description),
            "AFRelationship": "/Data",
            "EF": pdfdoc.PDFDictionary({"F": stream_ref, "UF": stream_ref}),
        }
    )
    filespec_ref = document.Reference(filespec)
    tree = pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray([pdfdoc.PDFString(name), filespec_ref])})
    names = pdfdoc.PDFDictionary({"EmbeddedFiles": document.Reference(tree)})
    document.Catalog.Names = document.Reference(names)


def embedded_records(pdf: bytes) -> list[EmbeddedRecord]:
    """The attestations' data embedded in ``pdf`` ([] when it has none)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise EmbeddedDataError(f"not a readable PDF file: {error}") from error
    try:
        raw = None
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            if attachment.get_name() == ATTACHMENT_NAME:
                raw = bytes(attachment.get_data())
                break
    finally:
        document.close()
    if raw is None:
        return []
    try:
        items = json.loads(raw.decode("utf-8"))
        return [
            EmbeddedRecord(str(item["qr"]), dict(item["printed"]), True)
            if "printed" in item
            else EmbeddedRecord(str(item["qr"]), dict(item["snapshot"]))
            for item in items
        ]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise EmbeddedDataError(f"unreadable {ATTACHMENT_NAME}: {error}") from error


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    author: str
    subject: str
    language: str
    creator: str
    keywords: str = ""


def apply_metadata(canvas: Canvas, metadata: Metadata) -> None:
    canvas.setTitle(metadata.title)
    canvas.setAuthor(metadata.author)
    canvas.setSubject(metadata.subject)
    canvas.setCreator(metadata.creator)
    canvas.setKeywords(metadata.keywords)


def combine(
    parts: Sequence[bytes],
    metadata: Metadata,
    records: Sequence[EmbeddedRecord] | None = None,
) -> bytes:
    """One PDF/A-3b file with the pages of ``parts`` in order and its own metadata, for
    the printer.

    The pages are copied with pikepdf (fonts and all, nothing is drawn again); every
    font subset keeps a tag of its own. The file carries **no** attachment: its metadata
    says it is for printing only; each attestation's own PDF is the one to verify.
    ``records`` is accepted for older callers and ignored.
    """
    from digcomp_app.documents import archival

    del records  # the printer's file holds no data (issue 10: privacy)

    def describe(pdf: Any) -> None:
        import pikepdf

        now = pdf_date()
        pdf.docinfo = pdf.make_indirect(
            pikepdf.Dictionary(
                {
                    "/" + key: pikepdf.String(value)
                    for key, value in (
                        ("Title", metadata.title),
                        ("Author", metadata.author),
                        ("Subject", metadata.subject),
                        ("Keywords", metadata.keywords),
                        ("Creator", metadata.creator),
                        ("Producer", PRODUCER),
                        ("CreationDate", now),
                        ("ModDate", now),
                    )
                }
            )
        )
        if metadata.language:
            pdf.Root.Lang = pikepdf.String(metadata.language)

    return archival.join(parts, describe)


#: the Producer of files this module writes itself (reportlab names itself in the others)
PRODUCER = "digcomp-app (pikepdf)"


def pdf_date(moment: dt.datetime | None = None) -> str:
    """A PDF date string, local time with its offset: "D:20261204193000+02'00'"."""
    moment = (moment or dt.datetime.now().astimezone()).replace(microsecond=0)
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{rest:02d}'"
