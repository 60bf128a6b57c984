"""The main window: menus, language switching, and (for now) the framework browser."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from digcomp_app import __version__
from digcomp_app.framework import FrameworkError, builtin_library
from digcomp_app.i18n import (
    UI_LANGUAGES,
    _,
    add_language_listener,
    current_language,
    language_name,
    remove_language_listener,
    set_language,
)
from digcomp_app.settings import load_settings, save_settings
from digcomp_app.ui.framework_browser.view import FrameworkBrowser


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resize(1200, 760)
        self.setMinimumSize(800, 560)
        self.browser: FrameworkBrowser | None = None
        self._load_problem = ""
        try:
            self.browser = FrameworkBrowser(builtin_library())
            self.setCentralWidget(self.browser)
        except FrameworkError as error:
            self._load_problem = str(error)
            label = QLabel()
            label.setWordWrap(True)
            self.setCentralWidget(label)

        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = self.menuBar().addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in UI_LANGUAGES:
            action = QAction(language_name(code), self, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

        add_language_listener(self._on_language_changed)
        self.retranslate()

    def switch_language(self, language: str) -> None:
        """Change the language at once and remember it for the next start."""
        set_language(language)
        save_settings(load_settings().with_changes(language=language))

    def _on_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("DigComp recognition"))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About DigComp recognition"))
        self.language_actions[current_language()].setChecked(True)
        if self.browser is not None:
            self.browser.retranslate()
        else:
            label = self.centralWidget()
            assert isinstance(label, QLabel)
            label.setText(
                _("The competence frameworks could not be loaded:\n{problem}").format(
                    problem=self._load_problem
                )
            )
        self.statusBar().showMessage(self._status_text())

    def _status_text(self) -> str:
        if self.browser is None:
            return ""
        framework = self.browser.framework
        info = framework.languages.get(current_language())
        if info is None:
            return _("This framework has no texts in your language; English is shown.")
        if info.status.value == "draft":
            return _(
                "The texts of {framework} in this language are a draft translation, "
                "not yet reviewed."
            ).format(framework=framework.label)
        return ""

    def about_html(self) -> str:
        language = current_language()
        summary = _(
            "Self-assess, evidence, assess and certify digital competences against "
            "the EU DigComp framework."
        )
        parts = [
            "<h3>" + escape(_("DigComp recognition")) + " " + escape(__version__) + "</h3>",
            f"<p>{escape(summary)}</p>",
        ]
        try:
            frameworks = list(builtin_library())
        except FrameworkError:
            frameworks = []
        for framework in frameworks:
            parts.append(
                f"<p><b>{escape(framework.title.get(language))}</b><br>"
                f"{escape(framework.attribution.get(language))}<br>"
                f'<a href="{escape(framework.licence.url)}">'
                f"{escape(framework.licence.spdx)}</a></p>"
            )
        return "".join(parts)

    def show_about(self) -> None:
        QMessageBox.about(self, _("About DigComp recognition"), self.about_html())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        remove_language_listener(self._on_language_changed)
        super().closeEvent(event)
