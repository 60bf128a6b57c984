"""The file dialogs of the frameworks screen, in one place (tests put a path in their stead:
only the modal file dialog is replaced, everything after it runs as it would)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def open_file(parent: QWidget, title: str, filters: str) -> str:
    """The file a person chose to open ("" when they cancelled)."""
    path, _chosen = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path


def save_file(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    """Where a person chose to save ("" when they cancelled)."""
    path, _chosen = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path
