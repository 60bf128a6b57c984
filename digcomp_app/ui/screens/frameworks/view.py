"""Browse a competence framework: areas and competences, with levels and statements."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
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
from digcomp_app.i18n import _, current_language, language_name

_COMPETENCE_ROLE = Qt.ItemDataRole.UserRole


class FrameworkBrowser(QWidget):
    """A framework picker, the area/competence tree and the selected competence's texts."""

    def __init__(self, library: FrameworkLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._frameworks = list(library)
        self._framework = library.default()

        self.picker_label = QLabel()
        self.picker = QComboBox()
        self.picker_label.setBuddy(self.picker)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)

        top = QHBoxLayout()
        top.addWidget(self.picker_label)
        top.addWidget(self.picker, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.picker, self.tree)
        self.setTabOrder(self.tree, self.details)

        self.picker.currentIndexChanged.connect(self._on_framework_chosen)
        self.tree.currentItemChanged.connect(self._on_item_changed)
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
        self._fill_tree(selected)

    def refresh(self) -> None:
        return None

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
