"""The demo school's people: staff accounts, learners with their accounts, groups with
their teachers."""

from __future__ import annotations

import datetime as dt

from digcomp_app.i18n import _
from digcomp_app.services import accounts, learners, seeding
from digcomp_app.services.auditlog import append
from digcomp_app.services.permissions import Role
from digcomp_app.showcase.demo.content import (
    FEMALE_NAMES,
    GROUPS,
    LEARNERS_PER_GROUP,
    MALE_NAMES,
    PASSWORD,
    SEED,
    STAFF,
    SURNAMES,
    Person,
)
from digcomp_app.showcase.demo.files import ascii_name
from digcomp_app.showcase.demo.state import DemoState
from digcomp_app.showcase.demo.steps import STEP_ACCOUNTS, STEP_GROUPS, STEP_LEARNERS, STEP_STAFF


class SchoolPeople(DemoState):
    #: every demo user's password (:data:`.content.PASSWORD`), hashed once for them all
    password: accounts.PasswordHash

    def _create_staff(self) -> None:
        with seeding.empty_school(self.db, self.actor, _refusal()) as session:
            append(session, self.who, "demo.create_school", "ok", details={"seed": SEED})
            self.progress(STEP_STAFF, 0, len(STAFF))
            # Every demo user has the published password: hashed once, given to all.
            self.password = accounts.hash_password(PASSWORD, self.db)
            for number, (username, name, role) in enumerate(STAFF, start=1):
                user = accounts.add_user(session, self.db, username, name, self.password, [role])
                self.progress(STEP_STAFF, number, len(STAFF))
                self.staff[username] = accounts.actor_for(user)
                if role is Role.ADMINISTRATOR:
                    append(
                        session,
                        username,
                        "accounts.create_first_administrator",
                        "ok",
                        "user",
                        user.id,
                    )
                else:
                    append(
                        session,
                        "admin",
                        "accounts.create_user",
                        "ok",
                        "user",
                        user.id,
                        {"username": username, "roles": [role.value]},
                    )

    def _create_learners(self) -> None:
        rng, coordinator = self.rng, self.staff["coordinator"]
        count = LEARNERS_PER_GROUP * len(GROUPS)
        # The first two as in every example; the others drawn from the lists.
        surnames = list(SURNAMES[:2]) + rng.sample(SURNAMES[2:], count - 2)
        men, women = list(MALE_NAMES[1:]), list(FEMALE_NAMES[1:])
        rng.shuffle(men)
        rng.shuffle(women)
        men.append(MALE_NAMES[0])
        women.append(FEMALE_NAMES[0])
        records = []
        self.progress(STEP_LEARNERS, 0, count)
        for index in range(count):
            male = index == 0 or (index > 1 and rng.random() < 0.5)
            if not (men if male else women):
                male = not male
            given = (men if male else women).pop()
            surname = surnames[index][0 if male else 1]
            born = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))
            email = f"{ascii_name(given).lower()}.{ascii_name(surname).lower()}@audzekni.example"
            records.append(
                learners.create(
                    self.db,
                    coordinator,
                    given,
                    surname,
                    born,
                    email,
                    learner_number=f"DK-{index + 1:04d}",
                )
            )
            self.progress(STEP_LEARNERS, index + 1, count)
        self.progress(STEP_ACCOUNTS, 0, count)
        with self.db.transaction() as session:
            for index, record in enumerate(records):
                username = f"learner{index + 1:02d}"
                user = accounts.add_user(
                    session,
                    self.db,
                    username,
                    record.full_name,
                    self.password,
                    [Role.LEARNER],
                    learner_id=record.id,
                )
                append(
                    session,
                    "admin",
                    "accounts.create_user",
                    "ok",
                    "user",
                    user.id,
                    {"username": username, "roles": [Role.LEARNER.value]},
                )
                self.people.append(
                    Person(
                        record.id,
                        record.given_names,
                        record.surname,
                        accounts.actor_for(user),
                        GROUPS[index // LEARNERS_PER_GROUP],
                    )
                )
                self.progress(STEP_ACCOUNTS, index + 1, count)

    def _create_groups(self) -> None:
        coordinator = self.staff["coordinator"]
        year = self.today.year if self.today.month >= 9 else self.today.year - 1
        self.progress(STEP_GROUPS, 0, len(GROUPS))
        for index, name in enumerate(GROUPS):
            group = learners.create_group(self.db, coordinator, name, f"{year}/{year + 1}")
            members = [p.learner_id for p in self.people if p.group == name]
            learners.add_to_group(self.db, coordinator, group.id, members)
            teacher = self.staff[f"teacher{index + 1}"]
            learners.assign_group_teacher(self.db, coordinator, group.id, teacher.user_id)
            self.progress(STEP_GROUPS, index + 1, len(GROUPS))


def _refusal() -> str:
    return _(
        "The demo school can be created only in an empty database, and this one already "
        "has users. Use a new database for the demo."
    )
