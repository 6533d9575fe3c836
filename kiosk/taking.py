"""Taking a number, as it runs in the kiosk's worker: issued by the server (or, while it is away,
from this kiosk's block of numbers), shown, then printed.

The confirmation is reported as soon as the number exists (``progress``), before printing, so
the citizen sees the number even when the printer fails; the result is the printer's outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.model import PRINTED, PRINTER_FAILED, Confirmation
from shared.errors import DatabaseError, OfflineNumbersUsedUp, PrinterError

if TYPE_CHECKING:
    from kiosk.offline import OfflineNumbers
    from shared.settings import Settings

log = logging.getLogger("motcua.kiosk")

Progress = Callable[[object], None]


@dataclass(frozen=True)
class Attempt:
    """One citizen's attempt at a number. ``request_id`` is the same for every retry of the
    attempt, so the server gives the same ticket however often it is sent."""

    service: str
    priority: str | None
    request_id: str
    language: str
    group_name: str
    """The priority group's name ("" without one), printed on a ticket from the block."""
    settings: Settings
    offline: OfflineNumbers | None
    """This kiosk's numbers for a server outage (None: it keeps none)."""

    def from_block(self, progress: Progress, abandoned: str | None = None) -> object:
        """A number from this kiosk's block: kept on disk, shown, printed as such.
        ``abandoned``: the request id of an attempt the server may have taken after all (it is
        cancelled there once the server is back)."""
        from shared.printing.jobs import offline_print_data, print_prepared

        offline, settings = self.offline, self.settings
        assert offline is not None
        taken = offline.take(
            self.service, priority=self.priority, language=self.language, abandoned=abandoned
        )
        if taken is None:
            raise OfflineNumbersUsedUp()
        data = offline_print_data(
            taken.ticket, taken.block, settings.lookup.base_url, self.group_name
        )
        progress(
            Confirmation(
                ticket_id=0,
                number=taken.ticket.number,
                service_name=taken.block.service_name,
                service_name_en=taken.block.service_name_en,
                ahead=None,
                estimated_wait_min=None,
                counters=taken.block.counters,
                qr_text=data.qr_text,
                priority_name=self.group_name or None,
                offline=True,
            )
        )
        try:
            print_prepared(data, settings)
        except PrinterError as error:
            log.warning("ticket %s shown, not printed: %s", taken.ticket.number, error.code)
            return PRINTER_FAILED
        return PRINTED

    def from_server(self, engine: Any, progress: Progress) -> object:
        """Issued by the server (the block instead when a kiosk that keeps one finds the server
        gone or silent), shown, printed."""
        from shared.printing.jobs import print_ticket, ticket_print_data

        settings = self.settings

        def issue() -> Any:
            return engine.issue(
                self.service,
                priority=self.priority,
                request_id=self.request_id,
                language=self.language,
            )

        if self.offline is None:
            view = issue()
        else:
            from kiosk.offline import ONLINE_PATIENCE, ServerTooSlow, within

            try:
                view = within(ONLINE_PATIENCE, issue)
            except (DatabaseError, ServerTooSlow):
                # The server went away, or went silent: a number from the block instead
                # (the attempt is cancelled on the server once back, if it reached it).
                return self.from_block(progress, self.request_id)
        info = engine.print_details(view.id)
        data = ticket_print_data(info, settings.lookup.base_url)
        progress(
            Confirmation(
                ticket_id=view.id,
                number=view.number,
                service_name=view.service_name,
                service_name_en=view.service_name_en,
                ahead=view.ahead,
                estimated_wait_min=info.estimated_wait_min,
                counters=info.counters,
                qr_text=data.qr_text,
                priority_name=info.priority_name,
            )
        )
        try:
            print_ticket(engine, view.id, settings)
        except PrinterError as error:
            log.warning("ticket %s shown, not printed: %s", view.number, error.code)
            return PRINTER_FAILED
        return PRINTED
