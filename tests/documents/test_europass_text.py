"""The digital-skills text for the official Europass Mobility document."""

from __future__ import annotations

from digcomp_app.documents.europass_text import europass_text
from digcomp_app.framework import builtin_library
from tests.documents.conftest import make_snapshot

FRAMEWORK = builtin_library().get("digcomp", "3.0")


def test_one_line_per_competence_in_english():
    text = europass_text(make_snapshot(), FRAMEWORK, "en")
    lines = text.splitlines()
    assert lines[0].startswith("Digital competences assessed against the European Digital")
    assert "DigComp 3.0" in lines[0]
    assert lines[1] == (
        "- 1.1 Browsing, searching and filtering information: level 4 (Intermediate), "
        "assessed by practical task."
    )
    # the learning outcomes attested, as the framework words them
    outcomes = FRAMEWORK.competence("1.1").learning_outcomes
    assert lines[2] == "  Learning outcomes attested:"
    assert lines[3] == f"  – {outcomes[0].text.get('en')}"
    assert lines[4] == f"  – {outcomes[1].text.get('en')}"
    assert lines[5] == (
        "- 3.1 Developing digital content: level 5 (Advanced), assessed by portfolio review."
    )
    assert lines[6] == (
        "The levels and learning outcomes are attested in detail in the attestation "
        "DC-ABCD-EFGH-IJKL-MNOP. Issued by: Daugavkrastu tehnikums. Date of issue: 2 April 2026."
    )
    # a certificate issued before the school had a verification address: its QR code
    assert lines[7] == "The attestation can be verified with its QR code."
    assert len(lines) == 8


ADDRESS = "https://www.daugavkrasts.lv/apliecinajumi/"


def test_the_text_names_the_schools_verification_address():
    snapshot = make_snapshot()
    snapshot["issuer"]["verification_address"] = ADDRESS
    english = europass_text(snapshot, FRAMEWORK, "en").splitlines()
    assert english[-1] == f"Verify the attestation at {ADDRESS}"  # no full stop to copy
    assert "QR" not in "\n".join(english)
    latvian = europass_text(snapshot, FRAMEWORK, "lv").splitlines()
    assert latvian[-1] == f"Apliecinājuma īstumu var pārbaudīt vietnē {ADDRESS}"


def test_latvian_sentences_never_decline_a_name_or_agree_with_one():
    """Every sentence with a name, a serial or a date in it, exactly: the names stand
    after a label, so any school's name (whatever its gender or number) reads right."""
    for school in ("Daugavkrastu tehnikums", "Rīgas 1. vidusskola", "Ogres Valsts ģimnāzija"):
        snapshot = make_snapshot()
        snapshot["issuer"] = dict(snapshot["issuer"], name=school)
        snapshot["issuer"]["verification_address"] = ADDRESS
        lines = europass_text(snapshot, FRAMEWORK, "lv").splitlines()
        assert lines[-2] == (
            "Līmeņi un mācīšanās rezultāti ir sīki aprakstīti apliecinājumā "
            f"DC-ABCD-EFGH-IJKL-MNOP. Izdevējs: {school}. "
            "Izdošanas datums: 2026. gada 2. aprīlis."
        )
        assert "izdevusi" not in lines[-2] and "izdevis" not in lines[-2]
    assert lines[1] == (
        "- 1.1 Informācijas pārlūkošana, meklēšana un filtrēšana: 4. līmenis (vidējs), "
        "novērtēšanas veids – praktisks uzdevums."
    )
    assert lines[2] == "  Apliecinātie mācīšanās rezultāti:"
    outcome = FRAMEWORK.competence("1.1").learning_outcomes[0]
    assert lines[3] == f"  – {outcome.text.get('lv')}"


def test_latvian_uses_the_latvian_titles_levels_and_methods():
    text = europass_text(make_snapshot(), FRAMEWORK, "lv")
    assert "Informācijas pārlūkošana, meklēšana un filtrēšana" in text
    assert "(vidējs)" in text and "(augsts)" in text
    assert "praktisks uzdevums" in text and "portfolio izvērtēšana" in text
    assert "Browsing" not in text


def test_digcomp_2_2_levels_use_its_band_names():
    snapshot = make_snapshot(framework={"id": "digcomp", "version": "2.2"})
    snapshot["competences"][0]["level"] = 2
    text = europass_text(snapshot, builtin_library().get("digcomp", "2.2"), "en")
    assert "level 2 (Foundation)" in text and "DigComp 2.2" in text
