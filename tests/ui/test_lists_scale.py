"""Lists that scale, on the demo school: searching the users screen, the certificate
register and the learners screen by typing into them; the teacher's list with each case's
stage and ⚑; the coordinator's queue with the whole mobility code, ⚑ and the teacher's
comment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from digcomp_app.services import accounts, certificates, validation
from digcomp_app.services.learners import fold
from digcomp_app.services.validation import STAGE_NAMES, TargetDraft
from digcomp_app.ui.screens.certificates.queue import COMMENT, MOBILITY, case_row_text
from digcomp_app.ui.screens.certificates.register import HOLDER
from digcomp_app.ui.screens.certificates.register import MOBILITY as REGISTER_MOBILITY
from digcomp_app.ui.screens.validation.learner_panel import STAGE_COLUMN, STAGE_MARKS
from tests.ui.conftest import sign_in


def replace_text(qtbot, field, text: str) -> None:
    """Select all, delete, type (ASCII: QTest types no other)."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # a long list searches after a pause; Enter now


def screen_of(qtbot, window, username: str, name: str):
    sign_in(qtbot, window, username)
    window.workspace.show_screen(name)
    return window.workspace.screen(name)


def table_rows(table) -> list[list[str]]:
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_the_users_screen_finds_accounts_by_name_role_and_literal_signs(qtbot, window):
    screen = screen_of(qtbot, window, "admin", "users")
    everyone = screen.shown_usernames()
    assert len(everyone) > 20 and screen.count.text().endswith("accounts")

    replace_text(qtbot, screen.search, "locmelis")  # "Kaspars Ločmelis", without accents
    assert screen.shown_usernames() == ["admin"]

    replace_text(qtbot, screen.search, "teacher")
    assert screen.shown_usernames() == ["teacher1", "teacher2", "teacher3"]
    assert all("teacher" in row[2] for row in table_rows(screen.table))

    replace_text(qtbot, screen.search, "ozola teach")  # two words: name and role
    assert screen.shown_usernames() == ["teacher1"]

    for literal in ("%", "_"):  # matched as typed, not as "anything"
        replace_text(qtbot, screen.search, literal)
        assert screen.shown_usernames() == []
        assert screen.empty.isVisible() and literal in screen.empty.text()

    replace_text(qtbot, screen.search, "")
    assert screen.shown_usernames() == everyone and not screen.empty.isVisible()


def test_the_register_finds_certificates_by_holder_serial_code_and_status(qtbot, window):
    certification = screen_of(qtbot, window, "coordinator", "certification")
    register = certification.register
    certification.tabs.setCurrentWidget(register)
    all_certs = certificates.search_register(window.db, window.workspace.context.actor, "")
    assert all_certs.total == register.table.rowCount() > 3
    cert = all_certs.certificates[-1]

    surname = fold(cert.holder.split()[-1])
    replace_text(qtbot, register.search, surname)
    rows = table_rows(register.table)
    assert rows and all(surname in fold(row[HOLDER]) for row in rows)
    assert cert.serial in [row[0] for row in rows]

    replace_text(qtbot, register.search, cert.serial[3:10].lower())
    assert [row[0] for row in table_rows(register.table)] == [cert.serial]

    code = cert.mobility_code
    replace_text(qtbot, register.search, code.lower())
    rows = table_rows(register.table)
    assert rows and all(row[REGISTER_MOBILITY] == code for row in rows)

    replace_text(qtbot, register.search, "%")
    assert register.table.rowCount() == 0 and register.empty.isVisible()

    replace_text(qtbot, register.search, "")
    assert register.table.rowCount() == all_certs.total


def test_the_learners_screen_search_still_finds_learners(qtbot, window):
    screen = screen_of(qtbot, window, "coordinator", "learners")
    tab = screen.learners_tab
    screen.tabs.setCurrentWidget(tab)
    replace_text(qtbot, tab.search, "berzin")
    qtbot.waitUntil(lambda: not tab._timer.isActive(), timeout=2_000)
    rows = table_rows(tab.table)
    assert rows and all("berzin" in fold(row[0]) for row in rows)


def code_fits(view, column: int, codes: list[str]) -> None:
    """The code column is at least as wide as the longest code's text."""
    longest = max(codes, key=view.fontMetrics().horizontalAdvance)
    assert view.columnWidth(column) >= view.fontMetrics().horizontalAdvance(longest), longest


