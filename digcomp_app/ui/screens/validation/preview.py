"""Show a piece of evidence inside the program: images, PDF pages, text, notes and links.

PDF pages are drawn with the optional ``pypdfium2`` package (PySide6-Essentials has no
QtPdf); without it the preview says so and offers to save a copy instead.

Every preview has a memory cap (docs/decisions/0025-evidence-files.md): text shows its first
``TEXT_PREVIEW_BYTES``, pictures are decoded only up to ``MAX_DECODE_PIXELS`` (scaled while
decoding where the format allows), PDF pages are drawn at most ``MAX_PDF_PIXELS`` large and
not at all when their pictures would need more than ``MAX_PDF_IMAGE_PIXELS``. Files are never
handed to another program by the preview: only "Save a copy" writes them out.
"""

from __future__ import annotations

import codecs
import math
from html import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QImageIOHandler,
    QImageReader,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_datetime
from digcomp_app.services import evidence
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.evidence import EvidenceFile, EvidenceInfo
from digcomp_app.ui.context import UiContext

PDF_WIDTH = 1100  # pixels a PDF page is drawn at, then scaled to the preview
#: a page is never drawn larger than this (a very tall or wide page gets a smaller scale)
MAX_PDF_PIXELS = 4_000_000
#: a page whose pictures add up to more pixels than this is not drawn (PDFium would decode
#: them whole: a small PDF can hold a picture of 20,000 x 20,000 pixels)
MAX_PDF_IMAGE_PIXELS = 25_000_000
#: the first part of a text file shown (a whole 19 MiB text took almost 1 GiB in the editor)
TEXT_PREVIEW_BYTES = 256 * 1024
#: pictures are shown at most this large on their longer side
IMAGE_PREVIEW_SIDE = 2048
#: pictures larger than this are decoded only by formats that scale while decoding (JPEG)
MAX_DECODE_PIXELS = 24_000_000


class PdfUnavailable(Exception):
    """pypdfium2 is not installed."""


class TooLarge(Exception):
    """The picture (or a PDF page's pictures) would need too much memory to show."""


