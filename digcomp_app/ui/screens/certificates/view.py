"""The coordinator's certification desk: the queue to approve and the certificate register."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from digcomp_app.i18n import _, ngettext
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.certificates.queue import QueuePanel
from digcomp_app.ui.screens.certificates.register import RegisterPanel


class CertificationScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.queue = QueuePanel(context)
        self.register = RegisterPanel(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.queue, "")
        self.tabs.addTab(self.register, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.queue.issued.connect(self._on_issued)
        self.register.revoked.connect(lambda _cert: self._reload_queue())
        self.retranslate()

    def retranslate(self) -> None:
        self.queue.retranslate()
        self.register.retranslate()
        self.tabs.setAccessibleName(_("Certification"))
        self._tab_titles()

    def refresh(self) -> None:
        self.queue.refresh()
        self.register.refresh()
        self._tab_titles()

    # the register's actions, reachable from the screen too
    def print_selected(self) -> None:
        self.register.print_selected()

    def verify(self) -> None:
        self.register.verify()

    def _on_issued(self, cert: object) -> None:
        self.register.refresh(select=getattr(cert, "serial", None))
        self._tab_titles()

    def _reload_queue(self) -> None:
        self.queue.refresh()
        self._tab_titles()

    def _tab_titles(self) -> None:
        waiting = len(self.queue.cases())
        title = _("&Waiting for approval")
        if waiting:
            title = ngettext(
                "&Waiting for approval ({count})", "&Waiting for approval ({count})", waiting
            ).format(count=waiting)
        self.tabs.setTabText(0, title)
        self.tabs.setTabText(1, _("Certificate &register"))
