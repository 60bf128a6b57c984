""" "Export for the website…" on the signing-key screen writes the verification page; a
coordinator who unlocked the key gets the signed revocation list put into it and the status
list of the digital credentials written beside it."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from digcomp_app.services import certificates, signing
from digcomp_app.showcase.demo import SIGNING_PASSPHRASE
from tests.ui.conftest import sign_in
from tests.ui.test_admin import type_file_name


def test_an_administrator_exports_the_page_without_a_revocation_list(qtbot, window, tmp_path):
    sign_in(qtbot, window, "admin")
    window.workspace.show_screen("signing_key")
    screen = window.workspace.screen("signing_key")
    assert screen.page_button.isEnabled() and "website" in screen.page_button.text()
    qtbot.mouseClick(screen.page_button, Qt.MouseButton.LeftButton)
    chooser = screen.file_dialog
    assert chooser is not None and chooser.isVisible()
    target = tmp_path / "vietne" / "index.html"
    target.parent.mkdir()
    type_file_name(qtbot, chooser, target)
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="revocations"' not in html
    for key in screen.keys:
        assert key.key_id in html
    assert str(target) in screen.message.text()
    assert "no revocation list" in screen.message.text()
    assert not (target.parent / "status-list.json").exists()


def test_a_coordinator_with_the_key_unlocked_exports_it_with_the_list(qtbot, window, tmp_path):
    sign_in(qtbot, window, "coordinator")
    context = window.workspace.context
    context.signer = signing.unlock(context.db, context.actor, SIGNING_PASSPHRASE)
    window.workspace.show_screen("signing_key")
    screen = window.workspace.screen("signing_key")
    target = screen.export_page_to(tmp_path / "index.html")
    assert target is not None
    html = target.read_text(encoding="utf-8")
    revoked = [
        c for c in certificates.list_register(context.db, context.actor) if c.status == "revoked"
    ]
    assert 'id="revocations"' in html and revoked and revoked[0].serial in html
    assert "revoked certificates" in screen.message.text()
    beside = json.loads((tmp_path / "status-list.json").read_text(encoding="utf-8"))
    assert "BitstringStatusListCredential" in beside["type"]
    assert beside["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert beside["id"] in screen.message.text()
    assert (
        beside["id"] == "https://www.daugavkrastu-tehnikums.example/apliecinajumi/status-list.json"
    )
