"""The reliability suite: failures a school meets (a PC switched off while saving, a full
disk, a restarted server, two people saving at once, hostile files and text, altered
backups and audit logs, a deactivated user). Every test here is marked ``reliability``;
tests of the same kind that live next to their service are marked where they are (see
README's "Run the tests")."""

from __future__ import annotations

import json

from tests.reliability.figures import FIGURES
from tests.services.conftest import (  # noqa: F401 - fixtures shared with the service tests
    database_url,
    db,
    postgres_url,
    school,
)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    # Counted here, from every passed test (a conftest's runtest hooks see only its folder).
    passed = [
        report
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call" and "reliability" in report.keywords
    ]
    if passed:
        FIGURES["reliability tests passed"] = len(passed)
        # one hostile value (NUL or over-long) refused per passing case of the input tests
        refused = sum(
            "test_inputs_reliability.py" in r.nodeid and "refuse" in r.nodeid for r in passed
        )
        if refused:
            FIGURES["inputs refused (NUL, over-long)"] = refused
    if not FIGURES:
        return
    terminalreporter.section("reliability")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name}: {json.dumps(FIGURES[name], sort_keys=True)}")
    if getattr(config, "cache", None) is not None:
        config.cache.set("reliability/figures", FIGURES)
