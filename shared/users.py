"""User accounts: clerks, managers and administrators, with argon2 password hashes."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware
from shared.db import Database
from shared.errors import UserError
from shared.i18n import nfc
from shared.models import USER_ROLES, User

MIN_PASSWORD = 8
_NAME = re.compile(r"^[a-z0-9._-]{3,64}$")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    full_name: str
    role: str
    active: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def add_user(
    db: Database,
    username: str,
    password: str,
    role: str,
    *,
    full_name: str = "",
    now: datetime | None = None,
) -> UserView:
    moment = ensure_aware(now)
    name = username.strip().lower()
    if not _NAME.match(name):
        raise UserError("error.bad_user_name")
    if role not in USER_ROLES:
        raise UserError("error.bad_role", role=role, known=", ".join(USER_ROLES))
    if len(password) < MIN_PASSWORD:
        raise UserError("error.bad_password", min=MIN_PASSWORD)
    password_hash = _hasher.hash(password)

    def work(s: Session) -> UserView:
        if s.scalar(select(User.id).where(User.username == name)) is not None:
            raise UserError("error.user_exists", name=name)
        user = User(
            username=name,
            full_name=nfc(full_name.strip()),
            role=role,
            password_hash=password_hash,
            active=True,
            created_at=moment,
        )
        s.add(user)
        s.flush()
        # The log holds the account id and role, not the person's name.
        events.append(s, "user.added", at=moment, user_id=user.id, data={"role": role})
        return UserView(user.id, user.username, user.full_name, user.role, user.active)

    return db.run(work)


def verify_password(db: Database, username: str, password: str) -> UserView | None:
    """The user when the password is right (and the account active), else None."""

    def work(s: Session) -> tuple[User | None, str | None]:
        user = s.scalar(select(User).where(User.username == username.strip().lower()))
        return user, (user.password_hash if user else None)

    user, stored = db.run(work, readonly=True)
    if user is None or stored is None or not user.active:
        return None
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return UserView(user.id, user.username, user.full_name, user.role, user.active)
