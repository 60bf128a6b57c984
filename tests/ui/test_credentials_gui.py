"""Certificate register → Export digital credential…: the chosen certificates in force are
saved as signed Open Badges 3.0 files (their content: tests/test_digital_credentials.py)."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from digcomp_app.documents import openbadges
from digcomp_app.services import certificates, credentials, signing
from digcomp_app.services.demo_content import SIGNING_PASSPHRASE
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
