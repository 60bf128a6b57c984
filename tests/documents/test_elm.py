"""European Digital Credentials: every certificate of the demo school, exported as ELM 3
JSON-LD, conforms to the EDC SHACL shapes (pySHACL over the RDF graph that the JSON-LD
means), and says what the attestation says: the competences and levels, the learning
outcomes, the mobility's period and host, in Latvian and English (and Dutch where the
framework has it)."""

from __future__ import annotations

import base64
import json

import pytest

pyshacl = pytest.importorskip("pyshacl")
rdflib = pytest.importorskip("rdflib")

from rdflib import Literal, Namespace, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

from digcomp_app.documents.elm import CONTEXT, credential_id, display_png  # noqa: E402
from digcomp_app.framework import builtin_library  # noqa: E402
from digcomp_app.services import accounts, certificates, european_credentials  # noqa: E402
from digcomp_app.services.database import Database  # noqa: E402
from digcomp_app.services.errors import InvalidInput, PermissionDenied, WorkflowError  # noqa: E402
from tests.conftest import DATA  # noqa: E402
from tests.services.conftest import FAST_HASHER  # noqa: E402

ELM_DATA = DATA / "elm"
ELM = Namespace("http://data.europa.eu/snb/model/elm/")
CRED = Namespace("https://www.w3.org/2018/credentials#")
DC = Namespace("http://purl.org/dc/terms/")
ROV = Namespace("http://www.w3.org/ns/regorg#")
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The terms of the W3C credentials v1 context that these credentials use, with the IRIs
#: and types that context gives them (there is no network here to fetch it).
VC_V1_TERMS = {
    "id": "@id",
    "type": "@type",
    "VerifiableCredential": str(CRED.VerifiableCredential),
    **{
        term: {"@id": str(CRED[term]), "@type": "@id"}
        for term in (
            *("credentialSchema", "credentialStatus", "credentialSubject", "evidence"),
            *("holder", "issuer", "termsOfUse"),
        )
    },
    **{
        term: {"@id": str(CRED[term]), "@type": XSD + "dateTime"}
        for term in ("expirationDate", "issued", "issuanceDate", "validFrom", "validUntil")
    },
}
LEGAL_ID = "40003012345"


@pytest.fixture(scope="module")
def shapes():
    graph = rdflib.Graph()
    graph.parse(ELM_DATA / "EDC-generic-no-cv.ttl")
    graph.parse(ELM_DATA / "EDC-generic-full.ttl")
    return graph


@pytest.fixture(scope="module")
def edc_context():
    return json.loads((ELM_DATA / "edc-ap-context.jsonld").read_text(encoding="utf-8"))["@context"]


def as_graph(document, edc_context):
    """The RDF graph of a credential, its two remote contexts resolved locally."""
    assert document["@context"] == CONTEXT
    local = dict(document, **{"@context": [VC_V1_TERMS, edc_context]})
    return rdflib.Graph().parse(data=json.dumps(local), format="json-ld")


def conforms(graph, shapes):
    ok, _report, text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return ok, text


@pytest.fixture
def demo(demo_file):
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    coordinator = accounts.authenticate(db, None, "coordinator", "demo")
    yield db, coordinator
    db.close()


