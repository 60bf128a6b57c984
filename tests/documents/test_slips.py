"""Sign-in slips, read back as a reader sees them: text, fonts, pages and where the words
lie on the page."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from html import unescape

import pytest

from digcomp_app.documents.slips import SignInSlip, render_sign_in_slips
from tests.documents.conftest import flat, need, page_count, pdf_fonts, pdf_text

ISSUED_ON = dt.date(2026, 12, 4)
WHERE = {
    "en": "On a school computer: open 'DigComp recognition' from the Start menu.",
    "lv": "Skolas datorā: atveriet „DigComp atzīšana” izvēlnē Sākt.",
}
A4_WIDTH, A4_HEIGHT = 595.2756, 841.8898


def slip(number: int = 0, **changes: str) -> SignInSlip:
    values = {
        "full_name": "Jānis Bērziņš",
        "group": "DT-1",
        "username": f"janis.berzins{number or ''}",
        "one_time_password": f"kado-ribe-{70 + number}",
    }
    values.update(changes)
    return SignInSlip(**values)


def render(slips: list[SignInSlip], language: str = "en") -> bytes:
    return render_sign_in_slips(
        slips,
        school_name="Daugavkrastu tehnikums",
        where_to_sign_in=WHERE[language],
        language=language,
        issued_on=ISSUED_ON,
    )


def words_with_boxes(pdf: bytes, tmp_path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, xMin, yMin, xMax, yMax) of every word, as ``pdftotext -bbox`` finds it
    (y from the top of the page)."""
    source = tmp_path / "bbox.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        [need("pdftotext"), "-bbox", "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page,
        ):
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            found.append((number, unescape(match.group(5)), x0, y0, x1, y1))
    return found


def test_a_slip_shows_the_learner_and_the_sign_in_details(tmp_path):
    pdf = render([slip(group="DT-1"), slip(1, full_name="Anna Kalniņa", group="")])
    text = pdf_text(pdf, tmp_path)
    assert "Jānis Bērziņš" in text and "Anna Kalniņa" in text
    assert "Group: DT-1" in text and text.count("Group:") == 1  # none for an empty group
    assert "janis.berzins" in text and "janis.berzins1" in text
    # each character stands in a cell of its own, yet the password reads as one word
    assert "kado-ribe-70" in text.split() and "kado-ribe-71" in text.split()


def test_english_fixed_texts(tmp_path):
    text = flat(pdf_text(render([slip()], "en"), tmp_path))
    for expected in (
        "Daugavkrastu tehnikums",
        "Sign-in slip",
        "User name",
        "One-time password",
        WHERE["en"],
        "At your first sign-in you will choose your own password. Keep this slip to "
        "yourself and throw it away after that.",
        "Issued on 4 December 2026",
    ):
        assert expected in text


def test_latvian_fixed_texts(tmp_path):
    text = flat(pdf_text(render([slip()], "lv"), tmp_path))
    for expected in (
        "Pieteikšanās lapiņa",
        "Grupa: DT-1",
        "Lietotājvārds",
        "Vienreizējā parole",
        WHERE["lv"],
        "Pirmajā pieteikšanās reizē jūs izvēlēsieties savu paroli.",
        "2026. gada 4. decembris",
    ):
        assert expected in text
    assert "Sign-in" not in text and "password" not in text


def test_eight_slips_a_page(tmp_path):
    assert page_count(render([slip(n) for n in range(8)])) == 1
    pdf = render([slip(n) for n in range(9)])
    assert page_count(pdf) == 2
    assert "kado-ribe-78" in pdf_text(pdf, tmp_path, first=2).split()
    assert "kado-ribe-78" not in pdf_text(pdf, tmp_path, last=1)


def test_slips_fill_two_columns_and_four_rows(tmp_path):
    words = words_with_boxes(render([slip(n) for n in range(8)]), tmp_path)
    cells = set()
    for _page, word, x0, y0, _x1, _y1 in words:
        if word.startswith("kado-ribe-"):
            cells.add((int(x0 // (A4_WIDTH / 2)), int(y0 // (A4_HEIGHT / 4))))
    assert cells == {(column, row) for column in range(2) for row in range(4)}


def test_a_very_long_name_stays_inside_its_slip(tmp_path):
    long_name = (
        "Anna-Marija Elizabete Kristīne Ludmila Aleksandra Viktorija Jēkabsone-Vanaga-"
        "Bērziņa-Kalniņa-Ozoliņa-Šņore-Zvaigzne-Ābele-Liepiņa"
    )[:120]
    assert len(long_name) == 120
    slips = [slip(n) for n in range(8)]
    slips[3] = slip(3, full_name=long_name)  # the right column, second row
    pdf = render(slips)
    assert page_count(pdf) == 1
    text = flat(pdf_text(pdf, tmp_path))
    assert all(part in text for part in long_name.split())
    slip_width, slip_height = A4_WIDTH / 2, A4_HEIGHT / 4
    left, top = slip_width, slip_height
    inside = [w for w in words_with_boxes(pdf, tmp_path) if w[1] in long_name.split()]
    assert {w[1] for w in inside} == set(long_name.split())
    for _page, word, x0, y0, x1, y1 in inside:
        assert left < x0 and x1 < left + slip_width, word
        assert top < y0 and y1 < top + slip_height, word
    # and the slip's other lines are still there, inside it too
    slip_words = [
        w[1]
        for w in words_with_boxes(pdf, tmp_path)
        if left < w[2] and w[4] < A4_WIDTH and top < w[3] and w[5] < top + slip_height
    ]
    assert "kado-ribe-73" in slip_words and "janis.berzins3" in slip_words
    assert "December" in slip_words  # the date of issue at the foot


@pytest.mark.parametrize("language", ["lv", "en"])
def test_fonts_are_embedded(language, tmp_path):
    name = "ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž"
    pdf = render([slip(full_name=name)], language)
    assert name in pdf_text(pdf, tmp_path)
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert all("NotoSans" in f["name"] for f in fonts)


def test_metadata_names_the_document_but_nobody(tmp_path):
    import pypdfium2

    pdf = render([slip()])
    document = pypdfium2.PdfDocument(pdf)
    try:
        meta = document.get_metadata_dict()
    finally:
        document.close()
    assert meta["Title"] == "Sign-in slips"
    assert meta["Author"] == "Daugavkrastu tehnikums"
    everything = " ".join(str(v) for v in meta.values())
    for private in ("Jānis", "Bērziņš", "janis", "kado", "ribe"):
        assert private not in everything
    # nowhere in the file's uncompressed parts either (only in the page's content stream)
    assert b"kado" not in pdf and b"janis" not in pdf


def test_nothing_to_print_is_an_error():
    with pytest.raises(ValueError):
        render([])
    with pytest.raises(ValueError):
        render_sign_in_slips(
            [slip()], school_name="S", where_to_sign_in="", language="de", issued_on=ISSUED_ON
        )
