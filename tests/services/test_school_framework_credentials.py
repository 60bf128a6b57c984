"""A framework the school added works end to end, from an empty database: Moodle's own example
framework (the shared reference CSV) is added, a case under it is certified, the certificate
is exported as Open Badges 3.0 credentials named from that framework's texts (schema-valid,
proof verified by the independent path of tests/test_digital_credentials.py), and its printed
attestation verifies, in the service and with the ``verify`` command, its competences named
and its printed levels compared by that framework."""

from __future__ import annotations

import dataclasses
import json

import pytest

from digcomp_app.cli import main
from digcomp_app.framework import builtin_library
from digcomp_app.framework.labels import level_label
from digcomp_app.services import (
    certificates,
    credentials,
    evidence,
    frameworks_library,
    organisations,
    printing,
    validation,
    verification,
)
from digcomp_app.services.validation import TargetDraft
from tests.conftest import ROOT
from tests.test_digital_credentials import (
    OB3,
    independently_read_status,
    independently_verify,
    keys_from_did_document,
)

MOODLE_EXAMPLE = ROOT.parent / "shared" / "reference" / "interop" / "moodle" / "example.csv"
ADDRESS = "https://www.rigas-tehnikums.example/apliecinajumi/"
ASSESSED = {"delivery": 2, "interpersonal": 1}

pytestmark = pytest.mark.skipif(
    not (OB3.is_dir() and MOODLE_EXAMPLE.is_file()), reason="no interop reference beside the repo"
)


@pytest.fixture
def certified(db, school, signer):
    """The Moodle example added by the administrator, a case under it certified."""
    organisations.update_home(db, school.admin, verification_address=ADDRESS)
    added = frameworks_library.add_from_moodle(db, school.admin, MOODLE_EXAMPLE)
    assert (added.framework_id, added.version, added.title) == ("oecd-core", "1.0", "OECD")
    framework = frameworks_library.framework_of(db, added.framework_id, added.version)
    assert framework is not None and builtin_library().find(*framework.key) is None
    case = validation.open_case(
        db, school.teacher, school.learner_id, school.mobility_id, *framework.key
    )
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft(c, level) for c, level in ASSESSED.items()]
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Observed", "Drafted a report", tuple(ASSESSED))
    validation.advance(db, school.teacher, case.id)
    for competence, level in ASSESSED.items():
        validation.record_assessment(db, school.teacher, case.id, competence, level, "observation")
    validation.advance(db, school.teacher, case.id)
    cert = certificates.issue(db, school.coordinator, case.id, signer)
    assert cert.snapshot["framework"] == {"id": "oecd-core", "version": "1.0"}
    return framework, cert


def test_the_certificate_exports_as_open_badges_named_from_the_school_framework(
    db, school, signer, certified
):
    from jsonschema import Draft201909Validator

    framework, cert = certified
    schema = Draft201909Validator(
        json.loads((OB3 / "achievementcredential.json").read_text(encoding="utf-8")),
        format_checker=Draft201909Validator.FORMAT_CHECKER,
    )
    files = credentials.export_ob3(db, school.coordinator, [cert.serial], signer)
    keys = keys_from_did_document(json.loads(credentials.issuer_profile(db, school.coordinator)))
    assert [f.competence for f in files] == list(ASSESSED)
    for file in files:
        credential = json.loads(file.text)
        errors = [e.message for e in schema.iter_errors(credential)]
        assert not errors, f"{file.name}: {errors[:3]}"
        independently_verify(credential, keys)
        achievement = credential["credentialSubject"]["achievement"]
        competence = framework.competence(file.competence)
        level = framework.level(ASSESSED[file.competence])
        title = competence.title.get("en")
        assert achievement["name"] == f"OECD {competence.id} {title}: level {level.number}"
        assert achievement["humanCode"] == competence.id
        assert achievement["fieldOfStudy"] == framework.title.get("en") == "OECD"
        assert achievement["description"] == competence.description.get("en")
        assert level.name.get("en") in achievement["criteria"]["narrative"]
        # a framework without a public address is aligned to nothing
        assert "alignment" not in achievement
        assert credential["credentialStatus"]["statusListCredential"] == (
            ADDRESS + "status-list.json"
        )
    listed = json.loads(credentials.revocation_status_list(db, school.coordinator, signer).text)
    independently_verify(listed, keys)
    assert not independently_read_status(listed, json.loads(files[0].text)["credentialStatus"])


def test_its_printed_attestation_verifies_by_the_school_framework(
    db, database_url, school, signer, certified, tmp_path, capsys
):
    framework, cert = certified
    printed = printing.print_attestations(
        db, school.coordinator, [cert.serial], ["en"], tmp_path / "out", workers=1
    )
    [path] = printed.files
    pdf = path.read_bytes()
    [verdict] = verification.verify_pdf(db, None, pdf)
    assert verdict.verdict.name == "VALID", (verdict.explanation, verdict.differences)
    named = {c.competence_id: (c.title, c.level, c.level_label) for c in verdict.competences}
    for competence_id, level in ASSESSED.items():
        title = framework.competence(competence_id).title.get("en")
        assert named[competence_id][:2] == (f"{competence_id} {title}", level)
        assert framework.level(level).name.get("en") in named[competence_id][2]

    # the verify command, with the school's register at hand
    capsys.readouterr()
    assert main(["--database", database_url, "verify", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "VALID" in shown
    assert framework.competence("delivery").title.get("en") in shown

    # what the pages show is compared by that framework: a changed level is found
    pages = verification.read_pages(pdf)
    facts = verification.facts_of_snapshot(cert.snapshot)
    library = frameworks_library.library_of(db)
    assert verification.page_differences(pages, facts, library) == []
    signed = level_label(framework, ASSESSED["delivery"], "en")
    other = level_label(framework, 1, "en")
    changed = [
        dataclasses.replace(
            page,
            lines=tuple(
                line.replace(signed, other) if line.startswith("delivery ") else line
                for line in page.lines
            ),
        )
        for page in pages
    ]
    assert changed != pages
    found = verification.page_differences(changed, facts, library)
    assert len(found) == 1 and "delivery" in found[0] and "level 1" in found[0], found
    # a verifier elsewhere, without the framework, still compares the printed level numbers
    assert verification.page_differences(pages, facts, builtin_library()) == []
    found = verification.page_differences(changed, facts, builtin_library())
    assert len(found) == 1 and "delivery" in found[0], found
