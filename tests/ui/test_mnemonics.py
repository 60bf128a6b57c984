"""Mnemonics and shortcuts, in every language of the program: every screen and dialog of every
role is opened, and the test fails on

- two visible, enabled controls of one window that claim the same Alt+letter at the same
  time (buttons, labels with a buddy, group boxes, tabs; the menu bar's titles count with
  the screen shown under them), the letters compared case-insensitively, Latvian ones too;
- two entries of one menu with the same letter;
- a shortcut (QShortcut, a QAction's or a button's) that nothing visible names: an action in
  a menu shows its keys by itself; any other needs a tooltip or text with the keys.

The dialogs are found by clicking every push and tool button of every screen (in each of its
states: tabs, the case's steps, a self-assessment open): whatever window opens is checked and
closed again without its OK (Cancel, No, or the dialog's reject). The demo school is a copy,
so what a button does without asking changes nothing that matters.
"""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Iterable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

from digcomp_app.i18n import UI_LANGUAGES, set_language
from digcomp_app.showcase.screenshots import SCREEN_STATES, _cases_at_assessment, _register_tab
from digcomp_app.ui.qt_i18n import apply_qt_language
from digcomp_app.ui.unsaved import QUESTION_NAME
from tests.ui.conftest import sign_in

#: the demo users whose screens are opened: each role, and the learner both with a
#: self-assessment to continue and with results to compare
ROLE_USERS = {
    "learner": ("learner03", "learner05"),
    "teacher": ("teacher1",),
    "coordinator": ("coordinator",),
    "administrator": ("admin",),
}

#: dialogs each role must have reached (so a walk that opens nothing cannot pass)
EXPECTED_DIALOGS = {
    "learner": set(),
    "teacher": {"NoteDialog", "LinkDialog", "TiesDialog", "ReasonDialog", "ReportDialog"},
    "coordinator": {"NewHostDialog", "VerifyDialog", "PrintDialog", "RevokeDialog"},
    "administrator": {"AddUserDialog", "GroupDialog", "LearnerDialog"},
}


#: findChildren: a widget's own children only (not theirs)
DIRECT_CHILDREN = Qt.FindChildOption.FindDirectChildrenOnly

#: states of a screen besides the one the screenshots show
MORE_STATES = {
    "cases": lambda window, _screen: _cases_at_assessment(window),
    "certification": lambda window, _screen: _register_tab(window),
}


def mnemonic(text: str) -> str | None:
    """The letter after a single ``&`` (``&&`` is a literal ampersand), case-folded."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].casefold()
        i += 1
    return None


def _name(widget: QWidget) -> str:
    text = ""
    for getter in ("text", "title"):
        value = getattr(widget, getter, None)
        if callable(value):
            try:
                text = value()
            except TypeError:
                continue
            break
    return f"{type(widget).__name__} {text!r}"


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled()


def own_widgets(window: QWidget) -> list[QWidget]:
    """``window`` and the visible widgets in it (not those of the windows it opened). A
    hidden widget's children are hidden too: the walk does not go below it (the screens
    built but not shown, most of the main window's widgets)."""
    found, todo = [window], [window]
    while todo:
        for child in todo.pop().findChildren(QWidget, options=DIRECT_CHILDREN):
            if child.isVisible() and not child.isWindow():
                found.append(child)
                todo.append(child)
    return found


def claims(window: QWidget, own: list[QWidget] | None = None) -> dict[str, list[str]]:
    """Every Alt+letter the visible, enabled controls of ``window`` claim: letter → who.
    ``own``: the visible widgets of ``window`` (own_widgets), when the caller has them."""
    found: dict[str, list[str]] = defaultdict(list)
    for widget in own_widgets(window) if own is None else own:
        if not _shown(widget):
            continue
        if isinstance(widget, QAbstractButton):
            letter = mnemonic(widget.text())
        elif isinstance(widget, QLabel):
            letter = mnemonic(widget.text()) if widget.buddy() is not None else None
        elif isinstance(widget, QGroupBox):
            letter = mnemonic(widget.title())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabEnabled(index) and widget.isTabVisible(index):
                    letter = mnemonic(widget.tabText(index))
                    if letter:
                        found[letter].append(f"tab {widget.tabText(index)!r}")
            continue
        else:
            continue
        if letter:
            found[letter].append(_name(widget))
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible() and action.isEnabled():
                letter = mnemonic(action.text())
                if letter:
                    found[letter].append(f"menu {action.text()!r}")
    return found


