"""Mobilities: learning periods abroad (Erasmus+ placements) and who takes part."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from digcomp_app.i18n import N_, SOURCE_LANGUAGE, UI_LANGUAGES, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    ConcurrentChange,
    InvalidInput,
    NotFound,
    WorkflowError,
    simultaneous_changes_refused,
)
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.services.scope import require_teacher
from digcomp_app.storage.models import (
    Certificate,
    GroupMember,
    GroupTeacher,
    Learner,
    Mobility,
    MobilityParticipant,
    MobilityTeacher,
    Organisation,
    User,
    ValidationCase,
)

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


def _blank() -> dict[str, dict[str, str]]:
    return {language: dict.fromkeys(TEXT_FIELDS, "") for language in TEXT_LANGUAGES}


def _complete(texts: Mapping[str, Mapping[str, object]] | None) -> dict[str, dict[str, str]]:
    """Every language and field, with what ``texts`` has for them (as found, not stripped)."""
    full = _blank()
    for language, values in (texts or {}).items():
        if language in full and isinstance(values, Mapping):
            for name in TEXT_FIELDS:
                value = values.get(name)
                full[language][name] = value if isinstance(value, str) else ""
    return full


def stored_texts(mobility: Mobility) -> dict[str, dict[str, str]]:
    """A mobility's texts in every language; a mobility saved before texts were kept per
    language (``texts`` empty) has its title and objective as the Latvian ones."""
    if mobility.texts:
        return _complete(mobility.texts)
    return _complete(
        {SCHOOL_LANGUAGE: {"title": mobility.title or "", "objective": mobility.objective or ""}}
    )


def mobility_text(
    info_or_texts: MobilityInfo | MobilityDraft | Mapping[str, Mapping[str, str]],
    name: str,
    language: str,
) -> tuple[str, bool]:
    """The text ``name`` ("title", "objective"...) in ``language``, or, when it is empty
    there, in the first other language that has it; and whether it is that fallback.
    ("", False) when no language has it."""
    if isinstance(info_or_texts, MobilityDraft):
        texts: Mapping[str, Mapping[str, str]] = _draft_texts(info_or_texts)
    elif isinstance(info_or_texts, MobilityInfo):
        texts = info_or_texts.texts
    else:
        texts = info_or_texts
    wanted = ((texts.get(language) or {}).get(name) or "").strip()
    if wanted:
        return wanted, False
    for other in dict.fromkeys((SOURCE_LANGUAGE, *TEXT_LANGUAGES, *sorted(texts))):
        if other == language:
            continue
        text = ((texts.get(other) or {}).get(name) or "").strip()
        if text:
            return text, True
    return "", False


def _draft_texts(draft: MobilityDraft) -> dict[str, dict[str, str]]:
    """The draft's texts, as given (``texts``, or ``title``/``objective`` in Latvian)."""
    if any(any(values.values()) for values in draft.texts.values()):
        return {language: dict(values) for language, values in draft.texts.items()}
    return {SCHOOL_LANGUAGE: {"title": draft.title, "objective": draft.objective}}


def _primary(texts: Mapping[str, Mapping[str, str]], name: str) -> str:
    """What the ``name`` column holds: the school language's text, else the first given."""
    for language in (SCHOOL_LANGUAGE, *TEXT_LANGUAGES):
        text = texts.get(language, {}).get(name, "")
        if text:
            return text
    return ""


