"""Printing the dossier forms from the counter.

The A4 forms (Mẫu 01 in its two copies, 02, 03, 04, 06) are rendered by :mod:`shared.forms` as
page images at 300 dpi (slow: done in the worker thread by :func:`render_pages`), then drawn
into a :class:`QPrinter` by :func:`paint_pages`, which knows nothing of dialogs: the counter
asks the system printer dialog first (:func:`ask_printer`), a test gives a PDF printer.
"Save PDF" writes the forms package's own PDF (:func:`save_pdf`, fonts embedded).
The thermal slip goes through the same path as tickets (:func:`print_slip`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from shared.dossier_views import DossierView
from shared.forms import FormData, FormOptions, render_form_pages, render_form_pdf
from shared.forms.slip import print_dossier_slip
from shared.i18n import tr
from shared.printing.jobs import PrintResult
from shared.settings import Settings

PRINT_DPI = 300


def form_options(settings: Settings, timezone: str) -> FormOptions:
    """The form set, lookup address and hotline of the settings, in the centre's time zone."""
    base = FormOptions.from_settings(settings)
    return FormOptions(
        form_set=base.form_set,
        timezone=timezone,
        lookup_base_url=base.lookup_base_url,
        hotline=base.hotline,
    )


def render_pages(form: str, data: FormData, options: FormOptions) -> list[Image.Image]:
    """Every page of the form (both copies of Mẫu 01) at :data:`PRINT_DPI` (worker thread)."""
    return render_form_pages(form, data, dpi=PRINT_DPI, options=options)


def save_pdf(form: str, data: FormData, path: Path, options: FormOptions) -> Path:
    return render_form_pdf(form, data, path, options=options)


def print_slip(dossier: DossierView, settings: Settings) -> PrintResult:
    """The compact thermal slip on the configured ticket printer (worker thread)."""
    return print_dossier_slip(dossier, settings)


def new_printer(landscape: bool = False) -> QPrinter:
    """A high-resolution A4 printer drawing on the whole sheet (the forms hold their margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    printer.setFullPage(True)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    return printer


def ask_printer(parent: QWidget | None, title: str, landscape: bool = False) -> QPrinter | None:
    """The system printer dialog; None when the clerk cancels."""
    printer = new_printer(landscape)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("counter.dossier.print_dialog", title=title))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


def to_qimage(page: Image.Image) -> QImage:
    """A PIL page (greyscale or RGB) as a QImage that owns its pixels."""
    if page.mode not in ("L", "RGB"):
        page = page.convert("L")
    if page.mode == "L":
        data = page.tobytes()
        image = QImage(data, page.width, page.height, page.width, QImage.Format.Format_Grayscale8)
    else:
        data = page.tobytes()
        image = QImage(data, page.width, page.height, page.width * 3, QImage.Format.Format_RGB888)
    return image.copy()  # detach from the Python buffer


def paint_pages(printer: QPrinter, pages: Sequence[Image.Image]) -> int:
    """Draw each page image onto a sheet of ``printer``, scaled to the sheet; returns pages."""
    if not pages:
        raise ValueError("no pages to print")
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(tr("counter.dossier.printer_failed"))
    try:
        for index, page in enumerate(pages):
            if index:
                printer.newPage()
            sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
            target = QRectF(0, 0, sheet.width(), sheet.height())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, to_qimage(page))
    finally:
        painter.end()
    return len(pages)
