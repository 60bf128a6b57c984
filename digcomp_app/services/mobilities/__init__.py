"""Mobilities: learning periods abroad (Erasmus+ placements) and who takes part.

The parts: :mod:`.model` (what the services take and return), :mod:`.texts` (the texts in
each language), :mod:`.rows` (rows inside a caller's transaction), :mod:`.editing`,
:mod:`.finding` and :mod:`.people` (the services).
"""

from digcomp_app.services.mobilities.editing import create, update
from digcomp_app.services.mobilities.finding import get, list_all
from digcomp_app.services.mobilities.model import (
    LANGUAGE_NAMES,
    MAX_CODE,
    MAX_EUROPASS_NUMBER,
    MAX_HOST_MENTOR,
    MAX_PROGRAMME,
    SCHOOL_LANGUAGE,
    TEXT_FIELDS,
    TEXT_LANGUAGES,
    TEXT_LIMITS,
    TEXT_NAMES,
    MobilityDraft,
    MobilityInfo,
    ParticipantInfo,
    TeacherInfo,
    Texts,
)
from digcomp_app.services.mobilities.people import (
    add_participants,
    assign_teacher,
    list_participants,
    list_teachers,
    remove_participant,
    set_europass_number,
    unassign_teacher,
)
from digcomp_app.services.mobilities.rows import participants
from digcomp_app.services.mobilities.texts import mobility_text, stored_texts

__all__ = [
    "LANGUAGE_NAMES",
    "MAX_CODE",
    "MAX_EUROPASS_NUMBER",
    "MAX_HOST_MENTOR",
    "MAX_PROGRAMME",
    "SCHOOL_LANGUAGE",
    "TEXT_FIELDS",
    "TEXT_LANGUAGES",
    "TEXT_LIMITS",
    "TEXT_NAMES",
    "MobilityDraft",
    "MobilityInfo",
    "ParticipantInfo",
    "TeacherInfo",
    "Texts",
    "add_participants",
    "assign_teacher",
    "create",
    "get",
    "list_all",
    "list_participants",
    "list_teachers",
    "mobility_text",
    "participants",
    "remove_participant",
    "set_europass_number",
    "stored_texts",
    "unassign_teacher",
    "update",
]