def _clean_texts(draft: MobilityDraft) -> dict[str, dict[str, str]]:
    """The draft's texts, stripped and checked: known languages and fields, not too long,
    no control characters. Raises InvalidInput naming the field and the language."""
    given = _draft_texts(draft)
    for language, values in given.items():
        if language not in TEXT_LANGUAGES:
            raise InvalidInput(
                "texts",
                _("Mobility texts are written in one of {languages}, not: {given}").format(
                    languages=", ".join(TEXT_LANGUAGES), given=language
                ),
            )
        unknown = sorted(set(values) - set(TEXT_FIELDS))
        if unknown:
            raise InvalidInput(
                "texts",
                _("A mobility has no text called {name}.").format(name=", ".join(unknown)),
            )
    cleaned = _blank()
    for language, values in given.items():
        for name, value in values.items():
            raw = (value or "").replace("\r\n", "\n").replace("\r", "\n")
            text = raw.strip(" \n\t")
            where = f"texts.{language}.{name}"
            words = {"field": _(TEXT_NAMES[name]), "language": _(LANGUAGE_NAMES[language])}
            allowed = "" if name == "title" else "\n\t"
            if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
                raise InvalidInput(
                    where,
                    _(
                        "{field} ({language}) contains a control character (one that "
                        "cannot be printed, such as NUL); remove it."
                    ).format(**words),
                )
            limit = TEXT_LIMITS[name]
            if len(text) > limit:
                raise InvalidInput(
                    where,
                    _(
                        "{field} ({language}) is too long: at most {limit} characters, now {count}."
                    ).format(limit=limit, count=len(text), **words),
                )
            cleaned[language][name] = text
    return cleaned


def _merged(
    mobility: Mobility | None, draft: MobilityDraft, cleaned: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """What is saved: ``cleaned``, or, for a draft without ``texts`` updating a mobility,
    its texts with the Latvian title and objective of the draft."""
    if mobility is None or any(any(v.values()) for v in draft.texts.values()):
        return cleaned
    kept = stored_texts(mobility)
    kept[SCHOOL_LANGUAGE].update(
        title=cleaned[SCHOOL_LANGUAGE]["title"], objective=cleaned[SCHOOL_LANGUAGE]["objective"]
    )
    return kept


def _info(session: Session, mobility: Mobility) -> MobilityInfo:
    host = session.get(Organisation, mobility.host_organisation_id)
    count = (
        session.scalar(
            select(func.count())
            .select_from(MobilityParticipant)
            .where(MobilityParticipant.mobility_id == mobility.id)
        )
        or 0
    )
    return MobilityInfo(
        mobility.id,
        mobility.code,
        mobility.title,
        mobility.programme,
        mobility.sending_organisation_id,
        mobility.host_organisation_id,
        host.name if host else "",
        mobility.host_mentor,
        mobility.host_country,
        mobility.start_date,
        mobility.end_date,
        mobility.objective,
        mobility.framework_id,
        mobility.framework_version,
        count,
        mobility.version,
        stored_texts(mobility),
    )


def _validate(
    db: Database, session: Session, draft: MobilityDraft, mobility: Mobility | None = None
) -> dict[str, dict[str, str]]:
    """Check ``draft``; the texts to save (every language and field)."""
    mobility_id = mobility.id if mobility is not None else None
    code = clean_text(draft.code, "code", _("code"), MAX_CODE)
    if not code:
        raise InvalidInput("code", _("A mobility needs a code."))
    # title and objective are checked with the texts (as texts.<language>.<field>)
    clean_text(draft.programme, "programme", _("programme"), MAX_PROGRAMME)
    clean_text(draft.host_mentor, "host_mentor", _("host mentor"), MAX_HOST_MENTOR)
    clean_text(draft.host_country, "host_country", _("host country"), 2)
    texts = _merged(mobility, draft, _clean_texts(draft))
    if not _primary(texts, "title"):
        raise InvalidInput("title", _("A mobility needs a title."))
    if draft.end_date < draft.start_date:
        raise InvalidInput("end_date", _("The mobility ends before it starts."))
    country = draft.host_country.strip()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(
            "host_country", _("The host country must be a two-letter code such as DE.")
        )
    for field, org_id in (
        ("sending_organisation_id", draft.sending_organisation_id),
        ("host_organisation_id", draft.host_organisation_id),
    ):
        if session.get(Organisation, org_id) is None:
            raise InvalidInput(
                field, _("There is no organisation with the number {id}.").format(id=org_id)
            )
    if library_of(db).find(draft.framework_id, draft.framework_version) is None:
        raise InvalidInput(
            "framework",
            _("The framework {id} {version} is not installed.").format(
                id=draft.framework_id, version=draft.framework_version
            ),
        )
    clash = session.scalar(select(Mobility.id).where(Mobility.code == code))
    if clash is not None and clash != mobility_id:
        raise InvalidInput(
            "code",
            _("The code '{code}' is already used by another mobility.").format(code=draft.code),
        )
    return texts


def _apply(mobility: Mobility, draft: MobilityDraft, texts: dict[str, dict[str, str]]) -> None:
    mobility.code = draft.code.strip()
    mobility.title = _primary(texts, "title")
    mobility.programme = draft.programme.strip()
    mobility.sending_organisation_id = draft.sending_organisation_id
    mobility.host_organisation_id = draft.host_organisation_id
    mobility.host_mentor = draft.host_mentor.strip()
    mobility.host_country = draft.host_country.strip().upper()
    mobility.start_date, mobility.end_date = draft.start_date, draft.end_date
    mobility.objective = _primary(texts, "objective")
    # only the languages that have a text; a new dict, so that the JSON column is saved
    mobility.texts = {
        language: dict(values) for language, values in texts.items() if any(values.values())
    }
    mobility.framework_id, mobility.framework_version = (
        draft.framework_id,
        draft.framework_version,
    )


def _mobility(session: Session, mobility_id: int) -> Mobility:
    mobility = session.get(Mobility, mobility_id)
    if mobility is None:
        raise NotFound(_("There is no mobility with the number {id}.").format(id=mobility_id))
    return mobility


@service("mobilities.create")
def create(db: Database, actor: Actor, draft: MobilityDraft) -> MobilityInfo:
    # another coordinator may create a mobility with the same code between our check and
    # our commit: the unique code refuses ours (SimultaneousChange)
    with simultaneous_changes_refused(), db.transaction() as session:
        texts = _validate(db, session, draft)
        mobility = Mobility()
        _apply(mobility, draft, texts)
        session.add(mobility)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.create",
            "ok",
            "mobility",
            mobility.id,
            {"code": mobility.code},
        )
        return _info(session, mobility)


