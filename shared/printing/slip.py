"""The dossier slip: a compact thermal form of Mẫu 01 "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".

Data and drawing are kept apart: :class:`DossierSlipPrint` holds what the slip says,
:func:`slip_fields` turns it into labelled texts in the order of Mẫu 01 (the full A4 form can
use the same data and fields), and :func:`render_dossier_slip` draws the thermal version with
the dossier code as text and as a CODE128 barcode, the lookup code and a QR code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PIL import Image

from shared.i18n import tr
from shared.printing.code128 import QUIET_MODULES, code128_image, code128_modules
from shared.printing.layout import Flow, PrinterProfile, Span, format_vn_long, keep_together
from shared.printing.qrimage import qr_fit


@dataclass(frozen=True)
class DossierSlipPrint:
    """Everything the receipt and appointment slip says (the citizen's copy)."""

    centre_name: str
    agency: str
    """Supervising agency, e.g. "UBND TỈNH LONG AN"."""
    dossier_code: str
    """Mã hồ sơ, e.g. "000.00.10.H39-261125-0001" (printable ASCII: it becomes a barcode)."""
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime
    timezone: str
    collect_at: str
    """Where to collect the result (a counter, or the postal address)."""
    lookup_secret: str
    qr_text: str
    """ASCII: the dossier code and its lookup secret (from :mod:`shared.codes`)."""
    hotline: str = ""

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None or self.due_at.tzinfo is None:
            raise ValueError("received_at and due_at must be aware datetimes")
        if not self.dossier_code.isascii() or not self.dossier_code.isprintable():
            raise ValueError(f"dossier code must be printable ASCII: {self.dossier_code!r}")


@dataclass(frozen=True)
class SlipField:
    """One labelled entry of the form: ``key`` is the label's translation key."""

    key: str
    label: str
    value: str


def slip_fields(data: DossierSlipPrint, language: str = "vi") -> tuple[SlipField, ...]:
    """The form's entries in the order of Mẫu 01, labels and dates in ``language``."""
    entries = (
        ("print.slip.dossier_code", data.dossier_code),
        ("print.slip.applicant", data.applicant_name),
        ("print.slip.procedure", data.procedure_name),
        ("print.slip.received", format_vn_long(data.received_at, data.timezone, language)),
        ("print.slip.due", format_vn_long(data.due_at, data.timezone, language)),
        ("print.slip.collect", data.collect_at),
        ("print.slip.lookup", data.lookup_secret),
    )
    return tuple(
        SlipField(key, tr(key, language=language), value) for key, value in entries if value
    )


def barcode_module(text: str, dots: int, largest: int = 3) -> int:
    """Widest whole-dot module (at most ``largest``) that fits the barcode and quiet zones."""
    modules = sum(code128_modules(text)) + 2 * QUIET_MODULES
    return max(1, min(largest, dots // modules))


def slip_flow(data: DossierSlipPrint, profile: PrinterProfile) -> Flow:
    """The thermal slip laid out, not yet drawn; blocks are tagged for tests and previews."""
    px = profile.px
    flow = Flow(profile)
    fields = {entry.key: entry for entry in slip_fields(data, "vi")}

    def pair(key: str, size: int, *, bold_value: bool = True, max_lines: int = 3) -> None:
        entry = fields.get(key)
        if entry is None:
            return
        value = entry.value
        if key in ("print.slip.received", "print.slip.due"):
            # "08 giờ 05 phút," | "ngày 25 tháng 11 năm 2026": each part on one line.
            value = ", ".join(keep_together(part) for part in value.split(", "))
        spans: list[Span] = [(entry.label + " ", False), (value, bold_value)]
        flow.text(
            spans, size, align="left", max_lines=max_lines, min_size=px(18), tag=key.split(".")[-1]
        )
        flow.space(px(6))

    flow.text(data.agency.upper(), px(22), max_lines=2, min_size=px(16), tag="agency")
    flow.text(
        data.centre_name.upper(), px(24), bold=True, max_lines=3, min_size=px(16), tag="centre"
    )
    flow.space(px(8))
    flow.rule(2)
    flow.space(px(12))
    flow.text(
        tr("print.slip.title"),
        px(30),
        bold=True,
        max_lines=3,
        min_size=px(20),
        balance=True,
        tag="title",
    )
    flow.text(tr("print.slip.copy"), px(20), tag="copy")
    flow.space(px(12))
    pair("print.slip.dossier_code", px(26))
    code = data.dossier_code
    module = barcode_module(code, profile.dots)
    flow.image(code128_image(code, module, round(80 * profile.scale)), tag="barcode")
    flow.space(px(12))
    flow.rule(2, dashed=True)
    flow.space(px(12))
    pair("print.slip.applicant", px(26))
    procedure = fields.get("print.slip.procedure")
    if procedure is not None:
        flow.text(procedure.label, px(24), align="left", tag="procedure_label")
        flow.text(
            procedure.value,
            px(24),
            align="left",
            max_lines=12,
            min_size=px(18),
            prose=True,
            tag="procedure",
        )
    flow.space(px(6))
    pair("print.slip.received", px(24), bold_value=False)
    pair("print.slip.due", px(26))
    pair("print.slip.collect", px(24))
    flow.space(px(4))
    flow.rule(2, dashed=True)
    flow.space(px(12))
    lookup = fields.get("print.slip.lookup")
    if lookup is not None:
        spans: list[Span] = [(lookup.label + " ", False), (lookup.value, True)]
        flow.text(spans, px(30), max_lines=2, min_size=px(18), tag="lookup")
        flow.space(px(6))
    flow.image(qr_fit(data.qr_text, round(profile.dots * 0.42), min_module=3), tag="qr")
    flow.text(tr("print.slip.qr_hint"), px(22), max_lines=2, tag="qr_hint")
    flow.space(px(10))
    if data.hotline.strip():
        flow.text(tr("print.slip.hotline", phone=data.hotline), px(24), tag="hotline")
    flow.text(tr("print.slip.keep"), px(22), bold=True, max_lines=2, tag="keep")
    return flow


def render_dossier_slip(data: DossierSlipPrint, profile: PrinterProfile) -> Image.Image:
    """The slip as a mode "1" image exactly ``profile.dots`` wide."""
    return slip_flow(data, profile).render()
