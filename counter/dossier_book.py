"""The tracking book (Mẫu 06 Sổ theo dõi hồ sơ) for a date range: shown, exported as CSV and PDF.

The panel only displays and emits; the window reads the book through
:meth:`~shared.dossiers.DossierDesk.tracking_book` (a logged reading: it holds addresses and
phones) and writes the files.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.dossier_form import FORM_STYLE, show_bar
from counter.dossier_model import format_short, standing_text
from shared.clock import today_in
from shared.dossier_views import BookRow
from shared.i18n import tr

BOOK_COLUMNS: Final = (
    "no",
    "code",
    "procedure",
    "sets",
    "applicant",
    "contact",
    "lead",
    "received",
    "due",
    "sent",
    "back",
    "returned",
    "note",
    "timeliness",
)


class BookPanel(QWidget):
    """Date range, the book's lines, and the export buttons."""

    read_requested = Signal(object, object)
    """(date_from, date_to)."""
    export_requested = Signal(str)
    """"csv" or "pdf"."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.timezone = "Asia/Ho_Chi_Minh"
        self.rows: list[BookRow] = []
        self.range: tuple[date, date] | None = None
        self.date_from = QDateEdit()
        self.date_from.setObjectName("book_from")
        self.date_to = QDateEdit()
        self.date_to.setObjectName("book_to")
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        self.from_label = QLabel()
        self.to_label = QLabel()
        self.read_button = QPushButton()
        self.read_button.setObjectName("primary")
        self.csv_button = QPushButton()
        self.pdf_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.table = QTableWidget(0, len(BOOK_COLUMNS))
        self.table.setObjectName("book")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        for column, width in ((2, 280), (4, 220), (5, 260), (6, 200), (12, 220)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        top = QHBoxLayout()
        top.addWidget(self.from_label)
        top.addWidget(self.date_from)
        top.addWidget(self.to_label)
        top.addWidget(self.date_to)
        top.addWidget(self.read_button)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.read_button.clicked.connect(self.request)
        self.csv_button.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))
        self.setStyleSheet(FORM_STYLE)
        self.retranslate()
        self.set_today(today_in(self.timezone))
        self._update_buttons()

    def retranslate(self) -> None:
        k = "counter.dossier.book"
        self.from_label.setText(tr(f"{k}.from"))
        self.to_label.setText(tr(f"{k}.to"))
        self.read_button.setText(tr(f"{k}.read"))
        self.csv_button.setText(tr(f"{k}.csv"))
        self.pdf_button.setText(tr(f"{k}.pdf"))
        self.table.setHorizontalHeaderLabels([tr(f"{k}.col.{c}") for c in BOOK_COLUMNS])

    def set_today(self, today: date) -> None:
        """Default range: from the first of the centre's current month to its today (the
        centre's day, not this PC's: after 17:00 UTC it is already tomorrow in Việt Nam)."""
        self.date_from.setDate(QDate(today.year, today.month, 1))
        self.date_to.setDate(QDate(today.year, today.month, today.day))

    def dates(self) -> tuple[date, date]:
        start = self.date_from.date().toPython()
        end = self.date_to.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end

    def request(self) -> None:
        start, end = self.dates()
        if end < start:
            self.show_message(tr("counter.dossier.book.bad_range"), error=True)
            return
        self.read_requested.emit(start, end)

    def set_rows(self, rows: list[BookRow], start: date, end: date) -> None:
        self.rows, self.range = list(rows), (start, end)
        tz = self.timezone
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (
                str(r + 1),  # STT runs through the period (the code's NNNN restarts daily)
                row.code,
                row.procedure_name,
                str(row.sets),
                row.applicant_name,
                row.applicant_contact,
                row.lead_unit,
                format_short(row.received_at, tz),
                format_short(row.due_at, tz),
                format_short(row.sent_at, tz),
                format_short(row.result_back_at, tz),
                format_short(row.returned_at, tz),
                row.note,
                standing_text(row.timeliness, row.progress),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.show_message(
            tr(
                "counter.dossier.book.count",
                count=len(rows),
                start=f"{start:%d/%m/%Y}",
                end=f"{end:%d/%m/%Y}",
            )
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.range is not None
        self.csv_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)

    def show_message(self, text: str, *, error: bool = False) -> None:
        show_bar(self.message, text, error=error)
