"""The printer test page: what a technician prints when setting up a printer.

It shows the printer and paper settings, a frame on the outermost dots and a millimetre ruler
(does the configured width match the head?), every Vietnamese vowel with all six tones in upper
and lower case plus đ/Đ (do the marks print?), a QR code and a CODE128 barcode (do they scan?),
and the time it was printed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from PIL import Image, ImageDraw

from shared.clock import format_vn
from shared.i18n import nfc, tr
from shared.printing.code128 import code128_image
from shared.printing.fonts import font
from shared.printing.layout import BLACK, DOTS_PER_MM, Flow, PrinterProfile
from shared.printing.qrimage import qr_fit
from shared.printing.slip import barcode_module

VOWELS: Final = "aăâeêioôơuưy"
TONES: Final = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
"""ngang, huyền, sắc, hỏi, ngã, nặng (combining marks; NFC composes them)."""
SAMPLE_QR: Final = "MOTCUA:TEST.0123456789"
SAMPLE_BARCODE: Final = "000.00.10.H39-261125-0001"
SAMPLE_SENTENCE: Final = "Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau."
SAMPLE_CAPITALS: Final = "QUẦY SỐ 5 – ĐĂNG KÝ HỘ TỊCH, CHỨNG THỰC, ĐẤT ĐAI"


def toned(vowel: str) -> list[str]:
    """The six tones of ``vowel``, NFC: ``toned("ê")`` -> ê ề ế ể ễ ệ."""
    return [nfc(vowel + tone) for tone in TONES]


def vowel_lines() -> list[str]:
    """One line per vowel: the six lower-case forms, then the six upper-case ones."""
    lines = [f"{' '.join(toned(v))} – {' '.join(toned(v.upper()))}" for v in VOWELS]
    return [*lines, "đ Đ"]


def build_test_page(
    profile: PrinterProfile, printer_label: str, now: datetime, timezone: str
) -> Flow:
    """The test page laid out, not yet drawn."""
    px = profile.px
    flow = Flow(profile, frame=True)
    flow.text(tr("print.test.title", language="vi"), px(36), bold=True, tag="title")
    flow.text(tr("print.test.title", language="en"), px(22), tag="title_en")
    flow.space(px(8))
    if printer_label.strip():
        flow.text(tr("print.test.printer", printer=printer_label), px(24), max_lines=2)
    mm = profile.dots // DOTS_PER_MM
    paper = tr("print.test.paper", paper=profile.paper_mm, dots=profile.dots, mm=mm)
    flow.text(paper, px(24), max_lines=2, tag="paper")
    cutter = "print.test.cutter_yes" if profile.cutter else "print.test.cutter_no"
    flow.text(tr(cutter), px(24))
    flow.space(px(10))
    ruler_height = px(40)
    flow.custom(
        ruler_height,
        lambda canvas, top: _draw_ruler(canvas, top, profile, ruler_height),
        tag="ruler",
    )
    flow.space(px(6))
    flow.text(tr("print.test.ruler"), px(20), max_lines=3)
    flow.space(px(10))
    flow.rule(2)
    flow.space(px(10))
    flow.text(tr("print.test.vowels"), px(24), bold=True, align="left")
    for index, line in enumerate(vowel_lines()):
        flow.text(line, px(34), align="left", max_lines=1, min_size=px(16), tag=f"vowels_{index}")
    flow.space(px(8))
    flow.text(tr("print.test.sample"), px(24), bold=True, align="left")
    flow.text(SAMPLE_SENTENCE, px(26), align="left", tag="sentence")
    flow.text(SAMPLE_CAPITALS, px(26), bold=True, align="left", tag="capitals")
    flow.space(px(10))
    flow.rule(2)
    flow.space(px(10))
    flow.text(tr("print.test.qr"), px(24), bold=True)
    flow.image(qr_fit(SAMPLE_QR, round(profile.dots * 0.4), min_module=3), tag="qr")
    flow.text(SAMPLE_QR, px(20))
    flow.space(px(10))
    flow.text(tr("print.test.barcode"), px(24), bold=True)
    flow.space(px(6))
    module = barcode_module(SAMPLE_BARCODE, profile.dots)
    flow.image(code128_image(SAMPLE_BARCODE, module, round(80 * profile.scale)), tag="barcode")
    flow.text(SAMPLE_BARCODE, px(22))
    flow.space(px(10))
    flow.rule(2)
    flow.space(px(10))
    flow.text(tr("print.test.time", time=format_vn(now, timezone)), px(24), tag="time")
    flow.text(tr("print.test.ok"), px(22), max_lines=3)
    return flow


def _draw_ruler(
    canvas: ImageDraw.ImageDraw, top: int, profile: PrinterProfile, height: int
) -> None:
    """Ticks every millimetre across every dot, longer each 5 mm, numbered each 10 mm."""
    dots = profile.dots
    canvas.rectangle((0, top, dots - 1, top + 1), fill=BLACK)
    label_font = font(profile.px(16))
    for mm in range(dots // DOTS_PER_MM + 1):
        x = min(mm * DOTS_PER_MM, dots - 2)
        length = height // 2 if mm % 10 == 0 else height // 3 if mm % 5 == 0 else height // 5
        canvas.rectangle((x, top, x + 1, top + length), fill=BLACK)
        if mm % 10 == 0 and 0 < mm and x + 4 + label_font.getlength(str(mm)) < dots - 4:
            canvas.text(
                (x + 4, top + height - 2), str(mm), font=label_font, fill=BLACK, anchor="ls"
            )


def render_test_page(
    profile: PrinterProfile, printer_label: str, now: datetime, timezone: str
) -> Image.Image:
    """The test page as a mode "1" image exactly ``profile.dots`` wide.

    Below the framed page, a gap check: two bars exactly 10 mm apart with nothing between them,
    so that a printer set to send blank stretches as paper feeds shows whether its feed unit is
    one dot row (``printer.feed_blank``).
    """
    page = build_test_page(profile, printer_label, now, timezone).render()
    check = _gap_check(profile).render()
    combined = Image.new("1", (page.width, page.height + check.height), 255)
    combined.paste(page, (0, 0))
    combined.paste(check, (0, page.height))
    return combined


GAP_MM = 10


def _gap_check(profile: PrinterProfile) -> Flow:
    px = profile.px
    flow = Flow(profile)
    flow.space(px(24))
    flow.text(tr("print.test.gap", mm=GAP_MM), px(22), max_lines=3, tag="gap_text")
    flow.space(px(8))
    flow.rule(4, full=True)
    flow.space(GAP_MM * DOTS_PER_MM)
    flow.rule(4, full=True)
    flow.space(px(24))
    return flow
