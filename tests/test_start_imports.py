"""What starting the command line costs: reading the command line (``--help``, ``--version``,
the parser of every command) loads no code that only running a command needs. Each command
loads its services when it runs (tests/test_cli.py and the commands' own tests run them)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

#: packages that only some commands need (the database, migrations, PDF, rendering, the
#: window, JSON-LD, spreadsheets): none of them loads before a command runs
HEAVY_PACKAGES = (
    "alembic",
    "mako",
    "reportlab",
    "pypdfium2",
    "PIL",
    "PySide6",
    "shiboken6",
    "jsonschema",
    "pyld",
    "openpyxl",
    "sqlalchemy",
)
#: the services of single commands (backup, rosters, privacy, audit, verification, the demo)
COMMAND_SERVICES = (
    "digcomp_app.services.audit",
    "digcomp_app.services.backup",
    "digcomp_app.services.backup_checks",
    "digcomp_app.services.consent",
    "digcomp_app.services.erasure",
    "digcomp_app.services.privacy",
    "digcomp_app.services.retention",
    "digcomp_app.services.roster_files",
    "digcomp_app.services.rosters",
    "digcomp_app.services.verification",
    "digcomp_app.presenters.verification",
    "digcomp_app.framework.export",
    "digcomp_app.services.validation",
    "digcomp_app.showcase",
)

PROBE = """
import json, sys
from digcomp_app.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def probe(code: str, *args: str) -> Any:
    """What the Python ``code`` prints last as JSON, run in a new process with ARGS."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def loaded_by(*args: str) -> set[str]:
    """The modules loaded by ``digcomp-app ARGS``."""
    return set(probe(PROBE, *args))


def test_reading_the_command_line_loads_no_command_s_own_code():
    loaded = loaded_by("--language", "en", "--help")  # the parser of every command
    assert "digcomp_app.commands.backup" in loaded  # (the probe did read every command)
    packages = {name.split(".")[0] for name in loaded}
    assert sorted(packages.intersection(HEAVY_PACKAGES)) == []
    assert sorted(loaded.intersection(COMMAND_SERVICES)) == []


SCREENS_PROBE = """
import json, sys
from digcomp_app.i18n import set_language
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import screens_for
set_language("en")
listed = {role.value: [(spec.id, spec.title()) for spec in screens_for(frozenset({role}))]
          for role in Role}
print(json.dumps({"listed": listed, "loaded": sorted(sys.modules)}))
"""


def test_listing_the_screens_at_sign_in_loads_none_of_them():
    """The navigation lists every screen of the user's roles by id and title; a screen's own
    code is loaded when it is first opened, so a learner's sign-in loads no administrator's
    screen (docs/decisions/0039)."""
    found = probe(SCREENS_PROBE)
    learner = dict(found["listed"]["learner"])
    assert learner["self_assessment"] == "Self-assessment" and "frameworks" in learner
    assert "users" not in learner and "users" in dict(found["listed"]["administrator"])
    views = [name for name in found["loaded"] if name.endswith(".view") or ".view." in name]
    assert views == []
