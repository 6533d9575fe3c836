"""The kiosk's dossier lookup: what a citizen sees with the code and secret of their slip.

:func:`lookup` (typed code and secret) and :func:`lookup_scan` (the slip's scanned QR text)
answer with a :class:`~shared.dossier_views.DossierPublicView`, read from
:data:`PUBLIC_COLUMNS` only: nothing personal. Whatever is wrong (malformed code, unknown code,
wrong secret, a scan of something else), the answer is the same :class:`LookupRefused`.

Repeated wrong attempts for one code (existing or not) are slowed down through
``dossier_lookup_guards``, shared by every kiosk: :data:`FREE_ATTEMPTS` free, then a wait
doubling from :data:`FIRST_WAIT_S` up to :data:`MAX_WAIT_S` (:func:`wait_after`), forgotten
:data:`FORGET_AFTER` after the last one. Every lookup is an event with its outcome.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware
from shared.codes import DossierToken, decode
from shared.db import Database
from shared.dossier_views import (
    ACCEPTED,
    FEES_DUE,
    PROCESSING,
    REFUSED,
    RESULT_READY,
    RETURNED,
    STOPPED,
    SUBMITTED,
    SUPPLEMENT,
    WITHDRAWN,
    DocumentLine,
    DossierPublicView,
)
from shared.dossiers.common import CODE_PATTERN, document_lines, normalise_code, standing
from shared.errors import CodeError, LookupRefused, LookupSlowDown
from shared.i18n import nfc
from shared.models import Centre, Dossier, DossierNotice, LookupGuard, UTCDateTime
from shared.workcal import load_calendar

__all__ = [
    "FIRST_WAIT_S",
    "FORGET_AFTER",
    "FREE_ATTEMPTS",
    "MAX_WAIT_S",
    "NEXT_STEP_KEYS",
    "PUBLIC_COLUMNS",
    "lookup",
    "lookup_scan",
    "wait_after",
]

NEXT_STEP_KEYS: Final[dict[int, str]] = {
    SUBMITTED: "dossier.next.accept",
    ACCEPTED: "dossier.next.wait",
    PROCESSING: "dossier.next.wait",
    SUPPLEMENT: "dossier.next.supplement",
    FEES_DUE: "dossier.next.pay",
    RESULT_READY: "dossier.next.collect",
    REFUSED: "dossier.next.none",
    WITHDRAWN: "dossier.next.none",
    STOPPED: "dossier.next.none",
    RETURNED: "dossier.next.none",
}
"""What the citizen must do next, per status (translation keys shown by the kiosk)."""

FREE_ATTEMPTS: Final = 3
"""Wrong kiosk lookups of one code allowed before each further one costs a wait."""
FIRST_WAIT_S: Final = 5
MAX_WAIT_S: Final = 900
FORGET_AFTER: Final = timedelta(hours=24)
"""Wrong attempts older than this (since the last one) are forgotten."""


def wait_after(failures: int) -> int:
    """Seconds a code is locked after its ``failures``-th wrong attempt: none for the first
    :data:`FREE_ATTEMPTS`, then 5, 10, 20, … up to :data:`MAX_WAIT_S`."""
    if failures <= FREE_ATTEMPTS:
        return 0
    return min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (failures - FREE_ATTEMPTS - 1))


_GUARD_FAIL = text(
    "INSERT INTO dossier_lookup_guards (key, failures, last_failure_at, blocked_until)"
    " VALUES (:key, 1, :now, NULL)"
    " ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN dossier_lookup_guards.last_failure_at < :stale THEN 1"
    " ELSE dossier_lookup_guards.failures + 1 END,"
    " last_failure_at = :now"
    " RETURNING failures"
)


def lookup(
    db: Database,
    code: str,
    secret: str,
    *,
    client: str = "kiosk",
    now: datetime | None = None,
) -> DossierPublicView:
    """What the kiosk shows for a dossier code and its lookup secret (nothing personal).

    Raises :class:`LookupRefused` (the same whatever was wrong) or :class:`LookupSlowDown`.
    """
    moment = ensure_aware(now)
    key = normalise_code(code if isinstance(code, str) else "")
    typed = "".join(nfc(secret if isinstance(secret, str) else "").split()).upper()
    if not CODE_PATTERN.fullmatch(key):
        _record_refusal(db, client, moment)
        raise LookupRefused()
    return _guarded_lookup(db, key, typed, client, moment)


def lookup_scan(
    db: Database, scanned_text: str, *, client: str = "kiosk", now: datetime | None = None
) -> DossierPublicView:
    """:func:`lookup` from the slip's scanned QR text; anything else → :class:`LookupRefused`."""
    moment = ensure_aware(now)
    try:
        token = decode(scanned_text)
    except (CodeError, TypeError):
        token = None
    if not isinstance(token, DossierToken):
        # Never echo what was scanned: it may be a citizen ID card's QR.
        _record_refusal(db, client, moment)
        raise LookupRefused()
    return _guarded_lookup(db, token.code, token.secret, client, moment)


