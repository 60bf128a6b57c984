"""The school's status list of digital credentials: a W3C Bitstring Status List v1.0
(docs/digital-credentials.md, section 5; docs/decisions/0033-digital-credentials.md).

Each exported certificate has one bit, chosen at random when it is first exported; every
Open Badges 3.0 credential of it carries a ``BitstringStatusListEntry`` naming that bit and
the list's address. The list is a ``BitstringStatusListCredential`` of the school's DID,
signed like the credentials (``eddsa-rdfc-2022``): a bit set to 1 means revoked. The school
publishes it as :data:`LIST_FILE` beside its verification page, so its address is the
verification address resolved against that file name.

Pure: no database, no services.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digcomp_app.documents import openbadges
from digcomp_app.i18n import _

#: the file the school publishes beside its verification page
LIST_FILE = "status-list.json"
#: entries in the list: the specification's minimum (16 KB), so an index says little
LIST_SIZE = 131072
PURPOSE = "revocation"


def list_address(verification_address: str) -> str:
    """Where the list is published: :data:`LIST_FILE` in the folder of the verification page
    (``https://school.lv/apliecinajumi/`` → ``https://school.lv/apliecinajumi/status-list.json``,
    ``https://school.lv/verify`` → ``https://school.lv/status-list.json``)."""
    openbadges.did_web(verification_address)  # https, a host: the same rule as the issuer
    parts = urlsplit(verification_address)
    page = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
    return urljoin(page, LIST_FILE)


def entry(address: str, index: int) -> dict[str, Any]:
    """The ``credentialStatus`` of a credential whose certificate has bit ``index``."""
    if not 0 <= index < LIST_SIZE:
        raise openbadges.CredentialError(
            _("The status list has no entry {index}.").format(index=index)
        )
    return {
        "id": f"{address}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": address,
    }


def encoded_list(revoked: Iterable[int], size: int = LIST_SIZE) -> str:
    """``encodedList``: "u" + base64url without padding of the GZIP-compressed bitstring;
    index 0 is the left-most (most significant) bit of the first byte."""
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise openbadges.CredentialError(
                _("The status list has no entry {index}.").format(index=index)
            )
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def status_list_credential(
    verification_address: str, revoked: Iterable[int], valid_from: dt.datetime
) -> dict[str, Any]:
    """The unsigned list: every index in ``revoked`` set to 1."""
    address = list_address(verification_address)
    return {
        "@context": [openbadges.VC_CONTEXT],
        "id": address,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": openbadges.did_web(verification_address),
        "validFrom": openbadges.utc_text(valid_from),
        "credentialSubject": {
            "id": f"{address}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encoded_list(revoked),
        },
    }


def signed_status_list(
    verification_address: str,
    revoked: Iterable[int],
    private_key: Ed25519PrivateKey,
    now: dt.datetime,
) -> dict[str, Any]:
    """The list signed with the school's key (the verification method of its DID document)."""
    unsigned = status_list_credential(verification_address, revoked, now)
    public_raw = private_key.public_key().public_bytes_raw()
    method = openbadges.verification_method(unsigned["issuer"], public_raw)
    return openbadges.sign(unsigned, private_key, method, now)