def test_codes_are_whole_and_the_queue_shows_gaps_and_comments(qtbot, window):
    window.resize(1366, 768)
    certification = screen_of(qtbot, window, "coordinator", "certification")
    actor = window.workspace.context.actor
    queue, register = certification.queue, certification.register

    cases = queue.cases()
    assert cases, "the demo school has cases waiting for approval"
    top_codes = [queue.tree.topLevelItem(i).text(MOBILITY) for i in range(len(cases))]
    assert all(top_codes) and all(code.rsplit("-", 1)[-1].isalpha() for code in top_codes)
    for index, code in enumerate(top_codes):  # the case's row reads across the list
        top = queue.tree.topLevelItem(index)
        shown = case_row_text(top)
        assert top.isFirstColumnSpanned() and code in shown
        needed = QFontMetrics(top.font(0)).horizontalAdvance(shown)
        assert queue.tree.visualItemRect(top).width() >= needed, shown

    marks = {m.case_id: m for m in validation.case_marks(window.db, actor, "certification")}
    for case in cases:
        rows = queue.row_texts(case.id)
        assert rows[0][0].startswith("⚑") == marks[case.id].gap
        for target, row in zip(case.targets, rows[1:], strict=True):
            assert row[0].startswith("⚑") == (target.competence_id in marks[case.id].flagged)
            assessed = case.assessment_for(target.competence_id)
            assert row[COMMENT] == " ".join(assessed.comment.split())
    assert any(row[COMMENT] for c in cases for row in queue.row_texts(c.id)[1:])

    certification.tabs.setCurrentWidget(register)
    codes = [register.table.item(r, REGISTER_MOBILITY).text() for r in range(3)]
    code_fits(register.table, REGISTER_MOBILITY, codes)
    # the holder's name gives way: cut with "…" rather than the code
    assert register.table.columnWidth(HOLDER) <= 220


def test_the_teachers_list_shows_each_cases_stage_and_gap(qtbot, window):
    # a target two levels from the learner's own rating, on a case being identified
    teacher = "teacher1"
    actor = accounts.authenticate(window.db, None, teacher, "demo")
    case, row = next(
        (mark, row)
        for mark in validation.case_marks(window.db, actor, "identification")
        for row in validation.self_vs_assessed(window.db, actor, mark.case_id)
        if row.self_level is not None
    )
    level = row.self_level + 2 if row.self_level <= 6 else row.self_level - 2
    validation.set_targets(window.db, actor, case.case_id, [TargetDraft(row.competence_id, level)])
    marks = validation.case_marks(window.db, actor)
    assert [m.flagged for m in marks if m.case_id == case.case_id] == [(row.competence_id,)]
    screen = screen_of(qtbot, window, teacher, "cases")
    panel = screen.learners
    for index in range(panel.tree.topLevelItemCount()):  # open the mobilities
        panel.tree.topLevelItem(index).setExpanded(True)
    shown = 0
    for item in panel.learner_items():
        learner_id, mobility_id = (
            item.data(0, Qt.ItemDataRole.UserRole),
            item.data(0, Qt.ItemDataRole.UserRole + 1),
        )
        if mobility_id is None:
            continue
        mine = [m for m in marks if (m.learner_id, m.mobility_id) == (learner_id, mobility_id)]
        text = item.text(STAGE_COLUMN)
        if not mine:
            assert text == ""
            continue
        (mark,) = mine
        assert text.startswith(STAGE_MARKS[mark.stage])
        assert text.endswith("⚑") == mark.gap
        assert STAGE_NAMES[mark.stage] in item.toolTip(STAGE_COLUMN)
        shown += 1
    assert shown >= 3
    for stage, marker in STAGE_MARKS.items():  # each marker is said in words under the list
        # a no-break space: a wrapped legend keeps each marker beside its name
        assert f"{marker}\u00a0{STAGE_NAMES[stage]}" in panel.legend.text()

    # the search results carry the marks too
    flagged = next(m for m in marks if m.gap)
    name = next(
        i.text(0)
        for i in panel.learner_items()
        if i.data(0, Qt.ItemDataRole.UserRole) == (flagged.learner_id)
    )
    replace_text(qtbot, panel.search, fold(name.split()[-1]))
    found = [i for i in panel.learner_items() if i.text(0) == name]
    assert found and found[0].text(STAGE_COLUMN).endswith("⚑")
