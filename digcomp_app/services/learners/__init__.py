"""Learners and their groups (classes).

A learner is a person the school assesses; they may have no account. The school's own
learner number (from its register) identifies them across roster imports. Dates of birth
are kept only when the school chose to keep them (``Organisation.keep_birth_date``). A
learner who left is deactivated, never deleted: their cases and certificates stay.

Groups are the school's classes. At the end of a school year a group is archived: it stays
on the cases opened while the learner was in it (``ValidationCase.group_id``) and takes no
new learners. Moving a learner to another group ends their membership of their current
(unarchived) groups.

The parts: :mod:`.model` (what the services return), :mod:`.checks` (what people type),
:mod:`.rows` (rows inside a caller's transaction), :mod:`.changes` and :mod:`.finding`
(the learners' services), :mod:`.groups` (the groups' services).
"""

from digcomp_app.services.learners.changes import create, set_active, update
from digcomp_app.services.learners.checks import (
    check_email,
    check_learner_number,
    keeps_birth_dates,
)
from digcomp_app.services.learners.finding import get_record, list_learners, search
from digcomp_app.services.learners.groups import (
    add_to_group,
    archive_group,
    assign_group_teacher,
    create_group,
    group_by_name,
    group_members,
    list_groups,
    move_to_group,
    new_group,
    remove_from_group,
    rename_group,
    teacher_ids,
    unassign_group_teacher,
)
from digcomp_app.services.learners.model import (
    MAX_EMAIL,
    MAX_GROUP,
    MAX_NAME,
    MAX_NUMBER,
    MAX_SCHOOL_YEAR,
    SEARCH_LIMIT,
    GroupInfo,
    LearnerRecord,
    LearnerSummary,
    escape_like,
    fold,
    search_key,
    summary,
)
from digcomp_app.services.learners.rows import current_group_id, new_learner, place_in_group

__all__ = [
    "MAX_EMAIL",
    "MAX_GROUP",
    "MAX_NAME",
    "MAX_NUMBER",
    "MAX_SCHOOL_YEAR",
    "SEARCH_LIMIT",
    "GroupInfo",
    "LearnerRecord",
    "LearnerSummary",
    "add_to_group",
    "archive_group",
    "assign_group_teacher",
    "check_email",
    "check_learner_number",
    "create",
    "create_group",
    "current_group_id",
    "escape_like",
    "fold",
    "get_record",
    "group_by_name",
    "group_members",
    "keeps_birth_dates",
    "list_groups",
    "list_learners",
    "move_to_group",
    "new_group",
    "new_learner",
    "place_in_group",
    "remove_from_group",
    "rename_group",
    "search",
    "search_key",
    "set_active",
    "summary",
    "teacher_ids",
    "unassign_group_teacher",
    "update",
]
