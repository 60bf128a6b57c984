"""The attestation's own wording, marked for translation and translated into the language
each version is printed in (not the interface's)."""

from __future__ import annotations

from digcomp_app.i18n import N_

TITLE = N_("Attestation of digital competences")
SUBTITLE_MOBILITY = N_(
    "acquired during a learning mobility, in the structure of the Europass Mobility document"
)
SUBTITLE_OTHER = N_("recognised by the school, in the structure of the Europass Mobility document")
HOLDER = N_("Holder")
SURNAMES = N_("Surname(s)")
GIVEN_NAMES = N_("First name(s)")
DATE_OF_BIRTH = N_("Date of birth")
ISSUED_BY = N_("Issued by")
ORGANISATION = N_("Organisation")
SERIAL = N_("Serial number")
ISSUE_DATE = N_("Date of issue")
EUROPASS_NUMBER = N_("Europass Mobility number")
ORGANISATIONS = N_("Sending and host organisations")
SENDING = N_("Sending organisation")
HOST = N_("Host organisation")
CONTACT = N_("Contact person: {name}")
MENTOR = N_("Host mentor: {name}")
MOBILITY = N_("The mobility")
MOBILITY_TITLE = N_("Title")
MOBILITY_CODE = N_("Project and mobility code")
OBJECTIVE = N_("Objective")
PROGRAMME = N_("Programme")
HOST_COUNTRY = N_("Host country")
DURATION = N_("Duration")
FROM_TO = N_("{start} – {end}")
COMPETENCES = N_("Digital competences acquired")
ASSESSED_AGAINST = N_(
    "Assessed against {framework}, whose proficiency levels run from 1 to {top}. "
    "For each competence: the level reached and what it means, how it was assessed, and "
    "the learning outcomes the holder showed."
)
METHOD = N_("Assessment method: {method}")
ASSESSOR = N_("Assessor: {name}, {date}")
OUTCOMES = N_("Learning outcomes shown:")
SIGNATURE_MENTOR = N_("Host mentor")
SIGNATURE_COORDINATOR = N_("Coordinator")
SIGNATURE_LINE = N_("Signature and date")
CHECK = N_("Scan the code to check that this attestation is genuine and still valid.")
FOOTER_SERIAL = N_("Serial number: {serial}")
FOOTER_KEY = N_("Signing key fingerprint: {fingerprint}")
UNSIGNED = N_("Not signed: this copy cannot be verified.")
PAGE = N_("Page {page}/{pages}")
SUBJECT = N_("Digital competences acquired ({framework}), serial number {serial}")
#: the mobility's texts written per language (besides TITLE and OBJECTIVE of the wording)
ACTIVITIES = N_("Activities carried out")
HOST_DESCRIPTION = N_("About the host organisation")
#: under the QR code, when the school has a verification address
CHECK_AT = N_("Check this attestation at {address}")
