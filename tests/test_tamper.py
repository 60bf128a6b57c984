"""Tampered attestations through ``digcomp-app verify``: real PDFs printed by the app from a
school built through the services, then forged the ways a forger would (issue 10).

Each case asserts the command's exit status and the words of its verdict.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digcomp_app.cli import main
from digcomp_app.documents import payload, revocations
from digcomp_app.documents.attestation import AttestationData, render_attestation
from digcomp_app.documents.pdf_data import ATTACHMENT_NAME
from digcomp_app.framework import builtin_library
from digcomp_app.services import (
    certificates,
    evidence,
    mobilities,
    organisations,
    printing,
    signing,
    validation,
)
from digcomp_app.services.database import Database
from digcomp_app.services.validation import TargetDraft
from tests.services import conftest
from tests.services.test_workflow import PDF as EVIDENCE
from tests.services.test_workflow import to_assessment

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)

ADDRESS = "https://www.rvt.lv/apliecinajumi/"


@dataclasses.dataclass
class World:
    database: str
    folder: Path
    janis: certificates.CertificateInfo
    liga: certificates.CertificateInfo
    janis_pdf: Path
    liga_pdf: Path
    janis_both: Path
    keys: Path
    signer: signing.Signer


def _issue_for_liga(db, school, signer):
    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    conftest.complete_self_assessment(
        db,
        school.other_learner,
        school.mobility_id,
        "before",
        lambda c: 2 if c.startswith(("1.", "2.")) else None,
    )
    case = validation.open_case(db, school.teacher, school.other_learner_id, school.mobility_id)
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("1.1", 3), TargetDraft("2.1", 3)]
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_file(db, school.teacher, case.id, "r.pdf", EVIDENCE, "Report", ("1.1", "2.1"))
    validation.advance(db, school.teacher, case.id)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 2, "observation")
    validation.record_assessment(db, school.teacher, case.id, "2.1", 5, "interview")
    validation.advance(db, school.teacher, case.id)
    return certificates.issue(db, school.coordinator, case.id, signer)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    folder = tmp_path_factory.mktemp("tamper")
    database = folder / "school.sqlite3"
    db = Database(f"sqlite:///{database}", password_hasher=conftest.FAST_HASHER)
    school = conftest.school.__wrapped__(db)
    signer = conftest.signer.__wrapped__(db, school)
    # the QR codes are links to the school's verification page, with the code after "#"
    organisations.update_home(
        db,
        school.admin,
        name="Rīgas Valsts tehnikums",
        country="LV",
        keep_birth_date=True,
        verification_address=ADDRESS,
    )
    case = to_assessment(db, school)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "practical_task")
    validation.record_assessment(db, school.teacher, case.id, "2.1", 3, "interview")
    validation.advance(db, school.teacher, case.id)
    janis = certificates.issue(db, school.coordinator, case.id, signer)
    liga = _issue_for_liga(db, school, signer)
    out = folder / "printed"
    one = printing.print_attestations(
        db, school.coordinator, [janis.serial], ["lv"], out, workers=1
    )
    other = printing.print_attestations(
        db, school.coordinator, [liga.serial], ["lv"], out, workers=1
    )
    both = printing.print_attestations(
        db, school.coordinator, [janis.serial], ["lv", "en"], out, workers=1
    )
    keys = folder / "school-keys.pem"
    keys.write_text(signing.export_public_keys(db, school.coordinator), encoding="utf-8")
    db.close()
    return World(
        str(database),
        folder,
        janis,
        liga,
        one.files[0],
        other.files[0],
        both.files[0],
        keys,
        signer,
    )


def verify(capsys, *argv: str, database: str = "") -> tuple[int, str]:
    code = main([*(("--database", database) if database else ()), "verify", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def offline(capsys, world: World, path: Path, *more: str) -> tuple[int, str]:
    return verify(capsys, "--no-register", "--key", str(world.keys), *more, str(path))


# --- forging tools -------------------------------------------------------------------------


def _unicode_map(font) -> dict[int, str]:
    """code → text of a simple font, from its ToUnicode CMap (reportlab writes bfchar)."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    found = {}
    for code, text in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap):
        if text != "0000":
            found[int(code, 16)] = chr(int(text, 16))
    return found


