"""Least privilege on PostgreSQL: a database role for each kind of PC, with only what it needs.

``motcua db roles`` (run with the owner's address, the one ``motcua db upgrade`` uses) creates or
updates four group roles and their grants in this database:

``motcua_display``  reads the queue and the calls; writes nothing;
``motcua_kiosk``    reads the catalogue and the queue, issues numbers (tickets, their
                    sequences, number blocks, events) and looks dossiers up through the columns
                    of ``dossiers`` that hold nothing personal (``PUBLIC_COLUMNS`` of
                    :mod:`shared.dossiers`): it cannot read names, ID numbers, addresses, phones;
``motcua_counter``  the clerk's desk: reads everything, writes the queue, ratings, sessions and
                    dossiers; never changes the catalogue, the users or the calendar, never deletes;
``motcua_admin``    everything on every table (the manager's tools, catalogue imports, restores);
                    schema changes stay with the owner.

``--login ROLE:NAME`` (repeatable) also creates or updates a login for a PC as a member of that
role, with its password read from the standard input (one line per login). Each PC then uses its
own login in ``[database] url``. ``motcua db upgrade`` gives new tables their grants when the
roles exist.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import text

from shared.db import Database, translate_errors, unwatched
from shared.dossiers import PUBLIC_COLUMNS
from shared.errors import ConfigError
from shared.migrations import UPGRADE_LOCK_KEY
from shared.views import JsonView

log = logging.getLogger("motcua.roles")

ROLE_KINDS = ("display", "kiosk", "counter", "admin")

_CATALOGUE = (
    "alembic_version",
    "centres",
    "sectors",
    "services",
    "procedures",
    "counters",
    "counter_services",
    "priority_groups",
    "calendar_years",
    "calendar_days",
)
_QUEUE = ("tickets", "calls", "events", "ticket_sequences", "number_blocks")
_DOSSIERS = (
    "dossiers",
    "dossier_parties",
    "dossier_documents",
    "dossier_handovers",
    "dossier_notices",
    "dossier_sequences",
    "notice_sequences",
    "dossier_lookup_guards",
)
_PEOPLE = ("users", "counter_sessions", "ratings")


@dataclass(frozen=True)
class RoleGrants:
    """What one role may do, table by table."""

    select: tuple[str, ...] = ()
    insert: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tables read through some columns only (table → columns)."""
    update_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tables of which only some columns may change (table → columns)."""


GRANTS: dict[str, RoleGrants] = {
    "display": RoleGrants(select=(*_CATALOGUE, "tickets", "calls", "events", "counter_sessions")),
    "kiosk": RoleGrants(
        select=(*_CATALOGUE, *_QUEUE, "dossier_lookup_guards"),
        insert=("tickets", "events", "ticket_sequences", "number_blocks", "dossier_lookup_guards"),
        update=("tickets", "ticket_sequences", "dossier_lookup_guards"),
        delete=("dossier_lookup_guards",),
        columns={
            "dossiers": PUBLIC_COLUMNS,
            "dossier_notices": ("id", "dossier_id", "form", "missing"),
        },
    ),
    "counter": RoleGrants(
        select=(*_CATALOGUE, *_QUEUE, *_DOSSIERS, *_PEOPLE),
        insert=(*_QUEUE, *_DOSSIERS, "counter_sessions", "ratings"),
        update=(*_QUEUE, *_DOSSIERS, "counter_sessions", "ratings"),
        # A counter's own state: paused or open, and its priority streak (the clerk's call
        # locks the counter's row); its name, services and mode are the manager's.
        update_columns={"counters": ("paused", "normal_streak")},
    ),
}


def role_name(kind: str) -> str:
    return f"motcua_{kind}"


@dataclass(frozen=True)
class RolesResult(JsonView):
    database: str
    roles: list[str]
    logins: list[str]


def _ident(name: str) -> str:
    """A role name safe to write into SQL (letters, digits, _ and -, quoted)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]{0,62}", name):
        raise ConfigError(
            file="--login", detail=f"{name!r}: tên không hợp lệ / not a valid role name"
        )
    return f'"{name}"'


def apply_roles(db: Database, logins: dict[str, tuple[str, str]] | None = None) -> RolesResult:
    """Create or update the four roles and their grants (and the ``logins``: name → (kind,
    password)), in one transaction."""
    if db.is_sqlite:
        raise ConfigError(
            file="motcua db roles",
            detail="chỉ dùng với PostgreSQL / PostgreSQL only (an SQLite file has no roles)",
        )
    logins = logins or {}
    for name, (kind, _password) in logins.items():
        if kind not in ROLE_KINDS:
            raise ConfigError(
                file="--login", detail=f"{name}: {kind!r} (known: {', '.join(ROLE_KINDS)})"
            )
    db.check_schema()
    with translate_errors(db), unwatched(), db.engine.begin() as conn:
        # Two computers upgrading at once both give the grants again: one after the other
        # (granting on the same role at the same moment fails with "tuple concurrently updated").
        conn.execute(text(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK_KEY})"))
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        tables = set(
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
        for kind in ROLE_KINDS:
            role = _ident(role_name(kind))
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": role_name(kind)}
            ).first()
            if not exists:
                conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
            conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {role}'))
            conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
            conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"))
            conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}"))
            if kind == "admin":
                conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}"))
                conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}"))
                continue
            grants = GRANTS[kind]
            for privilege, names in (
                ("SELECT", grants.select),
                ("INSERT", grants.insert),
                ("UPDATE", grants.update),
                ("DELETE", grants.delete),
            ):
                present = sorted(set(names) & tables)
                if present:
                    listed = ", ".join(f'"{t}"' for t in present)
                    conn.execute(text(f"GRANT {privilege} ON {listed} TO {role}"))
            for privilege, per_table in (
                ("SELECT", grants.columns),
                ("UPDATE", grants.update_columns),
            ):
                for table, columns in per_table.items():
                    if table in tables:
                        listed = ", ".join(f'"{c}"' for c in columns)
                        conn.execute(text(f'GRANT {privilege} ({listed}) ON "{table}" TO {role}'))
            if grants.insert:
                conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        for name, (kind, password) in logins.items():
            login = _ident(name)
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            ).first()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(text(f"{verb} ROLE {login} LOGIN PASSWORD {_literal(password)}"))
            conn.execute(text(f"GRANT {_ident(role_name(kind))} TO {login}"))
    log.info("database roles set up in %s (logins: %s)", db.display_url, ", ".join(logins) or "-")
    return RolesResult(db.display_url, [role_name(k) for k in ROLE_KINDS], sorted(logins))


def refresh_if_present(db: Database) -> bool:
    """After a schema upgrade: the roles' grants again (new tables), if the roles exist."""
    if db.is_sqlite:
        return False
    with translate_errors(db), db.engine.connect() as conn:
        present = conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": role_name("kiosk")}
        ).first()
    if present is None:
        return False
    apply_roles(db)
    return True


def _literal(value: str) -> str:
    """A password as an SQL string literal (``CREATE ROLE … PASSWORD`` takes no parameter)."""
    return "'" + value.replace("'", "''") + "'"
