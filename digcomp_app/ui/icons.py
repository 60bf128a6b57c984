"""The program's icons: Lucide line icons bundled as SVG in ``resources/icons/`` (ISC licence,
see the LICENSE there and docs/decisions/0024-icons-and-look.md).

An icon is drawn from its SVG at whatever size and device pixel ratio it is shown, so it is
sharp on a high-DPI screen and at a larger text size; it takes the palette's colours (the
text colour, the highlighted text colour on a selected row, the disabled colour when off)
instead of a colour fixed in the file.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtSvg import QSvgRenderer

from digcomp_app.resources import resources_dir

#: the icon of each screen in the navigation (by screen id)
SCREEN_ICONS = {
    "home": "house",
    "frameworks": "book-open-text",
    "self_assessment": "clipboard-pen",
    "skills_test": "circle-question-mark",
    "results": "chart-column",
    "overview": "chart-column",
    "cases": "folder-kanban",
    "mobilities": "plane",
    "certification": "award",
    "learners": "graduation-cap",
    "users": "user-cog",
    "organisation": "school",
    "signing_key": "key-round",
    "database": "database",
}


def icons_dir():  # type: ignore[no-untyped-def]
    return resources_dir() / "icons"


@functools.cache
def _svg(name: str) -> str:
    return (icons_dir() / f"{name}.svg").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=512)
def _renderer(name: str, color: str) -> QSvgRenderer:
    """The icon's SVG in ``color``, read once (an item view paints its icons at every
    repaint)."""
    return QSvgRenderer(QByteArray(_svg(name).replace("currentColor", color).encode("utf-8")))


def _pixmap(name: str, color: str, size: QSize, scale: float) -> QPixmap:
    """The icon drawn in ``color`` at a size and device pixel ratio, kept in Qt's pixmap
    cache (a button asks its icon's pixmap at every paint)."""
    key = f"digcomp-icon {name} {color} {size.width()}x{size.height()} {scale}"
    pixmap = QPixmap()
    if QPixmapCache.find(key, pixmap):
        return pixmap
    pixmap = QPixmap(size * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(scale)
    painter = QPainter(pixmap)
    _draw(painter, QRect(QPoint(0, 0), size), _renderer(name, color))
    painter.end()
    QPixmapCache.insert(key, pixmap)
    return pixmap


def _draw(painter: QPainter, rect: QRect, renderer: QSvgRenderer) -> None:
    side = min(rect.width(), rect.height())
    square = QRectF(
        rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
    )
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, square)


class _LineIconEngine(QIconEngine):
    """Draws one Lucide SVG with ``currentColor`` set from the palette (or ``color``)."""

    def __init__(self, name: str, color: QColor | None = None) -> None:
        super().__init__()
        self._name = name
        self._color = color

    def _color_for(self, mode: QIcon.Mode) -> QColor:
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        if mode == QIcon.Mode.Selected:
            return palette.color(QPalette.ColorRole.HighlightedText)
        if self._color is not None:
            return self._color
        return palette.color(QPalette.ColorRole.WindowText)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        _draw(painter, rect, _renderer(self._name, self._color_for(mode).name()))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(  # noqa: N802 - Qt's name
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        return _pixmap(self._name, self._color_for(mode).name(), size, scale)

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        return size

    def clone(self) -> QIconEngine:
        return _LineIconEngine(self._name, self._color)

    def key(self) -> str:
        return "digcomp-line-icon"


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """The bundled icon ``name`` (a file name in resources/icons without ``.svg``), drawn in
    the palette's text colour or in ``color``."""
    try:
        _svg(name)  # read once: the file system is not asked again for each button
    except FileNotFoundError as error:
        raise LookupError(f"no icon {name!r} in {icons_dir()}") from error
    return QIcon(_LineIconEngine(name, QColor(color) if color is not None else None))


def screen_icon(screen_id: str) -> QIcon:
    """The navigation icon of a screen (an empty icon for a screen without one)."""
    name = SCREEN_ICONS.get(screen_id)
    return icon(name) if name else QIcon()
