"""The forms laid out: a form of the active set plus a dossier (or the tracking book) -> pages.

The fixed texts come from the form set (:mod:`shared.forms.formset`); the values from the
:class:`~shared.dossier_views.DossierView` (Mẫu 02–04 from its latest notice of that form, Mẫu 05
from its hand-overs) or from a :class:`TrackingBook` (Mẫu 06). Each copy of a form ("Liên 1:
Lưu", "Liên 2: Giao công dân") starts on a page of its own; a copy that needs several pages
gets the dossier code and "Trang 1/2" in its footer.

Privacy: the QR code holds the dossier token of :mod:`shared.codes` (code and lookup secret,
nothing personal) and, like the lookup secret, is printed only on the copies the form set names
(the citizen's copy of Mẫu 01), not on the copy that is filed.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from shared.clock import DEFAULT_TIMEZONE, zone
from shared.codes import encode_dossier
from shared.dossier_views import (
    SUBMITTED,
    BookRow,
    DocumentLine,
    DossierView,
    HandoverView,
    NoticeView,
)
from shared.errors import EXIT_REFUSED, EXIT_USAGE, MotcuaError
from shared.forms.fonts import metrics
from shared.forms.formset import (
    DEFAULT_SET,
    FormSet,
    FormSpec,
    LookupSpec,
    TableSpec,
    TextLine,
    copy_key,
    load_form_set,
    normalise_number,
)
from shared.forms.page import (
    Block,
    Column,
    Composer,
    Margins,
    Page,
    Span,
    Table,
    TextItem,
    bars_block,
    modules_block,
    paragraph,
    side_by_side,
    underline,
)
from shared.i18n import nfc
from shared.printing.code128 import QUIET_MODULES, code128_modules
from shared.printing.qrimage import qr_matrix

A4: Final = (210.0, 297.0)
PORTRAIT: Final = Margins(top=15.0, right=15.0, bottom=12.0, left=25.0)
LANDSCAPE: Final = Margins(top=15.0, right=12.0, bottom=12.0, left=15.0)
FOOTER: Final = 7.0
BODY: Final = 11.0
HEADER: Final = 11.0
TITLE: Final = 13.5
TABLE: Final = 10.5
TABLE_HEAD: Final = 10.0
BOOK_TABLE: Final = 8.0
BOOK_HEAD: Final = 7.5
SMALL: Final = 9.0
TABLE_RULE: Final = 0.2
QR_SIDE: Final = 22.0
BAR_MODULE: Final = 25.4 * 2 / 150
"""2 pixels at 150 dpi, 4 at 300: bars stay even in the page images."""
BAR_HEIGHT: Final = 8.0
SIGN_SPACE: Final = 20.0
SIGN_SPACE_MIN: Final = 12.0


class DossierNotAccepted(MotcuaError):
    """A receipt slip asked for a dossier submitted online and not yet accepted."""

    exit_code = EXIT_REFUSED
    key = "error.form_not_accepted"


class FormDataMissing(MotcuaError):
    """The dossier has no notice of the form asked for (Mẫu 02, 03, 04)."""

    exit_code = EXIT_USAGE
    key = "error.form_no_notice"


class UnknownCopy(MotcuaError):
    exit_code = EXIT_USAGE
    key = "error.form_copy"


@dataclass(frozen=True)
class FormOptions:
    """What the forms need besides the dossier: form set, time zone, lookup address, hotline."""

    form_set: str = DEFAULT_SET
    timezone: str = DEFAULT_TIMEZONE
    lookup_base_url: str = ""
    """``[lookup] base_url``: the QR holds this address with the token (else MOTCUA:…)."""
    hotline: str = ""

    @classmethod
    def from_settings(cls, settings: Any) -> FormOptions:
        """From :class:`shared.settings.Settings`; optional sections are read when present."""
        forms = getattr(settings, "forms", None)
        centre = getattr(settings, "centre", None)
        return cls(
            form_set=str(getattr(forms, "form_set", "") or DEFAULT_SET),
            timezone=str(getattr(centre, "timezone", "") or DEFAULT_TIMEZONE),
            lookup_base_url=str(getattr(getattr(settings, "lookup", None), "base_url", "")),
            hotline=str(getattr(centre, "hotline", "") or ""),
        )


@dataclass(frozen=True)
class TrackingBook:
    """Mẫu 06: the lines of the tracking book for a period, with the centre's header."""

    rows: tuple[BookRow, ...]
    centre_name: str
    agency: str
    date_from: date
    date_to: date
    place: str = ""
    volume: str = ""


