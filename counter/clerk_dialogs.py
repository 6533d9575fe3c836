"""The questions the counter window asks: "a ticket is still open" before calling the next
citizen, the transfer and pause dialogs, and the citizen's rating prompt. Each opens on the
window, keeps a reference there while it is open (the function keys wait meanwhile) and hands
the answer to the window's controller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from counter.widgets import PauseDialog, RatingPrompt, TransferDialog
from shared.i18n import tr
from shared.views import TicketView

if TYPE_CHECKING:
    from counter.app import CounterWindow


def ask_open_ticket(window: CounterWindow, ticket: TicketView) -> None:
    """Calling while a ticket is open: finish it, mark a no-show, or do not call.
    Keyboard: Enter finishes and calls, Esc does not call, Tab/arrows reach the others."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("counter.ask.title"))
    box.setText(tr("counter.ask.text", number=ticket.number))
    box.setInformativeText(tr("counter.ask.keys"))
    finish = box.addButton(tr("counter.ask.finish"), QMessageBox.ButtonRole.AcceptRole)
    no_show = None
    if ticket.status == "called":
        no_show = box.addButton(tr("counter.ask.no_show"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(tr("counter.ask.cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(finish)
    box.setEscapeButton(cancel)
    window.open_ticket_choices = {"finish": finish, "no_show": no_show, "cancel": cancel}

    def on_clicked(button: object) -> None:
        window.open_ticket_box = None
        if button is finish:
            window.run_action("call_next", first="finish", ticket_id=ticket.id)
        elif no_show is not None and button is no_show:
            window.run_action("call_next", first="no_show", ticket_id=ticket.id)

    def on_finished(_result: int) -> None:
        if window.open_ticket_box is box:
            window.open_ticket_box = None
        box.deleteLater()

    box.buttonClicked.connect(on_clicked)
    box.finished.connect(on_finished)
    window.open_ticket_box = box
    box.open()
    finish.setFocus()
    window.dialog_opened.emit(box)


def open_transfer(window: CounterWindow) -> None:
    """Where the open ticket goes: another service or another counter, with a note."""
    if window.snapshot is None or window.ticket is None:
        return
    ticket, services, counters = window.controller.transfer_choices()
    dialog = TransferDialog(ticket.number, services, counters, window)
    ticket_id = ticket.id

    def on_accepted() -> None:
        window.run_action("transfer", ticket_id=ticket_id, **dialog.target())

    dialog.accepted.connect(on_accepted)
    dialog.finished.connect(lambda _r: setattr(window, "transfer_dialog", None))
    window.transfer_dialog = dialog
    dialog.open()
    window.dialog_opened.emit(dialog)


def open_pause(window: CounterWindow) -> None:
    """ "Tạm ngưng quầy": ask the reason (and a note), then pause."""
    if window.snapshot is None or window.session is None:
        return
    dialog = PauseDialog(window.controller.counter_name(), window)

    def on_accepted() -> None:
        window.run_action("pause_counter", **dialog.values())

    dialog.accepted.connect(on_accepted)
    dialog.finished.connect(lambda _r: setattr(window, "pause_dialog", None))
    window.pause_dialog = dialog
    dialog.open()
    window.dialog_opened.emit(dialog)


def prompt_rating(window: CounterWindow, ticket: TicketView, language: str) -> RatingPrompt:
    """The citizen's rating of the service just finished, in the language the citizen chose
    at the kiosk: full screen on a second screen when one is attached, else a dialog."""
    if window.rating_prompt is not None:
        window.rating_prompt.reject()  # an earlier prompt still open: "no rating" for it
    window.main_page.update_rating_where()
    rating = window.settings.rating
    reasons = [r.strip() for r in rating.reasons.split(",") if r.strip()]
    prompt = RatingPrompt(
        window.family,
        ticket.number,
        rating.scale,
        rating.timeout,
        reasons,
        screen=window.main_page.rating_screen(),
        language=language if language in ("vi", "en") else "vi",
        parent=window,
    )
    request = window.controller.rating_request(ticket, rating.scale)

    def on_answered(level: object, source: str, chosen: list[str]) -> None:
        if window.rating_prompt is prompt:
            window.rating_prompt = None
        window.controller.rate(request, level, source, chosen)

    prompt.answered.connect(on_answered)
    window.rating_prompt = prompt
    prompt.present()
    window.rating_prompted.emit(prompt)
    return prompt
