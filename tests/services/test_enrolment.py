"""A school's roster from the services: learners, groups and their history, staff, learner
accounts with one-time passwords, and who may do each of these."""

from __future__ import annotations

import datetime as dt

import pytest

from digcomp_app.services import accounts, learners, organisations, validation
from digcomp_app.services.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from digcomp_app.services.permissions import Role
from tests.services.conftest import PASSWORD, sign


def test_learners_are_created_with_numbers_and_groups_and_found_by_either(db, school):
    group = learners.create_group(db, school.coordinator, "DT-1", "2026/2027")
    made = learners.create(
        db, school.coordinator, " Anna Marija ", "Zariņa", None, "anna@skola.lv", "S-1001", group.id
    )
    assert (made.given_names, made.surname, made.learner_number) == (
        "Anna Marija",
        "Zariņa",
        "S-1001",
    )
    assert made.groups == ("DT-1",)
    assert [x.id for x in learners.search(db, school.coordinator, "zarina anna")] == [made.id]
    assert [x.id for x in learners.search(db, school.coordinator, "s-100")] == [made.id]
    in_group = learners.search(db, school.coordinator, "", group_id=group.id)
    assert [x.full_name for x in in_group] == ["Anna Marija Zariņa"]


def test_a_learner_number_belongs_to_one_learner(db, school):
    learners.create(db, school.coordinator, "Anna", "Zariņa", learner_number="77")
    with pytest.raises(InvalidInput, match="77 already belongs to Anna Zariņa"):
        learners.create(db, school.coordinator, "Pēteris", "Ozols", learner_number="77")
    other = learners.create(db, school.coordinator, "Pēteris", "Ozols", learner_number="78")
    with pytest.raises(InvalidInput, match="already belongs"):
        learners.update(db, school.coordinator, other.id, "Pēteris", "Ozols", None, "", "77")


@pytest.mark.parametrize(
    ("given", "surname", "email", "number", "message"),
    [
        ("   ", "Ozols", "", "", "first name and a surname"),
        ("Anna", "...", "", "", "first name and a surname"),
        ("An\u202ena", "Ozola", "", "", "control or invisible"),
        ("Anna", "O\x00zola", "", "", "control or invisible"),
        ("A" * 201, "Ozola", "", "", "longer than 200"),
        ("Anna", "Ozola", "not-an-address", "", "not an e-mail address"),
        ("Anna", "Ozola", "", "=1+2", "looks like a spreadsheet formula"),
    ],
)
def test_bad_learner_details_are_refused_with_a_reason(
    db, school, given, surname, email, number, message
):
    with pytest.raises(InvalidInput, match=message):
        learners.create(db, school.coordinator, given, surname, None, email, number)


def test_dates_of_birth_only_when_the_school_keeps_them(db, school):
    organisations.update_home(db, school.admin, keep_birth_date=False)
    # turning it off erased what was kept
    record = learners.get_record(db, school.coordinator, school.learner_id)
    assert record.learner.date_of_birth is None
    with pytest.raises(InvalidInput, match="does not keep learners' dates of birth"):
        learners.create(db, school.coordinator, "Anna", "Ozola", dt.date(2009, 1, 2))
    with pytest.raises(InvalidInput, match="only when the school keeps them"):
        organisations.update_home(db, school.admin, print_birth_date=True)
    organisations.update_home(db, school.admin, keep_birth_date=True)
    anna = learners.create(db, school.coordinator, "Anna", "Ozola", dt.date(2009, 1, 2))
    assert anna.date_of_birth == dt.date(2009, 1, 2)


def test_deactivating_a_learner_hides_them_and_stops_their_account(db, school):
    learners.set_active(db, school.coordinator, school.learner_id, False)
    assert school.learner_id not in [x.id for x in learners.search(db, school.coordinator, "")]
    found = learners.search(db, school.coordinator, "berzins", include_inactive=True)
    assert [(x.id, x.active) for x in found] == [(school.learner_id, False)]
    with pytest.raises(AuthenticationFailed):
        sign(db, "janis")
    learners.set_active(db, school.coordinator, school.learner_id, True)
    assert sign(db, "janis").learner_id == school.learner_id


