"""The compact thermal form of Mẫu 01, built from a DossierView and printed like a ticket.

:func:`dossier_slip_print` maps the dossier onto the existing
:class:`~shared.printing.slip.DossierSlipPrint` (which draws the code as text and CODE128, the
lookup secret and the QR code); :func:`print_dossier_slip` renders it for the configured
thermal printer and sends it, or saves the PNG / ESC/POS bytes, as ``motcua ticket print`` does.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PIL import Image

from shared.codes import encode_dossier
from shared.dossier_views import SUBMITTED, DossierView
from shared.forms.build import DossierNotAccepted, FormOptions
from shared.forms.formset import load_form_set
from shared.printing.escpos import encode_image
from shared.printing.jobs import PrintResult, save_print
from shared.printing.layout import PrinterProfile
from shared.printing.printers import print_bytes, printer_label
from shared.printing.slip import DossierSlipPrint, render_dossier_slip

log = logging.getLogger("motcua.print")


def dossier_slip_print(
    dossier: DossierView, options: FormOptions | None = None
) -> DossierSlipPrint:
    """What the thermal slip says for ``dossier`` (the citizen's copy: secret and QR).

    Like Mẫu 01 it promises a return date, so a dossier submitted online and not yet accepted
    has none (:class:`~shared.forms.build.DossierNotAccepted`)."""
    if dossier.status == SUBMITTED:
        raise DossierNotAccepted(code=dossier.code)
    options = options or FormOptions()
    common = load_form_set(options.form_set).common
    if dossier.result_delivery == "post":
        address = dossier.result_address.strip() or dossier.applicant.address
        collect = common["collect_post"].format(address=address)
    else:
        collect = common["collect_desk"].format(centre=dossier.centre_name)
    return DossierSlipPrint(
        centre_name=dossier.centre_name,
        agency=dossier.agency,
        dossier_code=dossier.code,
        applicant_name=dossier.applicant.name,
        procedure_name=dossier.procedure_name,
        received_at=dossier.received_at,
        due_at=dossier.appointment_at,
        timezone=options.timezone,
        collect_at=collect,
        lookup_secret=dossier.secret,
        qr_text=encode_dossier(dossier.code, dossier.secret, options.lookup_base_url),
        hotline=options.hotline,
    )


def render_thermal_slip(
    dossier: DossierView, profile: PrinterProfile, options: FormOptions | None = None
) -> Image.Image:
    """The thermal slip as a mode "1" image ``profile.dots`` wide."""
    return render_dossier_slip(dossier_slip_print(dossier, options), profile)


def print_dossier_slip(
    dossier: DossierView,
    settings: Any,
    *,
    png: Path | None = None,
    escpos: Path | None = None,
) -> PrintResult:
    """Render the slip for ``settings.printer``; save it to ``png``/``escpos`` if given, else
    send it to the printer (a :class:`~shared.errors.PrinterError` propagates)."""
    profile = PrinterProfile.from_settings(settings.printer)
    image = render_thermal_slip(dossier, profile, FormOptions.from_settings(settings))
    payload = encode_image(image, cut=profile.cutter, feed_blank=settings.printer.feed_blank)
    if png is not None or escpos is not None:
        return save_print(image, payload, png, escpos)
    label = printer_label(settings.printer)
    print_bytes(settings.printer, payload)
    log.info("dossier slip printed on %s (%d bytes)", label, len(payload))
    return PrintResult(True, label, len(payload), image.width, image.height)
