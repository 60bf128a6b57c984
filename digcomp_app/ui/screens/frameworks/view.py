"""Browse a competence framework: areas and competences, with levels and statements.

With the window's context, the screen also exports the framework shown for Moodle
(everyone), and lets administrators add frameworks to the school's library (a Moodle CSV,
a framework folder or zip) and remove those no record uses (decision 0034)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Competence, Framework, FrameworkLibrary
from digcomp_app.framework.export import level_description
from digcomp_app.framework.labels import outcome_type_name, status_name
from digcomp_app.i18n import _, current_language, language_name, ngettext
from digcomp_app.services import frameworks_library
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.frameworks_library import (
    AddedFramework,
    FrameworkRejected,
    SchoolFrameworkInfo,
)
from digcomp_app.services.permissions import Role
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.certificates.common import plain
from digcomp_app.ui.screens.frameworks import files
from digcomp_app.ui.screens.frameworks.dialogs import MoodlePreviewDialog, ReportDialog
from digcomp_app.ui.widgets import ERROR_COLOUR

_COMPETENCE_ROLE = Qt.ItemDataRole.UserRole


class FrameworkBrowser(QWidget):
    """A framework picker, the area/competence tree and the selected competence's texts."""

    def __init__(
        self,
        library: FrameworkLibrary,
        parent: QWidget | None = None,
        context: UiContext | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._library = library
        self._frameworks = list(library)
        self._framework = library.default()
        #: the frameworks the school added, by (id, version) (from the services)
        self._added: dict[tuple[str, str], SchoolFrameworkInfo] = {}
        #: the dialog open now (a report, a preview, a question), for the keyboard and tests
        self.dialog: QDialog | None = None

        self.picker_label = QLabel()
        self.picker = QComboBox()
        self.picker_label.setBuddy(self.picker)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)

        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.import_button = QPushButton()
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.export_button = QPushButton()

        top = QHBoxLayout()
        top.addWidget(self.picker_label)
        top.addWidget(self.picker, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.origin)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        order = (
            self.picker,
            self.tree,
            self.details,
            self.import_button,
            self.add_button,
            self.remove_button,
            self.export_button,
        )
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        managing = context is not None and context.has(Role.ADMINISTRATOR)
        for button in (self.import_button, self.add_button, self.remove_button):
            button.setVisible(managing)
        self.export_button.setVisible(context is not None)

        self.picker.currentIndexChanged.connect(self._on_framework_chosen)
        self.tree.currentItemChanged.connect(self._on_item_changed)
        self.import_button.clicked.connect(self.import_moodle)
        self.add_button.clicked.connect(self.add_framework)
        self.remove_button.clicked.connect(self.remove_framework)
        self.export_button.clicked.connect(self.export_moodle)
        self._read_added()
        self.retranslate()

    @property
    def framework(self) -> Framework:
        return self._framework

    def retranslate(self) -> None:
        language = current_language()
        self.picker_label.setText(_("F&ramework:"))
        self.picker.setAccessibleName(_("Competence framework"))
        self.tree.setAccessibleName(_("Competence areas and competences"))
        self.details.setAccessibleName(_("Description of the chosen competence"))
        selected = self._selected_competence_id()
        self.picker.blockSignals(True)
        self.picker.clear()
        for framework in self._frameworks:
            title, shown = framework.title.resolve(language)
            if shown != language:  # no texts in this language: say which are shown
                title = f"{title} ({language_name(shown, language)})"
            self.picker.addItem(title, framework.key)
        self.picker.setCurrentIndex(self._frameworks.index(self._framework))
        self.picker.blockSignals(False)
        for button, text, tip in (
            (
                self.import_button,
                _("&Import from Moodle…"),
                _(
                    "Read a competency framework exported from Moodle (CSV), check it and add "
                    "it to the school's library."
                ),
            ),
            (
                self.add_button,
                _("&Add framework…"),
                _(
                    "Add a framework in this app's format: choose the framework.yaml of its "
                    "folder, or a zip of the folder."
                ),
            ),
            (
                self.remove_button,
                _("Re&move"),
                _("Remove the framework shown from the school's library, if no record uses it."),
            ),
            (
                self.export_button,
                _("E&xport for Moodle…"),
                _(
                    "Save the framework shown as a CSV for Moodle's Import competency "
                    "framework, with its texts in the language of the window."
                ),
            ),
        ):
            button.setText(text)
            button.setAccessibleName(plain(text))
            button.setToolTip(tip)
        self.message.setAccessibleName(_("Message"))
        self._fill_tree(selected)
        self._show_origin()

    def refresh(self) -> None:
        """Read the school's library again (another PC may have added a framework)."""
        if self._context is None:
            return
        self._reload()

    # --- the school's library -----------------------------------------------------------

    def _read_added(self) -> None:
        if self._context is None:
            return

        context = self._context
        self._added = {
            (info.framework_id, info.version): info
            for info in frameworks_library.list_added(context.db, context.actor)
        }

    def _reload(self, show: tuple[str, str] | None = None) -> None:
        """The library again from the services, showing ``show`` (or the one shown)."""

        assert self._context is not None
        context = self._context
        library = frameworks_library.library(context.db, context.actor)
        context.library = library  # the other screens choose from it too
        self._read_added()
        key = show or self._framework.key
        self._library = library
        self._frameworks = list(library)
        self._framework = library.find(*key) or library.default()
        self.retranslate()

    def _show_origin(self) -> None:
        info = self._added.get(self._framework.key)
        managing = self._context is not None and self._context.has(Role.ADMINISTRATOR)
        self.remove_button.setEnabled(managing and info is not None)
        if info is None:
            self.origin.hide()
            return
        records = info.records
        text = _("Added to the school's library by {user} on {date}.").format(
            user=info.added_by, date=info.added_at
        )
        if records:
            text += " " + ngettext(
                "{count} self-assessment, case or mobility uses it.",
                "{count} self-assessments, cases or mobilities use it.",
                records,
            ).format(count=records)
        self.origin.setText(text)
        self.origin.show()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
        if not error and self._context is not None:
            self._context.notify(text)

    def _open(self, dialog: QDialog) -> None:
        """Show ``dialog`` window-modal without blocking (``self.dialog`` while open)."""
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _report(self, path: Path, problems: list[str]) -> None:
        self._say(_("Nothing was imported:") + " " + path.name, error=True)
        self._open(ReportDialog(path.name, problems, self))

    def import_moodle(self) -> None:
        """Choose a Moodle CSV, see what it holds (or every problem), then add it."""
        path = files.open_file(
            self, _("Import a competency framework from Moodle"), _("Moodle CSV (*.csv)")
        )
        if path:
            self.import_moodle_file(Path(path))

    def import_moodle_file(self, path: Path) -> None:
        self.message.clear()
        try:
            made = frameworks_library.moodle_import(path, None, None, current_language())
            framework = frameworks_library.check_framework(made.files, [])
        except FrameworkRejected as rejected:
            self._report(path, rejected.problems)
            return
        except OSError as error:
            self._report(path, [str(error.strerror or error)])
            return
        preview = MoodlePreviewDialog(path.name, framework, made.notes, self)
        preview.accepted.connect(lambda: self._add_moodle(path, preview.chosen()))
        self._open(preview)

    def _add_moodle(self, path: Path, chosen: tuple[str, str, str]) -> None:

        assert self._context is not None
        context = self._context
        framework_id, version, language = chosen
        self._added_with(
            path,
            lambda: frameworks_library.add_from_moodle(
                context.db,
                context.actor,
                path,
                framework_id or None,
                version or None,
                language,
            ),
        )

    def add_framework(self) -> None:
        """Choose a framework folder's framework.yaml, or a zip, and add it."""
        path = files.open_file(
            self,
            _("Add a framework to the school's library"),
            _("Framework (framework.yaml *.zip)"),
        )
        if path:
            self.add_framework_file(Path(path))

    def add_framework_file(self, path: Path) -> None:

        assert self._context is not None
        context = self._context
        self._added_with(path, lambda: frameworks_library.add(context.db, context.actor, path))

    def _added_with(self, path: Path, adding: Callable[[], AddedFramework]) -> None:

        try:
            added = adding()
        except FrameworkRejected as rejected:
            self._report(path, rejected.problems)
            return
        except ServiceError as error:
            self._say(str(error), error=True)
            return
        except OSError as error:
            self._report(path, [str(error.strerror or error)])
            return
        self._reload(show=(added.framework_id, added.version))
        self._say(
            _("{id} {version} is in the school's library: {title}").format(
                id=added.framework_id, version=added.version, title=added.title
            )
        )

    def remove_framework(self) -> None:
        """Remove the framework shown: refused with the reason while records use it,
        asked first otherwise."""

        assert self._context is not None
        context = self._context
        framework = self._framework
        self._read_added()  # the count of records now, not when the screen was shown
        info = self._added.get(framework.key)
        if info is None or info.records:
            try:  # the services say why it cannot be removed
                frameworks_library.remove(context.db, context.actor, *framework.key)
            except ServiceError as error:
                self._say(str(error), error=True)
                self._show_origin()
                return
            self._removed(framework)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Remove a framework"),
            _(
                "Remove {label} ({title}) from the school's library? No self-assessment, case "
                "or mobility uses it. It can be added again from its file."
            ).format(label=framework.label, title=framework.title.get(current_language())),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        yes = box.addButton(_("Re&move"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)

        def answered(_result: int) -> None:
            if box.clickedButton() is not yes:
                return
            try:
                frameworks_library.remove(context.db, context.actor, *framework.key)
            except ServiceError as error:
                self._say(str(error), error=True)
                return
            self._removed(framework)

        box.finished.connect(answered)
        self._open(box)

    def _removed(self, framework: Framework) -> None:
        self._reload(show=self._library.default().key)
        self._say(
            _("{id} {version} was removed from the school's library.").format(
                id=framework.id, version=framework.version
            )
        )

    def export_moodle(self) -> None:
        """Save the framework shown as a Moodle competency-framework CSV."""
        framework = self._framework
        path = files.save_file(
            self,
            _("Export for Moodle"),
            f"{framework.id}-{framework.version}.csv",
            _("Moodle CSV (*.csv)"),
        )
        if path:
            self.export_moodle_file(Path(path))

    def export_moodle_file(self, path: Path) -> None:
        from digcomp_app.framework.moodle import export_csv

        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            path.write_text(
                export_csv(self._framework, current_language()), encoding="utf-8", newline=""
            )
        except OSError as error:
            self._say(
                _("Cannot write {file}: {error}").format(file=path, error=error.strerror or error),
                error=True,
            )
            return
        self._say(
            _("{label} saved for Moodle in {file}.").format(label=self._framework.label, file=path)
        )

    def select_competence(self, competence_id: str) -> None:
        for index in range(self.tree.topLevelItemCount()):
            area_item = self.tree.topLevelItem(index)
            for child in range(area_item.childCount()):
                item = area_item.child(child)
                if item.data(0, _COMPETENCE_ROLE) == competence_id:
                    self.tree.setCurrentItem(item)
                    return

    def _selected_competence_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, _COMPETENCE_ROLE) if item is not None else None

    def _on_framework_chosen(self, index: int) -> None:
        if 0 <= index < len(self._frameworks):
            selected = self._selected_competence_id()
            self._framework = self._frameworks[index]
            self._fill_tree(selected)
            self._show_origin()
            self.message.clear()

    def _fill_tree(self, selected: str | None) -> None:
        language = current_language()
        self.tree.clear()
        for area in self._framework.areas:
            area_item = QTreeWidgetItem([f"{area.id}  {area.title.get(language)}"])
            area_item.setToolTip(0, area.description.get(language))
            for competence in area.competences:
                item = QTreeWidgetItem([f"{competence.id}  {competence.title.get(language)}"])
                item.setData(0, _COMPETENCE_ROLE, competence.id)
                item.setToolTip(
                    0, f"{competence.title.get(language)}\n\n{competence.description.get(language)}"
                )
                area_item.addChild(item)
            self.tree.addTopLevelItem(area_item)
        self.tree.expandAll()
        if selected:
            self.select_competence(selected)
        if self.tree.currentItem() is None:
            self._show_empty()

    def _on_item_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        competence_id = current.data(0, _COMPETENCE_ROLE) if current is not None else None
        if competence_id is None:
            self._show_empty()
            return
        self.details.setHtml(
            competence_html(
                self._framework, self._framework.competence(competence_id), current_language()
            )
        )

    def _show_empty(self) -> None:
        hint = _("Choose a competence on the left to see its description and proficiency levels.")
        self.details.setHtml(f"<p>{escape(hint)}</p>")


