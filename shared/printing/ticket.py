"""The queue ticket: what a citizen holds while waiting, drawn for the thermal printer.

Top to bottom: centre name, "SỐ THỨ TỰ" and the number as large as the paper allows, the service
and its counters, the priority group if any, people ahead and the estimated wait, the issue time,
a QR code to follow the queue, and a thank-you line. Vietnamese always comes first; a visitor who
chose English gets a short English line under each Vietnamese one. Nothing personal is printed.

``python -m shared.printing.ticket --demo OUTDIR`` writes sample tickets, a slip and a test page.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from shared.clock import format_vn
from shared.estimate import UNDER_MINUTES, band
from shared.i18n import LANGUAGES, tr
from shared.printing.layout import Align, Flow, PrinterProfile, value_spans
from shared.printing.qrimage import qr_fit


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on a queue ticket (no personal data)."""

    centre_name: str
    number: str
    """As called out: "1023" or "A012"."""
    service_name: str
    service_name_en: str
    counters_label: str
    """Where the service is given, worded by the caller ("Quầy 03, 04"); may be empty."""
    ahead: int | None
    estimated_wait_min: int | None
    issued_at: datetime
    timezone: str
    language: str
    """The visitor's choice: "vi", or "en" to add English lines."""
    qr_text: str
    """ASCII token or URL to follow the ticket (from :mod:`shared.codes`)."""
    priority_name: str | None = None
    offline: bool = False
    """Given by the kiosk from its block while the server was away: said on the ticket (its
    number may come out of order, and nobody ahead is known)."""

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be an aware datetime")
        if not self.number.strip():
            raise ValueError("empty ticket number")


def ticket_flow(data: TicketPrint, profile: PrinterProfile) -> Flow:
    """The ticket laid out, not yet drawn; blocks are tagged for tests and previews."""
    px = profile.px
    english = data.language == "en"
    flow = Flow(profile)

    def line(key: str, size: int, *, tag: str, bold: bool = False, **params: object) -> None:
        flow.text(tr(key, language="vi", **params), size, bold=bold, tag=tag)
        if english:
            flow.text(tr(key, language="en", **params), px(22), tag=f"{tag}_en")

    def value_line(key: str, value_name: str, *, tag: str, **params: object) -> None:
        size, small = px(28), px(22)
        flow.text(value_spans(key, "vi", value_name, **params), size, tag=tag, min_size=small)
        if english:
            spans = value_spans(key, "en", value_name, **params)
            flow.text(spans, small, tag=f"{tag}_en", min_size=px(18))

    flow.text(
        data.centre_name.upper(), px(26), bold=True, max_lines=3, min_size=px(18), tag="centre"
    )
    flow.space(px(10))
    flow.rule(2)
    flow.space(px(14))
    line("print.ticket.title", px(40), bold=True, tag="title")
    flow.space(px(6))
    flow.big(data.number, round(190 * profile.scale), tag="number")
    flow.space(px(20))
    flow.text(data.service_name, px(36), bold=True, max_lines=3, min_size=px(24), tag="service")
    if english and data.service_name_en.strip():
        flow.text(data.service_name_en, px(24), max_lines=2, min_size=px(18), tag="service_en")
    if data.counters_label.strip():
        flow.space(px(4))
        flow.text(data.counters_label, px(30), max_lines=2, min_size=px(22), tag="counters")
    if data.priority_name:
        flow.space(px(10))
        priority = tr("print.ticket.priority", language="vi", group=data.priority_name)
        flow.text(
            priority,
            px(28),
            bold=True,
            inverse=True,
            max_lines=2,
            min_size=px(20),
            one_line_first=True,
            tag="priority",
        )
        if english:
            flow.space(px(2))
            flow.text(tr("print.ticket.priority_note", language="en"), px(22), tag="priority_en")
    if data.offline:
        flow.space(px(10))
        flow.text(
            tr("print.ticket.offline", language="vi"),
            px(28),
            bold=True,
            inverse=True,
            max_lines=2,
            min_size=px(20),
            one_line_first=True,
            tag="offline",
        )
        if english:
            flow.space(px(2))
            flow.text(tr("print.ticket.offline", language="en"), px(22), tag="offline_en")
        flow.space(px(4))
        line("print.ticket.offline_note", px(24), tag="offline_note")
    flow.space(px(14))
    flow.rule(2, dashed=True)
    flow.space(px(10))
    if data.ahead is not None:
        value_line("print.ticket.ahead", "ahead", tag="ahead", ahead=data.ahead)
    if data.estimated_wait_min is not None:
        # The same band as on the kiosk's screen ("khoảng 15–20 phút"), never to the minute.
        low, high = band(data.estimated_wait_min)
        if high > UNDER_MINUTES:
            value_line("print.ticket.wait", "minutes", tag="wait", minutes=f"{low}–{high}")
        else:
            line("print.ticket.wait_soon", px(28), tag="wait")
    flow.space(px(12))
    qr = qr_fit(data.qr_text, round(profile.dots * 0.45), min_module=3)
    issued = format_vn(data.issued_at, data.timezone)

    def qr_texts(column: Flow, align: Align) -> None:
        hint = tr("print.ticket.qr_hint", language="vi")
        column.text(hint, px(26), align=align, balance=True, tag="qr_hint")
        if english:
            hint_en = tr("print.ticket.qr_hint", language="en")
            column.text(hint_en, px(22), align=align, balance=True, tag="qr_hint_en")
        column.space(px(14))
        column.text(issued, px(24), align=align, max_lines=2, tag="time")

    if profile.width - qr.width - profile.margin >= px(200):
        flow.beside(qr, lambda column: qr_texts(column, "left"), tag="qr")
    else:
        flow.image(qr, tag="qr")
        qr_texts(flow, "center")
    flow.space(px(12))
    flow.rule(2)
    flow.space(px(10))
    line("print.ticket.listen", px(24), tag="listen")
    flow.space(px(4))
    line("print.ticket.thanks", px(30), bold=True, tag="thanks")
    return flow