FormData = DossierView | TrackingBook


@dataclass
class FormDocument:
    """A laid-out form: its pages and, for each page, the copy it belongs to."""

    form: str
    title: str
    pages: list[Page]
    copy_of_page: list[str] = field(default_factory=list)
    """Copy key of each page ("luu", "giao"; "" for a form with one copy)."""


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keep:
    """A value printed in unbreakable chunks ("08 giờ 05 phút," | "ngày 04 tháng 05 …")."""

    chunks: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(self.chunks)


Value = str | Keep


def _local(moment: datetime, timezone: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime in a dossier view")
    return moment.astimezone(zone(timezone))


def _parts(moment: datetime, timezone: str) -> dict[str, str]:
    local = _local(moment, timezone)
    return {
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "day": f"{local.day:02d}",
        "month": f"{local.month:02d}",
        "year": f"{local.year}",
    }


class _Formatter:
    def __init__(self, form_set: FormSet, timezone: str) -> None:
        self.set = form_set
        self.timezone = timezone

    def long(self, moment: datetime | None) -> Value:
        if moment is None:
            return ""
        text = self.set.common["datetime"].format(**_parts(moment, self.timezone))
        return Keep(tuple(part.strip() for part in _split_after_comma(text)))

    def date(self, moment: datetime | date | None) -> Value:
        if moment is None:
            return ""
        if isinstance(moment, datetime):
            parts = _parts(moment, self.timezone)
        else:
            parts = {"day": f"{moment.day:02d}", "month": f"{moment.month:02d}"}
            parts["year"] = f"{moment.year}"
        return Keep((self.set.common["date"].format(**parts),))

    def short(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        p = _parts(moment, self.timezone)
        return f"{p['day']}/{p['month']}/{p['year']} {p['hour']}:{p['minute']}"

    def place_date(self, place: str, moment: datetime | date) -> str:
        if isinstance(moment, datetime):
            parts = _parts(moment, self.timezone)
        else:
            parts = {"day": f"{moment.day:02d}", "month": f"{moment.month:02d}"}
            parts["year"] = f"{moment.year}"
        blank = self.set.common["blank"]
        return self.set.common["place_date"].format(place=place.strip() or blank, **parts)


def _split_after_comma(text: str) -> list[str]:
    out, current = [], ""
    for word in text.split(" "):
        current = f"{current} {word}".strip()
        if word.endswith(","):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):02d}"
    return f"{value:g}".replace(".", ",")


