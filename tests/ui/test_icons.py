"""ui/icons: an icon is drawn in the palette's colour of the moment (the text colour, the
highlighted text colour when selected, the disabled colour when off) or in its own colour,
at the size asked, whether Qt asks for a pixmap or has the icon paint itself; what is kept
from one drawing to the next never shows a colour or a size that no longer applies."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap

from digcomp_app.ui.icons import icon


def inks(image: QImage) -> set[str]:
    """The colours of the icon's solid pixels (its lines, not their soft edges)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    found = set()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                found.add(pixel.name())
    return found


def painted(drawn: QIcon, size: int, mode: QIcon.Mode = QIcon.Mode.Normal) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    drawn.paint(painter, QRect(0, 0, size, size), mode=mode)
    painter.end()
    return image


def pixmap(drawn: QIcon, size: int, mode: QIcon.Mode = QIcon.Mode.Normal) -> QPixmap:
    return drawn.pixmap(QSize(size, size), mode)


def test_icons_take_the_colour_and_size_of_the_moment(qapp):
    before = QPalette(qapp.palette())
    try:
        palette = QPalette(before)
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#102030"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#fefefe"))
        qapp.setPalette(palette)
        house = icon("house")
        assert pixmap(house, 24).size() == QSize(24, 24)
        assert pixmap(house, 48).size() == QSize(48, 48)
        for drawn in (pixmap(house, 24).toImage(), painted(house, 24)):
            assert inks(drawn) == {"#102030"}
        selected = pixmap(house, 24, QIcon.Mode.Selected).toImage()
        assert inks(selected) == {"#fefefe"}
        assert inks(painted(house, 24, QIcon.Mode.Selected)) == {"#fefefe"}

        palette.setColor(QPalette.ColorRole.WindowText, QColor("#c00000"))  # another theme
        qapp.setPalette(palette)
        assert QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name() == "#c00000"
        for drawn in (pixmap(house, 24).toImage(), painted(house, 24)):
            assert inks(drawn) == {"#c00000"}

        own = icon("house", "#8a4b00")  # its own colour, whatever the palette
        assert inks(pixmap(own, 24).toImage()) == {"#8a4b00"}
        assert inks(pixmap(icon("plane", "#8a4b00"), 24).toImage()) == {"#8a4b00"}
        assert pixmap(own, 24).toImage() != pixmap(icon("plane", "#8a4b00"), 24).toImage()
    finally:
        qapp.setPalette(before)
