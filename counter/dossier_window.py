"""The counter's dossier window (F11 "Hồ sơ / Dossiers"): receive, follow, return, the book.

Three tabs: **Tiếp nhận** (the receiving form, linked to the counter's current ticket when there
is one, then the result panel with the code, the lookup secret, the due date and the print
buttons), **Danh sách hồ sơ** (search, status filter, late ones first, one dossier in full with
its legal actions, and returning a result by scanning the slip), **Sổ theo dõi** (Mẫu 06 for
a date range, CSV and PDF).

Every database call goes through :class:`~shared.dossiers.DossierDesk` in a one-thread
:class:`~shared.qt.tasks.TaskRunner`, so the screen never waits on the database; the forms are
rendered there too (300 dpi pages are slow) and painted into the printer on the screen's thread.
The printer and file choices are attributes (:attr:`DossierWindow.choose_printer`,
:attr:`DossierWindow.choose_path`) that open the system dialogs; tests replace them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter.dossier_book import BookPanel
from counter.dossier_form import ReceiveFormWidget, ResultPanel, show_bar
from counter.dossier_list import ActionDialog, DossierDetail, DossierListPanel
from counter.dossier_model import DeskInfo, load_desk_info
from counter.dossier_print import (
    ask_printer,
    form_options,
    paint_pages,
    print_slip,
    render_pages,
    save_pdf,
)
from shared.clock import today_in, utcnow
from shared.dossier_views import DossierView, ReceiveForm
from shared.dossiers import DossierDesk, book_csv
from shared.errors import (
    DatabaseError,
    DossierInvalid,
    MotcuaError,
    UnknownProcedure,
)
from shared.forms import FormData, TrackingBook
from shared.i18n import current_language, tr
from shared.qt.tasks import TaskRunner
from shared.settings import Settings
from shared.workcal import WorkingHours

log = logging.getLogger("motcua.counter")

SHORTCUT = "F11"
"""Opens the dossier window from the counter (F2–F10 are the ticket actions)."""

FORM_OF_ACTION = {"accept": "01", "supplement": "02", "refuse": "03", "reschedule": "04"}

WINDOW_STYLE = """
QLabel#bar_error { background: #fde2e1; color: #8a1c14; padding: 8px 12px; border-radius: 4px; }
QLabel#bar_info { background: #e3f1e6; color: #1e5b2c; padding: 8px 12px; border-radius: 4px; }
QPushButton { padding: 8px 10px; min-height: 30px; }
QPushButton#primary { background: #1f4e8c; color: white; font-weight: bold; }
QPushButton#primary:disabled { background: #9fb2cc; }
QTabBar::tab { padding: 8px 18px; }
"""


class DossierWindow(QWidget):
    """The dossier desk of one signed-in clerk at one counter."""

    info_loaded = Signal(object)
    received = Signal(object)
    """A :class:`DossierView` just received."""
    rows_loaded = Signal(list)
    dossier_shown = Signal(object)
    action_finished = Signal(str, object)
    """(action, :class:`DossierView` after it)."""
    printed = Signal(str, object)
    """(form "01"… or "slip", pages painted or the print result)."""
    saved = Signal(str)
    """A file written (PDF or CSV)."""
    book_loaded = Signal(list)
    failed = Signal(str)
    """A message shown in the window's bar."""

    def __init__(
        self,
        db: Any,
        centre: str | None,
        user_id: int | None,
        counter: int | None,
        ticket_id: int | None,
        settings: Settings,
        family: str,
        *,
        ticket_number: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.db = db
        self.centre = centre
        self.user_id = user_id
        self.counter = counter
        self.ticket_id = ticket_id
        self.settings = settings
        self.family = family
        try:
            hours: WorkingHours | None = WorkingHours.from_settings(settings.calendar)
        except MotcuaError:
            hours = None
        self.hours = hours
        self.desk = DossierDesk(db, centre, user_id, hours=hours)
        self.info: DeskInfo | None = None
        self.tasks = TaskRunner(self)
        self.request_id = uuid.uuid4().hex
        self.received_view: DossierView | None = None
        self._search_seq = 0
        self._printers: list[QPrinter] = []
        self.action_dialog: ActionDialog | None = None
        self.choose_printer: Callable[[str, bool], QPrinter | None] = lambda title, landscape: (
            ask_printer(self, title, landscape)
        )
        self.choose_path: Callable[[str, str], Path | None] = self._ask_path

        self.setStyleSheet(WINDOW_STYLE)
        base = QFont(family)
        base.setPixelSize(15)
        self.setFont(base)
        self.bar = QLabel()
        self.bar.setWordWrap(True)
        self.bar.hide()
        self.form = ReceiveFormWidget(family)
        self.form.validator = self.desk.validate
        self.form.set_ticket(ticket_id, ticket_number)
        self.result = ResultPanel(family)
        self.receive_stack = QStackedWidget()
        self.receive_stack.addWidget(self.form)
        self.receive_stack.addWidget(self.result)
        self.list = DossierListPanel(family)
        self.detail = DossierDetail(family)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.detail)
        self.book = BookPanel(family)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.receive_stack, "")
        self.tabs.addTab(self.list_stack, "")
        self.tabs.addTab(self.book, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.tabs, 1)

        self.form.save_requested.connect(self.receive)
        self.result.print_a4.clicked.connect(lambda: self._print_received("01"))
        self.result.save_pdf.clicked.connect(self._save_received_pdf)
        self.result.print_slip.clicked.connect(lambda: self._print_received("slip"))
        self.result.new_button.clicked.connect(self.new_dossier)
        self.result.open_button.clicked.connect(self._open_received)
        self.list.search_requested.connect(self.search)
        self.list.open_requested.connect(self.open_dossier)
        self.list.scanned.connect(self.return_scanned)
        self.detail.back_requested.connect(self.show_list)
        self.detail.action_requested.connect(self.open_action)
        self.detail.print_requested.connect(self._print_shown)
        self.book.read_requested.connect(self.read_book)
        self.book.export_requested.connect(self.export_book)
        self.tabs.currentChanged.connect(self._tab_changed)
        for keys, slot in (
            ("Ctrl+1", lambda: self.tabs.setCurrentIndex(0)),
            ("Ctrl+2", lambda: self.tabs.setCurrentIndex(1)),
            ("Ctrl+3", lambda: self.tabs.setCurrentIndex(2)),
            ("Ctrl+F", self._focus_search),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.retranslate()
        self.resize(1280, 740)
        self.load_info()

    # --- language -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        k = "counter.dossier"
        self.setWindowTitle(
            tr(f"{k}.window.title", counter=self.counter if self.counter is not None else "—")
        )
        self.tabs.setTabText(0, tr(f"{k}.tab.receive"))
        self.tabs.setTabText(1, tr(f"{k}.tab.list"))
        self.tabs.setTabText(2, tr(f"{k}.tab.book"))
        self.form.retranslate()
        self.result.retranslate()
        self.list.retranslate()
        self.detail.retranslate()
        self.book.retranslate()

    # --- link to the counter ------------------------------------------------------------------

    def set_ticket(self, ticket_id: int | None, number: str = "") -> None:
        """The counter's current ticket: the next dossier received is linked to it."""
        self.ticket_id = ticket_id
        self.form.set_ticket(ticket_id, number)

    # --- helpers ------------------------------------------------------------------------------

    def _run(
        self,
        work: Callable[[], object],
        on_done: Callable[[Any], None],
        on_failed: Callable[[object], None] | None = None,
    ) -> None:
        self.tasks.submit(lambda _p: work(), None, on_done, on_failed or self._failed)

    def describe(self, error: object) -> str:
        if isinstance(error, MotcuaError):
            return error.message_in(current_language())
        if isinstance(error, OSError):
            return tr("counter.dossier.file_failed", detail=str(error))
        log.error("unexpected error in the dossier window", exc_info=error)  # type: ignore[arg-type]
        return tr("counter.unexpected")

    def _failed(self, error: object) -> None:
        self.show_message(self.describe(error), error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        show_bar(self.bar, text, error=error)
        if error:
            self.failed.emit(text)

    @property
    def timezone(self) -> str:
        return self.info.timezone if self.info is not None else "Asia/Ho_Chi_Minh"

    def _ask_path(self, title: str, suggested: str) -> Path | None:
        filters = "PDF (*.pdf)" if suggested.endswith(".pdf") else "CSV (*.csv)"
        start = str(Path.home() / suggested)
        path, _ = QFileDialog.getSaveFileName(self, title, start, filters)
        return Path(path) if path else None

    # --- start --------------------------------------------------------------------------------

    def load_info(self) -> None:
        db, centre, hours = self.db, self.centre, self.hours

        def done(info: DeskInfo) -> None:
            self.info = info
            for panel in (self.list, self.detail, self.book):
                panel.timezone = info.timezone
            self.form.set_info(info)
            self.book.set_today(today_in(info.timezone))
            self.info_loaded.emit(info)

        self._run(lambda: load_desk_info(db, centre, hours), done)

    # --- receiving ----------------------------------------------------------------------------

    def receive(self, form: ReceiveForm) -> None:
        desk, ticket_id, counter, request_id = (
            self.desk,
            self.ticket_id,
            self.counter,
            self.request_id,
        )
        received_at = utcnow()  # the moment the due-date preview was computed for
        self.form.set_busy(True)
        self.bar.hide()

        def work() -> DossierView:
            return desk.receive(
                form,
                ticket_id=ticket_id,
                counter=counter,
                received_at=received_at,
                request_id=request_id,
            )

        self._run(work, self._on_received, self._on_receive_failed)

    def _on_received(self, view: DossierView) -> None:
        self.form.set_busy(False)
        self.request_id = uuid.uuid4().hex
        self.received_view = view
        self.result.show_dossier(view, self.timezone)
        self.receive_stack.setCurrentWidget(self.result)
        self.result.print_a4.setFocus()
        self.received.emit(view)
        self.list.request()

    def _on_receive_failed(self, error: object) -> None:
        self.form.set_busy(False)
        if isinstance(error, DossierInvalid):
            self.form.show_errors(error.errors)
            target = self.form.first_invalid()
            if target is not None:
                target.setFocus()
            return
        if isinstance(error, UnknownProcedure):
            self.form.show_errors({"procedure_code": self.describe(error)})
            return
        if isinstance(error, DatabaseError):
            self.show_message(tr("counter.dossier.offline"), error=True)
            return
        self._failed(error)

    def new_dossier(self) -> None:
        self.form.reset()
        self.receive_stack.setCurrentWidget(self.form)
        self.form.picker.edit.setFocus()

    def _open_received(self) -> None:
        if self.received_view is not None:
            self.tabs.setCurrentIndex(1)
            self.open_dossier(self.received_view.code)

    # --- printing -----------------------------------------------------------------------------

    def _print_received(self, form: str) -> None:
        if self.received_view is not None:
            self.print_form(form, self.received_view, status=self.result.show_status)

    def _print_shown(self, form: str) -> None:
        if self.detail.view is not None:
            self.print_form(form, self.detail.view, status=self.detail.show_message)

    def print_form(
        self,
        form: str,
        data: FormData,
        *,
        status: Callable[..., None] | None = None,
    ) -> None:
        """Print an A4 form through the printer the clerk picks, or the thermal slip."""
        say = status or self.show_message
        if form == "slip":
            if not isinstance(data, DossierView):
                return
            settings = self.settings
            say(tr("counter.dossier.printing_slip"))

            desk = self.desk

            def print_and_log() -> object:
                try:
                    result = print_slip(data, settings)
                except Exception:
                    desk.log_print(data.code, "slip", ok=False)
                    raise
                desk.log_print(data.code, "slip", ok=True, pages=1)
                return result

            def slip_done(result: object) -> None:
                say(tr("counter.dossier.printed_slip"))
                self.printed.emit("slip", result)

            self._run(
                print_and_log,
                slip_done,
                lambda e: say(self.describe(e), error=True),
            )
            return
        landscape = form == "06"
        title = tr(f"counter.dossier.form_title.{form}")
        printer = self.choose_printer(title, landscape)
        if printer is None:
            return
        self._printers.append(printer)
        options = form_options(self.settings, self.timezone)
        say(tr("counter.dossier.printing", title=title))

        def done(pages: list[Any]) -> None:
            try:
                count = paint_pages(printer, pages)
            except (OSError, ValueError) as error:
                say(self.describe(error), error=True)
                return
            finally:
                self._printers.remove(printer)
            say(tr("counter.dossier.printed", title=title, pages=count))
            self.printed.emit(form, count)
            if isinstance(data, DossierView):
                code, desk = data.code, self.desk
                self._run(
                    lambda: desk.log_print(code, form, ok=True, pages=count),
                    lambda _: None,
                    lambda e: say(self.describe(e), error=True),
                )

        def failed(error: object) -> None:
            if printer in self._printers:
                self._printers.remove(printer)
            say(self.describe(error), error=True)

        self._run(lambda: render_pages(form, data, options), done, failed)

    def _save_received_pdf(self) -> None:
        view = self.received_view
        if view is not None:
            self.save_form_pdf("01", view, f"{view.code}-mau01.pdf", self.result.show_status)

    def save_form_pdf(
        self, form: str, data: FormData, suggested: str, status: Callable[..., None]
    ) -> None:
        path = self.choose_path(tr("counter.dossier.save_pdf_title"), suggested)
        if path is None:
            return
        options = form_options(self.settings, self.timezone)

        def done(written: Path) -> None:
            status(tr("counter.dossier.saved", path=str(written)))
            self.saved.emit(str(written))

        self._run(
            lambda: save_pdf(form, data, path, options),
            done,
            lambda e: status(self.describe(e), error=True),
        )

    # --- the list -----------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.list_stack.currentWidget() is self.list:
            self.list.request()

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.show_list()
        self.list.search.setFocus()

    def search(self, text: str, status: object) -> None:
        self._search_seq += 1
        seq, desk = self._search_seq, self.desk
        code = status if isinstance(status, int) else None

        def done(result: tuple[int, list[Any]]) -> None:
            got_seq, rows = result
            if got_seq != self._search_seq:
                return  # an older search answered late
            self.list.set_rows(rows)
            self.rows_loaded.emit(rows)

        self._run(lambda: (seq, desk.search(text, code)), done)

    def show_list(self) -> None:
        self.list_stack.setCurrentWidget(self.list)
        self.list.request()

    def open_dossier(self, code: str) -> None:
        """Read the dossier in full (a personal-data reading, logged by the desk)."""
        desk = self.desk

        def done(view: DossierView) -> None:
            self.detail.show_view(view, self.timezone)
            self.list_stack.setCurrentWidget(self.detail)
            self.dossier_shown.emit(view)

        self._run(lambda: desk.show(code), done)

    def return_scanned(self, text: str) -> None:
        """The slip's QR (or a typed code) from the return field: hand the result back."""
        desk = self.desk

        def done(view: DossierView) -> None:
            self.show_message(tr("counter.dossier.returned", code=view.code))
            self.action_finished.emit("return", view)
            self.open_dossier(view.code)

        self._run(lambda: desk.return_result(text), done)

    # --- actions ------------------------------------------------------------------------------

    def open_action(self, action: str) -> ActionDialog | None:
        view = self.detail.view
        if view is None:
            return None
        dialog = ActionDialog(action, view, self.timezone, self)
        dialog.confirmed.connect(lambda values: self.run_action(action, view.code, values))
        dialog.finished.connect(lambda _r: setattr(self, "action_dialog", None))
        self.action_dialog = dialog
        dialog.open()
        return dialog

    def run_action(self, action: str, code: str, values: dict[str, Any]) -> None:
        desk = self.desk

        counter = self.counter

        def work() -> DossierView:
            if action == "accept":
                return desk.accept(code, counter=counter)
            if action == "hand_over":
                return desk.hand_over(
                    code, values["to_unit"], days=values["days"], note=values["note"]
                )
            if action == "step_result":
                return desk.record_step_result(
                    code, int(values["position"]), values["result"], values["note"]
                )
            if action == "supplement":
                return desk.request_supplement(code, values["missing"], values["reason"])
            if action == "refuse":
                return desk.refuse(code, values["reason"])
            if action == "reschedule":
                return desk.reschedule(code, values["new_due_at"], values["reason"])
            if action == "mark_ready":
                return desk.mark_ready(code)
            if action == "return":
                return desk.return_result(code)
            raise ValueError(action)

        def done(view: DossierView) -> None:
            if self.action_dialog is not None:
                self.action_dialog.accept()
            self.detail.show_view(view, self.timezone)
            self.detail.show_message(tr(f"counter.dossier.done.{action}", code=view.code))
            self.action_finished.emit(action, view)
            form = FORM_OF_ACTION.get(action)
            if form is not None:
                self.print_form(form, view, status=self.detail.show_message)

        def failed(error: object) -> None:
            dialog = self.action_dialog
            if dialog is None:
                self._failed(error)
            elif isinstance(error, DossierInvalid):
                dialog.show_errors(error.errors)
            else:
                dialog.show_errors({}, self.describe(error))

        self._run(work, done, failed)

    # --- the tracking book --------------------------------------------------------------------

    def read_book(self, start: date, end: date) -> None:
        desk = self.desk

        def done(rows: list[Any]) -> None:
            self.book.set_rows(rows, start, end)
            self.book_loaded.emit(rows)

        self._run(lambda: desk.tracking_book(start, end), done)

    def export_book(self, kind: str) -> None:
        if self.book.range is None or self.info is None:
            return
        start, end = self.book.range
        rows, tz, info = tuple(self.book.rows), self.timezone, self.info
        name = f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.{kind}"
        if kind == "pdf":
            book = TrackingBook(
                rows=rows,
                centre_name=info.centre_name,
                agency=info.agency,
                date_from=start,
                date_to=end,
                place=info.place,
                volume=str(start.year),
            )
            self.save_form_pdf("06", book, name, self.book.show_message)
            return
        path = self.choose_path(tr("counter.dossier.book.csv"), name)
        if path is None:
            return

        def done(written: Path) -> None:
            self.book.show_message(tr("counter.dossier.saved", path=str(written)))
            self.saved.emit(str(written))

        self._run(
            lambda: book_csv(rows, path, tz),
            done,
            lambda e: self.book.show_message(self.describe(e), error=True),
        )

    # --- closing ------------------------------------------------------------------------------

    def stop(self) -> None:
        self.form.preview_timer.stop()
        self.tasks.wait()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.form.preview_timer.start()
        self.form.update_preview()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.stop()
        super().closeEvent(event)


class DossierButton(QPushButton):
    """ "Hồ sơ / Dossiers (F11)" on the counter's main page: opens the dossier window for the
    signed-in clerk, their counter and the ticket now open at it."""

    opened = Signal(object)
    """The :class:`DossierWindow` shown."""

    def __init__(self, window: Any, family: str) -> None:
        super().__init__()
        self.counter_window = window
        self.family = family
        self.dossier_window: DossierWindow | None = None
        self.setObjectName("dossiers")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        font = QFont(family)
        font.setPixelSize(16)
        self.setFont(font)
        self.shortcut = QShortcut(QKeySequence(SHORTCUT), window)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.open_window)
        self.clicked.connect(self.open_window)
        signal = getattr(window, "language_changed", None)
        if signal is not None:
            signal.connect(lambda _language: self.retranslate())
        for name in ("snapshot_loaded", "action_done"):
            signal = getattr(window, name, None)
            if signal is not None:
                signal.connect(lambda *_a: self.follow_ticket())
        signal = getattr(window, "signed_out", None)
        if signal is not None:
            signal.connect(self.close_window)
        self.retranslate()

    def _ticket(self) -> tuple[int | None, str]:
        ticket = getattr(self.counter_window, "ticket", None)
        if ticket is None:
            return None, ""
        return ticket.id, str(ticket.number)

    def follow_ticket(self) -> None:
        """The counter called, finished or transferred: the next dossier received belongs to
        the citizen now at the counter."""
        if self.dossier_window is not None:
            self.dossier_window.set_ticket(*self._ticket())

    def close_window(self) -> None:
        """The clerk signed out: their dossier window closes with them."""
        window, self.dossier_window = self.dossier_window, None
        if window is not None:
            window.stop()
            window.close()
            window.deleteLater()

    def retranslate(self) -> None:
        self.setText(f"{SHORTCUT}  {tr('counter.dossier.button')}")
        self.setToolTip(tr("counter.dossier.button_tip", key=SHORTCUT))
        if self.dossier_window is not None:
            self.dossier_window.retranslate()

    def open_window(self) -> DossierWindow | None:
        w = self.counter_window
        session = getattr(w, "session", None)
        if session is None:
            return None
        ticket_id, number = self._ticket()
        existing = self.dossier_window
        if existing is not None and existing.user_id == session.user_id:
            existing.set_ticket(ticket_id, number)
        else:
            self.close_window()
            existing = DossierWindow(
                w.db,
                w.centre,
                session.user_id,
                session.counter,
                ticket_id,
                w.settings,
                self.family,
                ticket_number=number,
                parent=w,
            )
            self.dossier_window = existing
        existing.show()
        existing.raise_()
        existing.activateWindow()
        if existing.receive_stack.currentWidget() is existing.form:
            existing.tabs.setCurrentIndex(0)
            existing.form.picker.edit.setFocus()
        self.opened.emit(existing)
        return existing