def _count(value: int) -> str:
    return str(value) if value else ""


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def dossier_values(
    dossier: DossierView,
    form_set: FormSet,
    options: FormOptions,
    notice: NoticeView | None = None,
) -> dict[str, Value]:
    """Every placeholder of the ``dossier`` (and ``notice``) vocabulary, as printed."""
    f = _Formatter(form_set, options.timezone)
    common = form_set.common
    applicant = dossier.applicant
    submitter = dossier.submitter
    if dossier.processing_days:
        processing = common["days"].format(n=_number(dossier.processing_days))
    elif dossier.processing_hours:
        processing = common["hours"].format(n=_number(dossier.processing_hours))
    else:
        processing = ""
    if dossier.result_delivery == "post":
        address = dossier.result_address.strip() or applicant.address
        collect = common["collect_post"].format(address=address)
    else:
        collect = common["collect_desk"].format(centre=dossier.centre_name)
    fee = ""
    if dossier.fee:
        fee = common["money"].format(amount=_money(dossier.fee))
        if dossier.fee_note.strip():
            fee = f"{fee} ({dossier.fee_note.strip()})"
    values: dict[str, Value] = {
        "code": dossier.code,
        "secret": dossier.secret,
        "centre": dossier.centre_name,
        "agency": dossier.agency,
        "place": dossier.place,
        "applicant": applicant.name,
        "id_label": form_set.id_types.get(applicant.id_type or "", ""),
        "id_number": applicant.id_number if applicant.id_type else "",
        "address": applicant.address,
        "phone": applicant.phone,
        "email": applicant.email,
        "submitter": submitter.name if submitter and submitter.name != applicant.name else "",
        "signer": submitter.name if submitter else applicant.name,
        "procedure": dossier.procedure_name,
        "procedure_code": dossier.procedure_code,
        "sets": f"{dossier.sets:02d}",
        "processing_time": processing,
        "received_at": f.long(dossier.received_at),
        "received_date": f.date(dossier.received_at),
        "due_at": f.long(dossier.due_at),
        "due_date": f.date(dossier.due_at),
        "appointment_at": f.long(dossier.appointment_at),
        "appointment_date": f.date(dossier.appointment_at),
        "collect_at": collect,
        "fee": fee,
        "fee_note": dossier.fee_note,
        "register_no": f"{dossier.register_no:04d}",
        "register_volume": dossier.register_volume,
        "clerk": dossier.received_by,
        "hotline": options.hotline,
        "status": str(dossier.status),
        "timeliness": form_set.timeliness.get(dossier.timeliness or "", ""),
        "lead_unit": dossier.handovers[0].to_unit if dossier.handovers else "",
        "note": dossier.note,
    }
    if notice is not None:
        values.update(
            {
                "number": notice.number,
                "reason": notice.reason,
                "officer": notice.user,
                "officer_phone": options.hotline,
                "new_due_at": f.long(notice.new_due_at),
                "new_due_date": f.date(notice.new_due_at),
                "notice_date": f.date(notice.created_at),
            }
        )
    return values


def _document_row(index: int, line: DocumentLine) -> dict[str, Value]:
    return {
        "index": str(index),
        "name": line.name,
        "originals": _count(line.originals),
        "certified": _count(line.certified),
        "copies": _count(line.copies),
    }


def _handover_row(
    index: int, step: HandoverView, form_set: FormSet, f: _Formatter
) -> dict[str, Value]:
    return {
        "index": str(index),
        "from_unit": step.from_unit,
        "to_unit": step.to_unit,
        "handed_at": f.short(step.handed_at),
        "due_at": f.short(step.due_at),
        "result_at": f.short(step.result_at),
        "result": step.result,
        "note": step.note,
        "timeliness": form_set.timeliness.get(step.timeliness or "", ""),
        "user": step.user,
    }


def _book_row(index: int, row: BookRow, f: _Formatter) -> dict[str, Value]:
    return {
        "index": str(index),
        "register_no": str(row.register_no),
        "code": row.code,
        "procedure": row.procedure_name,
        "sets": str(row.sets),
        "applicant": row.applicant_name,
        "contact": row.applicant_contact,
        "lead_unit": row.lead_unit,
        "received_at": f.short(row.received_at),
        "due_at": f.short(row.due_at),
        "sent_at": f.short(row.sent_at),
        "result_back_at": f.short(row.result_back_at),
        "returned_at": f.short(row.returned_at),
        "note": row.note,
    }


def spans(
    template: str,
    values: Mapping[str, Value],
    *,
    base: str = "regular",
    blank: str = "",
) -> list[Span]:
    """``template`` filled in: ``**…**`` bold; a :class:`Keep` value never breaks inside a
    chunk; an empty value becomes ``blank``."""
    out: list[Span] = []
    bold_style = "bolditalic" if base == "italic" else "bold"
    for index, segment in enumerate(template.split("**")):
        style = bold_style if index % 2 else base
        for literal, name, _, _ in string.Formatter().parse(segment):
            if literal:
                out.append(Span(literal, style))  # type: ignore[arg-type]
            if name is None:
                continue
            value = values.get(name, "")
            if isinstance(value, Keep):
                for number, chunk in enumerate(value.chunks):
                    text = chunk if number == 0 else " " + chunk
                    out.append(Span(text, style, keep=True))  # type: ignore[arg-type]
            elif nfc(value).strip():
                out.append(Span(" ".join(nfc(value).split()), style))  # type: ignore[arg-type]
            elif blank:
                out.append(Span(blank, style))  # type: ignore[arg-type]
    return out


