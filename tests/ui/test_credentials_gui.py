"""Certificate register → Export digital credential…: the chosen certificates in force are
saved as signed Open Badges 3.0 files (their content: tests/test_digital_credentials.py)."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from digcomp_app.documents import openbadges
from digcomp_app.services import certificates, credentials, signing
from digcomp_app.showcase.demo.content import SIGNING_PASSPHRASE
from tests.ui.conftest import sign_in


def test_export_digital_credentials_of_the_chosen_certificates(qtbot, window, demo_db, tmp_path):
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("certification")
    screen = window.workspace.screen("certification")
    register = screen.register
    screen.tabs.setCurrentWidget(register)
    coordinator = window.actor
    listed = certificates.list_register(demo_db, coordinator)
    valid = [c for c in listed if c.status == "issued"][:2]
    revoked = next(c for c in listed if c.status != "issued")
    assert register.select_serial(revoked.serial)
    assert not register.credential_button.isEnabled()  # a revoked one is never exported
    assert register.select_serial(valid[0].serial)
    assert register.select_serial(valid[1].serial, add=True)
    assert register.credential_button.isEnabled()
    assert "&" in register.credential_button.text()
    window.workspace.context.signer = signing.unlock(demo_db, coordinator, SIGNING_PASSPHRASE)
    written = register.export_credentials(str(tmp_path))
    expected = sum(len(c.snapshot["competences"]) for c in valid)
    assert len(written) == expected == len(list(tmp_path.glob("*.ob3.json")))
    assert f"Saved {expected} digital credentials" in register.message.text()
    keys = {}
    profile = json.loads(credentials.issuer_profile(demo_db, coordinator))
    for method in profile["verificationMethod"]:
        raw = openbadges.from_base58btc(method["publicKeyMultibase"][1:])[2:]
        keys[method["id"]] = Ed25519PublicKey.from_public_bytes(raw)
    serials = set()
    for path in written:
        credential = json.loads(Path(path).read_text(encoding="utf-8"))
        openbadges.verify(credential, keys)
        serials.add(path.rsplit("/", 1)[1][:22])
    assert serials == {c.serial for c in valid}


def test_export_a_european_digital_credential_with_the_registration_number(
    qtbot, window, demo_db, tmp_path
):
    """Register → Export digital credential… → Europass digital credential (EDC)…: the
    registration number is asked (and offered again next time), the file is JSON-LD of
    the chosen certificate."""
    from PySide6.QtCore import Qt, QTimer
    from rdflib import URIRef
    from rdflib.namespace import RDF, SKOS

    from digcomp_app.documents.elm import CONTEXT, credential_id
    from digcomp_app.settings import load_settings
    from tests.documents.test_elm import CRED, ELM, as_graph

    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("certification")
    screen = window.workspace.screen("certification")
    register = screen.register
    screen.tabs.setCurrentWidget(register)
    listed = certificates.list_register(demo_db, window.actor)
    cert = next(c for c in listed if c.status == "issued")
    assert register.select_serial(cert.serial)
    menu = [a.text() for a in register.credential_button.menu().actions()]
    assert menu == ["&Open Badges 3.0…", "&Europass digital credential (EDC)…"]
    seen = {}

    def answer(number: str) -> None:
        dialog = register.registration_dialog
        assert dialog is not None and dialog.isVisible()
        seen.setdefault("offered", []).append(dialog.number.text())
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # empty: refused
        assert dialog.isVisible()
        seen["error"] = dialog.error.text()
        dialog.number.clear()
        qtbot.keyClicks(dialog.number, number)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, lambda: answer("40003012345"))
    written = register.export_edc(str(tmp_path))
    assert seen["offered"] == [""]
    assert seen["error"] == "Type the school's registration number."
    assert written == [str(tmp_path / f"{cert.serial}.edc.jsonld")]
    assert "Saved 1 digital credential" in register.message.text()
    assert load_settings().edc_registration == "40003012345"
    document = json.loads(Path(written[0]).read_text(encoding="utf-8"))
    assert document["@context"] == CONTEXT
    snapshot = certificates.get(demo_db, window.actor, cert.serial).snapshot
    edc_context = json.loads(
        (Path(__file__).parents[1] / "data" / "elm" / "edc-ap-context.jsonld").read_text(
            encoding="utf-8"
        )
    )["@context"]
    graph = as_graph(document, edc_context)
    credential = URIRef(credential_id(snapshot))
    assert (credential, RDF.type, ELM.EuropeanDigitalCredential) in graph
    issuer = graph.value(credential, CRED.issuer)
    legal = graph.value(issuer, ELM.eidasLegalIdentifier)
    assert str(graph.value(legal, SKOS.notation)) == "40003012345"

    # the next export offers the number typed last; Cancel writes nothing
    def cancel() -> None:
        dialog = register.registration_dialog
        seen["offered"].append(dialog.number.text())
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert register.export_edc(str(tmp_path / "other")) == []
    assert seen["offered"] == ["", "40003012345"]
    assert not (tmp_path / "other").exists()
