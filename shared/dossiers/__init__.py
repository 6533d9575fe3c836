"""Dossiers (hồ sơ): the desk that receives and follows them, the kiosk's lookup, the tracking
book.

* :mod:`shared.dossiers.desk`: :class:`DossierDesk`, the clerk's use cases (receive, register
  and accept online dossiers, change status, hand over, notices, return the result, lists).
* :mod:`shared.dossiers.lookup`: what a citizen sees at the kiosk with the code and secret of
  their slip (:func:`lookup`, :func:`lookup_scan`), and the slow-down of wrong attempts.
* :mod:`shared.dossiers.book`: the tracking book (Mẫu 06) and its CSV (:func:`book_csv`).
* :mod:`shared.dossiers.validation`: the checks of what the clerk types.
* :mod:`shared.dossiers.common`: the status rules and the code's shape they all share.

The layers, each importing only those below it: ``desk`` on top; ``validation``, ``book`` and
``lookup`` in the middle, independent of each other; ``common`` at the bottom. The data types
live in :mod:`shared.dossier_views`.
"""

from shared.dossiers.book import BOOK_HEADERS, BOOK_SEQ, book_csv
from shared.dossiers.common import (
    CODE_PATTERN,
    FINAL_STATUSES,
    HANDOVER_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    normalise_code,
)
from shared.dossiers.desk import NOTICE_SUFFIXES, DossierDesk
from shared.dossiers.lookup import (
    FIRST_WAIT_S,
    FORGET_AFTER,
    FREE_ATTEMPTS,
    MAX_WAIT_S,
    NEXT_STEP_KEYS,
    PUBLIC_COLUMNS,
    lookup,
    lookup_scan,
    wait_after,
)
from shared.dossiers.validation import MAX_NAME, MAX_TEXT
from shared.idnumbers import mask_id, mask_name

__all__ = [
    "BOOK_HEADERS",
    "BOOK_SEQ",
    "CODE_PATTERN",
    "FINAL_STATUSES",
    "FIRST_WAIT_S",
    "FORGET_AFTER",
    "FREE_ATTEMPTS",
    "HANDOVER_STATUSES",
    "MAX_NAME",
    "MAX_TEXT",
    "MAX_WAIT_S",
    "NEXT_STEP_KEYS",
    "NOTICE_SUFFIXES",
    "OPEN_STATUSES",
    "PUBLIC_COLUMNS",
    "TRANSITIONS",
    "DossierDesk",
    "book_csv",
    "lookup",
    "lookup_scan",
    "mask_id",
    "mask_name",
    "normalise_code",
    "wait_after",
]