@service("mobilities.update")
def update(
    db: Database, actor: Actor, mobility_id: int, draft: MobilityDraft, expected_version: int
) -> MobilityInfo:
    """Save changes made to the version the editor started from (see ConcurrentChange); a
    code someone else gave another mobility at the same moment is a SimultaneousChange."""
    try:
        with simultaneous_changes_refused(), db.transaction() as session:
            mobility = _mobility(session, mobility_id)
            if mobility.version != expected_version:
                raise ConcurrentChange(_mobility_changed_message(), _info(session, mobility))
            texts = _validate(db, session, draft, mobility)
            _apply(mobility, draft, texts)
            session.flush()
            append(session, actor.username, "mobilities.update", "ok", "mobility", mobility.id)
            return _info(session, mobility)
    except StaleDataError:
        # Someone saved between our read and our write (checked by the version column; on
        # PostgreSQL the second writer waits for the first and then finds no row to update).
        with db.transaction() as session:
            current = _mobility(session, mobility_id)
            raise ConcurrentChange(_mobility_changed_message(), _info(session, current)) from None


def _mobility_changed_message() -> str:
    return _(
        "Someone else changed this mobility while you were editing it. Their version is "
        "shown; make your changes again."
    )


@service("mobilities.add_participants")
def add_participants(
    db: Database, actor: Actor, mobility_id: int, learner_ids: list[int]
) -> MobilityInfo:
    with db.transaction() as session:
        mobility = _mobility(session, mobility_id)
        present = set(
            session.scalars(
                select(MobilityParticipant.learner_id).where(
                    MobilityParticipant.mobility_id == mobility_id
                )
            )
        )
        for learner_id in learner_ids:
            if session.get(Learner, learner_id) is None:
                raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
            if learner_id not in present:
                session.add(MobilityParticipant(mobility_id=mobility_id, learner_id=learner_id))
                present.add(learner_id)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.add_participants",
            "ok",
            "mobility",
            mobility_id,
            {"learners": list(learner_ids)},
        )
        return _info(session, mobility)