def test_moving_a_learner_keeps_the_old_group_on_old_cases(db, school):
    first = learners.create_group(db, school.coordinator, "DT-1", "2026/2027")
    second = learners.create_group(db, school.coordinator, "DT-2", "2026/2027")
    learners.move_to_group(db, school.coordinator, first.id, [school.learner_id])
    learners.assign_group_teacher(db, school.coordinator, first.id, school.teacher.user_id)
    case = validation.open_case(db, school.teacher, school.learner_id)
    assert learners.move_to_group(db, school.coordinator, second.id, [school.learner_id]) == 1
    record = learners.get_record(db, school.coordinator, school.learner_id)
    assert record.groups == ("DT-2",)
    assert validation.get_case(db, school.coordinator, case.id).group == "DT-1"
    # moving again to where they are changes nothing
    assert learners.move_to_group(db, school.coordinator, second.id, [school.learner_id]) == 0


def test_archived_groups_keep_their_members_and_take_no_new_ones(db, school):
    group = learners.create_group(db, school.coordinator, "DT-4", "2025/2026")
    learners.move_to_group(db, school.coordinator, group.id, [school.learner_id])
    archived = learners.archive_group(db, school.coordinator, group.id)
    assert archived.archived and archived.member_count == 1
    assert "DT-4" not in [g.name for g in learners.list_groups(db, school.coordinator)]
    assert "DT-4" in [
        g.name for g in learners.list_groups(db, school.coordinator, include_archived=True)
    ]
    with pytest.raises(InvalidInput, match="archived"):
        learners.move_to_group(db, school.coordinator, group.id, [school.other_learner_id])
    with pytest.raises(InvalidInput, match="archived group called 'DT-4'"):
        learners.create_group(db, school.coordinator, "dt-4")
    record = learners.get_record(db, school.coordinator, school.learner_id)
    assert record.groups == () and record.past_groups == ("DT-4",)


def test_groups_are_renamed_and_given_teachers(db, school):
    group = learners.create_group(db, school.coordinator, "DT-1")
    learners.assign_group_teacher(db, school.coordinator, group.id, school.teacher.user_id)
    renamed = learners.rename_group(db, school.coordinator, group.id, "DT-1a", "2026/2027")
    assert (renamed.name, renamed.school_year) == ("DT-1a", "2026/2027")
    assert renamed.teachers == ((school.teacher.user_id, "Teach"),)
    learners.unassign_group_teacher(db, school.coordinator, group.id, school.teacher.user_id)
    assert learners.list_groups(db, school.coordinator)[0].teachers == ()
    with pytest.raises(InvalidInput, match="Only a teacher"):
        learners.assign_group_teacher(db, school.coordinator, group.id, school.coordinator.user_id)


def test_learner_accounts_in_bulk_with_one_time_passwords(db, school):
    group = learners.create_group(db, school.coordinator, "DT-1")
    anna = learners.create(db, school.coordinator, "Anna Marija", "Zariņa", group_id=group.id)
    anna2 = learners.create(db, school.coordinator, "Anna", "Zariņa", group_id=group.id)
    learners.add_to_group(db, school.coordinator, group.id, [school.learner_id])
    made = accounts.create_learner_accounts(
        db, school.admin, [anna.id, anna2.id, school.learner_id]
    )
    assert [c.username for c in made.created] == ["anna.zarina", "anna.zarina2"]
    assert [(c.full_name, c.group) for c in made.created] == [
        ("Anna Marija Zariņa", "DT-1"),
        ("Anna Zariņa", "DT-1"),
    ]
    assert made.skipped == (("Jānis Bērziņš", "already has the account janis"),)
    first = made.created[0]
    assert len(first.password) >= 8
    # the one-time password signs in, but allows nothing until a new password is chosen
    actor = accounts.authenticate(db, None, first.username, first.password)
    assert actor.must_change_password
    with pytest.raises(PermissionDenied, match="Choose your own password first"):
        learners.get_record(db, actor, anna.id)
    with pytest.raises(InvalidInput, match="different from the current one"):
        accounts.change_own_password(db, actor, first.password, first.password)
    actor = accounts.change_own_password(db, actor, first.password, "my own secret")
    assert not actor.must_change_password
    assert learners.get_record(db, actor, anna.id).learner.full_name == "Anna Marija Zariņa"
    assert not accounts.authenticate(db, None, first.username, "my own secret").must_change_password