def menus_of(window: QMainWindow) -> Iterable[QMenu]:
    todo = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    while todo:
        menu = todo.pop()
        yield menu
        todo.extend(a.menu() for a in menu.actions() if a.menu() is not None)


def menu_claims(menu: QMenu) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        if action.isVisible() and action.isEnabled() and not action.isSeparator():
            letter = mnemonic(action.text())
            if letter:
                found[letter].append(repr(action.text()))
    return found


def _texts(widgets: Iterable[QWidget]) -> str:
    parts = []
    for widget in widgets:
        parts.append(widget.toolTip())
        parts.append(widget.accessibleDescription())
        text = getattr(widget, "text", None)
        if callable(text):
            with contextlib.suppress(TypeError):
                parts.append(str(text()))
    return "\n".join(parts).casefold()


class _Hints:
    """The text a person can see or hover over in a window (read once per check), and near
    a shortcut's widget: its neighbours, e.g. the button whose tooltip names the keys."""

    def __init__(self, own: list[QWidget]) -> None:
        self.own = own
        self._around: dict[QWidget, str] = {}

    @functools.cached_property
    def shown(self) -> str:
        return _texts([w for w in self.own if w.isVisible()])

    def near(self, owner: QWidget) -> str:
        around = owner if owner.isWindow() else owner.parentWidget()
        if around not in self._around:  # (read once for the shortcuts of one parent)
            self._around[around] = _texts([around, *around.findChildren(QWidget)])
        return self.shown + "\n" + self._around[around]


def _named(keys: QKeySequence, hints: str) -> bool:
    hints = hints.replace("return", "enter")
    forms = (QKeySequence.SequenceFormat.PortableText, QKeySequence.SequenceFormat.NativeText)
    return any(keys.toString(form).casefold().replace("return", "enter") in hints for form in forms)


def unnamed_shortcuts(window: QWidget, own: list[QWidget] | None = None) -> list[str]:
    """Shortcuts of ``window`` that no visible text or tooltip names. Qt's own dialogs (file,
    print) are left out: their shortcuts are Qt's and follow the system's conventions."""
    if isinstance(window, QDialog) and type(window).__module__.startswith("PySide6"):
        return []
    own = own_widgets(window) if own is None else own
    hints = _Hints(own)
    problems = []
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if not shortcut.isEnabled() or not isinstance(parent, QWidget) or not parent.isVisible():
            continue
        if parent.window() is not window:
            continue
        keys = shortcut.key()  # the first: the one a tooltip names (others are alternatives)
        if not keys.isEmpty() and not _named(keys, hints.near(parent)):
            problems.append(f"shortcut {keys.toString()} of {type(parent).__name__}")
    # the actions of the window, and those added to its visible widgets (an action shown
    # only on hidden widgets is not reachable: it is left out below either way)
    actions = set(window.findChildren(QAction))
    for widget in own:
        actions.update(widget.actions())
    for action in actions:
        if not action.isEnabled() or action.shortcut().isEmpty():
            continue
        shown_in = action.associatedObjects()
        if any(isinstance(o, QMenu) for o in shown_in):
            continue  # a menu writes the keys beside the entry
        owners = [o for o in shown_in if isinstance(o, QWidget) and o.isVisible()]
        if not owners:
            continue  # on no visible widget: not reachable now
        if not _named(
            action.shortcut(), action.toolTip().casefold() + "\n" + hints.near(owners[0])
        ):
            problems.append(f"action {action.text()!r}: {action.shortcut().toString()}")
    for button in own:
        if not isinstance(button, QAbstractButton):
            continue
        if _shown(button) and not button.shortcut().isEmpty():
            if mnemonic(button.text()) is not None and button.shortcut() == QKeySequence.mnemonic(
                button.text()
            ):
                continue  # its underlined letter
            if not _named(button.shortcut(), button.toolTip().casefold() + hints.shown):
                problems.append(f"button {button.text()!r}: {button.shortcut().toString()}")
    return problems


