"""The dossier desk as the ``motcua dossier …`` commands use it: opened for the command's
centre and clerk, and the way days are written on the command line."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cli.core import Context
    from shared.dossiers import DossierDesk


def open_desk(ctx: Context) -> DossierDesk:
    """The dossier desk for the command's centre, acting as ``--user`` when it is given."""
    from sqlalchemy import select

    from shared.dossiers import DossierDesk
    from shared.errors import UserError
    from shared.models import User
    from shared.workcal import WorkingHours

    user_id = None
    name = getattr(ctx.args, "user", None)
    if name:
        with ctx.db.transaction(readonly=True) as s:
            user_id = s.scalar(select(User.id).where(User.username == name))
        if user_id is None:
            raise UserError("dossier.cli.unknown_user", name=name)
    hours = WorkingHours.from_settings(ctx.settings.calendar)
    return DossierDesk(ctx.db, ctx.centre, user_id, hours=hours)


def parse_day(value: str) -> date:
    """A day written as ISO (2026-04-30) or as in Vietnam (30/04/2026); ValueError otherwise."""
    text = value.strip()
    if "/" in text:
        day, month, year = (int(x) for x in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)
