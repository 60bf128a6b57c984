"""What a verdict shows, the same in the window and on the command line: the details of
one attestation as labelled rows, where the key that checked it came from, and how its
revocation was checked. The verify dialog renders them as HTML, the ``verify`` command as
aligned text."""

from __future__ import annotations

from pathlib import Path

from digcomp_app.i18n import _, format_date, format_datetime
from digcomp_app.services.verification import KeySource, Verification


def detail_rows(result: Verification) -> list[tuple[str, str]]:
    """The labelled details of one attestation, in the order a reader checks them: whose
    it is, what it is, which key signed it, whether it still holds."""
    rows: list[tuple[str, str]] = []
    if result.holder:
        rows.append((_("Holder"), result.holder))
    if result.issuer:
        rows.append((_("Issued by"), result.issuer))
    if result.mobility:
        rows.append((_("Mobility"), result.mobility))
    if result.serial:
        rows.append((_("Serial number"), result.serial))
    if result.issued_on:
        rows.append((_("Issued on"), format_date(result.issued_on, "long")))
    if result.fingerprint or result.key_id:
        rows.append((_("Signing key"), result.fingerprint or result.key_id))
    if result.revoked_at:
        rows.append((_("Revoked on"), format_datetime(result.revoked_at, "short")))
    if result.revoke_reason:
        rows.append((_("Reason"), result.revoke_reason))
    if result.key_source is not None:
        rows.append((_("Key from"), key_source_text(result.key_source)))
    if result.pages:
        rows.append((_("Pages"), ", ".join(str(p) for p in result.pages)))
    if result.serial:
        rows.append(
            (
                _("Register"),
                _("checked in this school's register")
                if result.register_checked
                else _("not at hand; revocation not checked"),
            )
        )
        rows.append((_("Revocation"), revocation_text(result)))
    return rows


def key_source_text(source: KeySource) -> str:
    return _("the key file {file}, which says it holds the keys of {school} ({address})").format(
        file=Path(source.source).name if source.source else "—",
        school=source.school or _("an unnamed school"),
        address=source.address or _("no web address given"),
    )


def revocation_text(result: Verification) -> str:
    if result.revocation_checked == "register":
        return _("checked in the school's register")
    if result.revocation_checked == "list":
        return _("checked in the school's revocation list issued {issued}").format(
            issued=result.revocation_list_issued
        )
    return _("not checked (no register and no revocation list at hand)")
