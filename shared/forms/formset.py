"""Form sets as versioned data: ``assets/forms/<set>.toml`` holds every fixed text of the forms.

A set numbers its forms ("01" … "06" in the 2018 set of Circular 01/2018/TT-VPCP) and gives
each one a layout (``document``: an A4 form with header, title, body and signatures; ``book``:
the landscape tracking book), a data source (``dossier``, ``notice``, ``book``), its title and
body lines. Lines are templates with ``{placeholders}`` from a fixed vocabulary per source
(:data:`VOCABULARY`) and ``**bold**`` marks; a line ``{ text = …, when = "fee" }`` is printed
only when that value is not empty. Tables name their rows' source and describe their columns.
So a new set (the 2025 one renumbers the forms 01–07) is a new file, not new code.

Loading checks everything (unknown keys, missing texts, placeholders outside the vocabulary,
column widths) and names the file and the field on error (:class:`FormSetError`).
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from shared.errors import EXIT_USAGE, MotcuaError
from shared.i18n import fold, nfc
from shared.resources import asset

DEFAULT_SET: Final = "2018"
LAYOUTS: Final = ("document", "book")
SOURCES: Final = ("dossier", "notice", "book")
TABLE_SOURCES: Final = ("documents", "missing", "handovers", "book")

_DOSSIER_WORDS: Final = frozenset(
    {
        "code", "secret", "centre", "agency", "place", "applicant", "id_label", "id_number",
        "address", "phone", "email", "submitter", "signer", "procedure", "procedure_code",
        "sets", "processing_time", "received_at", "received_date", "due_at", "due_date",
        "appointment_at", "appointment_date", "collect_at", "fee", "fee_note", "register_no",
        "register_volume", "clerk", "hotline", "status", "timeliness", "lead_unit", "note",
    }
)  # fmt: skip
_NOTICE_WORDS: Final = frozenset(
    {"number", "reason", "officer", "officer_phone", "new_due_at", "new_due_date", "notice_date"}
)
_BOOK_WORDS: Final = frozenset({"centre", "agency", "place", "date_from", "date_to", "volume"})
VOCABULARY: Final[dict[str, frozenset[str]]] = {
    "dossier": _DOSSIER_WORDS,
    "notice": _DOSSIER_WORDS | _NOTICE_WORDS,
    "book": _BOOK_WORDS,
}
"""Placeholders allowed in a form's texts, by the form's source."""
ROW_VOCABULARY: Final[dict[str, frozenset[str]]] = {
    "documents": frozenset({"index", "name", "originals", "certified", "copies"}),
    "missing": frozenset({"index", "name", "originals", "certified", "copies"}),
    "handovers": frozenset(
        {
            "index", "from_unit", "to_unit", "handed_at", "due_at", "result_at", "result",
            "note", "timeliness", "user",
        }
    ),
    "book": frozenset(
        {
            "index", "register_no", "code", "procedure", "sets", "applicant", "contact",
            "lead_unit", "received_at", "due_at", "sent_at", "result_back_at", "returned_at",
            "note",
        }
    ),
}  # fmt: skip
TABLE_FOR_SOURCE: Final = {
    "dossier": ("documents", "handovers"),
    "notice": ("documents", "missing", "handovers"),
    "book": ("book",),
}
COMMON_TEXTS: Final[dict[str, frozenset[str]]] = {
    "nation": frozenset(),
    "motto": frozenset(),
    "desk": frozenset(),
    "place_date": frozenset({"place", "day", "month", "year"}),
    "date": frozenset({"day", "month", "year"}),
    "datetime": frozenset({"hour", "minute", "day", "month", "year"}),
    "sign_hint": frozenset(),
    "page": frozenset({"page", "pages"}),
    "blank": frozenset(),
    "days": frozenset({"n"}),
    "hours": frozenset({"n"}),
    "money": frozenset({"amount"}),
    "collect_desk": frozenset({"centre"}),
    "collect_post": frozenset({"address"}),
}
ID_TYPES: Final = ("cccd", "cmnd", "passport", "tax")
TIMELINESS: Final = ("early", "on_time", "late")

Align = Literal["left", "center", "right"]
_ALIGNS: Final = ("left", "center", "right")
_FORM_NUMBER = re.compile(r"[0-9]{2}[a-z]?")
_SET_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")


class FormSetError(MotcuaError):
    """A form set file that cannot be used: names the file and the field."""

    exit_code = EXIT_USAGE
    key = "error.form_set"


class UnknownForm(MotcuaError):
    exit_code = EXIT_USAGE
    key = "error.form_unknown"


@dataclass(frozen=True)
class TextLine:
    """A template line; printed only when ``when`` is empty or names a non-empty value."""

    text: str
    when: str = ""
    align: Align = "left"
    style: str = "regular"
    """"regular" or "italic" for the line's plain text (``**…**`` is always bold)."""