def _shown(line: TextLine, values: Mapping[str, Value]) -> bool:
    return not line.when or bool(str(values.get(line.when, "")).strip())


# --- layout -------------------------------------------------------------------------------------


Row = Mapping[str, Value]


class _Builder:
    def __init__(
        self,
        spec: FormSpec,
        form_set: FormSet,
        values: Mapping[str, Value],
        rows: Mapping[str, Sequence[Row]],
        qr_text: str,
    ) -> None:
        self.spec = spec
        self.set = form_set
        self.values = values
        self.rows = rows
        """Rows of each table source ("documents", "missing", "handovers", "book")."""
        self.qr_text = qr_text
        self.blank = form_set.common["blank"]

    def spans(self, template: str, base: str = "regular", blank: bool = True) -> list[Span]:
        return spans(template, self.values, base=base, blank=self.blank if blank else "")

    def header(self, width: float, agency: str, centre: str, number: str, dated: str) -> Block:
        left_w = width * 0.45
        right_w = width - left_w
        left = Block()
        if agency.strip():
            left.add(paragraph([Span(agency.upper())], HEADER, left_w, "center", balance=True))
        if centre.strip():
            left.add(
                paragraph([Span(centre.upper(), "bold")], HEADER, left_w, "center", balance=True)
            )
        desk = self.set.common["desk"]
        if desk.strip() and self.spec.layout == "document":
            left.add(paragraph([Span(desk, "bold")], HEADER, left_w, "center", balance=True))
        underline(left, left_w, left_w * 0.35)
        right = Block()
        right.add(paragraph([Span(self.set.common["nation"], "bold")], HEADER, right_w, "center"))
        motto = paragraph([Span(self.set.common["motto"], "bold")], HEADER + 0.5, right_w, "center")
        underline(motto, right_w, None)
        right.add(motto)
        top = side_by_side([(0.0, left), (left_w, right)])
        below = Block()
        row = []
        if number.strip():
            row.append((0.0, paragraph(self.spans(number), HEADER, left_w, "center")))
        if dated.strip():
            row.append((left_w, paragraph([Span(dated, "italic")], HEADER, right_w, "center")))
        block = Block()
        block.add(top)
        if row:
            block.height += 2.0
            below = side_by_side(row)
            block.add(below)
        return block

    def title(self, c: Composer, copy_label: str, code: str) -> None:
        width = c.text_width
        c.space(5.0)
        c.place(paragraph([Span(self.spec.title, "bold")], TITLE, width, "center", balance=True))
        for line in self.spec.subtitle:
            if _shown(line, self.values):
                c.place(paragraph(self.spans(line.text, line.style), BODY, width, "center"))
        if copy_label:
            c.place(paragraph([Span(copy_label, "italic")], BODY, width, "center"))
        if self.spec.barcode and code:
            c.space(1.5)
            c.place(_barcode(code, width))
        c.space(4.0)

    def body(self, c: Composer, copy: str, size: float, head: float) -> None:
        for entry in self.spec.body:
            if isinstance(entry, TextLine):
                if _shown(entry, self.values):
                    c.paragraph(self.spans(entry.text, entry.style), BODY, align=entry.align)
                    c.space(0.4)
            elif isinstance(entry, TableSpec):
                c.space(0.5)
                c.table(self.table(entry, c.text_width - TABLE_RULE, size, head))
                c.space(2.0)
            elif isinstance(entry, LookupSpec):
                if copy in entry.copies and str(self.values.get("secret", "")).strip():
                    c.space(2.0)
                    c.place(self.lookup(entry, c.text_width), line=True)
                    c.space(2.0)

    def table(self, entry: TableSpec, width: float, size: float, head: float) -> Table:
        total = sum(column.width for column in entry.columns)
        columns = tuple(
            Column(col.title, width * col.width / total, col.align, col.group)
            for col in entry.columns
        )
        rows = tuple(
            tuple(spans(col.value, row) for col in entry.columns)
            for row in self.rows.get(entry.source, ())
        )
        return Table(columns, rows, size, head, rule=TABLE_RULE)

    def lookup(self, entry: LookupSpec, width: float) -> Block:
        matrix = qr_matrix(self.qr_text)
        qr = modules_block(matrix, QR_SIDE / len(matrix), "qr")
        gap = 4.0
        texts = Block()
        for line in entry.lines:
            if _shown(line, self.values):
                spans_ = self.spans(line.text, line.style)
                texts.add(paragraph(spans_, BODY - 0.5, width - QR_SIDE - gap))
                texts.height += 0.8
        height = max(qr.height, texts.height)
        out = side_by_side(
            [(0.0, qr), (QR_SIDE + gap, texts.moved(0, (height - texts.height) / 2))]
        )
        out.height = height
        return out

    def signatures(self, c: Composer) -> None:
        """Signature blocks side by side; the signing space shrinks (down to
        :data:`SIGN_SPACE_MIN`) rather than sending the signatures alone to a new page."""
        specs = self.spec.signatures
        if not specs:
            return
        width = c.text_width
        count = len(specs)
        column = width / 2 if count == 1 else width / count
        offset = width / 2 if count == 1 else 0.0

        def blocks(space: float) -> Block:
            parts = []
            for index, sign in enumerate(specs):
                block = Block()
                title = [Span(s.text, "bold", s.keep) for s in self.spans(sign.title, blank=False)]
                block.add(paragraph(title, BODY, column, "center", balance=True))
                if sign.hint:
                    hint = self.spans(sign.hint, "italic", blank=False)
                    block.add(paragraph(hint, BODY - 1, column, "center"))
                block.height += space
                name = self.spans(sign.name, blank=False)
                if any(s.text.strip() for s in name):
                    bold = [Span(s.text, "bold", s.keep) for s in name]
                    block.add(paragraph(bold, BODY, column, "center"))
                parts.append((offset + index * column, block))
            return side_by_side(parts)

        c.space(4.0)
        full = blocks(SIGN_SPACE)
        if full.height > c.room:
            short = blocks(SIGN_SPACE_MIN)
            if short.height <= c.room:
                full = blocks(SIGN_SPACE_MIN + c.room - short.height)
        c.place(full, carry=2)


