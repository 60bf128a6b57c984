"""What this computer last saw of each database's audit log (outside the database).

Someone with write access to the database could rewrite the audit log and its head; they
cannot reach every PC that signed in. After each successful audit check (and when someone
signs in in the window) the newest entry and the newest signed checkpoint are remembered
here, per database, in a small JSON file in the user's state folder; the next check
compares the log with them (see ``services.audit.verify`` and docs/decisions/0026).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from digcomp_app.services.audit import ChainAnchor
from digcomp_app.settings import APP_NAME


def anchors_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "audit-anchors.json"


def _key(database_url: str) -> str:
    from digcomp_app.services.database import safe_url

    safe = safe_url(database_url)
    return hashlib.sha256(safe.encode("utf-8")).hexdigest()[:32]


def _read(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(database_url: str, path: Path | None = None) -> ChainAnchor | None:
    entry = _read(path or anchors_file()).get(_key(database_url))
    if not isinstance(entry, dict):
        return None
    try:
        return ChainAnchor(
            int(entry["last_id"]),  # type: ignore[call-overload]
            str(entry["last_hash"]),
            int(entry.get("checkpoint_id", 0)),  # type: ignore[call-overload]
            int(entry.get("checkpoint_last_id", 0)),  # type: ignore[call-overload]
        )
    except (KeyError, TypeError, ValueError):
        return None


def save(database_url: str, anchor: ChainAnchor, path: Path | None = None) -> None:
    """Remember ``anchor`` (only ever forwards: an older one never replaces a newer one)."""
    path = path or anchors_file()
    data = _read(path)
    key = _key(database_url)
    old = data.get(key)
    if isinstance(old, dict):
        old_id = int(old.get("last_id", 0))  # type: ignore[call-overload]
        if old_id > anchor.last_id or (
            old_id == anchor.last_id and old.get("last_hash") != anchor.last_hash
        ):
            return  # never backwards, never over a different entry with the same number
    data[key] = {
        "last_id": anchor.last_id,
        "last_hash": anchor.last_hash,
        "checkpoint_id": anchor.checkpoint_id,
        "checkpoint_last_id": anchor.checkpoint_last_id,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)
