"""An attestation prints the date of birth as its signed code says, whatever the school
chooses later: the page and the code must never disagree."""

from __future__ import annotations

from digcomp_app.documents import payload
from digcomp_app.services import organisations, printing
from tests.documents.conftest import flat, pdf_text
from tests.services.test_printing import certify


def test_the_birth_date_printed_is_the_one_signed(db, school, signer, tmp_path):
    organisations.update_home(db, school.admin, print_birth_date=True)
    issued = certify(db, school, signer, school.learner, school.learner_id)
    signed = payload.decode_v2(issued.qr_text).content
    assert signed.birth_date is not None  # the school printed dates of birth when it issued
    organisations.update_home(db, school.admin, print_birth_date=False)  # and then stopped
    result = printing.print_attestations(
        db, school.coordinator, [issued.serial], ["en"], tmp_path / "out"
    )
    text = flat(pdf_text(result.files[0].read_bytes(), tmp_path))
    assert "1 May 2007" in text or "2007-05-01" in text or "01.05.2007" in text