def edit_page_text(source: Path, target: Path, old: str, new: str) -> int:
    """Change the shown text ``old`` to ``new`` in the pages' content streams, as a forger
    with a PDF editor would (same font, same place). Returns how many were changed."""
    changed = 0
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            fonts = {str(k): _unicode_map(f) for k, f in page.Resources.Font.items()}
            operations = pikepdf.parse_content_stream(page)
            font = None
            edited = []
            for found, operator in operations:
                operands = found
                if str(operator) == "Tf":
                    font = str(operands[0])
                if str(operator) == "Tj" and font in fonts:
                    codes = bytes(operands[0])
                    text = "".join(fonts[font].get(b, "?") for b in codes)
                    if old in text:
                        inverse = {char: code for code, char in fonts[font].items()}
                        replaced = text.replace(old, new)
                        operands = [pikepdf.String(bytes(inverse[c] for c in replaced))]
                        changed += 1
                edited.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(edited))
        pdf.save(target)
    return changed


def set_attachment(source: Path, target: Path, data: bytes | None) -> None:
    """Replace the attached JSON (``None``: remove it)."""
    with pikepdf.open(source) as pdf:
        if data is None:
            del pdf.attachments[ATTACHMENT_NAME]
        else:
            pdf.attachments[ATTACHMENT_NAME] = pikepdf.AttachedFileSpec(
                pdf, data, filename=ATTACHMENT_NAME, mime_type="application/json"
            )
        pdf.save(target)


def attachment_of(path: Path) -> bytes:
    with pikepdf.open(path) as pdf:
        return pdf.attachments[ATTACHMENT_NAME].get_file().read_bytes()


def paste_code(source: Path, code_from: Path, target: Path) -> None:
    """Put the QR code drawn on ``code_from``'s pages over ``source``'s own."""
    with pikepdf.open(source) as pdf, pikepdf.open(code_from) as donor:
        donor_form = next(iter(donor.pages[0].Resources.XObject.values()))
        copied = pdf.copy_foreign(donor_form)
        for page in pdf.pages:
            for name in list(page.Resources.XObject.keys()):
                page.Resources.XObject[name] = copied
        pdf.save(target)


def forged_pdf(world: World, snapshot: dict, qr_text: str, target: Path, languages=("lv",)) -> Path:
    framework = builtin_library().get(snapshot["framework"]["id"], snapshot["framework"]["version"])
    item = AttestationData(snapshot, framework, qr_text, world.signer.fingerprint)
    target.write_bytes(render_attestation(item, languages))
    return target


def all_eights(snapshot: dict, given: str, surname: str) -> dict:
    forged = json.loads(json.dumps(snapshot))
    forged["holder"]["given_names"], forged["holder"]["surname"] = given, surname
    for entry in forged["competences"]:
        entry["level"] = 8
    return forged


def first_line(out: str) -> str:
    return next(
        line for line in out.splitlines() if line.startswith(("VALID", "NOT", "REVOKED", "UNKNOWN"))
    )


# --- the cases ------------------------------------------------------------------------------


def test_genuine_pdfs_are_valid_offline_and_with_the_register(world, capsys, monkeypatch):
    assert world.janis.qr_text.startswith(ADDRESS + "#DC2:")
    code, out = offline(capsys, world, world.janis_pdf)
    assert code == 0 and first_line(out).startswith("VALID"), out
    assert "Rīgas Valsts tehnikums" in out and "only as trustworthy as where it came from" in out
    assert "revocation was not checked" in out.replace(
        "revoked was not checked", "revocation was not checked"
    )
    # the printed file's own name starts with its serial: it is still read as a file
    monkeypatch.chdir(world.janis_pdf.parent)
    assert world.janis_pdf.name.startswith("DC-")
    code, out = offline(capsys, world, Path(world.janis_pdf.name))
    assert code == 0 and first_line(out).startswith("VALID"), out
    code, out = verify(capsys, str(world.janis_both), database=world.database)
    assert code == 0 and first_line(out).startswith("VALID") and "1, 2, 3, 4" in out, out


