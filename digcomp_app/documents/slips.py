"""Sign-in slips: an A4 sheet of eight slips (2 columns x 4 rows, dashed cut lines) for
a group of new accounts, each with the learner's name, group, user name and one-time
password, where to sign in, and the rule to change the password and throw the slip away.

The passwords appear on the printed pages only: never in the metadata, which names the
school and nothing personal. Every slip keeps inside its own rectangle: a long name is
printed smaller (or on two lines), and when the texts still do not fit the whole slip is
scaled down.

No monospaced face is bundled (Noto Sans only, and reportlab's Courier is not embedded
and has no Latvian letters), so the password is set in Noto Sans Bold with every
character centred in a cell of the same width: a monospaced, letter-spaced line.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents import fonts
from digcomp_app.documents.layout import Column, Painter2D, Piece, Row, Style, grid_rows, wrap
from digcomp_app.documents.pdf_data import apply_metadata
from digcomp_app.documents.report import GREY, INK, NAVY, RULE, TINT, metadata
from digcomp_app.documents.texts import document_date, gettext_for
from digcomp_app.i18n import N_, UI_LANGUAGES

__all__ = ["SignInSlip", "render_sign_in_slips"]

LANGUAGES = UI_LANGUAGES

DOCUMENT_TITLE = N_("Sign-in slips")
DOCUMENT_SUBJECT = N_("One-time passwords for new accounts, to be cut apart and handed out")
SLIP_TITLE = N_("Sign-in slip")
GROUP = N_("Group: {group}")
USER_NAME = N_("User name")
ONE_TIME_PASSWORD = N_("One-time password")
RULE_TEXT = N_(
    "At your first sign-in you will choose your own password. Keep this slip to yourself "
    "and throw it away after that."
)
ISSUED_ON = N_("Issued on {date}")


@dataclass(frozen=True, slots=True)
class SignInSlip:
    full_name: str  # "Jānis Bērziņš"
    group: str  # "DT-1" or ""
    username: str  # "janis.berzins"
    one_time_password: str  # e.g. "kado-ribe-79" (its alphabet is the caller's choice)


# --- the sheet --------------------------------------------------------------------------
PAGE_WIDTH, PAGE_HEIGHT = A4
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
SLIP_WIDTH = PAGE_WIDTH / COLUMNS
SLIP_HEIGHT = PAGE_HEIGHT / ROWS
#: inside each slip: clear of the cut, and of the unprintable edge of the paper
PAD_X = 8 * mm
PAD_Y = 6 * mm
INNER_WIDTH = SLIP_WIDTH - 2 * PAD_X
INNER_HEIGHT = SLIP_HEIGHT - 2 * PAD_Y

REG, BOLD, ITAL = fonts.REGULAR, fonts.BOLD, fonts.ITALIC
NAME_SIZE, NAME_LEADING = 16.0, 19.5
TWO_LINE_NAME_SIZE = 12.5  # a name too long for one line
MIN_NAME_SIZE = 7.0
MIN_SCALE = 0.5
BOX_PAD = 2 * mm  # inside the password's box, before the first character


@dataclass(frozen=True, slots=True)
class _Texts:
    school: str
    title: str
    user_label: str
    password_label: str
    where: str
    rule: str
    issued: str
    group_format: str


def render_sign_in_slips(
    slips: Sequence[SignInSlip],
    *,
    school_name: str,
    where_to_sign_in: str,
    language: str,
    issued_on: dt.date,
) -> bytes:
    """The slips of ``slips`` as an A4 PDF, eight a page, every fixed text in
    ``language`` ("lv" or "en"); ``where_to_sign_in`` is printed as given."""
    if not slips:
        raise ValueError("no sign-in slips to print")
    if language not in LANGUAGES:
        raise ValueError(f"language must be lv or en, not {language!r}")
    fonts.register_fonts()  # text is measured before anything is drawn
    _ = gettext_for(language)
    texts = _Texts(
        school=school_name.strip(),
        title=_(SLIP_TITLE),
        user_label=_(USER_NAME),
        password_label=_(ONE_TIME_PASSWORD),
        where=where_to_sign_in.strip(),
        rule=_(RULE_TEXT),
        issued=_(ISSUED_ON).format(date=document_date(issued_on, language)),
        group_format=_(GROUP),
    )
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        pageCompression=1,
        lang=language,
        initialFontName=fonts.REGULAR,  # type: ignore[arg-type]  # the stubs say float: a name
        initialFontSize=10,
    )
    # The school and what the document is; no name, user name or password.
    apply_metadata(canvas, metadata(_(DOCUMENT_TITLE), texts.school, _(DOCUMENT_SUBJECT), language))
    painter = Painter2D(canvas)
    for start in range(0, len(slips), PER_PAGE):
        painter.new_page()
        _cut_lines(canvas)
        for index, slip in enumerate(slips[start : start + PER_PAGE]):
            column, row = index % COLUMNS, index // COLUMNS
            left = column * SLIP_WIDTH + PAD_X
            top = PAGE_HEIGHT - row * SLIP_HEIGHT - PAD_Y
            _draw_slip(painter, slip, texts, left, top)
        painter.finish_page()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cut_lines(canvas: Canvas) -> None:
    """Dashed lines between the slips, from edge to edge of the paper."""
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    for column in range(1, COLUMNS):
        x = column * SLIP_WIDTH
        canvas.line(x, 0, x, PAGE_HEIGHT)
    for row in range(1, ROWS):
        y = row * SLIP_HEIGHT
        canvas.line(0, y, PAGE_WIDTH, y)
    canvas.restoreState()


def _draw_slip(
    painter: Painter2D, slip: SignInSlip, texts: _Texts, left: float, top: float
) -> None:
    body, footer = _fitted(slip, texts)
    placed, offset = [], 0.0
    for row in body:
        placed.append((row, offset))
        offset += row.height
    # the date of issue sits at the foot of the slip
    offset = INNER_HEIGHT - sum(row.height for row in footer)
    for row in footer:
        placed.append((row, offset))
        offset += row.height
    painter.rows(placed, left, top)


def _fitted(slip: SignInSlip, texts: _Texts) -> tuple[list[Row], list[Row]]:
    """The slip's rows at the largest scale at which they fit its height."""
    scale = 1.0
    while True:
        body, footer = _slip_rows(slip, texts, scale)
        used = sum(row.height for row in (*body, *footer))
        if used <= INNER_HEIGHT or scale <= MIN_SCALE:
            break
        scale = round(scale - 0.05, 2)
    if used > INNER_HEIGHT:  # absurdly long texts: what does not fit is left out
        room = INNER_HEIGHT - sum(row.height for row in footer)
        kept = []
        for row in body:
            if row.height > room:
                break
            kept.append(row)
            room -= row.height
        body = kept
    return body, footer


