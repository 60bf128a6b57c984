"""Open Badges 3.0 credentials: every demo certificate exports schema-valid credentials whose
proofs verify by an independent path (pyld called here, our own base58, the public key taken
from the exported DID document); the school's status list, read here by its specification
(Bitstring Status List v1.0); the public test vector; what is refused."""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jsonschema import Draft201909Validator
from pyld import jsonld

from digcomp_app.cli import main
from digcomp_app.documents import openbadges
from digcomp_app.services import accounts, certificates, credentials, signing
from digcomp_app.services.database import Database
from digcomp_app.services.errors import PermissionDenied, WorkflowError
from digcomp_app.showcase.demo import SIGNING_PASSPHRASE
from tests.conftest import ROOT
from tests.services.conftest import FAST_HASHER

OB3 = ROOT.parent / "shared" / "reference" / "interop" / "openbadges3"
CONTEXTS = ROOT / "resources" / "jsonld"
VECTOR = ROOT / "docs" / "digital-credentials-vector.json"
STATUS_LIST = "https://www.daugavkrastu-tehnikums.example/apliecinajumi/status-list.json"
needs_reference = pytest.mark.skipif(not OB3.is_dir(), reason="no OB3 reference beside the repo")

# --- an independent verifier: nothing of digcomp_app.documents.openbadges ---------------------

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
SERVED = {
    "https://www.w3.org/ns/credentials/v2": CONTEXTS / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": CONTEXTS
    / "ob-context-3.0.3.json",
}