def test_every_demo_certificate_is_a_valid_edc_credential(demo, shapes, edc_context):
    db, coordinator = demo
    register = certificates.list_register(db, coordinator)
    issued = [c for c in register if c.status == "issued"]
    assert len(issued) >= 5
    for info in issued:
        cert = certificates.get(db, coordinator, info.serial)
        document = json.loads(
            european_credentials.export_edc(db, coordinator, info.serial, LEGAL_ID)
        )
        graph = as_graph(document, edc_context)
        ok, text = conforms(graph, shapes)
        assert ok, f"{info.serial}:\n{text}"
        snapshot = cert.snapshot
        framework = builtin_library().get(
            snapshot["framework"]["id"], snapshot["framework"]["version"]
        )
        credential = URIRef(credential_id(snapshot))
        assert (credential, RDF.type, ELM.EuropeanDigitalCredential) in graph
        # the school as issuer, with the identifier its seal names
        issuer = graph.value(credential, CRED.issuer)
        assert str(graph.value(issuer, ROV.legalName)) == snapshot["issuer"]["name"]
        legal = graph.value(issuer, ELM.eidasLegalIdentifier)
        assert str(graph.value(legal, rdflib.namespace.SKOS.notation)) == LEGAL_ID
        # one learning outcome per competence (with its level), plus the attested outcomes
        achievement = graph.value(graph.value(credential, CRED.credentialSubject), ELM.hasClaim)
        specification = graph.value(achievement, ELM.specifiedBy)
        outcomes = set(graph.objects(specification, ELM.learningOutcome))
        assessed = [c for c in snapshot["competences"] if c.get("level")]
        attested = sum(len(c.get("outcomes") or []) for c in assessed)
        assert len(outcomes) == len(assessed) + attested
        titles = {str(t) for o in outcomes for t in graph.objects(o, DC.title)}
        for item in assessed:
            english = framework.competence(item["competence"]).title.get("en")
            assert f"{item['competence']} {english}: level {item['level']} (" in " ".join(titles)
        languages = {t.language for o in outcomes for t in graph.objects(o, DC.title)}
        assert {"lv", "en"} <= languages
        if framework.title.has("nl"):
            assert "nl" in languages
        # one assessment per competence, the level as its grade
        assessments = list(graph.objects(achievement, ELM.provenBy))
        assert len(assessments) == len(assessed)
        grades = {
            str(literal)
            for a in assessments
            for literal in graph.objects(graph.value(a, ELM.grade), ELM.noteLiteral)
            if literal.language == "en"
        }
        top = max(level.number for level in framework.levels)
        assert {f"Level {c['level']} of {top}" for c in assessed} == {
            g.split(" (")[0] for g in grades
        }
        # the mobility: its period and host organisation
        mobility = snapshot.get("mobility")
        if mobility:
            activity = graph.value(achievement, ELM.influencedBy)
            period = graph.value(activity, DC.temporal)
            assert graph.value(period, ELM.startDate) == Literal(
                f"{mobility['start_date']}T00:00:00Z", datatype=rdflib.XSD.dateTime
            )
            assert str(graph.value(period, ELM.endDate)).startswith(mobility["end_date"])
            host = graph.value(activity, ELM.directedBy)
            assert str(graph.value(host, ROV.legalName)) == mobility["host"]["name"]
            titles = {t.language: str(t) for t in graph.objects(activity, DC.title)}
            assert titles["en"] == mobility["texts"]["en"]["title"]
            assert titles["lv"] == mobility["texts"]["lv"]["title"]


def test_the_shapes_catch_a_credential_without_what_edc_requires(demo, shapes, edc_context):
    """The validation can fail: without the issuer's legal identifier, the issue date or
    the claim's title, the same credential is refused."""
    db, coordinator = demo
    serial = next(
        c.serial for c in certificates.list_register(db, coordinator) if c.status == "issued"
    )
    document = json.loads(european_credentials.export_edc(db, coordinator, serial, LEGAL_ID))
    assert conforms(as_graph(document, edc_context), shapes)[0]
    for breaking in (
        lambda d: drop_everywhere(d, "eIDASIdentifier"),  # the issuer appears several times
        lambda d: d.pop("issued"),
        lambda d: d["credentialSubject"]["hasClaim"].pop("title"),
        lambda d: d["credentialSubject"]["hasClaim"].pop("awardedBy"),
    ):
        broken = json.loads(json.dumps(document))
        breaking(broken)
        ok, text = conforms(as_graph(broken, edc_context), shapes)
        assert not ok and "Violation" in text


def drop_everywhere(value, key):
    if isinstance(value, dict):
        value.pop(key, None)
        for item in value.values():
            drop_everywhere(item, key)
    elif isinstance(value, list):
        for item in value:
            drop_everywhere(item, key)


def test_refusals(demo):
    db, coordinator = demo
    register = certificates.list_register(db, coordinator)
    revoked = next(c.serial for c in register if c.status == "revoked")
    issued = next(c.serial for c in register if c.status == "issued")
    with pytest.raises(WorkflowError, match="revoked"):
        european_credentials.export_edc(db, coordinator, revoked, LEGAL_ID)
    with pytest.raises(InvalidInput, match="registration number"):
        european_credentials.export_edc(db, coordinator, issued, "  ")
    teacher = accounts.authenticate(db, None, "teacher1", "demo")
    with pytest.raises(PermissionDenied):
        european_credentials.export_edc(db, teacher, issued, LEGAL_ID)


def test_the_display_image_is_a_png_of_the_credential(demo):
    db, coordinator = demo
    serial = next(
        c.serial for c in certificates.list_register(db, coordinator) if c.status == "issued"
    )
    document = json.loads(european_credentials.export_edc(db, coordinator, serial, LEGAL_ID))
    displays = document["displayParameter"]["individualDisplay"]
    assert [d["language"]["id"][-3:] for d in displays][:2] == ["LAV", "ENG"]
    for display in displays:
        png = base64.b64decode(display["displayDetail"]["image"]["content"])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in png[-12:]
    # the same lines give the same image (the file is reproducible)
    assert display_png(["a", "b"]) == display_png(["a", "b"])
    assert display_png(["a", "b"]) != display_png(["a", "c"])
