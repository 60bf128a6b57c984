"""PDF/A-3b: the finishing pass that makes a reportlab PDF an archival one.

reportlab draws the pages (fonts embedded as subsets, see ``fonts.py``) and writes the
attachment; this pass, with pikepdf (qpdf), adds what PDF/A-3b asks for and reportlab
does not write: XMP metadata agreeing with the Info dictionary (``pdfaid:part`` 3,
conformance B), an output intent with an sRGB ICC profile, the attached files as
*associated files* (``/AF`` on the catalog, ``/Params`` with the dates), one tag per font
subset (six letters from the subset's own bytes, so attestations printed apart and joined
later never share a tag for different subsets), and file syntax a validator accepts
(reportlab writes ``endstream`` with no end of line before it). See
docs/decisions/0022-archival-pdf.md.

The pass copies the streams as they are (nothing is decompressed or compressed again):
about a millisecond per attestation.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:  # pikepdf is imported when a document is finished, not at start-up
    import pikepdf

PDF_VERSION = "1.7"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
_TAG_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_PDF_DATE = re.compile(
    r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?$"
)


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (v4, display class), made by LittleCMS through Pillow once per
    process; Pillow comes with reportlab."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def xmp_date(pdf_date: str) -> str:
    """ "D:20260402091500+03'00'" -> "2026-04-02T09:15:00+03:00" (the same instant)."""
    found = _PDF_DATE.match(pdf_date.strip())
    if not found:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    year, month, day, hour, minute, second, sign, tz_hour, tz_minute = found.groups()
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if sign in ("Z", "z") or (sign and not tz_hour):
        return text + "Z"
    if sign:
        return f"{text}{sign}{tz_hour}:{tz_minute or '00'}"
    return text


def xmp_packet(info: dict[str, str], language: str, archival: bool = True) -> bytes:
    """The XMP metadata of a document whose Info dictionary is ``info`` (the same title,
    author, subject, keywords, tools and dates, as PDF/A requires), with the PDF/A
    identification when ``archival``."""

    def text(value: str) -> str:
        return escape(value, {'"': "&quot;"})

    lang = text(language or "x-default")
    parts = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    ]
    if archival:
        parts += ["<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    parts.append("<dc:format>application/pdf</dc:format>")
    if "Title" in info:
        parts.append(
            "<dc:title><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{text(info["Title"])}</rdf:li>'
            "</rdf:Alt></dc:title>"
        )
    if "Author" in info:
        parts.append(
            f"<dc:creator><rdf:Seq><rdf:li>{text(info['Author'])}</rdf:li></rdf:Seq></dc:creator>"
        )
    if "Subject" in info:
        parts.append(
            "<dc:description><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{text(info["Subject"])}</rdf:li>'
            "</rdf:Alt></dc:description>"
        )
    if language:
        parts.append(f"<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>")
    for key, name in (("Keywords", "pdf:Keywords"), ("Producer", "pdf:Producer")):
        if key in info:
            parts.append(f"<{name}>{text(info[key])}</{name}>")
    if "Creator" in info:
        parts.append(f"<xmp:CreatorTool>{text(info['Creator'])}</xmp:CreatorTool>")
    for key, name in (("CreationDate", "xmp:CreateDate"), ("ModDate", "xmp:ModifyDate")):
        if key in info:
            parts.append(f"<{name}>{xmp_date(info[key])}</{name}>")
    if "ModDate" in info:
        parts.append(f"<xmp:MetadataDate>{xmp_date(info['ModDate'])}</xmp:MetadataDate>")
    parts += ["</rdf:Description>", "</rdf:RDF>", "</x:xmpmeta>"]
    # room for editors to change the packet in place, as XMP recommends
    parts += [" " * 100] * 10
    parts.append('<?xpacket end="w"?>')
    return "\n".join(parts).encode("utf-8")


def _info(pdf: pikepdf.Pdf) -> dict[str, str]:
    import pikepdf

    values: dict[str, str] = {}
    for key, value in pdf.docinfo.items():
        if isinstance(value, pikepdf.String):
            values[str(key)[1:]] = str(value)
        elif isinstance(value, pikepdf.Name):
            values[str(key)[1:]] = str(value)[1:]
    return values


def _language(pdf: pikepdf.Pdf) -> str:
    lang = pdf.Root.get("/Lang")
    return str(lang) if lang is not None else ""


def _set_metadata(pdf: pikepdf.Pdf) -> None:
    import pikepdf

    stream = pikepdf.Stream(pdf, xmp_packet(_info(pdf), _language(pdf)))
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)


def _set_output_intent(pdf: pikepdf.Pdf) -> None:
    import pikepdf

    profile = pikepdf.Stream(pdf, srgb_profile())
    profile.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
        Info=pikepdf.String(OUTPUT_CONDITION),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=pdf.make_indirect(profile),
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def _associate_files(pdf: pikepdf.Pdf, date: str) -> None:
    """Every embedded file becomes an associated file of the document (PDF/A-3)."""
    import pikepdf

    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return
    specs = []
    for _name, spec in pikepdf.NameTree(tree).items():
        if "/AFRelationship" not in spec:
            spec.AFRelationship = pikepdf.Name.Unspecified
        for stream in (spec.EF.get("/F"), spec.EF.get("/UF")):
            if stream is None:
                continue
            params = stream.get("/Params") or pikepdf.Dictionary()
            if date:
                params.ModDate = pikepdf.String(date)
                params.CreationDate = pikepdf.String(date)
            stream.Params = params
        specs.append(spec)
    if specs:
        pdf.Root.AF = pikepdf.Array(specs)


def subset_fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The document's simple fonts whose name has a subset tag (``ABCDEF+Name``)."""
    found = {}
    for page in pdf.pages:
        for font in _fonts_of(page.obj.get("/Resources")):
            found[font.objgen] = font
    return list(found.values())