def preview_text(content: bytes, limit: int = TEXT_PREVIEW_BYTES) -> tuple[str, bool]:
    """The first ``limit`` bytes of UTF-8 text (not cutting a character), and whether that
    is less than the whole."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    return decoder.decode(content[:limit], final=len(content) <= limit), len(content) > limit


def read_image(content: bytes, side: int = IMAGE_PREVIEW_SIDE) -> QImage:
    """The picture scaled to at most ``side`` pixels, decoded within the memory cap;
    TooLarge when the format would have to decode more than ``MAX_DECODE_PIXELS``."""
    data = QByteArray(content)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        return QImage()
    pixels = size.width() * size.height()
    scaled = size.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio)
    if pixels > side * side:
        if not reader.supportsOption(QImageIOHandler.ImageOption.ScaledSize):
            if pixels > MAX_DECODE_PIXELS:
                raise TooLarge
        elif reader.format().data() != b"jpeg" and pixels > MAX_DECODE_PIXELS:
            raise TooLarge  # only JPEG really decodes at the smaller size
        else:
            reader.setScaledSize(scaled)
    image = reader.read()
    if not image.isNull() and (image.width() > side or image.height() > side):
        image = image.scaled(
            scaled, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image


def render_pdf_page(content: bytes, index: int, width: int = PDF_WIDTH) -> tuple[QImage, int]:
    """Page ``index`` of the PDF as an image ``width`` pixels wide, and the page count."""
    try:
        import pypdfium2 as pdfium
    except ImportError as missing:
        raise PdfUnavailable from missing
    document = pdfium.PdfDocument(content)
    try:
        count = len(document)
        page = document[max(0, min(index, count - 1))]
        page_width, page_height = page.get_size()
        pictures = 0
        for picture in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
            picture_width, picture_height = picture.get_px_size()
            pictures += max(picture_width, 0) * max(picture_height, 0)
            if pictures > MAX_PDF_IMAGE_PIXELS:
                page.close()
                raise TooLarge
        page_width, page_height = max(page_width, 1.0), max(page_height, 1.0)
        scale = min(width / page_width, math.sqrt(MAX_PDF_PIXELS / (page_width * page_height)))
        while math.ceil(page_width * scale) * math.ceil(page_height * scale) > MAX_PDF_PIXELS:
            scale *= 0.95  # PDFium rounds both sides up: a very narrow page gains a lot
        bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGBX8888,
        ).copy()
        page.close()
        return image, count
    finally:
        document.close()


class EvidencePreview(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.item: EvidenceInfo | None = None
        self.file: EvidenceFile | None = None
        self.pixmap: QPixmap | None = None
        self.page = 0
        self.page_count = 0
        self.kind_shown = "none"
        self._problem = ""

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.stack = QStackedWidget()
        for widget in (self.message, self.scroll, self.text):
            self.stack.addWidget(widget)
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.page_label = QLabel()
        self.save_button = QPushButton()
        self.open_button = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.previous_button)
        row.addWidget(self.page_label)
        row.addWidget(self.next_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.notice)
        layout.addLayout(row)
        self.previous_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        self.save_button.clicked.connect(self.save_copy)
        self.open_button.clicked.connect(self._open_link)
        self.retranslate()
        self.show_item(None)

    # --- showing ------------------------------------------------------------------

    def show_item(self, item: EvidenceInfo | None) -> None:
        self.item, self.file, self._problem = item, None, ""
        if item is not None and item.kind == "file":
            try:
                self.file = evidence.open_file(self._context.db, self._context.actor, item.id)
            except ServiceError as error:
                self._problem = str(error)
        self.page = 0
        self._display()

    def _display(self) -> None:
        """Show what is loaded (again after a language switch, without reopening it)."""
        item, self.pixmap = self.item, None
        self.notice.hide()
        if item is None:
            self.header.clear()
            self._say(_("Choose a piece of evidence in the list to see it here."))
        else:
            self.header.setText(self._header_html(item))
            if item.kind == "note":
                self._show_text(item.description, "note")
            elif item.kind == "link":
                self._say(
                    _("A link to {url}. Use Open in browser to see it.").format(url=item.url),
                    "link",
                )
            elif self.file is None:
                self._say(self._problem, "error")
            else:
                self._show_file(self.file)
        self._update_buttons()

    def _show_file(self, file: EvidenceFile) -> None:
        media_type = file.media_type
        if media_type.startswith("image/"):
            try:
                image = read_image(file.content)
            except TooLarge:
                self._say(self._too_large_text(), "too-large")
                return
            if not image.isNull():
                self._show_pixmap(QPixmap.fromImage(image), "image")
            else:
                self._say(
                    _(
                        "This image could not be shown. Use Save a copy and open it with "
                        "another program."
                    ),
                    "error",
                )
        elif media_type == "application/pdf":
            self._show_pdf_page(self.page)
        elif media_type == "text/plain":
            # shown as plain text only: HTML or a script is never rendered or run
            text, cut = preview_text(file.content)
            self._show_text(text, "text")
            if cut:
                self.notice.setText(
                    _(
                        "Only the first {shown} KiB of {size} MB are shown. Use Save a copy "
                        "to read all of it."
                    ).format(
                        shown=TEXT_PREVIEW_BYTES // 1024, size=round(len(file.content) / 2**20, 1)
                    )
                )
                self.notice.show()
        else:
            self._say(
                _(
                    "This kind of file cannot be shown here. Use Save a copy and open it "
                    "with the program it belongs to."
                ),
                "other",
            )

    def _show_pdf_page(self, index: int) -> None:
        assert self.file is not None
        try:
            image, self.page_count = render_pdf_page(self.file.content, index)
        except PdfUnavailable:
            self._say(
                _(
                    "PDF pages can be shown here only when the pypdfium2 package is "
                    "installed. Ask your administrator to install it, or use Save a copy "
                    "to open the PDF with another program."
                ),
                "pdf-unavailable",
            )
            return
        except TooLarge:
            self._say(self._too_large_text(), "too-large")
            return
        except Exception as problem:  # a damaged or unusual PDF: say so, do not crash
            self._say(
                _(
                    "The PDF could not be shown ({problem}). Use Save a copy to open it "
                    "with another program."
                ).format(problem=problem),
                "error",
            )
            return
        self.page = max(0, min(index, self.page_count - 1))
        self._show_pixmap(QPixmap.fromImage(image), "pdf")

    @staticmethod
    def _too_large_text() -> str:
        return _(
            "This file holds a picture too large to show here. Use Save a copy and open it "
            "with another program."
        )

    def _show_pixmap(self, pixmap: QPixmap, kind: str) -> None:
        self.pixmap = pixmap
        self.kind_shown = kind
        self.stack.setCurrentWidget(self.scroll)
        self._scale()

    def _scale(self) -> None:
        if self.pixmap is None or self.pixmap.isNull():
            return
        width = max(self.scroll.viewport().width() - 4, 50)
        if self.pixmap.width() > width:
            shown = self.pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        else:
            shown = self.pixmap
        self.image.setPixmap(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._scale()

    def _show_text(self, text: str, kind: str) -> None:
        self.kind_shown = kind
        self.text.setPlainText(text)
        self.stack.setCurrentWidget(self.text)

    def _say(self, text: str, kind: str = "none") -> None:
        self.kind_shown = kind
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _header_html(self, item: EvidenceInfo) -> str:
        details = [escape(item.added_by), escape(format_datetime(item.added_at))]
        if item.kind == "file":
            details.insert(0, escape(item.file_name))
        parts = [f"<b>{escape(item.title)}</b>", " · ".join(details)]
        if item.description and item.kind != "note":
            parts.append(escape(item.description))
        return "<br>".join(parts)

    def _turn(self, step: int) -> None:
        if self.file is not None and self.kind_shown == "pdf":
            self._show_pdf_page(self.page + step)
            self._update_buttons()

    def _update_buttons(self) -> None:
        is_pdf = self.kind_shown == "pdf"
        for widget in (self.previous_button, self.next_button, self.page_label):
            widget.setVisible(is_pdf)
        self.previous_button.setEnabled(is_pdf and self.page > 0)
        self.next_button.setEnabled(is_pdf and self.page < self.page_count - 1)
        self.page_label.setText(
            _("Page {page} of {count}").format(page=self.page + 1, count=self.page_count)
        )
        self.save_button.setVisible(self.file is not None)
        self.open_button.setVisible(self.item is not None and self.item.kind == "link")

    # --- actions ------------------------------------------------------------------

    def save_copy(self) -> None:
        if self.file is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), self.file.name)
        if not path:
            return
        try:
            with open(path, "wb") as handle:
                handle.write(self.file.content)
        except OSError as problem:
            self._say(
                _("The copy could not be saved: {problem}. Choose another folder.").format(
                    problem=problem.strerror or problem
                ),
                "error",
            )

    def _open_link(self) -> None:
        # links only: a stored file is never handed to the system to open (it may be a
        # script or HTML under a harmless-looking name); "Save a copy" is the way out
        if self.item is not None and self.item.kind == "link" and self.item.url:
            QDesktopServices.openUrl(QUrl(self.item.url))

    def retranslate(self) -> None:
        self.previous_button.setText(_("◀ P&revious page"))
        self.previous_button.setAccessibleName(_("Previous page"))
        self.next_button.setText(_("Ne&xt page ▶"))
        self.next_button.setAccessibleName(_("Next page"))
        self.save_button.setText(_("Save a copy…"))
        self.save_button.setAccessibleName(_("Save a copy of the file"))
        self.open_button.setText(_("Open in bro&wser"))
        self.open_button.setAccessibleName(_("Open the link in the web browser"))
        self.image.setAccessibleName(_("Preview of the evidence"))
        self.text.setAccessibleName(_("Text of the evidence"))
        self.message.setAccessibleName(_("Preview note"))
        self.header.setAccessibleName(_("About the evidence"))
        self._display()