@service("mobilities.assign_teacher")
def assign_teacher(db: Database, actor: Actor, mobility_id: int, user_id: int) -> None:
    with db.transaction() as session:
        _mobility(session, mobility_id)
        require_teacher(session, user_id, _("Only a teacher can be assigned to a mobility."))
        if session.get(MobilityTeacher, (mobility_id, user_id)) is None:
            session.add(MobilityTeacher(mobility_id=mobility_id, user_id=user_id))
        append(
            session,
            actor.username,
            "mobilities.assign_teacher",
            "ok",
            "mobility",
            mobility_id,
            {"teacher": user_id},
        )


@service("mobilities.set_europass_number")
def set_europass_number(
    db: Database, actor: Actor, mobility_id: int, learner_id: int, number: str
) -> None:
    """The official Europass Mobility number, as assigned by the national centre."""
    with db.transaction() as session:
        row = session.get(MobilityParticipant, (mobility_id, learner_id))
        if row is None:
            raise NotFound(_("This learner does not take part in this mobility."))
        row.europass_number = clean_text(
            number, "europass_number", _("Europass Mobility number"), MAX_EUROPASS_NUMBER
        )
        append(
            session,
            actor.username,
            "mobilities.set_europass_number",
            "ok",
            "mobility",
            mobility_id,
            {"learner": learner_id},
        )


def _visible(actor: Actor) -> Select[Mobility]:
    query = select(Mobility)
    if actor.has(Role.COORDINATOR):
        return query
    conditions = []
    if actor.has(Role.TEACHER):
        conditions.append(
            Mobility.id.in_(
                select(MobilityTeacher.mobility_id).where(MobilityTeacher.user_id == actor.user_id)
            )
        )
    if actor.has(Role.LEARNER) and actor.learner_id is not None:
        conditions.append(
            Mobility.id.in_(
                select(MobilityParticipant.mobility_id).where(
                    MobilityParticipant.learner_id == actor.learner_id
                )
            )
        )
    if not conditions:
        return query.where(Mobility.id.is_(None))
    from sqlalchemy import or_

    return query.where(or_(*conditions))


@service("mobilities.list")
def list_all(db: Database, actor: Actor, text: str = "") -> list[MobilityInfo]:
    """The mobilities this person may see, newest first; ``text`` filters code and title."""
    query = _visible(actor).order_by(Mobility.start_date.desc(), Mobility.code)
    # control characters (NUL, which PostgreSQL refuses) never match a stored code or title
    wanted = "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip().lower()
    if wanted:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            func.lower(Mobility.code).like(pattern, escape="\\")
            | func.lower(Mobility.title).like(pattern, escape="\\")
        )
    with db.transaction() as session:
        return [_info(session, m) for m in session.scalars(query)]


def _teaches_a_participant(session: Session, actor: Actor, mobility_id: int) -> bool:
    """Whether a teacher teaches, through one of their groups, a learner of the mobility."""
    if not actor.has(Role.TEACHER):
        return False
    found = session.scalar(
        select(MobilityParticipant.learner_id)
        .join(GroupMember, GroupMember.learner_id == MobilityParticipant.learner_id)
        .join(GroupTeacher, GroupTeacher.group_id == GroupMember.group_id)
        .where(
            MobilityParticipant.mobility_id == mobility_id,
            GroupTeacher.user_id == actor.user_id,
        )
        .limit(1)
    )
    return found is not None


@service("mobilities.get")
def get(db: Database, actor: Actor, mobility_id: int) -> MobilityInfo:
    """One mobility; a teacher also sees the mobilities of their groups' learners."""
    with db.transaction() as session:
        mobility = session.scalar(_visible(actor).where(Mobility.id == mobility_id))
        if mobility is None:
            if session.get(Mobility, mobility_id) is None:
                raise NotFound(
                    _("There is no mobility with the number {id}.").format(id=mobility_id)
                )
            if not _teaches_a_participant(session, actor, mobility_id):
                deny_object("mobility", mobility_id)
            mobility = _mobility(session, mobility_id)
        return _info(session, mobility)