def _record_refusal(db: Database, client: str, now: datetime) -> None:
    def work(s: Session) -> None:
        events.append(
            s, "dossier.lookup", at=now, data={"outcome": "refused", "client": client[:32]}
        )

    db.run(work)


def _guarded_lookup(
    db: Database, code: str, secret: str, client: str, now: datetime
) -> DossierPublicView:
    def work(s: Session) -> tuple[str, DossierPublicView | None, int]:
        guard = s.get(LookupGuard, code)
        if guard is not None and guard.blocked_until is not None and guard.blocked_until > now:
            wait = math.ceil((guard.blocked_until - now).total_seconds())
            events.append(
                s, "dossier.lookup", at=now, data={"outcome": "slowed", "client": client[:32]}
            )
            return "slowed", None, wait
        dossier = s.execute(
            select(*(getattr(Dossier, c) for c in PUBLIC_COLUMNS)).where(Dossier.code == code)
        ).first()
        ok = dossier is not None and secrets.compare_digest(
            secret.encode("utf-8"), dossier.secret.encode("utf-8")
        )
        if ok and dossier is not None:
            if guard is not None and guard.failures:
                s.execute(
                    update(LookupGuard)
                    .where(LookupGuard.key == code)
                    .values(failures=0, blocked_until=None)
                )
            view = _public_view(s, dossier, now)
            events.append(
                s,
                "dossier.lookup",
                at=now,
                centre_id=dossier.centre_id,
                dossier_id=dossier.id,
                data={
                    "outcome": "ok",
                    "client": client[:32],
                    "code": dossier.code,
                    "status": dossier.status,
                },
            )
            return "ok", view, 0
        failures = int(
            s.execute(
                _GUARD_FAIL.bindparams(
                    bindparam("now", type_=UTCDateTime()), bindparam("stale", type_=UTCDateTime())
                ),
                {"key": code, "now": now, "stale": now - FORGET_AFTER},
            ).scalar_one()
        )
        wait = wait_after(failures)
        if wait:
            s.execute(
                update(LookupGuard)
                .where(LookupGuard.key == code)
                .values(blocked_until=now + timedelta(seconds=wait))
            )
        outcome = "slowed" if wait else "refused"
        events.append(s, "dossier.lookup", at=now, data={"outcome": outcome, "client": client[:32]})
        return outcome, None, wait

    outcome, view, wait = db.run(work)
    if outcome == "ok" and view is not None:
        return view
    if outcome == "slowed":
        raise LookupSlowDown(retry_after=wait)
    raise LookupRefused()


PUBLIC_COLUMNS: Final = (
    "id",
    "centre_id",
    "code",
    "secret",
    "status",
    "procedure_name",
    "procedure_name_en",
    "received_at",
    "due_at",
    "appointment_at",
    "result_ready_at",
    "timeliness",
    "result_delivery",
    "applicant_masked",
)
"""The columns of ``dossiers`` the kiosk's lookup reads: nothing personal (``motcua db roles``
grants the kiosk these and no other)."""


def _public_view(s: Session, d: Any, now: datetime) -> DossierPublicView:
    centre = s.get_one(Centre, d.centre_id)
    missing: tuple[DocumentLine, ...] = ()
    if d.status == SUPPLEMENT:
        notice = s.scalar(
            select(DossierNotice.missing)
            .where(DossierNotice.dossier_id == d.id, DossierNotice.form == "02")
            .order_by(DossierNotice.id.desc())
            .limit(1)
        )
        if notice is not None:
            missing = document_lines(notice or [])
    timeliness, progress = standing(d, load_calendar(s, timezone=centre.timezone), now)
    return DossierPublicView(
        code=d.code,
        procedure_name=d.procedure_name,
        procedure_name_en=d.procedure_name_en,
        status=d.status,
        received_at=d.received_at,
        due_at=d.due_at,
        appointment_at=d.appointment_at,
        timeliness=timeliness,
        progress=progress,
        next_step=NEXT_STEP_KEYS[d.status],
        applicant_masked=d.applicant_masked,
        result_delivery=d.result_delivery,  # type: ignore[arg-type]
        missing=missing,
    )