def _barcode(code: str, width: float) -> Block:
    widths = code128_modules(code)
    modules = sum(widths) + 2 * QUIET_MODULES
    module = min(BAR_MODULE, width / modules)
    bars = bars_block(widths, module, BAR_HEIGHT, QUIET_MODULES, "barcode")
    return bars.moved((width - modules * module) / 2, 0.0)


def _footer(page: Page, left: str, right: str) -> None:
    """Small italic footer on the last line of the content box."""
    x0, _, x1, y1 = page.content
    size = SMALL
    below = metrics("italic").ink("gjpqyỵ", size)[1]
    baseline = y1 - below
    if left:
        w = metrics("italic").width(left, size)
        page.items.append(TextItem(x0, baseline, left, "italic", size, w))
    if right:
        w = metrics("italic").width(right, size)
        page.items.append(TextItem(x1 - w, baseline, right, "italic", size, w))


def _pick_notice(dossier: DossierView, number: str) -> NoticeView:
    found = [n for n in dossier.notices if normalise_number(n.form) == number]
    if not found:
        raise FormDataMissing(code=dossier.code, form=number)
    return max(found, key=lambda n: n.created_at)


def _copies(spec: FormSpec, wanted: Sequence[str] | None) -> list[tuple[str, str]]:
    if not spec.copies:
        return [("", "")]
    if wanted is None:
        return list(spec.copies)
    by_key = dict(spec.copies)
    chosen = []
    for name in wanted:
        key = copy_key(name)
        if key not in by_key:
            known = ", ".join(by_key)
            raise UnknownCopy(form=spec.number, copy=name, known=known)
        chosen.append((key, by_key[key]))
    return chosen