def _visible_mobility(session: Session, actor: Actor, mobility_id: int) -> Mobility:
    """The mobility, if this person may see who takes part in it (see ``_visible``)."""
    mobility = session.scalar(_visible(actor).where(Mobility.id == mobility_id))
    if mobility is None:
        _mobility(session, mobility_id)  # NotFound when there is no such mobility
        deny_object("mobility", mobility_id)
    return mobility  # deny_object raised when it was None


@service("mobilities.list_participants")
def list_participants(db: Database, actor: Actor, mobility_id: int) -> list[ParticipantInfo]:
    """The learners taking part in a mobility, by surname."""
    with db.transaction() as session:
        _visible_mobility(session, actor, mobility_id)
        rows = session.execute(
            select(Learner, MobilityParticipant.europass_number)
            .join(MobilityParticipant, MobilityParticipant.learner_id == Learner.id)
            .where(MobilityParticipant.mobility_id == mobility_id)
            .order_by(Learner.surname, Learner.given_names, Learner.id)
        ).all()
        return [
            ParticipantInfo(
                learner.id,
                learner.given_names,
                learner.surname,
                learner.date_of_birth,
                number,
            )
            for learner, number in rows
        ]


@service("mobilities.list_teachers")
def list_teachers(db: Database, actor: Actor, mobility_id: int) -> list[TeacherInfo]:
    """The teachers who supervise a mobility, by name."""
    with db.transaction() as session:
        _visible_mobility(session, actor, mobility_id)
        users = session.scalars(
            select(User)
            .join(MobilityTeacher, MobilityTeacher.user_id == User.id)
            .where(MobilityTeacher.mobility_id == mobility_id)
            .order_by(User.display_name, User.username, User.id)
        )
        return [TeacherInfo(user.id, user.username, user.display_name) for user in users]


@service("mobilities.remove_participant")
def remove_participant(
    db: Database, actor: Actor, mobility_id: int, learner_id: int
) -> MobilityInfo:
    """Take a learner off a mobility, unless their recognition for it has begun."""
    with db.transaction() as session:
        mobility = _mobility(session, mobility_id)
        row = session.get(MobilityParticipant, (mobility_id, learner_id))
        if row is None:
            raise NotFound(_("This learner does not take part in this mobility."))
        has_case = session.scalar(
            select(ValidationCase.id)
            .where(
                ValidationCase.mobility_id == mobility_id,
                ValidationCase.learner_id == learner_id,
            )
            .limit(1)
        )
        has_certificate = session.scalar(
            select(Certificate.id)
            .where(Certificate.mobility_id == mobility_id, Certificate.learner_id == learner_id)
            .limit(1)
        )
        if has_certificate is not None:
            raise WorkflowError(
                _(
                    "This learner cannot be removed from the mobility: a certificate has "
                    "been issued for it. Revoke the certificate in Certification if it "
                    "was issued by mistake; the learner stays in the mobility's record."
                )
            )
        if has_case is not None:
            raise WorkflowError(
                _(
                    "This learner cannot be removed from the mobility: a validation case "
                    "for it has been opened (no. {case}). The learner's record for the "
                    "mobility is kept with the case."
                ).format(case=has_case)
            )
        session.delete(row)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.remove_participant",
            "ok",
            "mobility",
            mobility_id,
            {"learner": learner_id},
        )
        return _info(session, mobility)


@service("mobilities.unassign_teacher")
def unassign_teacher(db: Database, actor: Actor, mobility_id: int, user_id: int) -> None:
    """A teacher no longer supervises a mobility (their past work stays recorded)."""
    with db.transaction() as session:
        _mobility(session, mobility_id)
        row = session.get(MobilityTeacher, (mobility_id, user_id))
        if row is None:
            raise NotFound(_("This teacher does not supervise this mobility."))
        session.delete(row)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.unassign_teacher",
            "ok",
            "mobility",
            mobility_id,
            {"teacher": user_id},
        )


def participants(session: Session, mobility_id: int) -> list[int]:
    return list(
        session.scalars(
            select(MobilityParticipant.learner_id).where(
                MobilityParticipant.mobility_id == mobility_id
            )
        )
    )
