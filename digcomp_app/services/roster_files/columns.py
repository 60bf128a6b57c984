"""Recognising the columns of a roster from their headers (Latvian or English).

"Personas kods" columns are never mapped (the app does not store national personal codes);
:func:`ignored_sensitive_columns` names them so the UI can say so.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Literal

from digcomp_app.services.roster_files.model import ColumnMapping


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "".join(ch for ch in folded if ch not in ".:*()")


def header_key(header: str) -> str:
    """Header text reduced to letters and digits: "Dz. datums" -> "dzdatums"."""
    return "".join(ch for ch in _fold(header) if ch.isalnum())


_NAME_SYNONYMS = {
    "given_names": {
        "vards", "vardi", "vardsi", "personvards", "personvardi", "firstname", "firstnames",
        "givenname", "givennames", "forename", "forenames", "skolenavards", "izglitojamavards",
    },
    "surname": {
        "uzvards", "uzvardi", "uzvardsi", "surname", "familyname", "lastname",
        "skolenauzvards", "izglitojamauzvards",
    },
    "email": {"epasts", "epastaadrese", "epastadrese", "email", "emailaddress", "mail"},
}  # fmt: skip
_LEARNER_SYNONYMS = _NAME_SYNONYMS | {
    "full_name": {
        "vardsuzvards", "vardiuzvardi", "uzvardsvards", "uzvardivardi", "skolens",
        "izglitojamais", "skolenavardsuzvards", "izglitojamavardsuzvards", "fullname",
        "learner", "student", "pupil", "learnername", "studentname", "pupilname",
    },
    "learner_number": {
        "skolenanr", "skolenanumurs", "izglitojamanr", "izglitojamanumurs", "regnr",
        "registracijasnr", "registracijasnumurs", "learnernumber", "learnerno", "learnerid",
        "studentnumber", "studentno", "studentid", "pupilnumber", "pupilid", "id",
    },
    "group": {"klase", "grupa", "kurss", "class", "group", "form", "klasegrupa", "grupaklase"},
    "date_of_birth": {
        "dzimsanasdatums", "dzdatums", "dzimdatums", "dateofbirth", "birthdate", "dob",
        "birthday",
    },
}  # fmt: skip
_STAFF_SYNONYMS = _NAME_SYNONYMS | {
    "full_name": {
        "vardsuzvards", "vardiuzvardi", "uzvardsvards", "uzvardivardi", "fullname",
        "skolotajs", "skolotaja", "pedagogs", "darbinieks", "teacher", "staffmember",
        "employee",
    },
    "username": {"lietotajvards", "lietotajavards", "username", "login", "lietotajs"},
    "roles": {"loma", "lomas", "amats", "role", "roles"},
}  # fmt: skip

_SENSITIVE_PARTS = (
    "personaskod",
    "perskod",
    "personalcode",
    "personalidenti",
    "personalnumber",
    "nationalid",
    "identitycode",
)


def ignored_sensitive_columns(headers: Sequence[str]) -> tuple[int, ...]:
    """Indices of columns holding national personal codes; they are never mapped."""
    return tuple(
        index
        for index, header in enumerate(headers)
        if any(part in header_key(header) for part in _SENSITIVE_PARTS)
    )


def guess_mapping(headers: Sequence[str], kind: Literal["learners", "staff"]) -> ColumnMapping:
    """Recognise the columns of a roster from their headers (Latvian or English)."""
    if kind == "learners":
        synonyms = _LEARNER_SYNONYMS
    elif kind == "staff":
        synonyms = _STAFF_SYNONYMS
    else:
        raise ValueError(f"unknown roster kind {kind!r}")
    sensitive = set(ignored_sensitive_columns(headers))
    keys = [header_key(header) for header in headers]
    has_surname = any(key in synonyms["surname"] for key in keys)
    found: dict[str, list[int]] = {}
    unsure = False
    for index, key in enumerate(keys):
        if index in sensitive or not key:
            continue
        if key == "name":
            fields = ["given_names" if has_surname else "full_name"]
        else:
            fields = [field for field, words in synonyms.items() if key in words]
        if len(fields) > 1:
            unsure = True
        for field in fields:
            found.setdefault(field, []).append(index)
    if any(len(indices) > 1 for indices in found.values()):
        unsure = True
    columns = {field: indices[0] for field, indices in found.items()}
    has_names = ("given_names" in columns and "surname" in columns) or "full_name" in columns
    return ColumnMapping(columns, unsure=unsure or not has_names)