def test_forged_paper_with_a_genuine_qr_is_not_valid_naming_the_difference(world, capsys):
    forged = all_eights(world.liga.snapshot, "Anna", "Viltotāja")
    path = forged_pdf(world, forged, world.janis.qr_text, world.folder / "forged-paper.pdf")
    code, out = offline(capsys, world, path)
    assert code == 1 and first_line(out).startswith("NOT VALID"), out
    assert "the page shows level 8 for 1.1; the signed code says 4" in out
    assert "the page shows the holder “Viltotāja Anna”; the signed code says “Jānis Bērziņš”" in out
    assert "the attached data shows the holder" in out  # the forger's attachment too
    code, out = verify(capsys, str(path), database=world.database)
    assert code == 1 and "the page shows level 8 for 2.1; the signed code says 3" in out, out


def test_a_level_edited_in_the_page_is_not_valid(world, capsys):
    path = world.folder / "level-edited.pdf"
    assert edit_page_text(world.janis_pdf, path, "4 – ", "8 – ") == 1
    code, out = offline(capsys, world, path)
    assert code == 1 and first_line(out).startswith("NOT VALID"), out
    assert "the page shows level 8 for 1.1; the signed code says 4" in out
    code, out = verify(capsys, str(path), database=world.database)
    assert code == 1 and "level 8 for 1.1" in out


def test_another_holder_on_the_page_is_not_valid(world, capsys):
    path = world.folder / "other-holder.pdf"
    assert edit_page_text(world.janis_pdf, path, "Jānis", "Ansis") >= 1
    code, out = offline(capsys, world, path)
    assert code == 1 and first_line(out).startswith("NOT VALID"), out
    assert "the page shows the holder “Bērziņš Ansis”; the signed code says “Jānis Bērziņš”" in out


def test_a_swapped_or_altered_attachment_is_not_valid_and_a_removed_one_is_not_needed(
    world, capsys
):
    swapped = world.folder / "attachment-swapped.pdf"
    set_attachment(world.janis_pdf, swapped, attachment_of(world.liga_pdf))
    code, out = offline(capsys, world, swapped)
    assert code == 1 and first_line(out).startswith("NOT VALID"), out
    assert f"the attached data belongs to another attestation ({world.liga.serial})" in out

    records = json.loads(attachment_of(world.janis_pdf))
    record = records[0].get("printed") or records[0]["snapshot"]
    for entry in record["competences"]:
        entry["level"] = 8
    altered = world.folder / "attachment-altered.pdf"
    set_attachment(world.janis_pdf, altered, json.dumps(records).encode("utf-8"))
    code, out = offline(capsys, world, altered)
    assert code == 1 and "the attached data shows level 8 for 1.1; the signed code says 4" in out

    removed = world.folder / "attachment-removed.pdf"
    set_attachment(world.janis_pdf, removed, None)
    code, out = offline(capsys, world, removed)
    # the printed code carries the signed content: the page is checked against it
    assert code == 0 and first_line(out).startswith("VALID"), out
    assert "carries no attached data" in out


def test_a_qr_code_from_another_attestation_pasted_on_the_page_is_not_valid(world, capsys):
    path = world.folder / "qr-pasted.pdf"
    paste_code(world.janis_pdf, world.liga_pdf, path)
    code, out = offline(capsys, world, path)
    assert code == 1 and first_line(out).startswith("NOT VALID"), out
    shows, says = world.janis.serial, world.liga.serial
    assert f"the page shows the serial “{shows}”; the signed code says “{says}”" in out
    assert "the page shows level 4 for 1.1; the signed code says 2" in out
    assert "the attached data belongs to another attestation" in out


