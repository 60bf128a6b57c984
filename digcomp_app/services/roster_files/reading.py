"""Reading a roster file (:func:`read_roster`).

The format is decided by the content, not the extension: a ZIP with ``xl/workbook.xml`` is
XLSX, a ZIP whose ``mimetype`` member is ``application/vnd.oasis.opendocument.spreadsheet``
is ODS (both read by :mod:`.spreadsheets`), anything else must be a text CSV
(:mod:`.csv_text`); known binary files (PDF, images, old Excel) are refused by name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from digcomp_app.i18n import _
from digcomp_app.services.roster_files.csv_text import read_csv
from digcomp_app.services.roster_files.model import MAX_FILE_BYTES, RosterFileError, RosterTable
from digcomp_app.services.roster_files.spreadsheets import read_spreadsheet


def read_roster(path: Path, *, should_stop: Callable[[], bool] | None = None) -> RosterTable:
    """Read the first sheet of an XLSX/ODS file or a CSV file into text cells.

    Raises :class:`RosterFileError` when the file cannot be read at all and
    :class:`RosterCancelled` when ``should_stop()`` returns True.
    """
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise RosterFileError(
                _("{file}: there is no such file.").format(file=name)
                if not path.exists()
                else _("{file}: this is a folder, not a file.").format(file=name)
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RosterFileError(
                _(
                    "{file}: the file is larger than {limit} MB; split it into smaller files."
                ).format(file=name, limit=MAX_FILE_BYTES // (1024 * 1024))
            )
        if size == 0:
            raise RosterFileError(_("{file}: the file is empty.").format(file=name))
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(b"PK"):
            return read_spreadsheet(path, should_stop)
        _refuse_known_binary(name, head)
        data = path.read_bytes()
    except OSError as error:
        raise RosterFileError(
            _("{file}: the file cannot be opened ({reason}).").format(
                file=name, reason=error.strerror or error
            )
        ) from error
    return read_csv(name, data, should_stop)


_BINARY_SIGNATURES = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "WebP image"),
)


def _refuse_known_binary(name: str, head: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            kinds = {
                "PDF document": _("a PDF document"),
                "PNG image": _("a PNG image"),
                "JPEG image": _("a JPEG image"),
                "GIF image": _("a GIF image"),
                "TIFF image": _("a TIFF image"),
                "WebP image": _("a WebP image"),
            }
            raise RosterFileError(
                _(
                    "{file}: the file is {kind}, not a roster; save the roster as CSV or XLSX."
                ).format(file=name, kind=kinds[kind])
            )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            _(
                "{file}: the file is an old Excel 97-2003 workbook (.xls) or a password-protected"
                " workbook; save it as XLSX without a password, or as CSV."
            ).format(file=name)
        )
