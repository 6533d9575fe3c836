"""Checking and tidying what a clerk types for a dossier, before anything is stored.

:func:`validate_form` lists every mistake of a receipt form (field path → message in the
current language) without touching the database, so the counter can show them while the clerk
types; :func:`check_lines` does the same for the missing documents of a supplement request.
:func:`clean_party` and :func:`clean_line` give a checked party or document line the form it is
stored in (NFC, single blanks, normalised ID numbers and phones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from shared.dossier_views import CHANNELS, DocumentLine, Party, ReceiveForm
from shared.dossiers.common import clean
from shared.errors import DossierInvalid
from shared.i18n import tr
from shared.idnumbers import (
    ID_TYPES,
    check_email,
    check_id,
    check_phone,
    normalise_id,
    normalise_phone,
)

__all__ = [
    "MAX_NAME",
    "MAX_TEXT",
    "check_lines",
    "clean_line",
    "clean_party",
    "is_int",
    "validate_form",
]

MAX_NAME = 255
MAX_TEXT = 2000


def is_int(value: object) -> bool:
    """A whole number (``True`` and ``False`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def validate_form(form: ReceiveForm) -> dict[str, str]:
    """What is wrong with the form: field path → message (current language); {} if fine."""
    errors: dict[str, str] = {}

    def add(field: str, key: str) -> None:
        errors.setdefault(field, tr(key))

    if not isinstance(form.procedure_code, str) or not form.procedure_code.strip():
        add("procedure_code", "dossier.invalid.required")
    _check_party("applicant", form.applicant, add)
    if form.submitter is not None:
        _check_party("submitter", form.submitter, add)
    if not is_int(form.sets) or not 1 <= form.sets <= 99:
        add("sets", "dossier.invalid.sets")
    if form.channel not in CHANNELS or not is_int(form.channel):
        add("channel", "dossier.invalid.channel")
    if form.result_delivery not in ("desk", "post"):
        add("result_delivery", "dossier.invalid.delivery")
    elif form.result_delivery == "post" and not clean(form.result_address or ""):
        add("result_address", "dossier.invalid.post_address")
    if len(form.result_address or "") > MAX_TEXT:
        add("result_address", "dossier.invalid.too_long")
    if form.fee is not None and (not is_int(form.fee) or form.fee < 0):
        add("fee", "dossier.invalid.fee")
    if len(form.note or "") > MAX_TEXT:
        add("note", "dossier.invalid.too_long")
    for i, doc in enumerate(form.documents or ()):
        if not clean(doc.name or ""):
            add(f"documents[{i}].name", "dossier.invalid.document_name")
        elif len(doc.name) > MAX_TEXT:
            add(f"documents[{i}].name", "dossier.invalid.too_long")
        for attr in ("originals", "certified", "copies"):
            value = getattr(doc, attr)
            if not is_int(value) or not 0 <= value <= 99:
                add(f"documents[{i}].{attr}", "dossier.invalid.count")
    return errors


def check_lines(lines: Iterable[DocumentLine]) -> None:
    """Raise :class:`DossierInvalid` (``missing[i].…`` → message) if a missing document has no
    name or a count outside 0–99."""
    problems: dict[str, str] = {}
    for i, doc in enumerate(lines):
        if not clean(doc.name or ""):
            problems[f"missing[{i}].name"] = tr("dossier.invalid.document_name")
        for attr in ("originals", "certified", "copies"):
            value = getattr(doc, attr)
            if not is_int(value) or not 0 <= value <= 99:
                problems[f"missing[{i}].{attr}"] = tr("dossier.invalid.count")
    if problems:
        raise DossierInvalid(problems)


def _check_party(prefix: str, party: Party, add: Callable[[str, str], None]) -> None:
    if party.kind not in ("person", "organisation"):
        add(f"{prefix}.kind", "dossier.invalid.kind")
    name = clean(party.name or "")
    if not name:
        add(f"{prefix}.name", "dossier.invalid.name_required")
    elif len(name) > MAX_NAME:
        add(f"{prefix}.name", "dossier.invalid.too_long")
    number = clean(party.id_number or "")
    if number:
        if party.id_type is None:
            add(f"{prefix}.id_type", "dossier.invalid.id_type_missing")
        elif party.id_type not in ID_TYPES:
            add(f"{prefix}.id_type", "dossier.invalid.id_type")
        else:
            problem = check_id(party.id_type, number)
            if problem:
                add(f"{prefix}.id_number", problem)
    elif party.id_type is not None and party.id_type not in ID_TYPES:
        add(f"{prefix}.id_type", "dossier.invalid.id_type")
    if clean(party.phone or ""):
        problem = check_phone(party.phone)
        if problem:
            add(f"{prefix}.phone", problem)
    if clean(party.email or ""):
        problem = check_email(party.email)
        if problem:
            add(f"{prefix}.email", problem)
    if len(party.address or "") > MAX_TEXT:
        add(f"{prefix}.address", "dossier.invalid.too_long")


def clean_party(party: Party) -> Party:
    """A checked party as stored: single blanks in the name, the ID number and phone
    normalised, no ID type without a number."""
    number = clean(party.id_number or "")
    return Party(
        kind=party.kind,
        name=" ".join(clean(party.name).split()),
        id_type=party.id_type if number else None,
        id_number=normalise_id(party.id_type or "", number) if number else "",
        address=clean(party.address or ""),
        phone=normalise_phone(party.phone) if clean(party.phone or "") else "",
        email=clean(party.email or ""),
    )


def clean_line(line: DocumentLine) -> DocumentLine:
    """A checked document line as stored (its name in NFC without surrounding blanks)."""
    return DocumentLine(
        name=clean(line.name),
        originals=line.originals,
        certified=line.certified,
        copies=line.copies,
    )