def build_form(
    form: str,
    data: FormData,
    options: FormOptions | None = None,
    *,
    copies: Sequence[str] | None = None,
) -> FormDocument:
    """Lay out form ``form`` ("01" … of the active set) for ``data``; each copy on new pages.

    ``copies``: keys or names of the copies to print ("lưu", "giao"); None: all of them.
    Raises :class:`~shared.forms.formset.UnknownForm`, :class:`FormDataMissing` (no notice of
    that form for Mẫu 02–04), :class:`UnknownCopy`, or ``TypeError`` for data of the wrong kind.
    """
    options = options or FormOptions()
    form_set = load_form_set(options.form_set)
    spec = form_set.form(form)
    f = _Formatter(form_set, options.timezone)
    values: dict[str, Value]
    rows: dict[str, list[Row]]
    qr_text = ""
    if spec.source == "book":
        if not isinstance(data, TrackingBook):
            raise TypeError(f"form {spec.number} prints a TrackingBook")
        values = {
            "centre": data.centre_name,
            "agency": data.agency,
            "place": data.place,
            "date_from": f"{data.date_from:%d/%m/%Y}",
            "date_to": f"{data.date_to:%d/%m/%Y}",
            "volume": data.volume,
        }
        rows = {"book": [_book_row(i, row, f) for i, row in enumerate(data.rows, 1)]}
        agency, centre, number, dated, code = data.agency, data.centre_name, "", "", ""
        size, margins = (A4[1], A4[0]), LANDSCAPE
        table_size, head_size = BOOK_TABLE, BOOK_HEAD
    else:
        if not isinstance(data, DossierView):
            raise TypeError(f"form {spec.number} prints a DossierView")
        if spec.receipt and data.status == SUBMITTED:
            raise DossierNotAccepted(code=data.code)
        notice = _pick_notice(data, spec.number) if spec.source == "notice" else None
        values = dossier_values(data, form_set, options, notice)
        missing = notice.missing if notice is not None else ()
        rows = {
            "documents": [_document_row(i, d) for i, d in enumerate(data.documents, 1)],
            "missing": [_document_row(i, d) for i, d in enumerate(missing, 1)],
            "handovers": [
                _handover_row(i, h, form_set, f) for i, h in enumerate(data.handovers, 1)
            ],
        }
        qr_text = encode_dossier(data.code, data.secret, options.lookup_base_url)
        agency, centre, code = data.agency, data.centre_name, data.code
        number = spec.number_line
        moment = notice.created_at if notice is not None else data.received_at
        dated = f.place_date(data.place, moment)
        size, margins = A4, PORTRAIT
        table_size, head_size = TABLE, TABLE_HEAD
    builder = _Builder(spec, form_set, values, rows, qr_text)
    document = FormDocument(spec.number, spec.title, [])
    for key, label in _copies(spec, copies):

        def compose(footer: float, key: str = key, label: str = label) -> Composer:
            c = Composer(size[0], size[1], margins, footer)
            if spec.header:
                c.place(builder.header(c.text_width, agency, centre, number, dated))
            builder.title(c, label, code)
            if spec.addressee:
                c.paragraph(builder.spans(spec.addressee), BODY, align="center")
                c.space(3.0)
            builder.body(c, key, table_size, head_size)
            builder.signatures(c)
            return c

        paged = spec.layout == "book"
        c = compose(FOOTER if paged else 0.0)
        if len(c.pages) > 1 and not paged:
            c, paged = compose(FOOTER), True  # room for "Trang 1/2" at the foot
        count = len(c.pages)
        for index, page in enumerate(c.pages, 1):
            if paged:
                right = form_set.common["page"].format(page=index, pages=count)
                left = " – ".join(p for p in (code, label.strip("()")) if p)
                _footer(page, left, right)
        document.pages.extend(c.pages)
        document.copy_of_page.extend([key] * count)
    return document


def page_text(page: Page) -> str:
    """All text of a page in drawing order (for tests and debugging)."""
    return "\n".join(page.texts())
