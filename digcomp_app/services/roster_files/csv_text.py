"""A CSV roster: its text encoding, its delimiter, its records.

CSV encodings: a BOM decides first (UTF-8, UTF-16); then strict UTF-8; otherwise
Windows-1257 (Baltic) or Windows-1252 (Western), chosen by which one turns the bytes above
127 into plausible letters - Latvian letters for cp1257, Western accented letters for
cp1252; bytes undefined in one code page rule it out. When both give the same text the file
is reported as cp1252. The delimiter (``;``, ``,`` or tab) is the one most frequent outside
quotes in the header line; on a tie ``;`` wins (Excel in Latvian saves ``;``). Row numbers
are the record numbers a person sees in Excel (the same as text-editor lines unless a quoted
cell holds a line break).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterator

from digcomp_app.i18n import _
from digcomp_app.services.roster_files.model import RosterFileError, RosterTable
from digcomp_app.services.roster_files.table import build_table, clip

#: Latvian letters as cp1257 decodes them (weight 3; ķ and ģ are rarer, weight 2)
_LATVIAN = {ch: 3 for ch in "āčēīļņšūžĀČĒĪĻŅŠŪŽ"} | {ch: 2 for ch in "ķģĶĢ"}
#: accented letters of Western languages; the ones Latvian letters turn into in cp1252 weigh less
_WESTERN_RARE = set("âêîôûìòùïëãõÂÊÎÔÛÌÒÙÏËÃÕ")
_WESTERN_IMPROBABLE = set("ðþÐÞ")


def _score_cp1257(ch: str) -> int:
    if ch in _LATVIAN:
        return _LATVIAN[ch]
    return 0 if ch.isalpha() else -1


def _score_cp1252(ch: str) -> int:
    if ch in _WESTERN_IMPROBABLE:
        return -3
    if ch in _WESTERN_RARE:
        return 1
    return 2 if ch.isalpha() else -1


_MOSTLY_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _decode(name: str, data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = ""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            raise _undecodable(name) from error
    if b"\x00" in data:
        raise _nul_bytes(name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    candidates: dict[str, str] = {}
    for code_page in ("cp1257", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            candidates[code_page] = data.decode(code_page)
    well_formed = len(_MOSTLY_UTF8.findall(data))
    stray = data.decode("utf-8", errors="replace").count("\ufffd")
    if well_formed and well_formed >= stray:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise RosterFileError(
            _(
                "{file}: line {line} is not valid UTF-8 although the rest of the file is; the"
                " file mixes text encodings - save it again as 'CSV UTF-8'."
            ).format(file=name, line=line)
        )
    if not candidates:
        raise _undecodable(name) from utf8_error
    if len(candidates) == 1:
        [(encoding, text)] = candidates.items()
        return text, encoding
    baltic, western = candidates["cp1257"], candidates["cp1252"]
    if baltic == western:
        return western, "cp1252"
    baltic_score = western_score = 0
    for a, b in zip(baltic, western, strict=True):
        if a != b:
            baltic_score += _score_cp1257(a)
            western_score += _score_cp1252(b)
    if western_score > baltic_score:
        return western, "cp1252"
    return baltic, "cp1257"


def _undecodable(name: str) -> RosterFileError:
    return RosterFileError(
        _(
            "{file}: the text is not in an encoding the app can read (UTF-8, UTF-16,"
            " Windows-1257 or Windows-1252); save it as 'CSV UTF-8'."
        ).format(file=name)
    )


def _nul_bytes(name: str) -> RosterFileError:
    return RosterFileError(
        _(
            "{file}: the file contains NUL bytes - it is not a text roster; save it as CSV or XLSX."
        ).format(file=name)
    )


_DELIMITERS = (";", "\t", ",")  # in order of preference on a tie


def _delimiter(text: str) -> str:
    for line in io.StringIO(text):
        if not any(ch.isalnum() for ch in line):
            continue
        counts = dict.fromkeys(_DELIMITERS, 0)
        quoted = False
        for ch in line:
            if ch == '"':
                quoted = not quoted
            elif not quoted and ch in counts:
                counts[ch] += 1
        best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
        return best
    return ";"


def read_csv(name: str, data: bytes, should_stop: Callable[[], bool] | None) -> RosterTable:
    text, encoding = _decode(name, data)
    if "\x00" in text:
        raise _nul_bytes(name)
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype", "<html", "<?xml", "<table")):
        raise RosterFileError(
            _(
                "{file}: the file is a web page or an XML file, not a roster; open it in Excel"
                " and save it as XLSX or CSV."
            ).format(file=name)
        )
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            for record in reader:
                line += 1
                yield line, [clip(cell.strip()) for cell in record]
        except csv.Error as error:
            raise RosterFileError(
                _("{file}: line {line} cannot be read as CSV ({reason}).").format(
                    file=name, line=line + 1, reason=error
                )
            ) from error

    return build_table(name, "csv", encoding, delimiter, records(), should_stop)
