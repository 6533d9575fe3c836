"""Print jobs: a ticket or the test page, rendered, encoded and sent (or saved for a look).

A ticket is issued first and printed second, in separate steps: when the printer fails, the
ticket stays issued and can be printed again (``motcua ticket print ID``). Every attempt on a
printer, its success and its failure are events in the event log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image

from shared.clock import ensure_aware
from shared.codes import encode_ticket
from shared.errors import PrinterError
from shared.i18n import tr
from shared.printing.escpos import encode_image
from shared.printing.layout import PrinterProfile
from shared.printing.printers import print_bytes, printer_label
from shared.printing.testpage import render_test_page
from shared.printing.ticket import TicketPrint, render_ticket
from shared.queue import QueueEngine, TicketPrintInfo
from shared.settings import Settings
from shared.views import JsonView, NumberBlockView, OfflineTicket

log = logging.getLogger("motcua.print")


@dataclass(frozen=True)
class PrintResult(JsonView):
    """What happened to one print job."""

    printed: bool
    """True when the bytes went to the printer; False when only files were written."""
    printer: str
    bytes: int
    width: int
    height: int
    png: str | None = None
    escpos: str | None = None


def offline_print_data(
    ticket: OfflineTicket, block: NumberBlockView, base_url: str = "", priority_name: str = ""
) -> TicketPrint:
    """The ticket a kiosk prints by itself while the server is away (from its block's data):
    marked as such, without people ahead or a wait it cannot know."""
    label = ""
    if block.counters:
        numbers = ", ".join(f"{n:02d}" for n in block.counters)
        label = tr("print.ticket.counters", language="vi", numbers=numbers)
    return TicketPrint(
        centre_name=block.centre_name,
        number=ticket.number,
        service_name=block.service_name,
        service_name_en=block.service_name_en,
        counters_label=label,
        ahead=None,
        estimated_wait_min=None,
        issued_at=ticket.issued_at,
        timezone=block.timezone,
        language=ticket.language,
        qr_text=encode_ticket(
            block.centre, block.business_day, ticket.number, ticket.secret, base_url
        ),
        priority_name=priority_name or None,
        offline=True,
    )


def print_prepared(
    data: TicketPrint, settings: Settings, *, png: Path | None = None, escpos: Path | None = None
) -> PrintResult:
    """Render and send (or save) a ticket already put together, with no database: the kiosk's
    tickets while the server is away. Failures raise the printer errors, as for any ticket."""
    profile = PrinterProfile.from_settings(settings.printer)
    image = render_ticket(data, profile)
    payload = encode_image(image, cut=profile.cutter, feed_blank=settings.printer.feed_blank)
    if png is not None or escpos is not None:
        return save_print(image, payload, png, escpos)
    label = printer_label(settings.printer)
    print_bytes(settings.printer, payload)
    log.info("ticket %s printed on %s without the database", data.number, label)
    return PrintResult(True, label, len(payload), image.width, image.height)


def ticket_print_data(info: TicketPrintInfo, base_url: str = "") -> TicketPrint:
    """The printed ticket's content from the engine's plain data."""
    ticket = info.ticket
    label = ""
    if info.counters:
        numbers = ", ".join(f"{n:02d}" for n in info.counters)
        label = tr("print.ticket.counters", language="vi", numbers=numbers)
    return TicketPrint(
        centre_name=info.centre_name,
        number=ticket.number,
        service_name=ticket.service_name,
        service_name_en=ticket.service_name_en,
        counters_label=label,
        ahead=ticket.ahead,
        estimated_wait_min=info.estimated_wait_min,
        issued_at=ticket.issued_at,
        timezone=info.timezone,
        language=info.language,
        qr_text=encode_ticket(
            info.centre_code, ticket.business_day, ticket.number, info.secret, base_url
        ),
        priority_name=info.priority_name,
    )


def print_ticket(
    engine: QueueEngine,
    ticket_id: int,
    settings: Settings,
    *,
    png: Path | None = None,
    escpos: Path | None = None,
) -> PrintResult:
    """Render a ticket; save it to ``png``/``escpos`` if given, else send it to the printer."""
    info = engine.print_details(ticket_id)
    profile = PrinterProfile.from_settings(settings.printer)
    image = render_ticket(ticket_print_data(info, settings.lookup.base_url), profile)
    payload = encode_image(image, cut=profile.cutter, feed_blank=settings.printer.feed_blank)
    if png is not None or escpos is not None:
        return save_print(image, payload, png, escpos)
    label = printer_label(settings.printer)
    engine.log_print(ticket_id, "ticket.print_attempt", printer=label, bytes=len(payload))
    try:
        print_bytes(settings.printer, payload)
    except PrinterError as error:
        log.warning("ticket %s not printed on %s: %s", ticket_id, label, error.code)
        engine.log_print(ticket_id, "ticket.print_failed", printer=label, error=error.code)
        raise
    engine.log_print(ticket_id, "ticket.printed", printer=label, bytes=len(payload))
    return PrintResult(True, label, len(payload), image.width, image.height)


def print_test_page(
    settings: Settings,
    *,
    engine: QueueEngine | None = None,
    png: Path | None = None,
    escpos: Path | None = None,
    now: datetime | None = None,
) -> PrintResult:
    """The printer set-up page; logged in the event log when ``engine`` is given."""
    profile = PrinterProfile.from_settings(settings.printer)
    label = printer_label(settings.printer)
    timezone = "Asia/Ho_Chi_Minh"
    image = render_test_page(profile, label, ensure_aware(now), timezone)
    payload = encode_image(image, cut=profile.cutter, feed_blank=settings.printer.feed_blank)
    if png is not None or escpos is not None:
        return save_print(image, payload, png, escpos)
    if engine is not None:
        engine.log_print(None, "printer.test_attempt", printer=label)
    try:
        print_bytes(settings.printer, payload)
    except PrinterError as error:
        if engine is not None:
            engine.log_print(None, "printer.test_failed", printer=label, error=error.code)
        raise
    if engine is not None:
        engine.log_print(None, "printer.test_printed", printer=label)
    return PrintResult(True, label, len(payload), image.width, image.height)


def save_print(
    image: Image.Image, payload: bytes, png: Path | None, escpos: Path | None
) -> PrintResult:
    """Save a rendered print to ``png`` and/or its ESC/POS ``payload`` to ``escpos`` instead of
    sending it (a look at it without paper); the result says where."""
    if png is not None:
        png.parent.mkdir(parents=True, exist_ok=True)
        image.save(png, format="PNG", optimize=True)
    if escpos is not None:
        escpos.parent.mkdir(parents=True, exist_ok=True)
        escpos.write_bytes(payload)
    return PrintResult(
        False,
        "",
        len(payload),
        image.width,
        image.height,
        str(png) if png else None,
        str(escpos) if escpos else None,
    )