def test_a_revoked_attestation_is_revoked_by_the_list_and_by_the_register(world, capsys, tmp_path):
    listed = tmp_path / "revoked.json"
    listed.write_text(
        revocations.sign_revocation_list(
            world.signer.private_key,
            "Rīgas Valsts tehnikums",
            "",
            dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC),
            [(world.janis.serial, dt.date(2026, 12, 3), "Kļūda 2.1 līmenī")],
        ),
        encoding="utf-8",
    )
    code, out = offline(capsys, world, world.janis_pdf, "--revocations", str(listed))
    assert code == 1 and first_line(out).startswith("REVOKED"), out
    assert "2026-12-03" in out and "Kļūda 2.1 līmenī" in out and "2026-12-04" in out
    code, out = offline(capsys, world, world.liga_pdf, "--revocations", str(listed))
    assert code == 0 and "not on the school's revocation list issued" in out

    copy = tmp_path / "register.sqlite3"
    copy.write_bytes(Path(world.database).read_bytes())
    db = Database(f"sqlite:///{copy}", password_hasher=conftest.FAST_HASHER)
    coordinator = conftest.sign(db, "coord")
    certificates.revoke(db, coordinator, world.janis.serial, "Nepareizs saņēmējs")
    db.close()
    code, out = verify(capsys, str(world.janis_pdf), database=str(copy))
    assert code == 1 and first_line(out).startswith("REVOKED") and "Nepareizs saņēmējs" in out


def _key_file(key: Ed25519PrivateKey, school: str) -> str:
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    key_id = payload.key_id_of(key.public_key().public_bytes_raw())
    return (
        "# DigComp recognition - public signing keys\n"
        f"# School: {school}\n# Verification address: https://www.rvt.lv/apliecinajumi/\n"
        f"# Exported: 2026-12-01\n# Key {key_id}, active\n{pem}"
    )


def test_an_unknown_key_and_a_forgers_key_file(world, capsys, tmp_path):
    stranger = tmp_path / "other-school.pem"
    stranger.write_text(_key_file(Ed25519PrivateKey.generate(), "Cita skola"), encoding="utf-8")
    code, out = verify(capsys, "--no-register", "--key", str(stranger), str(world.janis_pdf))
    assert code == 1 and first_line(out).startswith("UNKNOWN KEY"), out

    # The forger signs a code for a forged attestation with their own key and hands over
    # a key file that names the real school.
    forger = Ed25519PrivateKey.generate()
    forged = all_eights(world.liga.snapshot, "Anna", "Viltotāja")
    forged["serial"] = payload.new_serial()
    content = payload.SignedContent(
        serial=forged["serial"],
        issued_on=dt.date.fromisoformat(forged["issued_on"]),
        holder="Anna Viltotāja",
        birth_date=None,
        school="Rīgas Valsts tehnikums",
        address="",
        framework_id="digcomp",
        framework_version=forged["framework"]["version"],
        competences=tuple((c["competence"], 8) for c in forged["competences"]),
        mobility_code=forged["mobility"]["code"],
    )
    code_text = payload.sign_v2(forger, content).text()
    path = forged_pdf(world, forged, code_text, tmp_path / "forger.pdf")
    forger_keys = tmp_path / "rvt-keys.pem"
    forger_keys.write_text(_key_file(forger, "Rīgas Valsts tehnikums"), encoding="utf-8")
    code, out = verify(capsys, "--no-register", "--key", str(forger_keys), str(path))
    assert code == 0 and first_line(out).startswith("VALID signature"), out
    # the signature matches the key the reader chose to trust: the verdict says whose the
    # key file claims to be, and how far a key file can be trusted
    assert (
        "Key file rvt-keys.pem: keys of Rīgas Valsts tehnikums (https://www.rvt.lv/apliecinajumi/)"
        in out
    )
    assert "which says it holds the keys of Rīgas Valsts tehnikums" in out
    assert out.count("A key file is only as trustworthy as where it came from") == 2
    assert "take it from the school's own website or from the school" in out
    code, out = offline(capsys, world, path)  # with the school's real key file
    assert code == 1 and first_line(out).startswith("UNKNOWN KEY"), out


def test_a_page_without_a_readable_code_is_not_verifiable(world, capsys, tmp_path):
    path = forged_pdf(world, dict(world.janis.snapshot), "", tmp_path / "unsigned.pdf")
    code, out = offline(capsys, world, path)
    assert code == 1 and first_line(out).startswith("NOT VERIFIABLE"), out
    assert "page 1 has no readable QR code" in out