class Walk:
    """Checks windows and closes the dialogs that open while it runs."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.found: dict[str, str] = {}
        self.dialogs: set[str] = set()
        self.timer = QTimer()
        self.timer.timeout.connect(self.close_dialogs)
        self.timer.start(15)

    def stop(self) -> None:
        self.timer.stop()

    def check(self, window: QWidget, where: str) -> None:
        own = own_widgets(window)  # read once for both checks
        for letter, who in claims(window, own).items():
            if len(who) > 1:
                self._add(f"Alt+{letter}: {', '.join(sorted(who))}", where)
        if isinstance(window, QMainWindow):
            for menu in menus_of(window):
                for letter, who in menu_claims(menu).items():
                    if len(who) > 1:
                        self._add(f"Alt+{letter}: {', '.join(who)}", f"menu {menu.title()!r}")
        for problem in unnamed_shortcuts(window, own):
            self._add(f"{problem} has no visible hint", where)

    def _add(self, problem: str, where: str) -> None:
        """One line per problem (the first place it was seen)."""
        self.found.setdefault(f"{self.language}: {problem}", where)

    @property
    def problems(self) -> list[str]:
        return [f"{problem}  (at {where})" for problem, where in sorted(self.found.items())]

    def open_dialogs(self, main: QWidget | None = None) -> list[QWidget]:
        found = []
        modal = QApplication.activeModalWidget()
        if modal is not None:
            found.append(modal)
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QDialog)
                and widget.isVisible()
                and widget is not main
                and widget not in found
            ):
                found.append(widget)
        return found

    def close_dialogs(self) -> None:
        for dialog in self.open_dialogs():
            self.handle(dialog)

    def handle(self, dialog: QWidget) -> None:
        name = type(dialog).__name__
        self.dialogs.add(name)
        if isinstance(dialog, QMessageBox):
            name += " " + dialog.text()[:40]
        self.check(dialog, f"dialog {name}")
        close(dialog)


def close(dialog: QWidget) -> None:
    """Close without OK: No / Cancel, or the dialog's reject without the unsaved question."""
    if isinstance(dialog, QMessageBox):
        roles = [QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole]
        if dialog.objectName() == QUESTION_NAME:  # unsaved changes (of a button's doing)
            roles.insert(0, QMessageBox.ButtonRole.DestructiveRole)
        for role in roles:
            button = next((b for b in dialog.buttons() if dialog.buttonRole(b) == role), None)
            if button is not None:
                button.click()
                return
        dialog.done(0)
    elif isinstance(dialog, QProgressDialog):
        dialog.cancel()
    elif isinstance(dialog, QDialog):
        QDialog.reject(dialog)
    else:
        dialog.close()


def settle(walk: Walk, window: QWidget) -> None:
    for _round in range(4):
        QApplication.processEvents()
        for dialog in walk.open_dialogs(window):
            walk.handle(dialog)


