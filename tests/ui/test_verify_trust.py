"""The verify dialog shows what ``digcomp-app verify`` says: whose key file it is, the
warning, what differs on a forged page, and revocation from a revocation list."""

from __future__ import annotations

import datetime as dt

from digcomp_app.documents import revocations
from digcomp_app.ui.verify_dialog import VerifyDialog
from tests.test_tamper import all_eights, edit_page_text, forged_pdf, world  # noqa: F401

WARNING = "A key file is only as trustworthy as where it came from"


def test_the_dialog_names_the_key_file_the_differences_and_the_revocation(
    qtbot,
    world,  # noqa: F811
    tmp_path,
):
    dialog = VerifyDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.open_pdf(world.janis_pdf)
    assert dialog.verdict_text() == "UNKNOWN KEY"
    assert dialog.load_key_file(world.keys) == 1
    note = dialog.keys_note.text()
    assert "Rīgas Valsts tehnikums" in note and WARNING in note
    assert dialog.verdict_text() == "VALID"  # checked again
    details = dialog.details.toPlainText()
    assert "which says it holds the keys of Rīgas Valsts tehnikums" in details
    assert WARNING in details and "not checked" in details

    edited = tmp_path / "edited.pdf"
    assert edit_page_text(world.janis_pdf, edited, "4 – ", "8 – ") == 1
    dialog.open_pdf(edited)
    assert dialog.verdict_text() == "NOT VALID"
    assert "the page shows level 8 for 1.1; the signed code says 4" in (
        dialog.details.toPlainText()
    )
    forged = all_eights(world.liga.snapshot, "Anna", "Viltotāja")
    dialog.open_pdf(forged_pdf(world, forged, world.janis.qr_text, tmp_path / "forged.pdf"))
    assert dialog.verdict_text() == "NOT VALID"
    assert "Viltotāja Anna" in dialog.details.toPlainText()

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
    dialog.open_pdf(world.janis_pdf)
    assert dialog.load_revocations(listed)
    assert dialog.verdict_text() == "REVOKED"
    assert "Kļūda 2.1 līmenī" in dialog.details.toPlainText()
    assert "revoked.json" in dialog.keys_note.text()
