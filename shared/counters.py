"""Clerks at counters: signing in and out, one clerk per counter at a time.

A session is a row of ``counter_sessions``; a partial unique index allows one open session per
counter, so two clerks can never hold the same counter, even when they press "sign in" on two
PCs in the same instant. The same clerk signing in again (after a crash or a reboot) gets their
open session back, with the counter's open ticket still on it.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware, format_vn
from shared.db import Database
from shared.errors import CounterTaken, UnknownCounter, UserError
from shared.models import Centre, Counter, CounterSession, User
from shared.queue import resolve_centre
from shared.users import UserView, verify_password
from shared.views import JsonView


@dataclass(frozen=True)
class CounterSessionView(JsonView):
    id: int
    counter: int
    user_id: int
    username: str
    full_name: str
    role: str
    machine: str
    started_at: datetime


def sign_in(
    db: Database,
    username: str,
    password: str,
    counter_number: int,
    *,
    centre: str | None = None,
    machine: str | None = None,
    now: datetime | None = None,
) -> CounterSessionView:
    """Check the password (argon2) and open a session at the counter, or refuse."""
    user = verify_password(db, username, password)
    if user is None:
        raise UserError("error.bad_login")
    where = machine if machine is not None else socket.gethostname()

    def work(s: Session) -> CounterSessionView:
        moment = ensure_aware(now)
        centre_row = resolve_centre(s, centre)
        counter = _counter(s, centre_row, counter_number, lock=not db.is_sqlite)
        open_session = _open_session(s, counter.id)
        if open_session is not None:
            if open_session.user_id == user.id:
                return _view(open_session, counter, user)
            holder = s.get_one(User, open_session.user_id)
            raise CounterTaken(
                number=counter.number,
                name=holder.full_name or holder.username,
                since=format_vn(open_session.started_at, centre_row.timezone, seconds=False),
            )
        session = CounterSession(
            counter_id=counter.id, user_id=user.id, machine=where[:128], started_at=moment
        )
        s.add(session)
        s.flush()
        events.append(
            s,
            "counter.signed_in",
            at=moment,
            centre_id=centre_row.id,
            counter_id=counter.id,
            user_id=user.id,
            data={"counter": counter.number, "role": user.role},
        )
        return _view(session, counter, user)

    try:
        return db.run(work)
    except IntegrityError:
        # Another PC opened a session on this counter in the same instant: say who.
        return db.run(work)


def sign_out(
    db: Database,
    counter_number: int,
    *,
    centre: str | None = None,
    now: datetime | None = None,
) -> CounterSessionView:
    """Close the open session of a counter (its ticket, if any, stays with the counter)."""

    def work(s: Session) -> CounterSessionView:
        moment = ensure_aware(now)
        centre_row = resolve_centre(s, centre)
        counter = _counter(s, centre_row, counter_number, lock=not db.is_sqlite)
        session = _open_session(s, counter.id)
        if session is None:
            raise UserError("error.not_signed_in", number=counter.number)
        session.ended_at = moment
        s.flush()
        user = s.get_one(User, session.user_id)
        events.append(
            s,
            "counter.signed_out",
            at=moment,
            centre_id=centre_row.id,
            counter_id=counter.id,
            user_id=user.id,
            data={"counter": counter.number},
        )
        return _view(session, counter, _user_view(user))

    return db.run(work)


def open_session(
    db: Database, counter_number: int, *, centre: str | None = None
) -> CounterSessionView | None:
    """Who is signed in at a counter now (None: nobody)."""

    def work(s: Session) -> CounterSessionView | None:
        counter = _counter(s, resolve_centre(s, centre), counter_number)
        session = _open_session(s, counter.id)
        if session is None:
            return None
        return _view(session, counter, _user_view(s.get_one(User, session.user_id)))

    return db.run(work, readonly=True)


def _counter(s: Session, centre: Centre, number: int, *, lock: bool = False) -> Counter:
    stmt = select(Counter).where(
        Counter.centre_id == centre.id, Counter.number == number, Counter.active.is_(True)
    )
    counter = s.scalar(stmt.with_for_update() if lock else stmt)
    if counter is None:
        raise UnknownCounter(number=number)
    return counter


def _open_session(s: Session, counter_id: int) -> CounterSession | None:
    return s.scalar(
        select(CounterSession).where(
            CounterSession.counter_id == counter_id, CounterSession.ended_at.is_(None)
        )
    )


def _user_view(user: User) -> UserView:
    return UserView(user.id, user.username, user.full_name, user.role, user.active)


def _view(session: CounterSession, counter: Counter, user: UserView) -> CounterSessionView:
    return CounterSessionView(
        id=session.id,
        counter=counter.number,
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        machine=session.machine,
        started_at=session.started_at,
    )
