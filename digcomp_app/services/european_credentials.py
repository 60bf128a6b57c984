"""A certificate as a European Digital Credential (ELM 3 JSON-LD, unsealed), for the
school to seal in the EU's EDC issuer: ``docs/digital-credentials-edc.md``, decision 0034."""

from __future__ import annotations

from digcomp_app.documents.elm import ElmError, edc_credential, edc_json
from digcomp_app.i18n import _
from digcomp_app.services import certificates
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, WorkflowError
from digcomp_app.services.frameworks_library import framework_of
from digcomp_app.services.permissions import Actor, service


@service("certificates.export_edc")
def export_edc(db: Database, actor: Actor, serial: str, legal_identifier: str) -> bytes:
    """The credential's file (UTF-8 JSON-LD). ``legal_identifier``: the school's
    registration number as its eIDAS seal names it."""
    if not legal_identifier.strip():
        raise InvalidInput(
            "legal_identifier",
            _(
                "Give the school's registration number as its electronic seal names it "
                "(the EDC issuer checks it against the seal)."
            ),
        )
    cert = certificates.get(db, actor, serial)
    if cert.status == "revoked":
        raise WorkflowError(
            _("{serial} was revoked; use the certificate that replaced it.").format(
                serial=cert.serial
            )
        )
    key = cert.snapshot["framework"]
    framework = framework_of(db, key["id"], key["version"])
    if framework is None:
        raise WorkflowError(
            _("The framework {id} {version} of {serial} is not in the library.").format(
                id=key["id"], version=key["version"], serial=cert.serial
            )
        )
    try:
        data = edc_json(edc_credential(cert.snapshot, framework, legal_identifier))
    except ElmError as error:
        raise WorkflowError(
            _("{serial} cannot be written as a digital credential: {problem}").format(
                serial=cert.serial, problem=error
            )
        ) from None
    with db.transaction() as session:
        append(session, actor.username, "certificates.export_edc", "ok", "certificate", serial)
    return data
