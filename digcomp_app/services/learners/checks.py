"""Checking what people type for a learner or a group: names, e-mail addresses, learner
numbers, dates of birth (kept only when the school chose to keep them)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.learners.model import MAX_EMAIL, MAX_NAME, MAX_NUMBER
from digcomp_app.storage.models import Learner, Organisation


def _control_free(value: str, field: str, label: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise InvalidInput(
            field,
            _("The {field} contains control or invisible formatting characters.").format(
                field=label
            ),
        )
    return value


def checked_text(value: str, field: str, label: str, limit: int) -> str:
    value = unicodedata.normalize("NFC", value.strip())
    _control_free(value, field, label)
    if len(value) > limit:
        raise InvalidInput(
            field,
            _("The {field} is longer than {limit} characters.").format(field=label, limit=limit),
        )
    return value


def checked_names(given_names: str, surname: str) -> tuple[str, str]:
    given = checked_text(given_names, "given_names", _("first name"), MAX_NAME)
    family = checked_text(surname, "surname", _("surname"), MAX_NAME)
    if not any(ch.isalpha() for ch in given) or not any(ch.isalpha() for ch in family):
        raise InvalidInput("name", _("A learner needs a first name and a surname."))
    return given, family


def check_email(email: str) -> str:
    email = checked_text(email, "email", _("e-mail address"), MAX_EMAIL)
    if email:
        local, at, domain = email.rpartition("@")
        if not at or not local or "." not in domain.strip(".") or " " in email:
            raise InvalidInput(
                "email",
                _("'{email}' is not an e-mail address (like name@school.lv).").format(email=email),
            )
    return email


def check_learner_number(number: str) -> str:
    number = checked_text(number, "learner_number", _("learner number"), MAX_NUMBER)
    if number[:1] in ("=", "+", "-", "@"):
        raise InvalidInput(
            "learner_number",
            _("The learner number '{number}' looks like a spreadsheet formula.").format(
                number=number
            ),
        )
    return number


def keeps_birth_dates(session: Session) -> bool:
    return bool(
        session.scalar(select(Organisation.keep_birth_date).where(Organisation.is_home.is_(True)))
    )


def checked_birth_date(session: Session, value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if not keeps_birth_dates(session):
        raise InvalidInput(
            "date_of_birth",
            _(
                "The school does not keep learners' dates of birth. An administrator can turn "
                "this on in School details."
            ),
        )
    if value.year < 1900 or value > dt.date.today():
        raise InvalidInput(
            "date_of_birth",
            _("The date of birth {date} is not possible.").format(date=value.isoformat()),
        )
    return value


def require_number_free(session: Session, number: str, learner_id: int | None = None) -> None:
    holder = session.scalar(
        select(Learner).where(Learner.learner_number == number, Learner.id != (learner_id or 0))
    )
    if holder is not None:
        raise InvalidInput(
            "learner_number",
            _("The learner number {number} already belongs to {name}.").format(
                number=number, name=f"{holder.given_names} {holder.surname}"
            ),
        )