def _slip_rows(slip: SignInSlip, texts: _Texts, scale: float) -> tuple[list[Row], list[Row]]:
    def style(font: str, size: float, color: Color = INK, leading: float = 1.27) -> Style:
        return Style(font, size * scale, size * scale * leading, color)

    width = INNER_WIDTH
    rows: list[Row] = []
    if texts.school:
        rows += _lines(texts.school, style(BOLD, 8, GREY), width, max_lines=2)
    rows += _lines(texts.title, style(BOLD, 10, NAVY), width)
    rows.append(Row(1.6 * mm * scale))
    rows += _name_rows(slip.full_name, scale)
    if slip.group.strip():
        group = texts.group_format.format(group=slip.group.strip())
        rows += _lines(group, style(REG, 8.5, GREY), width)
    rows.append(_rule_row(width, 2.8 * mm * scale))

    label_style = style(REG, 8, GREY)
    label_width = max(label_style.width(texts.user_label), label_style.width(texts.password_label))
    value_x = label_width + 3 * mm * scale
    value_width = width - value_x
    user_style = _shrunk(slip.username, style(BOLD, 11.5), value_width, 7.5 * scale)
    rows += _labelled(texts.user_label, label_style, slip.username, user_style, value_x)
    rows.append(Row(1.6 * mm * scale))
    rows.append(
        _password_row(slip.one_time_password, texts.password_label, label_style, value_x, scale)
    )
    rows.append(Row(2.2 * mm * scale))
    if texts.where:
        rows += _lines(texts.where, style(REG, 8), width)
        rows.append(Row(1.2 * mm * scale))
    rows += _lines(texts.rule, style(ITAL, 7.5, GREY), width)
    footer = [Row(1.5 * mm * scale), *_lines(texts.issued, style(REG, 7, GREY), width)]
    return rows, footer