def test_an_administrator_resets_a_password_to_a_one_time_one(db, school):
    credential = accounts.reset_password(db, school.admin, school.learner.user_id)
    assert credential.username == "janis" and credential.full_name == "Jānis Bērziņš"
    with pytest.raises(AuthenticationFailed):
        sign(db, "janis")
    actor = accounts.authenticate(db, None, "janis", credential.password)
    assert actor.must_change_password
    pdf = accounts.sign_in_slips(db, school.admin, [credential], "en")
    assert pdf.startswith(b"%PDF")


def test_staff_accounts_hold_several_roles(db, school):
    made = accounts.create_staff(
        db, school.admin, "Inese", "Kļaviņa", [Role.TEACHER, Role.COORDINATOR]
    )
    assert made.username == "inese.klavina"
    actor = accounts.authenticate(db, None, made.username, made.password)
    assert actor.roles == {Role.TEACHER, Role.COORDINATOR} and actor.must_change_password
    with pytest.raises(InvalidInput, match="learner records"):
        accounts.create_staff(db, school.admin, "Anna", "Ozola", [Role.LEARNER])


# --- who may do what -------------------------------------------------------------------------

ROSTER_CALLS = {
    "create a learner": lambda db, s, a: learners.create(db, a, "Anna", "Ozola"),
    "deactivate a learner": lambda db, s, a: learners.set_active(db, a, s.learner_id, False),
    "create a group": lambda db, s, a: learners.create_group(db, a, "Z-1"),
    "list learners": lambda db, s, a: learners.list_learners(db, a),
    "create learner accounts": lambda db, s, a: accounts.create_learner_accounts(
        db, a, [s.other_learner_id]
    ),
    "create staff": lambda db, s, a: accounts.create_staff(db, a, "Ieva", "Lāce", ["teacher"]),
    "reset a password": lambda db, s, a: accounts.reset_password(db, a, s.teacher.user_id),
}
ALLOWED = {
    "create a learner": {"admin", "coordinator"},
    "deactivate a learner": {"admin", "coordinator"},
    "create a group": {"admin", "coordinator"},
    "list learners": {"admin", "coordinator", "teacher"},
    "create learner accounts": {"admin"},
    "create staff": {"admin"},
    "reset a password": {"admin"},
}


@pytest.mark.parametrize("call", sorted(ROSTER_CALLS))
@pytest.mark.parametrize("who", ["admin", "coordinator", "teacher", "learner"])
def test_who_may_manage_the_roster(db, school, call, who):
    actor = getattr(school, who)
    if who in ALLOWED[call]:
        ROSTER_CALLS[call](db, school, actor)
    else:
        with pytest.raises(PermissionDenied):
            ROSTER_CALLS[call](db, school, actor)


def test_a_teacher_lists_only_their_learners(db, school):
    found = learners.list_learners(db, school.teacher)
    assert [x.id for x in found] == [school.learner_id]  # via the mobility they teach
    assert learners.list_learners(db, school.other_teacher) == []


def test_passwords_are_never_in_the_audit_log(db, school):
    from digcomp_app.services import audit

    made = accounts.create_learner_accounts(db, school.admin, [school.other_learner_id])
    assert made.skipped  # liga has one already
    credential = accounts.reset_password(db, school.admin, school.other_learner.user_id)
    events = audit.list_events(db, school.admin)
    assert all(credential.password not in str(e) for e in events)
    assert PASSWORD not in str(events)
