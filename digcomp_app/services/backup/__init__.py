"""Backup and restore: the whole school database in one sealed file.

A backup is sealed with a passphrase (docs/decisions/0023-sealed-backups.md): a short
header (which school, its audit head, the schema version, the key derivation's parameters)
and then an SQLite database, encrypted and authenticated in chunks by services/sealing.py
with the header as associated data. Restore refuses any changed, missing, reordered or
appended byte before a single row is read. Backups written before sealing existed (plain
SQLite files) still restore, with a warning that they were not protected.

The database inside is an SQLite database with this program's schema at the current migration head,
whatever the database it was made from: a backup of a PostgreSQL server restores into an
SQLite file and the other way round. Evidence files live in the database (table
``evidence_blobs``), so they are part of it.

* From SQLite the file is copied with SQLite's online backup API, which is safe while the
  program runs; from another database the schema is created in a new SQLite file and every
  table is copied, in dependency order, in batches, inside one consistent read.
* The plain copy is made in a private temporary folder (mode 0700) and removed at the end;
  the sealed backup is written under a temporary name beside the target and renamed at the
  end, so a half-written backup never carries the target's name.
* A restore goes only into an empty database (freshly migrated, no users). As such a
  database has nobody who could sign in, the administrator's user name and password are
  checked against the backup itself. Before anything is copied the backup is checked: it
  must be a database of this program, every evidence file must match its SHA-256 and the
  audit log's hash chain must be intact. The copy is one transaction: a failed restore
  leaves the database as empty as it was.

The parts:

- :mod:`.model`: what a backup and a restore report (and the progress, the refusals);
- :mod:`.creating`: :func:`create`, the copy and the file put in place;
- :mod:`.sealed`: the sealed file (its header, sealing, opening), :func:`describe` and
  :func:`current_school`;
- :mod:`.restoring`: :func:`restore` into an empty database;
- :mod:`.copying`: every table's rows copied in batches, from any database to any other.
"""

from digcomp_app.services.backup.copying import BATCH_BYTES, BATCH_ROWS
from digcomp_app.services.backup.creating import create
from digcomp_app.services.backup.model import (
    BackupCancelled,
    BackupHeader,
    BackupInfo,
    OtherSchool,
    Progress,
    RestoreInfo,
    SchoolIdentity,
)
from digcomp_app.services.backup.restoring import restore
from digcomp_app.services.backup.sealed import (
    FORMAT_VERSION,
    MAX_HEADER,
    SEALED_MAGIC,
    current_school,
    describe,
    other_school,
    unsealed_warning,
)

__all__ = [
    "BATCH_BYTES",
    "BATCH_ROWS",
    "FORMAT_VERSION",
    "MAX_HEADER",
    "SEALED_MAGIC",
    "BackupCancelled",
    "BackupHeader",
    "BackupInfo",
    "OtherSchool",
    "Progress",
    "RestoreInfo",
    "SchoolIdentity",
    "create",
    "current_school",
    "describe",
    "other_school",
    "restore",
    "unsealed_warning",
]
