"""What the mobilities' services return and take, the languages and limits of a
mobility's texts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from digcomp_app.i18n import N_, UI_LANGUAGES

#: the languages a mobility's texts are written in: the interface's (Latvian first, the
#: school's language, whose texts also fill the ``title`` and ``objective`` columns)
TEXT_LANGUAGES: tuple[str, ...] = UI_LANGUAGES
SCHOOL_LANGUAGE = "lv"
#: the texts a mobility has in each language, and their longest length in characters
TEXT_FIELDS: tuple[str, ...] = ("title", "objective", "activities", "host_description")
TEXT_LIMITS: Mapping[str, int] = {
    "title": 300,
    "objective": 4000,
    "activities": 4000,
    "host_description": 4000,
}
#: the longest values of the other text fields (the columns' sizes)
MAX_CODE = 50
MAX_PROGRAMME = 100
MAX_HOST_MENTOR = 200
MAX_EUROPASS_NUMBER = 50
#: the texts' names and the languages' names, in messages
TEXT_NAMES: Mapping[str, str] = {
    "title": N_("Title"),
    "objective": N_("Objective"),
    "activities": N_("Activities carried out"),
    "host_description": N_("About the host organisation"),
}
LANGUAGE_NAMES: Mapping[str, str] = {"lv": N_("Latvian"), "en": N_("English"), "nl": N_("Dutch")}
#: {language: {field: text}}; read-only (a fresh dict made by the service, never shared)
Texts = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class MobilityInfo:
    id: int
    code: str
    title: str
    programme: str
    sending_organisation_id: int
    host_organisation_id: int
    host_organisation: str
    host_mentor: str
    host_country: str
    start_date: dt.date
    end_date: dt.date
    objective: str
    framework_id: str
    framework_version: str
    participant_count: int
    version: int
    #: every language of TEXT_LANGUAGES with every field of TEXT_FIELDS ("" when not
    #: written); ``title`` and ``objective`` above are the school language's (or the first
    #: language's that has one). Read-only.
    texts: Texts = dataclasses.field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class ParticipantInfo:
    """A learner taking part in a mobility."""

    learner_id: int
    given_names: str
    surname: str
    date_of_birth: dt.date | None
    europass_number: str

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"


@dataclass(frozen=True, slots=True)
class TeacherInfo:
    """A teacher who supervises a mobility."""

    user_id: int
    username: str
    display_name: str


@dataclass(frozen=True, slots=True)
class MobilityDraft:
    """What a coordinator fills in to create or edit a mobility."""

    code: str
    title: str
    sending_organisation_id: int
    host_organisation_id: int
    host_country: str
    start_date: dt.date
    end_date: dt.date
    programme: str = "Erasmus+"
    host_mentor: str = ""
    objective: str = ""
    framework_id: str = "digcomp"
    framework_version: str = "3.0"
    #: {language: {field: text}} for the fields of TEXT_FIELDS. When given, it holds every
    #: text and ``title``/``objective`` are not read. When empty (callers that know one
    #: language), ``title`` and ``objective`` are the Latvian texts; an update then keeps
    #: the mobility's other texts as they are. Read-only.
    texts: Texts = dataclasses.field(default_factory=dict, hash=False)
