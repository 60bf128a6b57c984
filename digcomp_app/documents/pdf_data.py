"""Machine-readable data inside the PDFs, and joining PDFs into one file for the printer.

Every attestation PDF carries a file attachment, ``digcomp-attestations.json``: a JSON
list with, for each attestation in the file, the QR payload text and the certificate's
frozen snapshot. A verifier reads it without decoding the QR image, and sees exactly
what was signed (the snapshot's hash is in the payload). It is written with reportlab's
low-level PDF objects (the catalog's ``/Names /EmbeddedFiles`` tree, a ``/Filespec``
with an ``/EF`` stream) and read back with pdfium's attachment API.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

ATTACHMENT_NAME = "digcomp-attestations.json"
ATTACHMENT_DESCRIPTION = "Attestation data: QR payloads and certificate snapshots (JSON)"
JSON_MEDIA_TYPE = "/application#2Fjson"  # "application/json" as a PDF name


class EmbeddedDataError(ValueError):
    """The file is not a readable PDF, or its attestation data is not readable."""


@dataclass(frozen=True, slots=True)
class EmbeddedRecord:
    """One attestation's data as embedded in a PDF."""

    qr_text: str
    snapshot: Mapping[str, Any]


def records_json(records: Sequence[EmbeddedRecord]) -> bytes:
    return json.dumps(
        [{"qr": r.qr_text, "snapshot": r.snapshot} for r in records],
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
    document = canvas._doc
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
        return [EmbeddedRecord(str(item["qr"]), dict(item["snapshot"])) for item in items]
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


def combine(parts: Sequence[bytes], metadata: Metadata, records: Sequence[EmbeddedRecord]) -> bytes:
    """One PDF with the pages of ``parts`` in order, its own metadata, and the data of
    every attestation in it attached.

    The pages are copied with pdfium (fonts and all, nothing is drawn again). They go
    into a carrier document written by reportlab, which holds the metadata, the language
    and the attachment; its single blank page is removed at the end.
    """
    import pypdfium2

    buffer = io.BytesIO()
    carrier = Canvas(buffer, lang=metadata.language, pageCompression=1)
    apply_metadata(carrier, metadata)
    carrier.showPage()
    attach_file(carrier, ATTACHMENT_NAME, records_json(records), ATTACHMENT_DESCRIPTION)
    carrier.save()

    combined = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        for part in parts:
            source = pypdfium2.PdfDocument(part)
            try:
                combined.import_pages(source)
            finally:
                source.close()
        combined.del_page(0)
        out = io.BytesIO()
        combined.save(out)
    finally:
        combined.close()
    return out.getvalue()
