"""The dossier list, one dossier in full, and the small forms of its actions.

:class:`DossierListPanel` shows :meth:`~shared.dossiers.DossierDesk.search` rows (late ones
first, timeliness written out, never by colour alone) and a field for the slip's scanned QR
(keyboard-wedge scanners type it and press Enter) to hand a result back.
:class:`DossierDetail` shows :meth:`~shared.dossiers.DossierDesk.show` (a logged reading) with
the ID numbers masked, its hand-over steps and notices, and the buttons of the actions legal
for its status. :class:`ActionDialog` asks what an action needs (unit and days, result,
missing documents and reason, reason, new date) and shows the desk's problems at the fields.
Widgets only display and emit; the window does the database work.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any, Final

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counter.dossier_form import (
    FORM_STYLE,
    FieldBox,
    append_document_row,
    document_rows,
    pixel_font,
    show_bar,
)
from counter.dossier_model import (
    DOSSIER_ACTIONS,
    dossier_actions,
    format_short,
    format_when,
    standing_text,
)
from shared.clock import zone
from shared.dossier_views import (
    STATUS_KEYS,
    STATUSES,
    SUBMITTED,
    DocumentLine,
    DossierRow,
    DossierView,
    HandoverView,
    Party,
    is_late,
)
from shared.dossiers import mask_id
from shared.i18n import tr

DETAIL_FIELDS: Final = (
    "procedure",
    "applicant",
    "submitter",
    "received",
    "due",
    "appointment",
    "timeliness",
    "delivery",
    "fee",
    "sets",
    "clerk",
    "documents",
    "note",
)
LIST_COLUMNS: Final = ("code", "procedure", "applicant", "received", "due", "status", "timeliness")
SEARCH_DELAY_MS = 250


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class DossierListPanel(QWidget):
    """Search, status filter, the list, and the "return by scanning the slip" field."""

    search_requested = Signal(str, object)
    """(text, status or None)."""
    open_requested = Signal(str)
    """A dossier code to show in full."""
    scanned = Signal(str)
    """The text a scanner typed into the return field (ended by Enter)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.timezone = "Asia/Ho_Chi_Minh"
        self.rows: list[DossierRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem("", None)
        for code in STATUSES:
            self.status.addItem("", code)
        self.refresh_button = QPushButton()
        self.table = QTableWidget(0, len(LIST_COLUMNS))
        self.table.setObjectName("dossiers")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(len(LIST_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 260)  # long organisation names show whole in the tooltip
        self.count = QLabel()
        self.count.setObjectName("form_hint")
        self.scan_label = QLabel()
        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.scan_hint = QLabel()
        self.scan_hint.setObjectName("form_hint")
        self.scan_hint.setWordWrap(True)
        self.search_label = QLabel()
        self.status_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 3)
        top.addWidget(self.status_label)
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh_button)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_label)
        scan_row.addWidget(self.scan, 1)
        scan_box = QFrame()
        scan_box.setObjectName("scanbox")
        scan_layout = QVBoxLayout(scan_box)
        scan_layout.addLayout(scan_row)
        scan_layout.addWidget(self.scan_hint)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(scan_box)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.request)
        self.search.textChanged.connect(lambda _t: self.timer.start(SEARCH_DELAY_MS))
        self.search.returnPressed.connect(self.request)
        self.status.currentIndexChanged.connect(lambda _i: self.request())
        self.refresh_button.clicked.connect(self.request)
        self.table.itemActivated.connect(self._activated)
        self.table.itemDoubleClicked.connect(self._activated)
        self.scan.returnPressed.connect(self._scanned)
        self.setStyleSheet(FORM_STYLE)
        self.retranslate()

    def retranslate(self) -> None:
        k = "counter.dossier.list"
        self.search_label.setText(tr(f"{k}.search"))
        self.search.setPlaceholderText(tr(f"{k}.search_hint"))
        self.status_label.setText(tr(f"{k}.status"))
        self.status.setItemText(0, tr(f"{k}.all"))
        for i, code in enumerate(STATUSES, 1):
            self.status.setItemText(i, f"{code}. {tr(STATUS_KEYS[code])}")
        self.refresh_button.setText(tr(f"{k}.refresh"))
        self.table.setHorizontalHeaderLabels([tr(f"{k}.col.{c}") for c in LIST_COLUMNS])
        self.scan_label.setText(tr(f"{k}.scan"))
        self.scan.setPlaceholderText(tr(f"{k}.scan_placeholder"))
        self.scan_hint.setText(tr(f"{k}.scan_hint"))
        self.set_rows(self.rows)

    def request(self) -> None:
        self.timer.stop()
        self.search_requested.emit(self.search.text(), self.status.currentData())

    def set_rows(self, rows: list[DossierRow]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(len(rows))
        late_brush = QBrush(QColor("#fde2e1"))
        for r, row in enumerate(rows):
            values = (
                row.code,
                row.procedure_name,
                row.applicant_name,
                format_short(row.received_at, self.timezone),
                format_short(row.appointment_at, self.timezone),
                tr(STATUS_KEYS[row.status]) if row.status in STATUS_KEYS else str(row.status),
                standing_text(row.timeliness, row.progress),
            )
            for c, value in enumerate(values):
                item = _item(value, row.code)
                if row.late:
                    item.setBackground(late_brush)
                    if c == len(values) - 1:
                        item.setFont(pixel_font(self.family, 15, bold=True))
                self.table.setItem(r, c, item)
        self.count.setText(tr("counter.dossier.list.count", count=len(rows)))
        if rows and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    def selected_code(self) -> str | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row].code
        return None

    def _activated(self, item: QTableWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.open_requested.emit(str(code))

    def _scanned(self) -> None:
        text = self.scan.text().strip()
        self.scan.clear()
        if text:
            self.scanned.emit(text)


def _party_text(party: Party | None) -> str:
    """A party as the detail shows it: the ID number masked."""
    if party is None:
        return ""
    lines = [party.name]
    if party.id_number:
        kind = tr(f"counter.dossier.id_type.{party.id_type or 'none'}")
        lines.append(f"{kind}: {mask_id(party.id_number)}")
    for value in (party.address, party.phone, party.email):
        if value:
            lines.append(value)
    return "\n".join(lines)


def _documents_text(lines: tuple[DocumentLine, ...]) -> str:
    return "\n".join(
        tr(
            "counter.dossier.doc.line",
            index=i,
            name=d.name,
            originals=d.originals,
            certified=d.certified,
            copies=d.copies,
        )
        for i, d in enumerate(lines, 1)
    )


class DossierDetail(QWidget):
    """One dossier in full, with its steps and notices, and its legal actions."""

    action_requested = Signal(str)
    """One of :data:`~counter.dossier_model.DOSSIER_ACTIONS`."""
    print_requested = Signal(str)
    """A form to print: "01", "02", "03", "04", "05" or "slip"."""
    back_requested = Signal()

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.view: DossierView | None = None
        self.timezone = "Asia/Ho_Chi_Minh"
        self.back = QPushButton()
        self.title = QLabel()
        self.title.setFont(pixel_font(family, 24, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("status_line")
        self.status.setFont(pixel_font(family, 18, bold=True))
        self.values: dict[str, str] = {}
        """What the sheet shows, per field (plain text)."""
        self.sheet = QTextBrowser()
        self.sheet.setObjectName("sheet")
        self.sheet.setOpenLinks(False)
        self.sheet.setFrameShape(QFrame.Shape.NoFrame)
        self.steps_title = QLabel()
        self.steps_title.setObjectName("section")
        self.steps = QLabel()
        self.steps.setObjectName("steps")
        self.steps.setWordWrap(True)
        self.steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notices_title = QLabel()
        self.notices_title.setObjectName("section")
        self.notices = QLabel()
        self.notices.setWordWrap(True)
        self.notices.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()
        for i, action in enumerate(DOSSIER_ACTIONS):
            button = QPushButton()
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            self.buttons[action] = button
            actions.addWidget(button, i // 4, i % 4)
        self.print_buttons: dict[str, QPushButton] = {}
        prints = QHBoxLayout()
        for form in ("01", "slip", "02", "03", "04", "05"):
            button = QPushButton()
            button.setObjectName(f"print_{form}")
            button.clicked.connect(lambda _=False, f=form: self.print_requested.emit(f))
            self.print_buttons[form] = button
            prints.addWidget(button)
        prints.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        def scrolled(content: QVBoxLayout) -> QScrollArea:
            inner = QWidget()
            box = QVBoxLayout(inner)
            box.addLayout(content)
            box.addStretch(1)
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidget(inner)
            return area

        side = QVBoxLayout()
        side.addWidget(self.steps_title)
        side.addWidget(self.steps)
        side.addSpacing(8)
        side.addWidget(self.notices_title)
        side.addWidget(self.notices)
        body = QHBoxLayout()
        body.addWidget(self.sheet, 3)
        body.addSpacing(12)
        body.addWidget(scrolled(side), 2)
        head = QHBoxLayout()
        head.addWidget(self.back)
        head.addWidget(self.title, 1)
        head.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        layout.addLayout(prints)
        layout.addLayout(actions)
        self.back.clicked.connect(self.back_requested.emit)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.back_requested.emit)
        self.setStyleSheet(FORM_STYLE)
        self.retranslate()

    def retranslate(self) -> None:
        k = "counter.dossier.detail"
        self.back.setText(tr(f"{k}.back"))
        self.steps_title.setText(tr(f"{k}.steps"))
        self.notices_title.setText(tr(f"{k}.notices"))
        for action, button in self.buttons.items():
            button.setText(tr(f"counter.dossier.action.{action}"))
        for form, button in self.print_buttons.items():
            button.setText(tr(f"counter.dossier.print.{form}"))
        if self.view is not None:
            self.show_view(self.view, self.timezone)

    def show_view(self, view: DossierView, timezone: str) -> None:
        self.view, self.timezone = view, timezone
        tz = timezone
        self.title.setText(view.code)
        status = tr(STATUS_KEYS[view.status]) if view.status in STATUS_KEYS else str(view.status)
        self.status.setText(tr("counter.dossier.detail.status_line", status=status))
        delivery = (
            tr("counter.dossier.delivery.post_to", address=view.result_address)
            if view.result_delivery == "post"
            else tr("counter.dossier.delivery.desk")
        )
        late = is_late(view.timeliness, view.progress)
        timeliness = standing_text(view.timeliness, view.progress)
        values = {
            "procedure": f"{view.procedure_code} – {view.procedure_name}",
            "applicant": _party_text(view.applicant),
            "submitter": _party_text(view.submitter) or "—",
            "received": format_when(view.received_at, tz),
            "due": format_when(view.due_at, tz),
            "appointment": format_when(view.appointment_at, tz),
            "timeliness": timeliness or "—",
            "delivery": delivery,
            "fee": tr("counter.dossier.detail.fee_value", fee=f"{view.fee:,}".replace(",", ".")),
            "sets": str(view.sets),
            "clerk": tr(
                "counter.dossier.detail.clerk_value",
                name=view.received_by or "—",
                counter=view.counter if view.counter is not None else "—",
            ),
            "documents": _documents_text(view.documents) or "—",
            "note": view.note or "—",
        }
        self.values = values
        rows = []
        for name in DETAIL_FIELDS:
            text = html.escape(values[name]).replace("\n", "<br>")
            if name == "timeliness" and late:
                text = f'<b style="color:#8a1c14">{text}</b>'
            label = html.escape(tr(f"counter.dossier.detail.{name}"))
            rows.append(
                f'<tr><td style="color:#555;padding:3px 14px 3px 0" valign="top">{label}</td>'
                f'<td style="padding:3px 0">{text}</td></tr>'
            )
        self.sheet.setHtml(f'<table width="100%">{"".join(rows)}</table>')
        self.steps.setText("\n\n".join(self._step_text(step) for step in view.handovers))
        self.steps.setVisible(bool(view.handovers))
        if not view.handovers:
            self.steps_title.setText(
                f"{tr('counter.dossier.detail.steps')}: {tr('counter.dossier.detail.no_steps')}"
            )
        else:
            self.steps_title.setText(tr("counter.dossier.detail.steps"))
        self.notices.setText(
            "\n".join(
                tr(
                    "counter.dossier.detail.notice",
                    form=n.form,
                    number=n.number,
                    when=format_short(n.created_at, tz),
                    reason=n.reason,
                )
                for n in view.notices
            )
            or "—"
        )
        allowed = dossier_actions(view)
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
            button.setVisible(action in allowed)
        forms = {n.form for n in view.notices}
        accepted = view.status != SUBMITTED  # no receipt slip before the legal clock starts
        for form, button in self.print_buttons.items():
            button.setVisible(
                (form in ("01", "slip") and accepted) or form in forms or form == "05"
            )
        self.message.hide()

    def _step_text(self, step: HandoverView) -> str:
        tz = self.timezone
        if step.result_at is not None:
            result = f"{format_short(step.result_at, tz)} {step.result}".strip()
        else:
            result = tr("counter.dossier.detail.step_open")
        text = tr(
            "counter.dossier.detail.step_text",
            position=step.position,
            source=step.from_unit,
            target=step.to_unit,
            handed=format_short(step.handed_at, tz),
            due=format_short(step.due_at, tz) or "—",
            result=result,
            timeliness=standing_text(step.timeliness, step.progress) or "—",
        )
        if step.note:
            text += f"\n{step.note}"
        return text

    def show_message(self, text: str, *, error: bool = False) -> None:
        show_bar(self.message, text, error=error)


class ActionDialog(QDialog):
    """What one action needs; OK emits ``accepted`` and :meth:`values` reads it.

    The desk's refusals (:class:`~shared.errors.DossierInvalid`) come back to
    :meth:`show_errors` and are shown at their fields; the dialog stays open.
    """

    def __init__(
        self,
        action: str,
        view: DossierView,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.action = action
        self.view = view
        self.timezone = timezone
        self.setWindowTitle(tr(f"counter.dossier.action.{action}"))
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(560)
        self.boxes: dict[str, FieldBox] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("counter.dossier.dialog.intro", code=view.code, procedure=view.procedure_name)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.unit = QLineEdit()
        self.unit.setObjectName("to_unit")
        self.days = QDoubleSpinBox()
        self.days.setObjectName("days")
        self.days.setRange(0, 3650)
        self.days.setDecimals(1)
        self.days.setSpecialValueText(tr("counter.dossier.dialog.days_default"))
        self.step = QComboBox()
        self.step.setObjectName("step")
        self.result = QLineEdit()
        self.result.setObjectName("step_result")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaximumHeight(90)
        self.note = QLineEdit()
        self.note.setObjectName("action_note")
        self.when = QDateTimeEdit()
        self.when.setObjectName("new_due")
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.missing = QTableWidget(0, 4)
        self.missing.setObjectName("missing")
        self.missing.verticalHeader().setVisible(False)
        self.missing.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.missing.setHorizontalHeaderLabels(
            [tr(f"counter.dossier.doc.{c}") for c in ("name", "originals", "certified", "copies")]
        )
        self.add_missing = QPushButton(tr("counter.dossier.doc.add"))

        def add(path: str, editor: QWidget, key: str) -> None:
            box = FieldBox(editor)
            box.label.setText(tr(f"counter.dossier.dialog.{key}"))
            self.boxes[path] = box
            layout.addWidget(box)

        if action == "hand_over":
            add("to_unit", self.unit, "to_unit")
            add("days", self.days, "days")
            add("note", self.note, "note")
        elif action == "step_result":
            for step in view.handovers:
                if step.result_at is None:
                    self.step.addItem(
                        tr(
                            "counter.dossier.dialog.step_item",
                            position=step.position,
                            unit=step.to_unit,
                        ),
                        step.position,
                    )
            add("position", self.step, "step")
            add("result", self.result, "result")
            add("note", self.note, "note")
        elif action == "supplement":
            for line in view.documents:
                append_document_row(self.missing, DocumentLine(line.name, line.originals, 0, 0))
            add("missing", self.missing, "missing")
            layout.addWidget(self.add_missing)
            self.add_missing.clicked.connect(
                lambda: append_document_row(self.missing, DocumentLine(""))
            )
            add("reason", self.reason, "reason")
        elif action == "refuse":
            add("reason", self.reason, "reason")
        elif action == "reschedule":
            local = view.appointment_at.astimezone(zone(timezone)) + timedelta(days=1)
            self.when.setDateTime(QDateTime(local.date(), local.time().replace(tzinfo=None)))
            add("new_due_at", self.when, "new_due")
            add("reason", self.reason, "reason")
        else:
            confirm = QLabel(tr(f"counter.dossier.dialog.confirm.{action}"))
            confirm.setWordWrap(True)
            layout.addWidget(confirm)
        self.general = QLabel()
        self.general.setObjectName("field_error")
        self.general.setWordWrap(True)
        self.general.hide()
        layout.addWidget(self.general)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr(f"counter.dossier.action.{action}"))
        ok.setObjectName("ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("counter.dossier.dialog.cancel")
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.submitted = False

    # The window connects ``confirmed`` and calls :meth:`show_errors` or ``accept``.
    confirmed = Signal(dict)

    def missing_lines(self) -> tuple[DocumentLine, ...]:
        lines = []
        for line in document_rows(self.missing):
            name = line.name.strip()
            counts = (line.originals, line.certified, line.copies)
            if name and any(counts):
                lines.append(DocumentLine(name, *counts))
        return tuple(lines)

    def values(self) -> dict[str, Any]:
        a = self.action
        if a == "hand_over":
            days = self.days.value()
            return {"to_unit": self.unit.text(), "days": days or None, "note": self.note.text()}
        if a == "step_result":
            return {
                "position": self.step.currentData(),
                "result": self.result.text(),
                "note": self.note.text(),
            }
        if a == "supplement":
            return {"missing": self.missing_lines(), "reason": self.reason.toPlainText()}
        if a == "refuse":
            return {"reason": self.reason.toPlainText()}
        if a == "reschedule":
            moment = self.when.dateTime().toPython()
            assert isinstance(moment, datetime)
            return {
                "new_due_at": moment.replace(tzinfo=zone(self.timezone)),
                "reason": self.reason.toPlainText(),
            }
        return {}

    def check(self) -> dict[str, str]:
        """What can be seen wrong before asking the desk."""
        required = tr("dossier.invalid.required")
        v = self.values()
        errors: dict[str, str] = {}
        if self.action == "hand_over" and not v["to_unit"].strip():
            errors["to_unit"] = required
        if self.action == "step_result":
            if v["position"] is None:
                errors["position"] = tr("counter.dossier.dialog.no_open_step")
            if not v["result"].strip():
                errors["result"] = required
        if self.action in ("supplement", "refuse", "reschedule") and not v["reason"].strip():
            errors["reason"] = required
        if self.action == "supplement" and not v["missing"]:
            errors["missing"] = tr("counter.dossier.dialog.missing_none")
        if self.action == "reschedule" and v["new_due_at"] <= self.view.appointment_at:
            errors["new_due_at"] = tr(
                "counter.dossier.dialog.after",
                when=format_short(self.view.appointment_at, self.timezone),
            )
        return errors

    def _ok(self) -> None:
        if self.submitted:
            return
        errors = self.check()
        if errors:
            self.show_errors(errors)
            return
        self.show_errors({})
        self.submitted = True
        self.buttons.setEnabled(False)
        self.confirmed.emit(self.values())

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        """Problems at their fields; ones of no field (and ``general``) under them."""
        self.submitted = False
        self.buttons.setEnabled(True)
        for path, box in self.boxes.items():
            box.set_error(errors.get(path))
        other = [m for p, m in errors.items() if p not in self.boxes]
        if general:
            other.append(general)
        self.general.setText("\n".join(other))
        self.general.setVisible(bool(other))
        first = next((b.editor for p, b in self.boxes.items() if p in errors), None)
        if first is not None:
            first.setFocus()
