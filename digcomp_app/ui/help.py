"""Help → User guide (F1): the user guide's part about the screen shown, in the program's
language, from files bundled with the program (no internet needed).

``resources/help/en/<topic>.md`` are copies of docs/user-guide.md's sections made by
``tools/build_help.py``; ``resources/help/lv/`` holds their Latvian text. A topic is a
screen id, or ``sign_in`` before anyone signs in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, current_language
from digcomp_app.resources import resources_dir

#: the order of the topics in the dialog's list
TOPICS = (
    "sign_in",
    "home",
    "frameworks",
    "self_assessment",
    "results",
    "skills_test",
    "cases",
    "mobilities",
    "certification",
    "overview",
    "learners",
    "users",
    "organisation",
    "signing_key",
    "database",
)


def help_dir(language: str) -> Path:
    return resources_dir() / "help" / language


def help_text(topic: str, language: str | None = None) -> str:
    """The markdown of ``topic`` in ``language`` (English when there is none in it; the
    first steps when the topic is unknown)."""
    language = language or current_language()
    if topic not in TOPICS:
        topic = "home"
    for folder in (help_dir(language), help_dir("en")):
        path = folder / f"{topic}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def topic_title(topic: str, language: str | None = None) -> str:
    """The topic's first heading."""
    for line in help_text(topic, language).splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return topic


class HelpDialog(QDialog):
    """The user guide beside the window (not modal: one can read and work at once)."""

    def __init__(self, topic: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.topic_label = QLabel()
        self.topics = QComboBox()
        self.topic_label.setBuddy(self.topics)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setMinimumSize(560, 420)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.topic_label)
        top.addWidget(self.topics, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.topics.currentIndexChanged.connect(self._show_index)
        self.resize(720, 600)
        self.retranslate()
        self.show_topic(topic)

    @property
    def topic(self) -> str:
        return TOPICS[max(self.topics.currentIndex(), 0)]

    def show_topic(self, topic: str) -> None:
        index = TOPICS.index(topic) if topic in TOPICS else TOPICS.index("home")
        if index == self.topics.currentIndex():
            self._show_index(index)
        else:
            self.topics.setCurrentIndex(index)

    def _show_index(self, index: int) -> None:
        if 0 <= index < len(TOPICS):
            self.browser.setMarkdown(help_text(TOPICS[index]))

    def retranslate(self) -> None:
        self.setWindowTitle(_("User guide"))
        self.topic_label.setText(_("&Topic:"))
        index = self.topics.currentIndex()
        self.topics.blockSignals(True)
        self.topics.clear()
        for topic in TOPICS:
            self.topics.addItem(topic_title(topic))
        self.topics.setCurrentIndex(max(index, 0))
        self.topics.blockSignals(False)
        self._show_index(max(index, 0))
