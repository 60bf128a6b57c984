"""The dialogs of the frameworks screen: the report on a file that was not imported, and the
preview of a Moodle framework before it is added to the school's library."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import UI_LANGUAGES, _, current_language, language_name, ngettext
from digcomp_app.ui.screens.certificates.common import plain
from digcomp_app.ui.widgets import fit_to_texts


class ReportDialog(QDialog):
    """Every problem found in a file, one a line (each naming its row where it has one)."""

    def __init__(self, file_name: str, problems: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameworkReport")
        self.problems = list(problems)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.addItems(self.problems)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("The framework was not added"))
        self.intro.setText(
            "<b>"
            + escape(_("Nothing was imported:"))
            + "</b> "
            + escape(file_name)
            + "<br>"
            + escape(
                ngettext(
                    "{count} problem found. Correct it in the file and import it again.",
                    "{count} problems found. Correct them in the file and import it again.",
                    len(self.problems),
                ).format(count=len(self.problems))
            )
        )
        self.list.setAccessibleName(_("Problems found"))
        fit_to_texts(self, 70)
        self.resize(self.minimumWidth(), 420)

    def report(self) -> list[str]:
        """The problems as the dialog lists them."""
        return [self.list.item(row).text() for row in range(self.list.count())]


class MoodlePreviewDialog(QDialog):
    """What a Moodle file holds, as the app will keep it; OK adds it to the library."""

    def __init__(
        self,
        file_name: str,
        framework: Framework,
        notes: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.framework = framework
        language = current_language()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.framework_id = QLineEdit(framework.id)
        self.version = QLineEdit(framework.version)
        self.language = QComboBox()
        for code in UI_LANGUAGES:
            self.language.addItem(language_name(code, language), code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        form = QFormLayout()
        self.id_label = QLabel()
        self.version_label = QLabel()
        self.language_label = QLabel()
        for label, field in (
            (self.id_label, self.framework_id),
            (self.version_label, self.version),
            (self.language_label, self.language),
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        self.levels = QLabel()
        self.levels.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.levels)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.buttons)

        self.setWindowTitle(_("Import from Moodle"))
        title = framework.title.get(language)
        competences = sum(1 for _c in framework.competences())
        self.intro.setText(
            "<b>"
            + escape(title)
            + "</b> · "
            + escape(file_name)
            + "<br>"
            + escape(
                _(
                    "{areas} areas, {competences} competences, {levels} levels. Check them, then "
                    "add the framework to the school's library: every PC of the school can then "
                    "use it for self-assessments and cases."
                ).format(
                    areas=len(framework.areas),
                    competences=competences,
                    levels=len(framework.levels),
                )
            )
        )
        self.id_label.setText(_("Framework &id:"))
        self.version_label.setText(_("&Version:"))
        self.language_label.setText(_("&Language of the texts:"))
        self.levels.setText(
            _("Levels: {levels}").format(
                levels="; ".join(
                    f"{level.number} {level.name.get(language)}" for level in framework.levels
                )
            )
        )
        for area in framework.areas:
            area_item = QTreeWidgetItem([f"{area.id}  {area.title.get(language)}"])
            for competence in area.competences:
                item = QTreeWidgetItem([f"{competence.id}  {competence.title.get(language)}"])
                below = (*competence.statements, *competence.learning_outcomes)
                for statement in dict.fromkeys(s.text.get(language) for s in below):
                    item.addChild(QTreeWidgetItem([statement]))
                area_item.addChild(item)
            self.tree.addTopLevelItem(area_item)
        self.tree.expandAll()
        self.tree.setAccessibleName(_("Competence areas and competences"))
        if notes:
            self.notes.setText(
                _("Changed on import:") + "\n" + "\n".join(f"• {note}" for note in notes)
            )
        else:
            self.notes.hide()
        self.add_button.setText(_("&Add to the school's library"))
        self.add_button.setAccessibleName(plain(self.add_button.text()))
        fit_to_texts(self, 70)
        self.resize(self.minimumWidth(), 560)

    def chosen(self) -> tuple[str, str, str]:
        """The id, version and language of the texts to add it with."""
        return (
            self.framework_id.text().strip(),
            self.version.text().strip(),
            str(self.language.currentData()),
        )
