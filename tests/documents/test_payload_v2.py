"""Version 2 of the attestation code: the signed content in the QR (docs/attestation-format.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digcomp_app.documents import payload
from digcomp_app.documents.payload import PayloadError, SignedContent
from digcomp_app.documents.qr import make
from tests.documents.conftest import decode_qr

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ADDRESS = "https://www.daugavkrasts.lv/apliecinajumi/"


def content(**changes) -> SignedContent:
    base = SignedContent(
        serial="DC-BCDF-GHJK-MNPQ-RST" + payload.check_symbol("BCDFGHJKMNPQRST"),
        issued_on=dt.date(2026, 12, 4),
        holder="Anna Bērziņa-Ozoliņa",
        birth_date=None,
        school="Daugavkrastu tehnikums",
        address=ADDRESS,
        framework_id="digcomp",
        framework_version="3.0",
        competences=(
            ("1.1", 4),
            ("1.2", 5),
            ("2.1", 3),
            ("2.2", 6),
            ("3.1", 4),
            ("3.4", 2),
            ("4.2", 5),
            ("5.3", 8),
        ),
        mobility_code="2026-1-LV01-KA122-VET-000123456",
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
    ],
)
def test_base45_gives_the_rfc_9285_examples(raw, text):
    assert payload.base45_encode(raw) == text
    assert payload.base45_decode(text) == raw


@pytest.mark.parametrize("text", ["GGW", "A", "ABCD", "aa", "::::", "GGW0"])
def test_base45_refuses_what_the_rfc_calls_invalid(text):
    # GGW = 65536; "::" pair = 2024 > 255; a lone character; lower case
    with pytest.raises(PayloadError):
        payload.base45_decode(text)


def test_a_signed_code_reads_back_and_its_signature_matches():
    signed = payload.sign_v2(KEY, content())
    text = signed.text()
    assert text.startswith(ADDRESS + "#DC2:")
    read = payload.decode_v2(text)
    assert read == signed and read.address == ADDRESS
    assert read.signature_matches(KEY.public_key())
    assert read.signed_bytes() == b"digcomp-app attestation v2\x00" + read.content_bytes
    assert payload.decode_any(text) == read
    assert SignedContent.decode(read.content_bytes) == content()


def test_without_an_address_the_code_is_the_bare_text():
    signed = payload.sign_v2(KEY, content(address=""))
    assert signed.text().startswith("DC2:") and "#" not in signed.text()
    assert signed.segments() == [(signed.text(), "alphanumeric")]
    assert payload.decode_v2(signed.text()).address == ""


def test_the_address_is_a_byte_segment_and_the_code_an_alphanumeric_one():
    signed = payload.sign_v2(KEY, content())
    (address, mode), (code, code_mode) = signed.segments()
    assert (address, mode) == (ADDRESS + "#", "byte")
    assert code_mode == "alphanumeric" and address + code == signed.text()
    assert set(code) <= set(payload.BASE45_ALPHABET)
    assert payload.qr_segments(signed.text()) == signed.segments()
    assert payload.qr_address(signed.text()) == ADDRESS


def test_a_typical_attestation_needs_qr_version_15_or_less():
    signed = payload.sign_v2(KEY, content(birth_date=dt.date(2008, 3, 1)))
    assert make(signed.segments(), "m", 4).version <= 15
    assert make(payload.sign_v2(KEY, content()).segments(), "m", 4).version <= 15


def test_the_date_of_birth_is_signed_only_when_given():
    without = cbor2.loads(content().encode())
    with_birth = cbor2.loads(content(birth_date=dt.date(2008, 3, 1)).encode())
    assert 5 not in without and with_birth[5] == "2008-03-01"
    assert sorted(with_birth) == list(range(1, 12))


def test_every_changed_character_is_refused_or_fails_the_signature():
    text = payload.sign_v2(KEY, content()).text()
    start = text.index("#DC2:") + 5
    for at in range(start, len(text)):
        for other in ("0", "Z"):
            if text[at] == other:
                continue
            changed = text[:at] + other + text[at + 1 :]
            try:
                read = payload.decode_v2(changed)
            except PayloadError:
                continue
            assert not read.signature_matches(KEY.public_key()), at


def envelope_text(envelope: bytes, level: int = 9) -> str:
    return "DC2:" + payload.base45_encode(zlib.compress(envelope, level))


def test_strict_decoding_names_what_is_wrong():
    signed = payload.sign_v2(KEY, content(address=""))
    key, body, signature = bytes.fromhex(signed.key_id), signed.content_bytes, signed.signature
    cases = {
        "prefix": "DC3:AAA",
        "base45": "DC2:abc",
        "zlib": "DC2:" + payload.base45_encode(b"not zlib"),
        "more than 4096": envelope_text(b"\x00" * 5000),
        "after the zlib": "DC2:" + payload.base45_encode(zlib.compress(signed.envelope()) + b"x"),
        "canonical": envelope_text(b"\x9f" + cbor2.dumps(key) + cbor2.dumps(body) + b"\xff"),
        "three byte strings": envelope_text(cbor2.dumps([key, body])),
        "8 bytes": envelope_text(cbor2.dumps([key + b"\0", body, signature])),
        "bytes after": envelope_text(signed.envelope() + b"\x00"),
    }
    for expected, text in cases.items():
        with pytest.raises(PayloadError, match=expected):
            payload.decode_v2(text)


def test_signed_content_must_be_canonical_and_well_typed():
    good = cbor2.loads(content().encode())
    bad = {
        "not canonical": bytes.fromhex("b8") + bytes([len(good)]) + content().encode()[1:],
        "unexpected keys": cbor2.dumps({**good, 12: "x"}, canonical=True),
        "version": cbor2.dumps({**good, 1: 3}, canonical=True),
        "level": cbor2.dumps({**good, 10: [["1.1", 9]]}, canonical=True),
        "float": cbor2.dumps({**good, 3: 9468.0}, canonical=True),
        "tag": cbor2.dumps({**good, 4: cbor2.CBORTag(0, "x")}, canonical=True),
        "NFC": cbor2.dumps({**good, 4: "Anna Be\u0304rzin\u0327a"}, canonical=True),
        "serial": cbor2.dumps({**good, 2: "DC-AEIO-0000-0000-0000"}, canonical=True),
        "birth": cbor2.dumps({**good, 5: "20080301"}, canonical=True),
    }
    for name, data in bad.items():
        with pytest.raises(PayloadError):
            SignedContent.decode(data)
        assert name


def test_old_dc1_codes_still_read():
    signed = payload.sign(KEY, "DC-ABCD-EFGH-IJKL-MNOP", dt.date(2026, 1, 2), "00" * 32)
    read = payload.decode_any(signed.text())
    assert isinstance(read, payload.Payload) and read.signature_matches(KEY.public_key())


def test_new_serials_have_no_vowels_and_a_check_symbol():
    for _ in range(200):
        serial = payload.new_serial()
        assert len(serial) == 22 and serial.startswith("DC-") and serial.count("-") == 4
        assert set(serial[3:].replace("-", "")) <= set(payload.SERIAL_ALPHABET)
        assert payload.serial_problem(serial) is None
        assert payload.normalise_serial(serial.lower().replace("-", "")) == serial


def test_a_typo_or_two_swapped_neighbours_is_mistyped():
    serial = "DC-" + "BCDFGHJKMNPQRST" + payload.check_symbol("BCDFGHJKMNPQRST")
    symbols = serial[3:]
    for at in range(16):
        for other in payload.SERIAL_ALPHABET:
            if other != symbols[at]:
                typo = "DC-" + symbols[:at] + other + symbols[at + 1 :]
                assert payload.serial_problem(typo) == "mistyped", typo
    for at in range(15):
        swapped = symbols[:at] + symbols[at + 1] + symbols[at] + symbols[at + 2 :]
        assert payload.serial_problem("DC-" + swapped) == "mistyped"
    assert payload.serial_problem("dc-" + symbols.lower()) is None
    assert payload.serial_problem("DC-ABCD-EFGH-IJKL-MNOP") is None  # version 1
    assert payload.serial_problem("DC-ABC") == "malformed"
    assert payload.serial_problem("DC-0000-0000-0000-0000") == "malformed"
    assert payload.serial_problem("XX-BCDF-GHJK-MNPQ-RSTV") == "malformed"


def test_no_swap_of_two_different_neighbours_goes_unnoticed():
    for a in payload.SERIAL_ALPHABET:
        for b in payload.SERIAL_ALPHABET:
            if a != b:
                first, second = "B" * 13 + a + b, "B" * 13 + b + a
                assert payload.check_symbol(first) != payload.check_symbol(second)


def test_a_printed_code_scans_at_120_dpi(tmp_path):
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from digcomp_app.documents.attestation_layout import QR_MASK, QR_SIZE
    from digcomp_app.documents.qr import draw_qr

    signed = payload.sign_v2(KEY, content(birth_date=dt.date(2008, 3, 1)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    draw_qr(canvas, signed.segments(), 20 * mm, 11 * mm, QR_SIZE, mask=QR_MASK)
    canvas.showPage()
    canvas.save()
    assert decode_qr(buffer.getvalue(), tmp_path, dpi=120) == [signed.text()]


def v2_attestation(**verification):
    from digcomp_app.documents.attestation import AttestationData
    from digcomp_app.framework import builtin_library
    from digcomp_app.services.certificates import signed_content
    from tests.documents.conftest import make_snapshot

    base = make_snapshot()
    entry = base["competences"][0]
    ids = ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "5.2"]
    snapshot = make_snapshot(
        serial=payload.new_serial(),
        holder={"given_names": "Anna Marija", "surname": "Bērziņa-Ozoliņa", "date_of_birth": None},
        competences=[{**entry, "competence": cid, "level": 3 + i % 4} for i, cid in enumerate(ids)],
        verification={"version": 2, "prints_birth_date": False, **verification},
    )
    signed = payload.sign_v2(KEY, signed_content(snapshot))
    framework = builtin_library().get("digcomp", "3.0")
    return AttestationData(snapshot, framework, signed.text(), "AAAA BBBB"), signed


def test_a_printed_attestation_with_its_address_scans_at_120_dpi(tmp_path):
    from digcomp_app.documents.attestation import render_attestation
    from tests.documents.conftest import flat, pdf_text

    item, signed = v2_attestation(address=ADDRESS)
    assert make(signed.segments(), "m", 4).version <= 15
    pdf = render_attestation(item, ["lv"])
    assert decode_qr(pdf, tmp_path, dpi=120) == [signed.text()]
    assert f"Pārbaudiet šo apliecinājumu: {ADDRESS}" in flat(pdf_text(pdf, tmp_path, 1, 1))
    english = render_attestation(item, ["en"])
    assert f"Check this attestation at {ADDRESS}" in flat(pdf_text(english, tmp_path, 1, 1))


def test_an_attestation_without_an_address_prints_no_address_line(tmp_path):
    from digcomp_app.documents.attestation import render_attestation
    from tests.documents.conftest import pdf_text

    item, signed = v2_attestation(address="")
    pdf = render_attestation(item, ["en"])
    assert decode_qr(pdf, tmp_path, dpi=120) == [signed.text()]
    assert "Check this attestation at" not in pdf_text(pdf, tmp_path)


def test_in_a_url_the_code_has_no_raw_space_or_percent_and_reads_back():
    for _ in range(20):  # random serials: spaces and % turn up in most codes
        signed = payload.sign_v2(KEY, content(serial=payload.new_serial(), address=ADDRESS))
        text = signed.text()
        fragment = text.split("#", 1)[1]
        assert " " not in fragment
        assert all(part[:2] in ("20", "25") for part in fragment.split("%")[1:])
        assert payload.decode_v2(text) == signed
        assert payload.decode_v2(signed.code()).content == signed.content  # pasted bare
    with pytest.raises(PayloadError, match="not %20 or %25"):
        payload.decode_v2(ADDRESS + "#DC2:%41")


def test_set_bits_after_the_last_deflate_block_make_the_code_unreadable():
    """Otherwise a changed character could flip only unused bits: same envelope, valid."""
    signed = payload.sign_v2(KEY, content())
    raw = zlib.compress(signed.envelope(), 9)
    last = len(raw) - 5
    padding = [
        bit
        for bit in range(8)
        if not raw[last] >> bit & 1
        and _inflates_to(bytes(raw[:last]) + bytes([raw[last] | 1 << bit]) + raw[last + 1 :])
        == signed.envelope()
    ]
    assert padding, "this envelope's last deflate byte has no unused bit to set"
    forged = bytearray(raw)
    forged[last] |= 1 << padding[-1]
    with pytest.raises(PayloadError, match="set bits after the end"):
        payload.decode_v2("DC2:" + payload.base45_encode(bytes(forged)))


def _inflates_to(data: bytes) -> bytes | None:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return None