@dataclass(frozen=True)
class ColumnSpec:
    title: str
    width: float
    """Relative width; the table fills the text width."""
    value: str
    align: Align = "left"
    group: str = ""


@dataclass(frozen=True)
class TableSpec:
    source: str
    columns: tuple[ColumnSpec, ...]


@dataclass(frozen=True)
class LookupSpec:
    """The QR code to the status lookup with lines beside it, on the copies named."""

    lines: tuple[TextLine, ...]
    copies: tuple[str, ...]


Entry = TextLine | TableSpec | LookupSpec


@dataclass(frozen=True)
class SignatureSpec:
    title: str
    hint: str
    name: str


@dataclass(frozen=True)
class FormSpec:
    number: str
    layout: str
    source: str
    title: str
    number_line: str
    subtitle: tuple[TextLine, ...]
    addressee: str
    body: tuple[Entry, ...]
    signatures: tuple[SignatureSpec, ...]
    copies: tuple[tuple[str, str], ...]
    """(key, label) per copy, in print order; empty: one copy without a label."""
    barcode: bool
    header: bool
    receipt: bool = False
    """The receipt and appointment slip: printed only once the dossier is accepted (a dossier
    submitted online has no legal due date before that)."""


@dataclass(frozen=True)
class FormSet:
    id: str
    name: str
    path: Path
    common: Mapping[str, str]
    id_types: Mapping[str, str]
    timeliness: Mapping[str, str]
    forms: Mapping[str, FormSpec]

    def form(self, number: str) -> FormSpec:
        spec = self.forms.get(normalise_number(number))
        if spec is None:
            raise UnknownForm(form=number, set=self.id, known=", ".join(sorted(self.forms)))
        return spec


def normalise_number(number: str) -> str:
    """ "1" -> "01", "01" -> "01"; other text unchanged."""
    text = number.strip()
    return f"{int(text):02d}" if text.isdigit() else text


def form_set_path(set_id: str) -> Path:
    return asset("forms", f"{set_id}.toml")


@lru_cache(maxsize=8)
def load_form_set(set_id: str = DEFAULT_SET) -> FormSet:
    """The shipped set ``set_id`` (``assets/forms/<set_id>.toml``), validated and cached."""
    if not _SET_ID.fullmatch(set_id):
        raise FormSetError(file=set_id, field="set.id", detail="tên bộ sai / bad set name")
    path = form_set_path(set_id)
    if not path.is_file():
        raise FormSetError(file=str(path), field="-", detail="không có tệp / file not found")
    return load_form_set_file(path)