def b58decode(text: str) -> bytes:
    value = 0
    for char in text:
        value = value * 58 + B58.index(char)
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + value.to_bytes((value.bit_length() + 7) // 8, "big")


def offline_loader(url, options=None):
    if url not in SERVED:
        raise RuntimeError(f"network refused: {url}")
    document = json.loads(SERVED[url].read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def nquads(document) -> bytes:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    options["documentLoader"] = offline_loader
    return jsonld.normalize(copy.deepcopy(document), options).encode("utf-8")


def keys_from_did_document(document: dict) -> dict[str, Ed25519PublicKey]:
    found = {}
    for method in document["verificationMethod"]:
        assert method["type"] == "Multikey" and method["controller"] == document["id"]
        assert method["id"] in document["assertionMethod"]
        raw = b58decode(method["publicKeyMultibase"].removeprefix("z"))
        assert raw[:2] == b"\xed\x01" and len(raw) == 34
        found[method["id"]] = Ed25519PublicKey.from_public_bytes(raw[2:])
    return found


def independently_verify(credential: dict, keys: dict[str, Ed25519PublicKey]) -> None:
    """eddsa-rdfc-2022 as the W3C cryptosuite specification says; raises on failure."""
    [proof] = credential["proof"]  # a proof set of one, as the OB 3.0 schema wants
    proof = dict(proof)
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    signature = b58decode(proof.pop("proofValue").removeprefix("z"))
    proof["@context"] = credential["@context"]
    document = {k: v for k, v in credential.items() if k != "proof"}
    hashed = hashlib.sha256(nquads(proof)).digest() + hashlib.sha256(nquads(document)).digest()
    keys[proof["verificationMethod"]].verify(signature, hashed)


def independently_read_status(list_credential: dict, entry: dict) -> bool:
    """Whether ``entry`` (a credential's ``credentialStatus``) is set in ``list_credential``,
    as Bitstring Status List v1.0 says (validate algorithm, bitstring expansion): multibase
    "u" + base64url without padding, GZIP, at least 131 072 entries, index 0 the left-most
    bit. True: revoked."""
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["id"] != entry["statusListCredential"]  # the entry's id is not the list's
    assert list_credential["id"] == entry["statusListCredential"]
    assert "BitstringStatusListCredential" in list_credential["type"]
    subject = list_credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == entry["statusPurpose"]
    encoded = subject["encodedList"]
    assert encoded[0] == "u"
    packed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert packed[:2] == b"\x1f\x8b"  # a GZIP member
    bits = gzip.decompress(packed)
    assert len(bits) * 8 >= 131072
    index = int(entry["statusListIndex"])
    assert str(index) == entry["statusListIndex"] and 0 <= index < len(bits) * 8
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


@pytest.fixture(scope="module")
def schema():
    return Draft201909Validator(
        json.loads((OB3 / "achievementcredential.json").read_text(encoding="utf-8")),
        format_checker=Draft201909Validator.FORMAT_CHECKER,
    )


@pytest.fixture
def demo(demo_file):
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    coordinator = accounts.authenticate(db, None, "coordinator", "demo")
    yield db, coordinator, signing.unlock(db, coordinator, SIGNING_PASSPHRASE)
    db.close()


# --- the demo school ----------------------------------------------------------------------


@needs_reference
@pytest.mark.parametrize("language", ["en", "lv"])
def test_every_demo_certificate_is_schema_valid_ob3_verified_independently(demo, schema, language):
    db, coordinator, signer = demo
    register = certificates.list_register(db, coordinator)
    in_force = [c for c in register if c.status == "issued"]
    assert len(in_force) >= 5
    files = credentials.export_ob3(db, coordinator, [c.serial for c in in_force], signer, language)
    keys = keys_from_did_document(json.loads(credentials.issuer_profile(db, coordinator)))
    expected = sum(len(c.snapshot["competences"]) for c in in_force)
    assert len(files) == expected and len({f.name for f in files}) == expected
    by_serial = {c.serial: c for c in in_force}
    for file in files:
        credential = json.loads(file.text)
        errors = sorted(schema.iter_errors(credential), key=lambda e: list(e.path))
        assert not errors, f"{file.name}: " + "; ".join(e.message for e in errors[:3])
        independently_verify(credential, keys)
        # what it says is the certificate's
        snapshot = by_serial[file.serial].snapshot
        entry = next(e for e in snapshot["competences"] if e["competence"] == file.competence)
        achievement = credential["credentialSubject"]["achievement"]
        assert str(entry["level"]) in achievement["name"].rsplit(":", 1)[1]
        assert credential["issuer"]["id"] == "did:web:www.daugavkrastu-tehnikums.example"
        # the learner only as a salted hash of the printed name: no name, e-mail or birth date
        holder = snapshot["holder"]
        name = f"{holder['given_names']} {holder['surname']}"
        identity = credential["credentialSubject"]["identifier"][0]
        digest = hashlib.sha256((name + identity["salt"]).encode()).hexdigest()
        assert identity["identityHash"] == f"sha256${digest}"
        for personal in (holder["given_names"], holder["surname"], holder["date_of_birth"]):
            assert personal not in file.text
        assert "@" not in file.text.replace('"@context"', "")  # no e-mail address
        assert entry.get("comment", "") == "" or entry["comment"] not in file.text
        # aligned to DigComp and to ESCO (DigComp 2.5 has no ESCO concept)
        targets = [a["targetUrl"] for a in achievement["alignment"]]
        assert targets[0] == "https://data.europa.eu/doi/10.2760/0001149"
        if file.competence != "2.5":
            assert targets[1].startswith("http://data.europa.eu/esco/skill/")
        # its status: the certificate's bit in the list beside the verification page
        assert credential["credentialStatus"]["statusListCredential"] == STATUS_LIST
    # one bit per certificate, the same in each of its credentials, another for each other
    places = {(f.serial, json.loads(f.text)["credentialStatus"]["statusListIndex"]) for f in files}
    assert len(places) == len(in_force) == len({index for _serial, index in places})


@needs_reference
def test_the_status_list_says_revoked_for_a_revoked_certificate_and_not_for_a_valid_one(
    demo, schema
):
    db, coordinator, signer = demo
    first, second = [
        c for c in certificates.list_register(db, coordinator) if c.status == "issued"
    ][:2]
    entries = {}
    for file in credentials.export_ob3(db, coordinator, [first.serial, second.serial], signer):
        credential = json.loads(file.text)
        assert not list(schema.iter_errors(credential))
        entries.setdefault(file.serial, credential["credentialStatus"])
        assert credential["credentialStatus"] == entries[file.serial]
    keys = keys_from_did_document(json.loads(credentials.issuer_profile(db, coordinator)))
    before = credentials.revocation_status_list(db, coordinator, signer)
    assert before.address == STATUS_LIST and before.revoked == 0
    listed = json.loads(before.text)
    independently_verify(listed, keys)
    assert not independently_read_status(listed, entries[first.serial])
    assert not independently_read_status(listed, entries[second.serial])

    certificates.revoke(db, coordinator, first.serial, "The level was recorded wrongly.")
    after = credentials.revocation_status_list(db, coordinator, signer)
    assert after.revoked == 1
    listed = json.loads(after.text)
    independently_verify(listed, keys)
    assert listed["issuer"] == "did:web:www.daugavkrastu-tehnikums.example"
    assert independently_read_status(listed, entries[first.serial])
    assert not independently_read_status(listed, entries[second.serial])
    # a changed list fails the check: no one but the school can mark or clear a credential
    forged = copy.deepcopy(listed)
    forged["credentialSubject"]["encodedList"] = json.loads(before.text)["credentialSubject"][
        "encodedList"
    ]
    with pytest.raises(InvalidSignature):
        independently_verify(forged, keys)
    # the place stays the certificate's: exported again, the same entry
    again = json.loads(credentials.export_ob3(db, coordinator, [second.serial], signer)[0].text)
    assert again["credentialStatus"] == entries[second.serial]
    teacher = accounts.authenticate(db, None, "teacher1", "demo")
    with pytest.raises(PermissionDenied):
        credentials.revocation_status_list(db, teacher, signer)


@needs_reference
def test_a_changed_credential_fails_the_independent_check(demo):
    db, coordinator, signer = demo
    serial = next(c.serial for c in certificates.list_register(db, coordinator))
    credential = json.loads(credentials.export_ob3(db, coordinator, [serial], signer)[0].text)
    keys = keys_from_did_document(json.loads(credentials.issuer_profile(db, coordinator)))
    independently_verify(credential, keys)
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["achievement"]["name"] += "0"
    with pytest.raises(InvalidSignature):
        independently_verify(forged, keys)
    with pytest.raises(openbadges.CredentialError):
        openbadges.verify(forged, keys)
    assert openbadges.verify(credential, keys) == credential["proof"][0]["verificationMethod"]


def test_revoked_certificates_and_other_roles_are_refused(demo):
    db, coordinator, signer = demo
    revoked = next(c for c in certificates.list_register(db, coordinator) if c.status != "issued")
    with pytest.raises(WorkflowError, match="revoked"):
        credentials.export_ob3(db, coordinator, [revoked.serial], signer)
    teacher = accounts.authenticate(db, None, "teacher1", "demo")
    with pytest.raises(PermissionDenied):
        credentials.export_ob3(db, teacher, [revoked.serial], signer)
    admin = accounts.authenticate(db, None, "admin", "demo")
    assert json.loads(credentials.issuer_profile(db, admin))["id"].startswith("did:web:")


# --- offline canonicalisation, interoperability --------------------------------------------


def test_the_loader_serves_only_the_bundled_contexts():
    other = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/ctx"]}
    with pytest.raises(openbadges.CredentialError, match=r"https://example\.org/ctx"):
        openbadges.canonical(other)
    undefined = {"@context": ["https://www.w3.org/ns/credentials/v2"], "madeUpTerm": "x"}
    with pytest.raises(openbadges.CredentialError, match="madeUpTerm"):
        openbadges.canonical(undefined)  # never dropped from what is signed
    vocabulary = {"@vocab": openbadges.ISSUER_DEPENDENT}
    loose = {"@context": ["https://www.w3.org/ns/credentials/v2", vocabulary], "madeUpTerm": "x"}
    assert "issuer-dependent#madeUpTerm" in openbadges.canonical(loose)
    with pytest.raises(openbadges.CredentialError, match="madeUpTerm"):
        openbadges.canonical(loose, strict=True)  # what we sign defines every term


@needs_reference
def test_the_1edtech_example_proof_verifies_with_our_code_and_bundled_contexts():
    """1EdTech's signed example, by another implementation: our canonicalisation agrees."""
    example = json.loads((OB3 / "validator-examples" / "simple.json").read_text("utf-8"))
    [proof] = example["proof"]
    fingerprint = proof["verificationMethod"].split("#")[1]
    raw = openbadges.from_base58btc(fingerprint[1:])
    key = Ed25519PublicKey.from_public_bytes(raw[2:])
    assert openbadges.verify(example, {proof["verificationMethod"]: key})
    independently_verify(example, {proof["verificationMethod"]: key})


def test_did_web_of_the_verification_address():
    assert openbadges.did_web("https://www.school.lv/verify/") == "did:web:www.school.lv"
    assert openbadges.did_web("https://school.lv:8443/v") == "did:web:school.lv%3A8443"
    assert openbadges.did_document_url("did:web:school.lv%3A8443") == (
        "https://school.lv:8443/.well-known/did.json"
    )
    with pytest.raises(openbadges.CredentialError):
        openbadges.did_web("http://school.lv/")


# --- the public test vector ---------------------------------------------------------------


@needs_reference
def test_the_vector_is_what_the_exporter_makes_and_verifies_independently(schema):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "credential_vector", ROOT / "tools" / "credential_vector.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    vector = json.loads(VECTOR.read_text(encoding="utf-8"))
    assert module.build() == vector
    credential = vector["credential"]
    assert not list(schema.iter_errors(credential))
    independently_verify(credential, keys_from_did_document(vector["did_document"]))
    # the private key of the vector is the one the DID document publishes
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(vector["private_key_hex"]))
    assert private.public_key().public_bytes_raw().hex() == vector["public_key_hex"]
    # the canonical forms printed in the vector are pyld's
    proof = {k: v for k, v in credential["proof"][0].items() if k != "proofValue"}
    assert (
        nquads({**proof, "@context": credential["@context"]}).decode()
        == (vector["canonical_proof_options"])
    )
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    assert nquads(unsigned).decode() == vector["canonical_credential"]
    # the status list of the vector: signed by the same key, the credential's bit set
    listed = vector["status_list"]
    independently_verify(listed, keys_from_did_document(vector["did_document"]))
    entry = credential["credentialStatus"]
    assert independently_read_status(listed, entry)
    for index in (0, 6, 8, int(entry["statusListIndex"]) - 1, 131071):
        assert not independently_read_status(listed, {**entry, "statusListIndex": str(index)})
    assert independently_read_status(listed, {**entry, "statusListIndex": "7"})
    assert vector["status_list_revoked"] == [7, int(entry["statusListIndex"])]
    # the specification quotes the proof values, the key and the encoded list
    spec_text = (ROOT / "docs" / "digital-credentials.md").read_text(encoding="utf-8")
    assert credential["proof"][0]["proofValue"] in spec_text
    assert vector["did_document"]["verificationMethod"][0]["publicKeyMultibase"] in spec_text
    assert listed["proof"][0]["proofValue"] in spec_text
    assert listed["credentialSubject"]["encodedList"] in spec_text


# --- the command line ---------------------------------------------------------------------


@needs_reference
def test_cli_exports_one_certificate_and_the_issuer_profile(
    demo_file, tmp_path, monkeypatch, schema, capsys
):
    monkeypatch.setenv("DIGCOMP_PASSWORD", "demo")
    monkeypatch.setenv("DIGCOMP_PASSPHRASE", SIGNING_PASSPHRASE)
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    coordinator = accounts.authenticate(db, None, "coordinator", "demo")
    cert = next(c for c in certificates.list_register(db, coordinator) if c.status == "issued")
    db.close()
    base = ["--database", str(demo_file), "--user", "coordinator", "certificates"]
    out = tmp_path / "out"
    assert (
        main([*base, "export", "--format", "ob3", "--serial", cert.serial, "--out", str(out)]) == 0
    )
    written = sorted(out.glob("*.ob3.json"))
    assert len(written) == len(cert.snapshot["competences"])
    profile = tmp_path / "did.json"
    assert main([*base, "export-issuer-profile", "--out", str(profile)]) == 0
    shown = capsys.readouterr().out
    assert "/.well-known/did.json" in shown
    keys = keys_from_did_document(json.loads(profile.read_text(encoding="utf-8")))
    for path in written:
        credential = json.loads(path.read_text(encoding="utf-8"))
        assert not list(schema.iter_errors(credential))
        independently_verify(credential, keys)
    assert main([*base, "export", "--format", "ob3", "--serial", "DC-NOPE", "--out", str(out)]) == 1
    # the status list, written where the verification page goes: the certificate not revoked
    capsys.readouterr()
    listed_file = tmp_path / "site" / "status-list.json"
    listed_file.parent.mkdir()
    assert main([*base, "export-status-list", "--out", str(listed_file)]) == 0
    assert f"Publish it at {STATUS_LIST}" in capsys.readouterr().out
    listed = json.loads(listed_file.read_text(encoding="utf-8"))
    independently_verify(listed, keys)
    entry = json.loads(written[0].read_text(encoding="utf-8"))["credentialStatus"]
    assert not independently_read_status(listed, entry)
    from digcomp_app.commands.certificates import LIST_FILE
    from digcomp_app.documents.status_list import LIST_FILE as WRITTEN_AS

    assert LIST_FILE == WRITTEN_AS