def esco_html(competence: Competence) -> str:
    """The competence's ESCO concept as a link, or a note that it has none."""
    if not competence.esco:
        return "<p><small>" + escape(_("ESCO: no matching skill")) + "</small></p>"
    # plain text, not a link: the browser pane opens no addresses (copy it from here)
    label = escape(_("ESCO skill:"))
    return f"<p><small>{label} {escape(competence.esco)}</small></p>"


def competence_html(framework: Framework, competence: Competence, language: str) -> str:
    """The competence's descriptor, its levels and (DigComp 3.0) statements and outcomes."""
    parts = []
    shown = competence.title.resolve(language)[1]
    if shown != language:  # the framework has no texts in this language: say so first
        note = _("This framework has no text in {language}: it is shown in {shown}.").format(
            language=language_name(language, language), shown=language_name(shown, language)
        )
        parts.append(f"<p><i>{escape(note)}</i></p>")
    parts += [
        f"<h2>{escape(competence.id)} {escape(competence.title.get(language))}</h2>",
        f"<p>{escape(competence.description.get(language))}</p>",
        esco_html(competence),
        "<h3>" + escape(_("Proficiency levels")) + "</h3>",
    ]
    for band in framework.bands or ():
        parts.append(f"<h4>{escape(band.name.get(language))}</h4>")
        if band.description:
            parts.append(f"<p><i>{escape(band.description.get(language))}</i></p>")
        parts.append("<ul>")
        for number in band.levels:
            level = framework.level(number)
            text = level_description(framework, level, language)
            parts.append(f"<li><b>{number}</b> — {escape(text)}</li>")
        parts.append("</ul>")
        statements = [s for s in competence.statements if s.band_id == band.id]
        if statements:
            parts.append("<p><b>" + escape(_("Competence statements")) + "</b></p><ul>")
            parts.extend(f"<li>{escape(s.text.get(language))}</li>" for s in statements)
            parts.append("</ul>")
        outcomes = [o for o in competence.learning_outcomes if o.band_id == band.id]
        if outcomes:
            parts.append("<p><b>" + escape(_("Learning outcomes")) + "</b></p><ul>")
            parts.extend(
                f"<li>[{escape(outcome_type_name(o.type))}] {escape(o.text.get(language))}</li>"
                for o in outcomes
            )
            parts.append("</ul>")
    info = framework.languages.get(language)
    if info is not None and info.status.value != "official":
        note = _("Translation status: {status}").format(status=status_name(info.status))
        parts.append(f"<p><small>{escape(note)}</small></p>")
    return "".join(parts)