def load_form_set_file(path: Path) -> FormSet:
    """Read and validate a form set file."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise FormSetError(file=str(path), field="-", detail=type(error).__name__) from None
    except tomllib.TOMLDecodeError as error:
        raise FormSetError(file=str(path), field="-", detail=str(error)) from None
    return _Reader(path).form_set(data)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str, detail: str) -> FormSetError:
        return FormSetError(file=str(self.path), field=field, detail=detail)

    def table(self, node: object, field: str, known: set[str], required: set[str]) -> dict:
        if not isinstance(node, dict):
            raise self.fail(field, "phải là một bảng / must be a table")
        for key in node:
            if key not in known:
                raise self.fail(f"{field}.{key}", "khóa không rõ / unknown key")
        for key in sorted(required):
            if key not in node:
                raise self.fail(f"{field}.{key}", "thiếu / missing")
        return node

    def text(self, node: object, field: str, words: frozenset[str], empty: bool = True) -> str:
        if not isinstance(node, str):
            raise self.fail(field, "phải là chuỗi / must be a string")
        if not empty and not node.strip():
            raise self.fail(field, "trống / empty")
        try:
            parsed = list(string.Formatter().parse(node))
        except ValueError as error:
            raise self.fail(field, f"mẫu sai / bad template: {error}") from None
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in words:
                allowed = ", ".join(sorted(words)) or "-"
                raise self.fail(field, f"{{{name}}} không dùng được / not allowed ({allowed})")
            if spec or conversion:
                raise self.fail(field, f"{{{name}}}: không định dạng / no format spec")
        if node.count("**") % 2:
            raise self.fail(field, "** không khép / unclosed **")
        return nfc(node)

    def boolean(self, node: object, field: str) -> bool:
        if not isinstance(node, bool):
            raise self.fail(field, "phải là true/false / must be true or false")
        return node

    def align(self, node: object, field: str) -> Align:
        if node not in _ALIGNS:
            raise self.fail(field, f"một trong / one of {', '.join(_ALIGNS)}")
        return node  # type: ignore[return-value]

    def form_set(self, data: dict[str, Any]) -> FormSet:
        self.table(data, "(file)", {"set", "common", "id_types", "timeliness", "forms"}, set())
        head = self.table(data.get("set"), "set", {"id", "name"}, {"id", "name"})
        set_id = self.text(head["id"], "set.id", frozenset(), empty=False)
        if set_id != self.path.stem:
            raise self.fail("set.id", f"phải là / must be “{self.path.stem}” (tên tệp / file name)")
        name = self.text(head["name"], "set.name", frozenset(), empty=False)
        common_node = self.table(data.get("common"), "common", set(COMMON_TEXTS), set(COMMON_TEXTS))
        common = {
            key: self.text(common_node[key], f"common.{key}", words)
            for key, words in COMMON_TEXTS.items()
        }
        ids = self.table(data.get("id_types"), "id_types", set(ID_TYPES), set(ID_TYPES))
        id_types = {k: self.text(ids[k], f"id_types.{k}", frozenset()) for k in ID_TYPES}
        tl = self.table(data.get("timeliness"), "timeliness", set(TIMELINESS), set(TIMELINESS))
        timeliness = {k: self.text(tl[k], f"timeliness.{k}", frozenset()) for k in TIMELINESS}
        forms_node = data.get("forms")
        if not isinstance(forms_node, dict) or not forms_node:
            raise self.fail("forms", "thiếu biểu mẫu / no forms")
        forms: dict[str, FormSpec] = {}
        for number, node in forms_node.items():
            if not _FORM_NUMBER.fullmatch(number):
                raise self.fail(f"forms.{number}", "số mẫu dạng “01” / form number like “01”")
            forms[number] = self.form(number, node)
        return FormSet(set_id, name, self.path, common, id_types, timeliness, forms)

    def form(self, number: str, node: object) -> FormSpec:
        where = f'forms."{number}"'
        known = {
            "layout", "source", "title", "number", "subtitle", "addressee", "body",
            "signatures", "copies", "barcode", "header", "receipt",
        }  # fmt: skip
        form = self.table(node, where, known, {"layout", "source", "title", "body"})
        layout = form["layout"]
        if layout not in LAYOUTS:
            raise self.fail(f"{where}.layout", f"một trong / one of {', '.join(LAYOUTS)}")
        source = form["source"]
        if source not in SOURCES:
            raise self.fail(f"{where}.source", f"một trong / one of {', '.join(SOURCES)}")
        if (layout == "book") != (source == "book"):
            raise self.fail(f"{where}.layout", "layout book đi với source book / book with book")
        words = VOCABULARY[source]
        title = self.text(form["title"], f"{where}.title", frozenset(), empty=False)
        number_line = self.text(form.get("number", ""), f"{where}.number", words)
        subtitle = tuple(
            self.line(entry, f"{where}.subtitle[{i}]", words)
            for i, entry in enumerate(self.array(form.get("subtitle", []), f"{where}.subtitle"))
        )
        addressee = self.text(form.get("addressee", ""), f"{where}.addressee", words)
        body = tuple(
            self.entry(entry, f"{where}.body[{i}]", source)
            for i, entry in enumerate(self.array(form["body"], f"{where}.body"))
        )
        signatures = tuple(
            self.signature(entry, f"{where}.signatures[{i}]", words)
            for i, entry in enumerate(self.array(form.get("signatures", []), f"{where}.signatures"))
        )
        if len(signatures) > 3:
            raise self.fail(f"{where}.signatures", "tối đa 3 / at most 3")
        copies_node = form.get("copies", {})
        if not isinstance(copies_node, dict):
            raise self.fail(f"{where}.copies", "phải là một bảng / must be a table")
        copies = tuple(
            (key, self.text(label, f"{where}.copies.{key}", frozenset(), empty=False))
            for key, label in copies_node.items()
        )
        keys = {key for key, _ in copies}
        for index, entry in enumerate(body):
            if isinstance(entry, LookupSpec):
                for key in entry.copies:
                    if key not in keys:
                        field = f"{where}.body[{index}].copies"
                        raise self.fail(field, f"không có liên / no copy “{key}”")
        barcode = self.boolean(form.get("barcode", False), f"{where}.barcode")
        header = self.boolean(form.get("header", True), f"{where}.header")
        receipt = self.boolean(form.get("receipt", False), f"{where}.receipt")
        return FormSpec(
            number, layout, source, title, number_line, subtitle, addressee, body, signatures,
            copies, barcode, header, receipt,
        )  # fmt: skip

    def array(self, node: object, field: str) -> list[Any]:
        if not isinstance(node, list):
            raise self.fail(field, "phải là một danh sách / must be a list")
        return node

    def line(self, node: object, field: str, words: frozenset[str]) -> TextLine:
        if isinstance(node, str):
            return TextLine(self.text(node, field, words))
        entry = self.table(node, field, {"text", "when", "align", "style"}, {"text"})
        when = entry.get("when", "")
        if when and when not in words:
            raise self.fail(f"{field}.when", f"{{{when}}} không dùng được / not allowed")
        style = entry.get("style", "regular")
        if style not in ("regular", "italic"):
            raise self.fail(f"{field}.style", "regular / italic")
        return TextLine(
            self.text(entry["text"], f"{field}.text", words),
            when,
            self.align(entry.get("align", "left"), f"{field}.align"),
            style,
        )

    def entry(self, node: object, field: str, source: str) -> Entry:
        words = VOCABULARY[source]
        if isinstance(node, dict) and "table" in node:
            entry = self.table(node, field, {"table", "columns"}, {"table", "columns"})
            table_source = entry["table"]
            if table_source not in TABLE_FOR_SOURCE[source]:
                allowed = ", ".join(TABLE_FOR_SOURCE[source])
                raise self.fail(f"{field}.table", f"một trong / one of {allowed}")
            row_words = ROW_VOCABULARY[table_source]
            columns = []
            for i, column in enumerate(self.array(entry["columns"], f"{field}.columns")):
                where = f"{field}.columns[{i}]"
                c = self.table(
                    column, where, {"title", "width", "value", "align", "group"}, {"title", "width"}
                )
                width = c["width"]
                if isinstance(width, bool) or not isinstance(width, int | float) or width <= 0:
                    raise self.fail(f"{where}.width", "số dương / positive number")
                columns.append(
                    ColumnSpec(
                        self.text(c["title"], f"{where}.title", frozenset()),
                        float(width),
                        self.text(c.get("value", ""), f"{where}.value", row_words),
                        self.align(c.get("align", "left"), f"{where}.align"),
                        self.text(c.get("group", ""), f"{where}.group", frozenset()),
                    )
                )
            if not columns:
                raise self.fail(f"{field}.columns", "trống / empty")
            return TableSpec(table_source, tuple(columns))
        if isinstance(node, dict) and "lookup" in node:
            entry = self.table(node, field, {"lookup", "copies"}, {"lookup"})
            lines = tuple(
                self.line(line, f"{field}.lookup[{i}]", words)
                for i, line in enumerate(self.array(entry["lookup"], f"{field}.lookup"))
            )
            copies = self.array(entry.get("copies", []), f"{field}.copies")
            if not all(isinstance(c, str) for c in copies):
                raise self.fail(f"{field}.copies", "phải là chuỗi / must be strings")
            return LookupSpec(lines, tuple(copies))
        return self.line(node, field, words)

    def signature(self, node: object, field: str, words: frozenset[str]) -> SignatureSpec:
        entry = self.table(node, field, {"title", "hint", "name"}, {"title"})
        return SignatureSpec(
            self.text(entry["title"], f"{field}.title", words, empty=False),
            self.text(entry.get("hint", ""), f"{field}.hint", words),
            self.text(entry.get("name", ""), f"{field}.name", words),
        )


def copy_key(name: str) -> str:
    """ "lưu" / "Luu" / "luu" -> "luu": copies may be named with or without tone marks."""
    return fold(name).replace(" ", "_")