def _fonts_of(resources: Any, seen: set[tuple[int, int]] | None = None) -> list[Any]:
    """The fonts of a resource dictionary and of the forms it uses (QR forms hold none,
    but a form may)."""
    seen = set() if seen is None else seen
    if resources is None:
        return []
    fonts = [f for _key, f in (resources.get("/Font") or {}).items()]
    for _key, xobject in (resources.get("/XObject") or {}).items():
        if xobject.objgen in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(xobject.objgen)
        fonts += _fonts_of(xobject.get("/Resources"), seen)
    return [f for f in fonts if _SUBSET.match(str(f.get("/BaseFont", ""))[1:])]


def _font_program(font: Any) -> bytes:
    descriptor = font.get("/FontDescriptor")
    for key in ("/FontFile2", "/FontFile", "/FontFile3"):
        if descriptor is not None and key in descriptor:
            return bytes(descriptor[key].read_raw_bytes())
    return b""


def _tag(seed: bytes) -> str:
    number = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big")
    letters = []
    for _ in range(6):
        number, digit = divmod(number, 26)
        letters.append(_TAG_LETTERS[digit])
    return "".join(letters)


def _rename(font: Any, tag: str) -> None:
    import pikepdf

    name = str(font.BaseFont)[1:].split("+", 1)[1]
    font.BaseFont = pikepdf.Name("/" + f"{tag}+{name}")
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None:
        descriptor.FontName = pikepdf.Name("/" + f"{tag}+{name}")


def tag_subsets(pdf: pikepdf.Pdf) -> None:
    """Give every font subset of the file a tag of its own.

    The tag comes from the subset's font program and name, so attestations printed apart
    get different tags for different subsets. Within the file no two font objects share a
    tag, not even two copies of the same subset (two attestations with the same letters
    in a face): the next seed is tried until the tag is free.
    """
    taken: set[str] = set()
    for font in subset_fonts(pdf):
        name = str(font.BaseFont)[1:].split("+", 1)[1]
        digest = hashlib.sha256(_font_program(font)).digest()
        attempt = 0
        while True:
            tag = _tag(b"%d\0%s\0%s" % (attempt, name.encode(), digest))
            if f"{tag}+{name}" not in taken:
                break
            attempt += 1
        taken.add(f"{tag}+{name}")
        _rename(font, tag)


def finish(
    pdf_bytes: bytes, edit: Callable[[pikepdf.Pdf], None] | None = None, archival: bool = True
) -> bytes:
    """``pdf_bytes`` (as reportlab or pdfium wrote them) as a PDF/A-3b file.

    ``edit`` may change the document first (the combined file sets its own metadata).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if edit is not None:
            edit(pdf)
        _prepare(pdf, archival)
        return _save(pdf)


def _prepare(pdf: pikepdf.Pdf, archival: bool = True) -> None:
    if "/Trapped" in pdf.docinfo:
        # optional, and not every PDF/A profile's XMP schemas know pdf:Trapped
        del pdf.docinfo["/Trapped"]
    info = _info(pdf)
    _associate_files(pdf, info.get("ModDate", info.get("CreationDate", "")))
    tag_subsets(pdf)
    _set_output_intent(pdf)
    if archival:
        _set_metadata(pdf)


def _save(pdf: pikepdf.Pdf) -> bytes:
    import pikepdf

    if "/ID" not in pdf.trailer:
        digest = hashlib.md5(repr(_info(pdf)).encode(), usedforsecurity=False).digest()
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(digest), pikepdf.String(digest)])
    out = io.BytesIO()
    pdf.save(
        out,
        min_version=PDF_VERSION,
        compress_streams=False,  # what reportlab compressed stays compressed; the XMP stays
        stream_decode_level=pikepdf.StreamDecodeLevel.none,  # readable as PDF/A wants
        recompress_flate=False,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        normalize_content=False,
        qdf=False,
    )
    return out.getvalue()


def join(parts: Sequence[bytes], edit: Callable[[pikepdf.Pdf], None]) -> bytes:
    """The pages of ``parts`` in one archival PDF, with ``edit`` setting its metadata.

    Fonts are copied with their pages (each attestation keeps its own subsets) and get
    tags unique in the file. The new file has no attachments.
    """
    import pikepdf

    sources = [pikepdf.open(io.BytesIO(part)) for part in parts]
    try:
        with pikepdf.new() as joined:
            for source in sources:
                joined.pages.extend(source.pages)
            edit(joined)
            _prepare(joined)
            return _save(joined)
    finally:
        for source in sources:
            source.close()