def click_every_button(walk: Walk, window, where: str, screen_id: str) -> None:
    """Click the push and tool buttons of the shown screen, one by one; check each window
    that opens and close it."""
    screen = window.workspace.screen(screen_id)
    buttons = [
        b
        for b in screen.findChildren(QAbstractButton)
        # not the checkable ones: the steps of a case are walked one by one
        if isinstance(b, QPushButton | QToolButton) and _shown(b) and not b.isCheckable()
    ]
    for button in buttons:
        try:
            if not _shown(button):
                continue
        except RuntimeError:  # deleted meanwhile (the screen rebuilt it)
            continue
        button.click()
        settle(walk, window)
        if window.workspace is None:  # signed out: not by a screen button
            raise AssertionError(f"{where}: {button.text()!r} signed out")
        if window.workspace.current_id() != screen_id:
            window.workspace.show_screen(screen_id)
            settle(walk, window)
        walk.check(window, f"{where} after {button.text()!r}")


def walk_screen(walk: Walk, window, user: str, screen_id: str) -> None:
    workspace = window.workspace
    workspace.show_screen(screen_id)
    settle(walk, window)
    assert workspace.current_id() == screen_id
    screen = workspace.screen(screen_id)
    where = f"{user} {screen_id}"
    walk.check(window, where)
    states = [SCREEN_STATES.get(screen_id)]
    if screen_id in MORE_STATES:
        states.append(MORE_STATES[screen_id])
    for prepare in states:
        if prepare is not None:
            prepare(window, screen)
            settle(walk, window)
            walk.check(window, where + " at work")
        if screen_id == "cases":
            # documentation first: a button of another step may move the case on
            steps = sorted(screen.case.steps.buttons, key=lambda s: s != "documentation")
            for step in steps:
                screen.case.show_step(step)
                settle(walk, window)
                walk.check(window, f"{where} step {step}")
                click_every_button(walk, window, f"{where} step {step}", screen_id)
            continue
        for tabs in screen.findChildren(QTabWidget):
            if not tabs.isVisible():
                continue
            for index in range(tabs.count()):
                if tabs.isTabEnabled(index):
                    tabs.setCurrentIndex(index)
                    settle(walk, window)
                    walk.check(window, f"{where} tab {tabs.tabText(index)!r}")
                    click_every_button(walk, window, f"{where} tab {index}", screen_id)
        click_every_button(walk, window, where, screen_id)


@pytest.mark.parametrize("role", list(ROLE_USERS))
@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_no_mnemonic_is_claimed_twice_and_every_shortcut_is_named(qtbot, window, language, role):
    set_language(language)
    apply_qt_language(language)
    walk = Walk(language)
    try:
        walk.check(window, "sign-in")
        for user in ROLE_USERS[role]:
            sign_in(qtbot, window, user)
            assert window.workspace is not None, user
            settle(walk, window)
            for spec in list(window.workspace.specs):
                walk_screen(walk, window, user, spec.id)
            window.workspace.show_screen("home")
            settle(walk, window)
            window.sign_out()
    finally:
        walk.stop()
        apply_qt_language("en")
    assert not walk.problems, "\n".join(walk.problems)
    missing = EXPECTED_DIALOGS[role] - walk.dialogs
    assert not missing, f"not opened: {missing}; opened: {sorted(walk.dialogs)}"


def test_mnemonic_reads_latvian_letters_and_literal_ampersands():
    assert mnemonic("&Pabeigt") == "p"
    assert mnemonic("Vēl &ne") == "n"
    assert mnemonic("&Ērika") == mnemonic("&ērika") == "ē"
    assert mnemonic("Rock && roll") is None
    assert mnemonic("A && &B") == "b"


def test_a_clash_is_found(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    first, second = QPushButton("&Pabeigt", widget), QPushButton("&piezīme", widget)
    second.move(0, 40)
    widget.show()
    assert sorted(claims(widget)["p"]) == sorted([_name(first), _name(second)])
    second.setEnabled(False)
    assert len(claims(widget)["p"]) == 1
    shortcut = QShortcut(QKeySequence("Alt+Left"), widget)
    assert unnamed_shortcuts(widget) == [f"shortcut {shortcut.key().toString()} of QWidget"]
    first.setToolTip("Back (Alt+Left)")
    assert unnamed_shortcuts(widget) == []
