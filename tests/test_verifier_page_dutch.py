"""The verification page in Dutch: a browser set to Dutch gets the Dutch texts and dates."""

from __future__ import annotations

from tests.test_verifier_page import (  # noqa: F401 - the fixtures are used by name
    browser,
    content,
    encode,
    open_page,
    page,
    retired,
    signer,
)


def test_a_dutch_reader_gets_the_page_in_dutch(browser, page, signer):  # noqa: F811
    code = encode(signer, content())
    dutch = open_page(browser, page, code, lang="nl-NL")
    assert dutch.attrs["result"]["data-verdict"] == "valid"
    assert dutch.text("verdict-text") == "GELDIG"
    assert "Vergelijk dit met het papier: elke regel moet overeenkomen." in dutch.text("compare")
    assert "20 november 2026" in dutch.text("content")
    assert "niveau 4" in dutch.text("content")
    assert "intrekking kon niet worden gecontroleerd" in dutch.text("revocation-line")
    forged = open_page(browser, page, code[:-6] + "000000", lang="nl")
    assert forged.text("verdict-text") in {"ONGELDIG", "ONLEESBAAR"}
