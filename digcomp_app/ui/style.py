"""The program's look in one place: Qt's Fusion style, a calm light palette with one accent
colour, and a small style sheet for the navigation and the home screen's cards
(docs/decisions/0024-icons-and-look.md).

Sizes in the style sheet are in device-independent pixels and the fonts are the
system's (scaled by View → Text size), so the look holds on a high-DPI screen.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

#: the accent: selected navigation entry, links, the home screen's item buttons
ACCENT = "#1f6782"
ACCENT_SOFT = "#e3eff4"
WINDOW = "#f3f5f7"
BASE = "#ffffff"
TEXT = "#1d2731"
MUTED = "#5b6773"
BORDER = "#d7dde3"
WARNING = "#8a4b00"
WARNING_SOFT = "#fff3e0"
GOOD = "#1e6b3a"

STYLE_SHEET = f"""
QListWidget#navigation {{
    background: #e9eef2;
    border: none;
    border-right: 1px solid {BORDER};
    padding: 6px 0px;
    outline: 0;
}}
QListWidget#navigation::item {{
    padding: 0px 4px;
    border-radius: 6px;
    color: {TEXT};
}}
QListWidget#navigation::item:hover {{ background: #dbe4ea; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: #ffffff; }}
QFrame#card {{
    background: {BASE};
    border: 1px solid {BORDER};
    border-radius: 8px;
}}
QFrame#card QLabel {{ background: transparent; }}
QLabel#cardTitle {{ font-weight: 600; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#warning {{ color: {WARNING}; }}
QPushButton#homeItem {{
    text-align: left;
    padding: 5px 8px;
    border: 1px solid transparent;
    border-radius: 6px;
    background: transparent;
    color: {ACCENT};
}}
QPushButton#homeItem:hover {{ background: {ACCENT_SOFT}; }}
QPushButton#homeItem:focus {{ border: 1px solid {ACCENT}; }}
QPushButton#homeItem[warning="true"] {{ color: {WARNING}; }}
"""


def palette() -> QPalette:
    """A light palette with the accent as the selection colour."""
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: "#f9fafb",
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.LinkVisited: "#4b3f8a",
        QPalette.ColorRole.ToolTipBase: "#fffdf2",
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#7a8591",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e8ecef",
        QPalette.ColorRole.Mid: "#c5cdd4",
        QPalette.ColorRole.Dark: "#8d98a3",
        QPalette.ColorRole.Shadow: "#5b6773",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    disabled = QColor("#9aa4ad")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#b8c4cc"))
    return p


#: Qt's style of the program
STYLE = "Fusion"
#: the application's property saying it was made with ``-style Fusion`` (``ui.app``)
STYLE_GIVEN = "digcompStyleGiven"


def apply_style(app: QApplication | None = None) -> None:
    """Give the application the program's look (again: the call is cheap and idempotent)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication) or app.property("digcompStyled"):
        return
    if not app.property(STYLE_GIVEN):  # (made elsewhere: tests, an embedding program)
        app.setStyle(STYLE)
    app.setPalette(palette())
    app.setStyleSheet(STYLE_SHEET)
    app.setProperty("digcompStyled", True)
