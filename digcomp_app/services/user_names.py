"""Users' display names for what the services return (who assessed, added, issued …)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.storage.models import User


def display_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The display names of these users (user id -> name; an unknown id is left out), in one
    query of the names alone: a user read with ``session.get`` brings its roles too, and is
    read again for the next row once the session has let go of it."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}
