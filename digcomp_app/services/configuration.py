"""What the machine-wide configuration and a shared SQLite file mean, in the user's words.

The findings come from ``settings`` (portable mode, the machine-wide file of the school's IT,
which cannot translate: it is the lowest layer) and ``storage.sharing`` (leases and network
drives); the window and the commands show these texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digcomp_app.i18n import UI_LANGUAGES, _
from digcomp_app.settings import MachineConfig, load_machine_config, load_settings

# (only named: every start reads the machine-wide file through this module, before the
# window's first paint, which the lease code need not wait for: docs/decisions/0014)
if TYPE_CHECKING:
    from digcomp_app.storage.sharing import SharingStatus

#: where the documentation explains a school's PostgreSQL server
SCHOOL_SETUP_GUIDE = "docs/school-setup.md"


def machine_config_messages(config: MachineConfig | None = None) -> list[str]:
    """Every problem of the machine-wide file, translated, naming the file and the line."""
    config = config if config is not None else load_machine_config()
    messages = []
    for problem in config.problems:
        arguments = problem.arguments()
        if "reason" in arguments and problem.line:  # a template of settings, too
            arguments["reason"] = _(arguments["reason"])
        messages.append(_(problem.message).format(**arguments))
    language = config.values.get("language")
    if isinstance(language, str) and language not in UI_LANGUAGES:
        messages.append(
            _("{file}, line {line}: language = {value}: the program speaks {known}.").format(
                file=config.path,
                line=config.lines["language"],
                value=language,
                known=", ".join(UI_LANGUAGES),
            )
        )
    return messages


def locked_explanation(file: str | None = None) -> str:
    """Why a setting cannot be changed here."""
    return _(
        "Set by the school's IT for this computer in {file}; it cannot be changed here."
    ).format(file=file or load_settings().machine_file)


def overridden_notice(name: str, given: str | None) -> str:
    """Said when the command line or the environment asks for something the school's IT
    locked ("" when nothing was overridden)."""
    settings = load_settings()
    if not given or not settings.is_locked(name):
        return ""
    return _("{option} is not used: {explanation}").format(
        option={"database_url": "--database", "language": "--language"}.get(name, name),
        explanation=locked_explanation(settings.machine_file),
    )


def sharing_warning(status: SharingStatus) -> str:
    """A warning when an SQLite file is open on another PC or lies on a network drive."""
    parts: list[str] = []
    if status.others:
        hosts = ", ".join(sorted({holder.host for holder in status.others}))
        parts.append(
            _(
                "Another computer ({hosts}) has this database file open: {file}. An SQLite "
                "file must not be used by several computers at once over a network share: "
                "it can be damaged and data lost. Close the program on {hosts} before "
                "using it here."
            ).format(hosts=hosts, file=status.path)
        )
    elif status.network:
        parts.append(
            _(
                "This database file is on a network drive ({kind}): {file}. SQLite is not "
                "safe there when more than one computer uses it."
            ).format(kind=_network_kind(status.network), file=status.path)
        )
    if parts:
        parts.append(
            _(
                "For several computers, the school's IT should set up a PostgreSQL server "
                "(see {guide} in the program's documentation)."
            ).format(guide=SCHOOL_SETUP_GUIDE)
        )
    return " ".join(parts)


def _network_kind(kind: str) -> str:
    """A mapped drive in words; a file system's own name (cifs, nfs4, UNC) as it is."""
    return _("a mapped network drive") if kind == "remote drive" else kind