def render_ticket(data: TicketPrint, profile: PrinterProfile) -> Image.Image:
    """The ticket as a mode "1" image exactly ``profile.dots`` wide."""
    return ticket_flow(data, profile).render()


# --- samples for people to look at ---------------------------------------------------------------


def _longest_names(catalog: Path) -> tuple[str, str, str]:
    with catalog.open("rb") as handle:
        data = tomllib.load(handle)
    centre = data["centre"]["name"]
    services = [service["name"] for service in data.get("services", [])]
    procedures = [procedure["name"] for procedure in data.get("procedures", [])]
    return centre, max(services, key=len), max(procedures, key=len)


def write_samples(out: Path) -> list[Path]:
    """Render the sample prints (tickets, slip, test page) as PNG files into ``out``."""
    from shared.printing.slip import DossierSlipPrint, render_dossier_slip
    from shared.printing.testpage import render_test_page
    from shared.resources import asset

    out.mkdir(parents=True, exist_ok=True)
    centre, longest_service, longest_procedure = _longest_names(asset("catalog", "sample.toml"))
    now = datetime(2026, 11, 25, 1, 5, 9, tzinfo=UTC)  # 08:05:09 in Việt Nam
    wide, narrow = PrinterProfile.for_paper(80), PrinterProfile.for_paper(58)
    base = TicketPrint(
        centre_name=centre,
        number="1023",
        service_name="Đất đai",
        service_name_en="Land",
        counters_label="Quầy 03, 04",
        ahead=7,
        estimated_wait_min=25,
        issued_at=now,
        timezone="Asia/Ho_Chi_Minh",
        language="vi",
        qr_text="MOTCUA:T1.HCCLA.20261125.1023.K7Q2M9XW4P",
    )
    english = replace(base, language="en", number="A012", priority_name="Người cao tuổi")
    longest = replace(
        base,
        service_name=longest_service,
        service_name_en="Certification of copies and signatures",
        counters_label="Quầy 11, 12, 13, 14 – Chứng thực, Hộ tịch, Lý lịch tư pháp",
        number="2999",
        ahead=128,
        estimated_wait_min=245,
        priority_name="Người có công với cách mạng",
    )
    slip = DossierSlipPrint(
        centre_name=centre,
        agency="UBND TỈNH LONG AN",
        dossier_code="000.00.10.H39-261125-0001",
        applicant_name="Nguyễn Thị Thủy Tiên",
        procedure_name=longest_procedure,
        received_at=now,
        due_at=now + timedelta(days=14, hours=8, minutes=25),
        timezone="Asia/Ho_Chi_Minh",
        collect_at="Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh",
        lookup_secret="K7Q2-M9XW",
        qr_text="MOTCUA:D1.000.00.10.H39-261125-0001.K7Q2M9XW",
        hotline="0272 3 123 456",
    )
    images = {
        "ticket_vi_80.png": render_ticket(base, wide),
        "ticket_en_80.png": render_ticket(english, wide),
        "ticket_vi_58.png": render_ticket(base, narrow),
        "ticket_longest_80.png": render_ticket(longest, wide),
        "slip_80.png": render_dossier_slip(slip, wide),
        "slip_58.png": render_dossier_slip(slip, narrow),
        "testpage_80.png": render_test_page(
            wide, "network 192.0.2.50:9100", now, "Asia/Ho_Chi_Minh"
        ),
        "testpage_58.png": render_test_page(narrow, "usb 1046:20497", now, "Asia/Ho_Chi_Minh"),
    }
    paths = []
    for name, image in images.items():
        path = out / name
        image.save(path)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.printing.ticket")
    parser.add_argument("--demo", metavar="OUTDIR", required=True, help="write sample PNGs here")
    args = parser.parse_args(argv)
    for path in write_samples(Path(args.demo)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