def _lines(text: str, style: Style, width: float, max_lines: int = 0) -> list[Row]:
    """``text`` wrapped, one row a line (a text that would take more than ``max_lines``
    lines is printed smaller until it does not, down to 60 %)."""
    if max_lines:
        style = _shrunk(text, style, width, style.size * 0.6, max_lines)
    return [Row(style.leading, [Piece(0, style, line)]) for line in wrap(text, style, width)]


def _shrunk(text: str, style: Style, width: float, smallest: float, max_lines: int = 1) -> Style:
    """``style`` made smaller until ``text`` fits in ``max_lines`` lines (not below
    ``smallest``; then it wraps to more lines)."""
    ratio = style.leading / style.size
    size = style.size
    while size > smallest and len(wrap(text, Style(style.font, size, 0), width)) > max_lines:
        size = max(smallest, size - 0.5)
    return Style(style.font, size, size * ratio, style.color)


def _name_rows(name: str, scale: float) -> list[Row]:
    """The name in large bold: on one line, a little smaller if need be, else on two
    (smaller still, down to the smallest size, and then on as many lines as it takes)."""
    name = name.strip()
    ratio = NAME_LEADING / NAME_SIZE
    size = NAME_SIZE * scale
    one_line = _shrunk(name, Style(BOLD, size, size * ratio, INK), INNER_WIDTH, size * 0.8)
    if len(wrap(name, one_line, INNER_WIDTH)) == 1:
        return _lines(name, one_line, INNER_WIDTH)
    size = TWO_LINE_NAME_SIZE * scale
    two_lines = _shrunk(
        name, Style(BOLD, size, size * ratio, INK), INNER_WIDTH, MIN_NAME_SIZE * scale, 2
    )
    return _lines(name, two_lines, INNER_WIDTH)


def _labelled(
    label: str, label_style: Style, value: str, value_style: Style, value_x: float
) -> list[Row]:
    """A label and its value beside it, on a shared baseline."""
    return grid_rows(
        [
            Column(0, value_x, label_style, label),
            Column(value_x, INNER_WIDTH - value_x, value_style, value),
        ]
    )


def _rule_row(width: float, height: float) -> Row:
    row = Row(height)

    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - height / 2, left + width, top - height / 2)

    row.painters.append(paint)
    return row


def _password_row(
    password: str, label: str, label_style: Style, value_x: float, scale: float
) -> Row:
    """The password in a tinted box, each character centred in a cell of one width."""
    text = password.strip()
    room = INNER_WIDTH - value_x - 2 * BOX_PAD * scale
    size = 16 * scale
    while True:
        cell = _cell_width(text, size)
        if cell * len(text) <= room or size <= 6:
            break
        size -= 0.5
    style = Style(BOLD, size, size * 1.2, INK)
    box_height = size * 1.75
    row = Row(box_height)
    text_dy = (box_height - style.leading) / 2
    # the label on the password's baseline
    depth = text_dy + style.leading - 0.3 * style.size
    label_dy = depth - (label_style.leading - 0.3 * label_style.size)
    row.pieces.append(Piece(0, label_style, label, dy=label_dy))
    box_width = cell * len(text) + 2 * BOX_PAD * scale
    start = value_x + BOX_PAD * scale

    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setFillColor(TINT)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.roundRect(left + value_x, top - box_height, box_width, box_height, 2.5, 1, 1)
        out = canvas.beginText()
        out.setFont(style.font, style.size, style.leading)
        out.setFillColor(style.color)
        baseline = style.baseline(top - text_dy)
        for index, char in enumerate(text):
            x = left + start + (index + 0.5) * cell - stringWidth(char, style.font, style.size) / 2
            out.setTextOrigin(x, baseline)
            out.textOut(char)
        # The characters stand apart in their cells; a reader that extracts text (copy
        # and paste, a screen reader) is told they are one word.
        canvas.addLiteral(f"/Span <</ActualText {_pdf_text_string(text)}>> BDC")
        canvas.drawText(out)
        canvas.addLiteral("EMC")

    row.painters.append(paint)
    return row


def _pdf_text_string(text: str) -> str:
    """``text`` as a PDF text string (UTF-16BE with its byte order mark, in hex)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _cell_width(text: str, size: float) -> float:
    """One width for every character: the widest one's (at least a digit's), spaced."""
    widest = max((stringWidth(c, BOLD, size) for c in text), default=0.0)
    return max(widest, stringWidth("0", BOLD, size)) + 0.3 * size
