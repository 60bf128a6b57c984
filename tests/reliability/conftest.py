"""The reliability suite: failures a school meets (a PC switched off while saving, a full
disk, a restarted server, two people saving at once, hostile files and text, altered
backups and audit logs, a deactivated user). Every test here is marked ``reliability``;
tests of the same kind that live next to their service are marked where they are (see
README's "Run the tests")."""

from __future__ import annotations

from tests.services.conftest import (  # noqa: F401 - fixtures shared with the service tests
    database_url,
    db,
    postgres_url,
    school,
)
