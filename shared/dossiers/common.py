"""What the desk, the kiosk lookup and the tracking book share about a dossier.

* The status rules: :data:`TRANSITIONS` (national portal codes 1–10) and the sets derived from
  it (final, open, open to a hand-over).
* The shape of a dossier code (:data:`CODE_PATTERN`) and how a typed one is read
  (:func:`normalise_code`).
* Small readers of stored data: :func:`clean` for typed text, :func:`document_lines` for the
  document lists kept as JSON, :func:`standing` for a dossier's deadline standing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

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
    Progress,
    Timeliness,
)
from shared.i18n import nfc
from shared.models import Dossier
from shared.workcal import WorkCalendar

__all__ = [
    "CODE_PATTERN",
    "FINAL_STATUSES",
    "HANDOVER_STATUSES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "clean",
    "document_lines",
    "normalise_code",
    "standing",
]

TRANSITIONS: Final[dict[int, frozenset[int]]] = {
    SUBMITTED: frozenset({ACCEPTED, REFUSED, WITHDRAWN}),
    ACCEPTED: frozenset(
        {PROCESSING, SUPPLEMENT, FEES_DUE, RESULT_READY, REFUSED, WITHDRAWN, STOPPED}
    ),
    PROCESSING: frozenset({SUPPLEMENT, FEES_DUE, RESULT_READY, WITHDRAWN, STOPPED}),
    SUPPLEMENT: frozenset({PROCESSING, WITHDRAWN, STOPPED}),
    FEES_DUE: frozenset({PROCESSING, RESULT_READY, WITHDRAWN, STOPPED}),
    RESULT_READY: frozenset({RETURNED}),
    REFUSED: frozenset(),
    WITHDRAWN: frozenset(),
    STOPPED: frozenset(),
    RETURNED: frozenset(),
}
"""Allowed status changes (national portal codes). 3, 7, 8 and 10 are final; 10 only through
:meth:`shared.dossiers.DossierDesk.return_result`; 5 → 4 when the citizen brought what was
missing."""

FINAL_STATUSES: Final = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN_STATUSES: Final = frozenset({ACCEPTED, PROCESSING, SUPPLEMENT, FEES_DUE})
"""Accepted and not yet processed: the deadline runs. Not 1 (submitted online): its legal clock
starts only when the centre accepts it, so it is never late and cannot be rescheduled."""
HANDOVER_STATUSES: Final = frozenset({ACCEPTED, PROCESSING, FEES_DUE})

CODE_PATTERN: Final = re.compile(
    r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}-[0-9]{6}-[0-9]{4,6}"
)
"""A dossier code as :mod:`shared.codes` accepts it in a D1 token."""


def normalise_code(code: str) -> str:
    """A typed dossier code as stored: NFC, no surrounding blanks, upper case."""
    return nfc(code).strip().upper()


def clean(value: str) -> str:
    """Typed text as stored: NFC, no surrounding blanks."""
    return nfc(value).strip()


def document_lines(documents: Iterable[dict[str, Any]]) -> tuple[DocumentLine, ...]:
    """Document lines from their stored JSON (a procedure's list or a notice's missing ones)."""
    return tuple(
        DocumentLine(
            name=str(doc.get("name", "")),
            originals=int(doc.get("original", doc.get("originals", 0)) or 0),
            certified=int(doc.get("certified_copy", doc.get("certified", 0)) or 0),
            copies=int(doc.get("copy", doc.get("copies", 0)) or 0),
        )
        for doc in documents
    )


def standing(
    d: Dossier, cal: WorkCalendar, now: datetime
) -> tuple[Timeliness | None, Progress | None]:
    """(timeliness, progress): the final timeliness once the result is ready; the progress as
    of ``now`` while the dossier is open; neither for one whose clock never ran or stopped."""
    if d.timeliness is not None:
        return d.timeliness, None  # type: ignore[return-value]
    if d.status in OPEN_STATUSES:
        return None, cal.progress(now, d.due_at)
    return None, None
