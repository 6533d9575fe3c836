"""The receiving form (phiếu tiếp nhận hồ sơ) and the panel shown once a dossier is received.

The form only displays and emits: :class:`ReceiveFormWidget` builds a
:class:`~shared.dossier_views.ReceiveForm` from what the clerk typed, checks it with the desk's
own :meth:`~shared.dossiers.DossierDesk.validate` (no database) while the clerk types and leaves
fields, and shows each problem AT its field: a red border, a warning icon and the message under
the field. A field's problem appears once the clerk has left it (or pressed Save), and goes away
as soon as it is fixed. The window (:mod:`counter.dossier_window`) does the database work.

ID numbers are shown in full here only (the clerk types them); elsewhere they are masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.dossier_model import DeskInfo, ProcedureChoice, format_when, match_procedures
from shared.clock import utcnow
from shared.dossier_views import (
    CHANNEL_IN_PERSON,
    CHANNEL_ONLINE,
    CHANNEL_POST,
    DocumentLine,
    DossierView,
    Party,
    ReceiveForm,
)
from shared.i18n import tr

ID_TYPES: Final = ("", "cccd", "cmnd", "passport", "tax")
CHANNELS: Final = (CHANNEL_IN_PERSON, CHANNEL_ONLINE, CHANNEL_POST)
COUNT_COLUMNS: Final = ("originals", "certified", "copies")

FORM_STYLE = """
QLineEdit[invalid="true"], QComboBox[invalid="true"], QSpinBox[invalid="true"],
QTableWidget[invalid="true"] { border: 2px solid #b3261e; background: #fff6f5; }
QLabel#field_error { color: #8a1c14; font-weight: bold; }
QLabel#section { color: #1f4e8c; font-weight: bold; }
QLabel#due_preview { background: #eef4fb; color: #0b3d6b; padding: 8px 10px; }
QLabel#result_code { color: #1f4e8c; font-weight: bold; }
QLabel#result_secret { font-weight: bold; }
QFrame#result { background: white; border: 2px solid #1f4e8c; border-radius: 8px; }
QListWidget#matches { border: 1px solid #1f4e8c; }
QLabel#form_hint { color: #555; }
"""


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def show_bar(bar: QLabel, text: str, *, error: bool = False) -> None:
    """Show ``text`` in a message bar: red for an error, blue for news."""
    bar.setObjectName("bar_error" if error else "bar_info")
    _repolish(bar)
    bar.setText(text)
    bar.show()


def append_document_row(table: QTableWidget, line: DocumentLine) -> list[QSpinBox]:
    """Append ``line`` to a documents table: its name, then a spin box per count (originals,
    certified copies, copies); return the spin boxes."""
    row = table.rowCount()
    table.insertRow(row)
    table.setItem(row, 0, QTableWidgetItem(line.name))
    spins = []
    for column, attr in enumerate(COUNT_COLUMNS, 1):
        spin = QSpinBox()
        spin.setRange(0, 99)
        spin.setValue(getattr(line, attr))
        table.setCellWidget(row, column, spin)
        spins.append(spin)
    return spins


def document_rows(table: QTableWidget) -> list[DocumentLine]:
    """Every row of a documents table as typed (a count without its spin box is 0)."""
    lines = []
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        counts = []
        for column in range(1, len(COUNT_COLUMNS) + 1):
            spin = table.cellWidget(row, column)
            counts.append(spin.value() if isinstance(spin, QSpinBox) else 0)
        lines.append(DocumentLine(item.text() if item else "", *counts))
    return lines


def pixel_font(family: str, pixels: int, bold: bool = False) -> QFont:
    """``family`` at a size in pixels (the desk's screens are sized in pixels, not points)."""
    font = QFont(family)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


class FieldBox(QWidget):
    """A label, its editor, and under it the field's problem (icon and text) when there is one."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.label = QLabel()
        self.label.setBuddy(editor)
        self.icon = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(icon.pixmap(16, 16))
        self.error = QLabel()
        self.error.setObjectName("field_error")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.error, 1)
        self.error_row = QWidget()
        self.error_row.setLayout(row)
        self.error_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(editor)
        layout.addWidget(self.error_row)
        layout.addStretch(1)  # label and editor stay level with a neighbour showing an error

    def set_error(self, message: str | None) -> None:
        invalid = bool(message)
        if self.editor.property("invalid") != invalid:
            self.editor.setProperty("invalid", invalid)
            _repolish(self.editor)
        self.error.setText(message or "")
        self.error_row.setVisible(invalid)
        self.editor.setAccessibleDescription(message or "")

    @property
    def message(self) -> str:
        return self.error.text() if self.error_row.isVisibleTo(self) else ""


class ProcedurePicker(QWidget):
    """A line to type a procedure code or words of its name, and the matching procedures under
    it. Enter takes the first match, Down goes into the list, a click or Enter there picks."""

    chosen = Signal(object)
    """The :class:`ProcedureChoice` picked, or None when the text no longer names one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.procedures: tuple[ProcedureChoice, ...] = ()
        self.current: ProcedureChoice | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName("procedure")
        self.edit.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setObjectName("matches")
        self.matches.setWordWrap(True)
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.matches.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.edit)
        layout.addWidget(self.matches)
        self.edit.textEdited.connect(self._filter)
        self.edit.installEventFilter(self)
        self.matches.installEventFilter(self)
        self.matches.itemActivated.connect(self._pick_item)
        self.matches.itemClicked.connect(self._pick_item)

    def set_procedures(self, procedures: tuple[ProcedureChoice, ...]) -> None:
        self.procedures = procedures

    def _filter(self, text: str) -> None:
        if self.current is not None:
            self.current = None
            self.chosen.emit(None)
        self.matches.clear()
        found = match_procedures(self.procedures, text) if text.strip() else []
        for p in found[:50]:
            item = QListWidgetItem(f"{p.label()}  ·  {p.duration()}")
            item.setData(Qt.ItemDataRole.UserRole, p.code)
            item.setToolTip(p.name)
            self.matches.addItem(item)
        if found:
            self.matches.setCurrentRow(0)
        self.matches.setVisible(bool(found))
        self._fit_matches()

    def _fit_matches(self) -> None:
        """Long names wrap; the list is as tall as its first five matches."""
        width = max(200, self.edit.width() - 16)
        metrics = self.matches.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        total = 0
        for i in range(self.matches.count()):
            item = self.matches.item(i)
            bounds = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, item.text())
            height = bounds.height() + 8
            item.setSizeHint(QSize(width, height))
            if i < 5:
                total += height
        self.matches.setFixedHeight(max(30, min(260, total + 4)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.matches.count():
            self._fit_matches()

    def match_codes(self) -> list[str]:
        return [
            str(self.matches.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.matches.count())
        ]

    def choose(self, code: str) -> bool:
        found = next((p for p in self.procedures if p.code == code), None)
        if found is None:
            return False
        self.current = found
        self.edit.setText(found.label())
        self.edit.setCursorPosition(0)
        self.matches.hide()
        self.chosen.emit(found)
        return True

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.choose(str(item.data(Qt.ItemDataRole.UserRole)))
        self.edit.setFocus()
        self.focusNextChild()

    def code(self) -> str:
        if self.current is not None:
            return self.current.code
        typed = self.edit.text().strip()
        return typed.split(" – ")[0].strip() if typed else ""

    def clear(self) -> None:
        self.current = None
        self.edit.clear()
        self.matches.clear()
        self.matches.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.edit:
            if key == Qt.Key.Key_Down and self.matches.isVisible():
                self.matches.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.matches.currentItem() if self.matches.isVisible() else None
                if item is not None:
                    self._pick_item(item)
                    return True
            if key == Qt.Key.Key_Escape and self.matches.isVisible():
                self.matches.hide()
                return True
        elif watched is self.matches:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.matches.currentItem()
                if item is not None:
                    self._pick_item(item)
                return True
            if key == Qt.Key.Key_Up and self.matches.currentRow() == 0:
                self.edit.setFocus()
                return True
            if key == Qt.Key.Key_Escape:
                self.matches.hide()
                self.edit.setFocus()
                return True
        return super().eventFilter(watched, event)


def _id_combo() -> QComboBox:
    combo = QComboBox()
    for value in ID_TYPES:
        combo.addItem("", value)
    return combo


def _retranslate_id_combo(combo: QComboBox) -> None:
    for i, value in enumerate(ID_TYPES):
        combo.setItemText(i, tr(f"counter.dossier.id_type.{value or 'none'}"))


class PartyFields:
    """The editors of one party (applicant or submitter), each in its :class:`FieldBox`."""

    def __init__(self, prefix: str, full: bool) -> None:
        self.prefix = prefix
        self.person = QRadioButton()
        self.organisation = QRadioButton()
        self.person.setChecked(True)
        self.kind_group = QButtonGroup()
        self.kind_group.addButton(self.person)
        self.kind_group.addButton(self.organisation)
        self.name = QLineEdit()
        self.id_type = _id_combo()
        self.id_number = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        for attr in ("name", "id_type", "id_number", "address", "phone", "email"):
            getattr(self, attr).setObjectName(f"{prefix}_{attr}")
        self.person.setObjectName(f"{prefix}_person")
        self.organisation.setObjectName(f"{prefix}_organisation")
        self.full = full
        names = ["name", "id_type", "id_number", "phone"]
        if full:
            names += ["address", "email"]
        self.boxes: dict[str, FieldBox] = {
            f"{prefix}.{attr}": FieldBox(getattr(self, attr)) for attr in names
        }

    def box(self, attr: str) -> FieldBox:
        return self.boxes[f"{self.prefix}.{attr}"]

    def layout(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        kinds = QHBoxLayout()
        kinds.addWidget(self.person)
        kinds.addWidget(self.organisation)
        kinds.addStretch(1)
        grid.addLayout(kinds, 0, 0, 1, 2)
        grid.addWidget(self.box("name"), 1, 0, 1, 2)
        grid.addWidget(self.box("id_type"), 2, 0)
        grid.addWidget(self.box("id_number"), 2, 1)
        if self.full:
            grid.addWidget(self.box("address"), 3, 0, 1, 2)
            grid.addWidget(self.box("phone"), 4, 0)
            grid.addWidget(self.box("email"), 4, 1)
        else:
            grid.addWidget(self.box("phone"), 3, 0)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def retranslate(self) -> None:
        key = "counter.dossier.field"
        self.person.setText(tr(f"{key}.person"))
        self.organisation.setText(tr(f"{key}.organisation"))
        org = self.organisation.isChecked()
        self.box("name").label.setText(tr(f"{key}.{'org_name' if org else 'name'}"))
        self.box("id_type").label.setText(tr(f"{key}.id_type"))
        self.box("id_number").label.setText(tr(f"{key}.id_number"))
        self.box("phone").label.setText(tr(f"{key}.phone"))
        if self.full:
            self.box("address").label.setText(tr(f"{key}.address"))
            self.box("email").label.setText(tr(f"{key}.email"))
        _retranslate_id_combo(self.id_type)
        self.id_number.setPlaceholderText(tr("counter.dossier.id_hint"))
        self.phone.setPlaceholderText(tr("counter.dossier.phone_hint"))

    def party(self) -> Party:
        id_type = self.id_type.currentData() or None
        return Party(
            kind="organisation" if self.organisation.isChecked() else "person",
            name=self.name.text(),
            id_type=id_type,
            id_number=self.id_number.text(),
            address=self.address.text() if self.full else "",
            phone=self.phone.text(),
            email=self.email.text() if self.full else "",
        )

    def is_empty(self) -> bool:
        return not any(
            w.text().strip() for w in (self.name, self.id_number, self.phone, self.address)
        )

    def clear(self) -> None:
        for edit in (self.name, self.id_number, self.address, self.phone, self.email):
            edit.clear()
        self.id_type.setCurrentIndex(0)
        self.person.setChecked(True)


class ReceiveFormWidget(QWidget):
    """The receiving form. ``save_requested`` carries a valid :class:`ReceiveForm`."""

    save_requested = Signal(object)
    validated = Signal(dict)
    """The problems now shown at the fields (field path → message)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.info: DeskInfo | None = None
        self.validator: Callable[[ReceiveForm], dict[str, str]] | None = None
        self.ticket_number: str = ""
        self.touched: set[str] = set()
        self.errors: dict[str, str] = {}
        self.busy = False

        # Widgets
        self.title = QLabel()
        self.title.setFont(pixel_font(family, 22, bold=True))
        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("form_hint")
        self.picker = ProcedurePicker()
        self.procedure_box = FieldBox(self.picker)
        self.procedure_box.editor = self.picker.edit  # the border goes on the line itself
        self.procedure_info = QLabel()
        self.procedure_info.setObjectName("form_hint")
        self.procedure_info.setWordWrap(True)
        self.applicant = PartyFields("applicant", full=True)
        self.has_submitter = QCheckBox()
        self.has_submitter.setObjectName("has_submitter")
        self.submitter = PartyFields("submitter", full=False)
        self.submitter_box = QWidget()
        self.submitter_box.setLayout(self.submitter.layout())
        self.submitter_box.hide()
        self.documents = QTableWidget(0, 4)
        self.documents.setObjectName("documents")
        self.documents.verticalHeader().setVisible(False)
        self.documents.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.documents.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.documents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents.setMinimumHeight(210)
        self.documents.setWordWrap(True)
        self.documents_box = FieldBox(self.documents)
        self.add_document = QPushButton()
        self.add_document.setObjectName("add_document")
        self.remove_document = QPushButton()
        self.sets = QSpinBox()
        self.sets.setObjectName("sets")
        self.sets.setRange(1, 99)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for value in CHANNELS:
            self.channel.addItem("", value)
        self.at_desk = QRadioButton()
        self.at_desk.setObjectName("at_desk")
        self.by_post = QRadioButton()
        self.by_post.setObjectName("by_post")
        self.at_desk.setChecked(True)
        self.delivery_group = QButtonGroup(self)
        self.delivery_group.addButton(self.at_desk)
        self.delivery_group.addButton(self.by_post)
        self.result_address = QLineEdit()
        self.result_address.setObjectName("result_address")
        self.result_address.setEnabled(False)
        self.fee = QSpinBox()
        self.fee.setObjectName("fee")
        self.fee.setRange(0, 2_000_000_000)
        self.fee.setSingleStep(1000)
        self.fee.setGroupSeparatorShown(True)
        self.fee_note = QLabel()
        self.fee_note.setObjectName("form_hint")
        self.fee_note.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.due_preview = QLabel()
        self.due_preview.setObjectName("due_preview")
        self.due_preview.setWordWrap(True)
        self.due_preview.setFont(pixel_font(family, 17, bold=True))
        self.general_error = QLabel()
        self.general_error.setObjectName("field_error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.save_button = QPushButton()
        self.save_button.setObjectName("primary")
        self.save_button.setFont(pixel_font(family, 18, bold=True))
        self.clear_button = QPushButton()
        self.keys = QLabel()
        self.keys.setObjectName("form_hint")

        self.boxes: dict[str, FieldBox] = {"procedure_code": self.procedure_box}
        self.boxes.update(self.applicant.boxes)
        self.boxes.update(self.submitter.boxes)
        for path, editor in (
            ("sets", self.sets),
            ("channel", self.channel),
            ("result_address", self.result_address),
            ("fee", self.fee),
            ("note", self.note),
        ):
            self.boxes[path] = FieldBox(editor)
        self.delivery_label = QLabel()

        # Layout
        self.section_labels: dict[str, QLabel] = {}

        def section(key: str) -> QLabel:
            label = QLabel()
            label.setObjectName("section")
            label.setFont(pixel_font(family, 16, bold=True))
            self.section_labels[key] = label
            return label

        left = QVBoxLayout()
        left.addWidget(section("procedure"))
        left.addWidget(self.procedure_box)
        left.addWidget(self.procedure_info)
        left.addSpacing(6)
        left.addWidget(section("applicant"))
        left.addLayout(self.applicant.layout())
        left.addWidget(self.has_submitter)
        left.addWidget(self.submitter_box)
        left.addStretch(1)

        right = QVBoxLayout()
        right.addWidget(section("documents"))
        right.addWidget(self.documents_box, 1)
        doc_buttons = QHBoxLayout()
        doc_buttons.addWidget(self.add_document)
        doc_buttons.addWidget(self.remove_document)
        doc_buttons.addStretch(1)
        right.addLayout(doc_buttons)
        right.addSpacing(6)
        right.addWidget(section("handling"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.addWidget(self.boxes["sets"], 0, 0)
        grid.addWidget(self.boxes["channel"], 0, 1)
        grid.addWidget(self.boxes["fee"], 0, 2)
        grid.addWidget(self.fee_note, 1, 0, 1, 3)
        delivery = QHBoxLayout()
        delivery.addWidget(self.delivery_label)
        delivery.addWidget(self.at_desk)
        delivery.addWidget(self.by_post)
        delivery.addStretch(1)
        grid.addLayout(delivery, 2, 0, 1, 3)
        grid.addWidget(self.boxes["result_address"], 3, 0, 1, 3)
        grid.addWidget(self.boxes["note"], 4, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        right.addLayout(grid)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(18)
        columns.addLayout(right, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.ticket_label)
        inner_layout.addLayout(head)
        inner_layout.addLayout(columns, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(inner)
        bottom = QHBoxLayout()
        bottom.addWidget(self.general_error, 1)
        bottom.addStretch(1)
        bottom.addWidget(self.keys)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.due_preview)  # always in sight, whatever the scrolling
        layout.addLayout(bottom)

        # Signals
        self.picker.chosen.connect(self._on_procedure)
        self.picker.edit.editingFinished.connect(lambda: self._leave("procedure_code"))
        for party in (self.applicant, self.submitter):
            for path, box in party.boxes.items():
                editor = box.editor
                if isinstance(editor, QLineEdit):
                    editor.textChanged.connect(self.revalidate)
                    editor.editingFinished.connect(lambda p=path: self._leave(p))
                elif isinstance(editor, QComboBox):
                    editor.currentIndexChanged.connect(lambda _i, p=path: self._leave(p))
            party.kind_group.buttonToggled.connect(lambda *_a, p=party: self._kind_changed(p))
        for path in ("result_address", "note"):
            edit = self.boxes[path].editor
            assert isinstance(edit, QLineEdit)
            edit.textChanged.connect(self.revalidate)
            edit.editingFinished.connect(lambda p=path: self._leave(p))
        self.sets.valueChanged.connect(lambda _v: self._leave("sets"))
        self.fee.valueChanged.connect(lambda _v: self._leave("fee"))
        self.channel.currentIndexChanged.connect(lambda _i: self._leave("channel"))
        self.by_post.toggled.connect(self._delivery_changed)
        self.has_submitter.toggled.connect(self._submitter_toggled)
        self.add_document.clicked.connect(lambda: self.add_document_row(DocumentLine(""), True))
        self.remove_document.clicked.connect(self.remove_document_row)
        self.documents.itemChanged.connect(lambda _i: self._leave("documents"))
        self.save_button.clicked.connect(self.submit)
        self.clear_button.clicked.connect(self.reset)
        self.preview_timer = QTimer(self)
        self.preview_timer.timeout.connect(self.update_preview)
        self.preview_timer.start(30_000)
        save = QShortcut(QKeySequence("Ctrl+S"), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.submit)

        self.setStyleSheet(FORM_STYLE)
        self.retranslate()

    # --- data ------------------------------------------------------------------------------

    def set_info(self, info: DeskInfo) -> None:
        self.info = info
        self.picker.set_procedures(info.procedures)
        self.update_preview()

    def set_ticket(self, ticket_id: int | None, number: str = "") -> None:
        self.ticket_number = number if ticket_id is not None else ""
        self.retranslate()

    def retranslate(self) -> None:
        k = "counter.dossier"
        self.title.setText(tr(f"{k}.receive.title"))
        self.ticket_label.setText(
            tr(f"{k}.receive.ticket", number=self.ticket_number)
            if self.ticket_number
            else tr(f"{k}.receive.no_ticket")
        )
        for key, label in self.section_labels.items():
            label.setText(tr(f"{k}.section.{key}"))
        self.procedure_box.label.setText(tr(f"{k}.field.procedure"))
        self.picker.edit.setPlaceholderText(tr(f"{k}.procedure_hint"))
        self.applicant.retranslate()
        self.submitter.retranslate()
        self.has_submitter.setText(tr(f"{k}.field.has_submitter"))
        self.documents.setHorizontalHeaderLabels(
            [tr(f"{k}.doc.{c}") for c in ("name", "originals", "certified", "copies")]
        )
        self.documents_box.label.setText(tr(f"{k}.doc.hint"))
        self.add_document.setText(tr(f"{k}.doc.add"))
        self.remove_document.setText(tr(f"{k}.doc.remove"))
        self.boxes["sets"].label.setText(tr(f"{k}.field.sets"))
        self.boxes["channel"].label.setText(tr(f"{k}.field.channel"))
        for i, value in enumerate(CHANNELS):
            self.channel.setItemText(i, tr(f"{k}.channel.{value}"))
        self.boxes["fee"].label.setText(tr(f"{k}.field.fee"))
        self.fee.setSuffix(tr("counter.dossier.currency"))
        self.delivery_label.setText(tr(f"{k}.field.delivery"))
        self.at_desk.setText(tr(f"{k}.delivery.desk"))
        self.by_post.setText(tr(f"{k}.delivery.post"))
        self.boxes["result_address"].label.setText(tr(f"{k}.field.result_address"))
        self.boxes["note"].label.setText(tr(f"{k}.field.note"))
        self.note.setPlaceholderText(tr("counter.note.placeholder"))
        self.save_button.setText(tr(f"{k}.save"))
        self.clear_button.setText(tr(f"{k}.clear"))
        self.keys.setText(tr(f"{k}.receive.keys"))
        self._show_procedure(self.picker.current)
        if self.errors and self.validator is not None:
            self.revalidate()

    # --- procedure --------------------------------------------------------------------------

    def _on_procedure(self, choice: ProcedureChoice | None) -> None:
        if choice is not None:
            self.documents.setRowCount(0)
            for line in choice.documents:
                self.add_document_row(line)
            self.fee.setValue(choice.fee)
        self._show_procedure(choice)
        self._leave("procedure_code")

    def _show_procedure(self, choice: ProcedureChoice | None) -> None:
        if choice is None:
            self.procedure_info.setText("")
            self.fee_note.setText("")
        else:
            self.procedure_info.setText(
                f"{choice.name}\n"
                + tr("counter.dossier.procedure_info", duration=choice.duration())
            )
            self.fee_note.setText(choice.fee_note)
        self.fee_note.setVisible(bool(self.fee_note.text()))
        self.update_preview()

    def update_preview(self) -> None:
        """The due date a receipt now would get, from the procedure and the working calendar."""
        info, choice = self.info, self.picker.current
        if info is None or choice is None:
            self.due_preview.setText(tr("counter.dossier.preview.none"))
            return
        due = info.due_preview(choice.code, utcnow())
        if due is None:
            self.due_preview.setText(tr("counter.dossier.preview.none"))
            return
        self.due_preview.setText(
            tr("counter.dossier.preview", when=format_when(due, info.timezone))
        )

    # --- documents --------------------------------------------------------------------------

    def add_document_row(self, line: DocumentLine, edit: bool = False) -> int:
        row = self.documents.rowCount()
        for attr, spin in zip(
            COUNT_COLUMNS, append_document_row(self.documents, line), strict=True
        ):
            spin.setObjectName(f"doc_{row}_{attr}")
            spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
            spin.valueChanged.connect(lambda _v: self._leave("documents"))
        self.documents.resizeRowToContents(row)
        if edit:
            self.documents.setCurrentCell(row, 0)
            self.documents.setFocus()
            self.documents.editItem(self.documents.item(row, 0))
        return row

    def remove_document_row(self) -> None:
        row = self.documents.currentRow()
        if row >= 0:
            self.documents.removeRow(row)
            self._leave("documents")

    def document_lines(self) -> tuple[DocumentLine, ...]:
        return tuple(document_rows(self.documents))

    # --- the form ---------------------------------------------------------------------------

    def form(self) -> ReceiveForm:
        submitter = None
        if self.has_submitter.isChecked() and not self.submitter.is_empty():
            submitter = self.submitter.party()
        post = self.by_post.isChecked()
        return ReceiveForm(
            procedure_code=self.picker.code(),
            applicant=self.applicant.party(),
            submitter=submitter,
            documents=self.document_lines(),
            sets=self.sets.value(),
            channel=int(self.channel.currentData()),
            result_delivery="post" if post else "desk",
            result_address=self.result_address.text() if post else "",
            fee=self.fee.value(),
            note=self.note.text(),
        )

    def problems(self, form: ReceiveForm) -> dict[str, str]:
        """The desk's checks, plus: the typed procedure must be one of the catalogue's."""
        errors = dict(self.validator(form)) if self.validator is not None else {}
        code = form.procedure_code
        if code and "procedure_code" not in errors and self.info is not None:
            if self.info.procedure(code) is None:
                errors["procedure_code"] = tr("counter.dossier.invalid.procedure")
        return errors

    def _leave(self, path: str) -> None:
        self.touched.add(path)
        self.revalidate()

    def revalidate(self, *_args: object) -> dict[str, str]:
        """Check the form and show the problems of the fields the clerk has been through."""
        errors = self.problems(self.form())
        shown = {p: m for p, m in errors.items() if self._touched(p)}
        self.show_errors(shown)
        return errors

    def _touched(self, path: str) -> bool:
        if path in self.touched:
            return True
        if path.startswith("documents"):
            return "documents" in self.touched
        prefix = path.split(".")[0]
        # An ID type is judged together with its number.
        return path.endswith(".id_type") and f"{prefix}.id_number" in self.touched

    def show_errors(self, errors: dict[str, str]) -> None:
        """Mark each field with its problem; problems of no visible field go under the form."""
        self.errors = dict(errors)
        doc_messages = []
        for path, message in errors.items():
            if path.startswith("documents["):
                row = path[len("documents[") :].split("]")[0]
                doc_messages.append(
                    tr("counter.dossier.doc.row_error", row=int(row) + 1, message=message)
                )
        for path, box in self.boxes.items():
            box.set_error(errors.get(path))
        self.documents_box.set_error("\n".join(doc_messages) or None)
        if self.submitter_box.isHidden():
            for box in self.submitter.boxes.values():
                box.set_error(None)
        known = set(self.boxes) | {p for p in errors if p.startswith("documents[")}
        other = [f"{m}" for p, m in errors.items() if p not in known]
        self.general_error.setText("\n".join(other))
        self.general_error.setVisible(bool(other))
        self.validated.emit(dict(errors))

    def first_invalid(self) -> QWidget | None:
        for path, box in self.boxes.items():
            if path in self.errors and box.isVisibleTo(self):
                return box.editor
        if any(p.startswith("documents[") for p in self.errors):
            return self.documents
        return None

    def submit(self) -> None:
        """Save: every field is checked; with a problem the first bad field gets the focus."""
        if self.busy:
            return
        self.touched.update(self.boxes)
        self.touched.add("documents")
        errors = self.revalidate()
        if errors:
            self.show_errors(errors)
            target = self.first_invalid()
            if target is not None:
                target.setFocus()
                self.scroll.ensureWidgetVisible(target)
            return
        self.save_requested.emit(self.form())

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy)
        self.save_button.setText(tr("counter.dossier.saving" if busy else "counter.dossier.save"))

    def reset(self) -> None:
        """An empty form (the ticket link stays)."""
        self.picker.clear()
        self.applicant.clear()
        self.submitter.clear()
        self.has_submitter.setChecked(False)
        self.documents.setRowCount(0)
        self.sets.setValue(1)
        self.channel.setCurrentIndex(0)
        self.at_desk.setChecked(True)
        self.result_address.clear()
        self.fee.setValue(0)
        self.note.clear()
        self.touched.clear()
        self.show_errors({})
        self._show_procedure(None)
        self.picker.edit.setFocus()

    # --- small reactions --------------------------------------------------------------------

    def _kind_changed(self, party: PartyFields) -> None:
        if party.organisation.isChecked() and not party.id_number.text().strip():
            party.id_type.setCurrentIndex(ID_TYPES.index("tax"))
        party.retranslate()

    def _delivery_changed(self, post: bool) -> None:
        self.result_address.setEnabled(post)
        if post and not self.result_address.text().strip():
            self.result_address.setText(self.applicant.address.text())
        if post:
            self._leave("result_address")
        else:
            self.revalidate()

    def _submitter_toggled(self, on: bool) -> None:
        self.submitter_box.setVisible(on)
        if on:
            self.submitter.name.setFocus()
        self.revalidate()


class ResultPanel(QFrame):
    """After saving: the code, the lookup secret, the due date, and the print buttons."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("result")
        self.dossier: DossierView | None = None
        self.timezone = "Asia/Ho_Chi_Minh"
        self.title = QLabel()
        self.title.setFont(pixel_font(family, 22, bold=True))
        self.code_label = QLabel()
        self.code = QLabel()
        self.code.setObjectName("result_code")
        self.code.setFont(pixel_font(family, 34, bold=True))
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.secret_label = QLabel()
        self.secret = QLabel()
        self.secret.setObjectName("result_secret")
        self.secret.setFont(pixel_font(family, 28, bold=True))
        self.due_label = QLabel()
        self.due = QLabel()
        self.due.setFont(pixel_font(family, 24, bold=True))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setFont(pixel_font(family, 16))
        self.print_a4 = QPushButton()
        self.print_a4.setObjectName("primary")
        self.save_pdf = QPushButton()
        self.print_slip = QPushButton()
        self.open_button = QPushButton()
        self.new_button = QPushButton()
        for button in (
            self.print_a4,
            self.save_pdf,
            self.print_slip,
            self.open_button,
            self.new_button,
        ):
            button.setFont(pixel_font(family, 17, bold=button is self.print_a4))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        for keys, button in (
            ("Ctrl+P", self.print_a4),
            ("Ctrl+T", self.print_slip),
            ("Ctrl+N", self.new_button),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(button.click)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.code_label, 0, 0)
        grid.addWidget(self.code, 0, 1)
        grid.addWidget(self.secret_label, 1, 0)
        grid.addWidget(self.secret, 1, 1)
        grid.addWidget(self.due_label, 2, 0)
        grid.addWidget(self.due, 2, 1)
        grid.setColumnStretch(1, 1)
        buttons = QGridLayout()
        buttons.addWidget(self.print_a4, 0, 0)
        buttons.addWidget(self.save_pdf, 0, 1)
        buttons.addWidget(self.print_slip, 0, 2)
        buttons.addWidget(self.open_button, 1, 1)
        buttons.addWidget(self.new_button, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.details)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        k = "counter.dossier.result"
        self.title.setText(tr(f"{k}.title"))
        self.code_label.setText(tr(f"{k}.code"))
        self.secret_label.setText(tr(f"{k}.secret"))
        self.due_label.setText(tr(f"{k}.due"))
        self.print_a4.setText(tr(f"{k}.print_a4"))
        self.save_pdf.setText(tr(f"{k}.save_pdf"))
        self.print_slip.setText(tr(f"{k}.print_slip"))
        self.open_button.setText(tr(f"{k}.open"))
        self.new_button.setText(tr(f"{k}.new"))
        if self.dossier is not None:
            self.show_dossier(self.dossier, self.timezone)

    def show_dossier(self, dossier: DossierView, timezone: str) -> None:
        self.dossier, self.timezone = dossier, timezone
        self.code.setText(dossier.code)
        self.secret.setText(dossier.secret)
        self.due.setText(format_when(dossier.appointment_at, timezone))
        self.details.setText(
            tr(
                "counter.dossier.result.details",
                applicant=dossier.applicant.name,
                procedure=dossier.procedure_name,
                received=format_when(dossier.received_at, timezone),
            )
        )
        self.status.hide()

    def show_status(self, text: str, *, error: bool = False) -> None:
        show_bar(self.status, text, error=error)
