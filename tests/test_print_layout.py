"""Print layouts: 1-bit images at the printer's width, decodable codes, correct Vietnamese.

Real parts only: the shipped fonts, the qrcode library, zbar (through pyzbar) as the decoder,
and Pillow's own text drawing as the independent reference for glyph rendering.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pyzbar.pyzbar import ZBarSymbol, decode

from shared.i18n import MESSAGES, nfc
from shared.printing.code128 import (
    PATTERNS,
    QUIET_MODULES,
    STOP,
    code128_image,
    code128_modules,
    code128_values,
)
from shared.printing.fonts import font, missing_glyphs
from shared.printing.layout import (
    ELLIPSIS,
    INK_THRESHOLD,
    Flow,
    PrinterProfile,
    format_vn_long,
)
from shared.printing.qrimage import QUIET_MODULES as QR_QUIET
from shared.printing.qrimage import qr_image, qr_modules
from shared.printing.slip import DossierSlipPrint, render_dossier_slip, slip_fields, slip_flow
from shared.printing.testpage import (
    TONES,
    VOWELS,
    build_test_page,
    render_test_page,
    toned,
    vowel_lines,
)
from shared.printing.ticket import TicketPrint, render_ticket, ticket_flow, write_samples
from shared.resources import asset
from shared.settings import PrinterSettings

WIDE = PrinterProfile.for_paper(80)
NARROW = PrinterProfile.for_paper(58)
PROFILES = [pytest.param(WIDE, id="80mm"), pytest.param(NARROW, id="58mm")]
ZONE = "Asia/Ho_Chi_Minh"
ISSUED = datetime(2026, 11, 25, 1, 5, 9, tzinfo=UTC)  # 08:05:09 in Việt Nam
TICKET_QR = "MOTCUA:T1.HCCLA.20261125.1023.K7Q2M9XW4P"
SLIP_QR = "MOTCUA:D1.000.00.10.H39-261125-0001.K7Q2M9XW"
DOSSIER = "000.00.10.H39-261125-0001"


# --- data ------------------------------------------------------------------------------------


def _catalog() -> dict[str, Any]:
    with asset("catalog", "sample.toml").open("rb") as handle:
        return tomllib.load(handle)


def _names(node: object) -> Iterator[str]:
    """Every name and name_en in the catalogue, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("name", "name_en", "agency", "place") and isinstance(value, str):
                yield value
            else:
                yield from _names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _names(item)


def _longest() -> tuple[str, str, str]:
    catalog = _catalog()
    return (
        catalog["centre"]["name"],
        max((s["name"] for s in catalog["services"]), key=len),
        max((p["name"] for p in catalog["procedures"]), key=len),
    )


def _ticket(**changes: Any) -> TicketPrint:
    ticket = TicketPrint(
        centre_name="Trung tâm Phục vụ hành chính công tỉnh Long An",
        number="1023",
        service_name="Đất đai",
        service_name_en="Land",
        counters_label="Quầy 03, 04",
        ahead=7,
        estimated_wait_min=25,
        issued_at=ISSUED,
        timezone=ZONE,
        language="vi",
        qr_text=TICKET_QR,
    )
    return replace(ticket, **changes)


def _slip(**changes: Any) -> DossierSlipPrint:
    slip = DossierSlipPrint(
        centre_name="Trung tâm Phục vụ hành chính công tỉnh Long An",
        agency="UBND tỉnh Long An",
        dossier_code=DOSSIER,
        applicant_name="Nguyễn Thị Thủy Tiên",
        procedure_name="Thủ tục đăng ký khai sinh",
        received_at=ISSUED,
        due_at=ISSUED + timedelta(days=3, hours=7, minutes=25),
        timezone=ZONE,
        collect_at="Quầy số 5",
        lookup_secret="K7Q2-M9XW",
        qr_text=SLIP_QR,
        hotline="0272 3 123 456",
    )
    return replace(slip, **changes)


# --- image helpers ---------------------------------------------------------------------------


def _black(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    region = image.crop(box) if box else image
    return region.convert("L").histogram()[0]


def _assert_fits(image: Image.Image, profile: PrinterProfile) -> None:
    """Exact width, pure black and white, nothing in the side margins or on the top/bottom edge."""
    assert image.mode == "1"
    assert image.width == profile.dots
    margin = profile.margin
    assert _black(image, (0, 0, margin, image.height)) == 0, "ink in the left margin"
    right = (profile.dots - margin, 0, profile.dots, image.height)
    assert _black(image, right) == 0, "ink in the right margin"
    assert _black(image, (0, 0, profile.dots, 1)) == 0, "ink on the top edge (clipped?)"
    bottom = (0, image.height - 1, profile.dots, image.height)
    assert _black(image, bottom) == 0, "ink on the bottom edge (clipped?)"


def _ink_crop(image: Image.Image) -> Image.Image:
    """The part of a 1-bit image that holds ink, as 0/255 greys."""
    grey = image.convert("L")
    box = Image.eval(grey, lambda v: 255 - v).getbbox()
    assert box is not None, "no ink"
    return grey.crop(box)


def _reference(text: str, size: int, bold: bool) -> Image.Image:
    """``text`` drawn directly by Pillow with the shipped font, thresholded like a print."""
    face = font(size, bold)
    width = int(face.getlength(text)) + 4 * size
    canvas = Image.new("L", (width, 4 * size), 255)
    ImageDraw.Draw(canvas).text((2 * size, 3 * size), text, font=face, fill=0, anchor="ls")
    printed = canvas.point([0 if v < INK_THRESHOLD else 255 for v in range(256)], "1")
    return _ink_crop(printed)


def _matches_reference(region: Image.Image, text: str, bold: bool) -> int | None:
    """The font size at which ``region`` is exactly Pillow's own rendering of ``text``."""
    ink = _ink_crop(region)
    guess = round(200 * ink.width / _reference(text, 200, bold).width)
    for size in range(max(6, guess - 6), guess + 7):
        reference = _reference(text, size, bold)
        if reference.size == ink.size and reference.tobytes() == ink.tobytes():
            return size
    return None


def _codes(image: Image.Image, symbol: ZBarSymbol) -> list[str]:
    return [found.data.decode("ascii") for found in decode(image.convert("L"), [symbol])]


# --- profile ---------------------------------------------------------------------------------


def test_profile_from_settings_takes_the_dots_from_the_paper_unless_given() -> None:
    assert PrinterProfile.from_settings(PrinterSettings()) == PrinterProfile(576, 80, True)
    narrow = PrinterProfile.from_settings(PrinterSettings(paper_width_mm=58, cutter=False))
    assert narrow == PrinterProfile(384, 58, False)
    assert PrinterProfile.from_settings(PrinterSettings(dots=512)).dots == 512
    with pytest.raises(ValueError):
        PrinterProfile(dots=100)


# --- the ticket ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_ticket_is_one_bit_at_the_printer_width(profile: PrinterProfile, language: str) -> None:
    image = render_ticket(_ticket(language=language, priority_name="Người cao tuổi"), profile)
    _assert_fits(image, profile)
    assert set(image.convert("L").getdata()) == {0, 255}


@pytest.mark.parametrize("profile", PROFILES)
def test_ticket_qr_decodes_to_the_exact_text(profile: PrinterProfile) -> None:
    image = render_ticket(_ticket(), profile)
    assert _codes(image, ZBarSymbol.QRCODE) == [TICKET_QR]
    url = "https://dichvucong.example.gov.vn/tra-cuu?t=T1.HCCLA.20261125.1023.K7Q2M9XW4P"
    assert _codes(render_ticket(_ticket(qr_text=url), profile), ZBarSymbol.QRCODE) == [url]


def test_ticket_qr_is_200_to_260_dots_wide_on_80mm() -> None:
    image, boxes = ticket_flow(_ticket(), WIDE).render_with_boxes()
    found = decode(image.convert("L"), [ZBarSymbol.QRCODE])
    assert len(found) == 1
    side = found[0].rect.width  # the symbol without its quiet zone
    quiet = 2 * QR_QUIET * side // (qr_modules(TICKET_QR) - 2 * QR_QUIET)
    assert 200 <= side + quiet <= 260


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("number", ["1023", "A012", "8"])
def test_the_number_is_very_large(profile: PrinterProfile, number: str) -> None:
    image, boxes = ticket_flow(_ticket(number=number), profile).render_with_boxes()
    ink = _ink_crop(image.crop(boxes["number"]))
    # Cap height 170-200 dots on 80 mm paper (scaled on 58 mm); 4 characters fill the width.
    assert 165 * profile.scale <= ink.height <= 200 * profile.scale
    if len(number) == 4:
        assert ink.width >= 0.85 * profile.width
    assert _matches_reference(image.crop(boxes["number"]), number, bold=True)


def test_ticket_labels_are_the_fonts_own_rendering() -> None:
    """Title, time and thank-you line equal Pillow's direct rendering of the expected text."""
    image, boxes = ticket_flow(_ticket(), WIDE).render_with_boxes()
    assert _matches_reference(image.crop(boxes["title"]), "SỐ THỨ TỰ", bold=True)
    assert _matches_reference(image.crop(boxes["time"]), "25/11/2026 - 08:05:09", bold=False)
    assert _matches_reference(image.crop(boxes["thanks"]), "Xin cảm ơn quý khách!", bold=True)
    assert _matches_reference(image.crop(boxes["service"]), "Đất đai", bold=True)


def test_issue_time_is_the_centres_local_time() -> None:
    late = datetime(2026, 12, 31, 17, 30, 0, tzinfo=UTC)  # already 1 January in Việt Nam
    image, boxes = ticket_flow(_ticket(issued_at=late), WIDE).render_with_boxes()
    assert _matches_reference(image.crop(boxes["time"]), "01/01/2027 - 00:30:00", bold=False)


@pytest.mark.parametrize("profile", PROFILES)
def test_english_ticket_adds_an_english_line_under_each_vietnamese_one(
    profile: PrinterProfile,
) -> None:
    vi_image, vi_boxes = ticket_flow(_ticket(), profile).render_with_boxes()
    en_image, en_boxes = ticket_flow(_ticket(language="en"), profile).render_with_boxes()
    assert en_image.height > vi_image.height
    assert not [tag for tag in vi_boxes if tag.endswith("_en")]
    expected = {
        "title_en": "Your number",
        "service_en": "Land",
        "thanks_en": "Thank you!",
    }
    for tag, text in expected.items():
        assert _matches_reference(en_image.crop(en_boxes[tag]), text, bold=False), tag
        # Under its Vietnamese line, never above it.
        assert en_boxes[tag][1] >= en_boxes[tag.removesuffix("_en")][3]
    assert _black(en_image, en_boxes["ahead_en"]) > 0 and _black(en_image, en_boxes["wait_en"]) > 0


def test_the_printed_wait_is_the_kiosks_band_never_the_minute() -> None:
    def wait_line(minutes: int) -> bytes:
        image, boxes = ticket_flow(_ticket(estimated_wait_min=minutes), WIDE).render_with_boxes()
        return _ink_crop(image.crop(boxes["wait"])).tobytes()

    assert wait_line(25) == wait_line(27) == wait_line(29)  # all "khoảng 25–30 phút"
    assert wait_line(25) != wait_line(31)  # "khoảng 30–35 phút"
    assert wait_line(0) == wait_line(3) != wait_line(5)  # "sắp đến lượt" under 5 minutes


def test_ticket_lines_are_left_out_when_unknown() -> None:
    full = ticket_flow(_ticket(), WIDE).render_with_boxes()[1]
    bare = _ticket(ahead=None, estimated_wait_min=None, counters_label="", priority_name=None)
    boxes = ticket_flow(bare, WIDE).render_with_boxes()[1]
    assert {"ahead", "wait", "counters"} <= set(full)
    assert not {"ahead", "wait", "counters", "priority"} & set(boxes)


def test_priority_group_prints_white_on_black() -> None:
    image, boxes = ticket_flow(_ticket(priority_name="Người cao tuổi"), WIDE).render_with_boxes()
    band = boxes["priority"]
    black = _black(image, band)
    area = (band[2] - band[0]) * (band[3] - band[1])
    assert 0.5 * area < black < 0.97 * area  # a black band with white letters in it


@pytest.mark.parametrize("profile", PROFILES)
def test_longest_catalogue_names_wrap_and_never_overflow(profile: PrinterProfile) -> None:
    centre, service, procedure = _longest()
    for service_name in (service, procedure):  # a procedure name as a service: a worst case
        data = _ticket(
            centre_name=centre * 2,
            service_name=service_name,
            service_name_en=procedure,
            counters_label=procedure,
            priority_name=procedure,
            language="en",
        )
        image = render_ticket(data, profile)
        _assert_fits(image, profile)
        assert _codes(image, ZBarSymbol.QRCODE) == [TICKET_QR]
    slip = render_dossier_slip(_slip(procedure_name=procedure, collect_at=procedure), profile)
    _assert_fits(slip, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_long_names_wrap_within_max_lines_and_are_cut_with_an_ellipsis(
    profile: PrinterProfile,
) -> None:
    _, _, procedure = _longest()
    flow = Flow(profile)
    result = flow.text(procedure, 36, bold=True, max_lines=3, min_size=24)
    assert result.size == 24 and result.shrunk and result.truncated
    assert len(result.lines) == 3 and result.lines[-1].endswith(ELLIPSIS)
    assert " ".join(result.lines)[:-1].rstrip(" ,") in nfc(procedure)
    for line in result.lines:
        assert font(24, True).getlength(line) <= profile.width
    _assert_fits(flow.render(), profile)
    # Room enough: the same text wraps whole, at full size.
    whole = Flow(profile).text(procedure, 24, max_lines=None)
    assert not whole.truncated and not whole.shrunk
    assert " ".join(whole.lines) == nfc(" ".join(procedure.split()))


@pytest.mark.parametrize("profile", PROFILES)
def test_an_unbreakable_word_shrinks_then_is_cut(profile: PrinterProfile) -> None:
    flow = Flow(profile)
    fits_smaller = "Trung-tâm-Phục-vụ-hành-chính"
    result = flow.text(fits_smaller, 48, bold=True, min_size=16)
    assert result.shrunk and not result.truncated and result.lines == (fits_smaller,)
    endless = "Nghiêngnghiêngnghiêng" * 12
    cut = flow.text(f"Số {endless} cuối", 40, max_lines=3, min_size=20)
    assert cut.size == 20 and cut.truncated
    assert cut.lines[1].endswith(ELLIPSIS) and cut.lines[0] == "Số"
    assert endless.startswith(cut.lines[1][:-1])
    assert cut.lines[2] == "cuối"
    _assert_fits(flow.render(), profile)


def test_wrapping_prefers_a_break_after_punctuation() -> None:
    flow = Flow(WIDE)
    result = flow.text(
        "Thời gian trả kết quả: 16 giờ 30 phút, ngày 09 tháng 12 năm 2026", 26, align="left"
    )
    assert result.lines == (
        "Thời gian trả kết quả: 16 giờ 30 phút,",
        "ngày 09 tháng 12 năm 2026",
    )
    glued = flow.text("Quét mã để theo\u00a0dõi lượt của bạn", 26)
    assert all(not line.endswith("theo") for line in glued.lines)


# --- Vietnamese --------------------------------------------------------------------------------


def test_every_vowel_tone_has_its_own_glyph_in_both_fonts() -> None:
    letters = "".join("".join(toned(v) + toned(v.upper())) for v in VOWELS) + "đĐ"
    assert len({nfc(c) for c in letters}) == len(VOWELS) * 12 + 2
    assert all(len(c) == 1 for c in letters), "NFC composes every Vietnamese letter"
    for bold in (False, True):
        assert missing_glyphs(letters, bold) == set()
        face = font(48, bold)
        notdef = bytes(face.getmask("\U000f0000"))
        for vowel in VOWELS + VOWELS.upper():
            bitmaps = {bytes(face.getmask(form)) for form in toned(vowel)}
            assert len(bitmaps) == len(TONES), f"two tones of {vowel} look alike"
            assert notdef not in bitmaps


def test_decomposed_input_prints_like_composed_input() -> None:
    """Text typed on some keyboards arrives decomposed (NFD); it must print the same."""
    composed = _ticket(centre_name="Trung tâm Hộ tịch", service_name="Chứng thực – Đất đai")
    decomposed = replace(
        composed,
        centre_name=unicodedata.normalize("NFD", composed.centre_name),
        service_name=unicodedata.normalize("NFD", composed.service_name),
    )
    assert decomposed.service_name != composed.service_name
    first, second = render_ticket(composed, WIDE), render_ticket(decomposed, WIDE)
    assert first.tobytes() == second.tobytes()


def test_missing_glyph_check_can_fail() -> None:
    assert missing_glyphs("漢字 Việt") == {"漢", "字"}


def test_fonts_cover_every_catalogue_name_and_printed_label() -> None:
    texts = list(_names(_catalog()))
    assert len(texts) > 50
    texts += [text for key, pair in MESSAGES.items() if key.startswith("print.") for text in pair]
    everything = nfc("".join(texts))
    assert missing_glyphs(everything, bold=False) == set()
    assert missing_glyphs(everything, bold=True) == set()


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("size", [20, 34, 60])
def test_vietnamese_lines_render_exactly_like_the_reference(bold: bool, size: int) -> None:
    """Stacked marks first on the page: a clipped top would make the crop differ."""
    lines = [*vowel_lines(), "ỄỘẪỖẲỠỮẤ ỆỰỴỴẶ", "Nguyễn Thị Thủy Tiên – Hộ tịch, Chứng thực"]
    for line in lines:
        flow = Flow(WIDE)
        result = flow.text(line, size, bold=bold, max_lines=1, min_size=size, tag="line")
        if result.truncated:  # too wide for one line at this size: not this test's subject
            continue
        image, boxes = flow.render_with_boxes()
        region = image.crop(boxes["line"])
        ink = _ink_crop(region)
        reference = _reference(line, size, bold)
        assert ink.size == reference.size, line
        assert ink.tobytes() == reference.tobytes(), line
        top = Image.eval(region.convert("L"), lambda v: 255 - v).getbbox()
        assert top is not None and top[1] > 0, "ink touches the top of its line"


def test_test_page_prints_every_vowel_with_every_tone() -> None:
    image, boxes = build_test_page(
        WIDE, "network 192.0.2.50:9100", ISSUED, ZONE
    ).render_with_boxes()
    sizes = set()
    for index, line in enumerate(vowel_lines()):
        _, top, _, bottom = boxes[f"vowels_{index}"]
        inside_frame = (WIDE.margin, top, WIDE.dots - WIDE.margin, bottom)
        size = _matches_reference(image.crop(inside_frame), line, bold=False)
        assert size is not None, line
        sizes.add(size)
    assert len(sizes) == 1 and sizes.pop() >= 24
    assert _codes(image, ZBarSymbol.QRCODE) == ["MOTCUA:TEST.0123456789"]
    assert _codes(image, ZBarSymbol.CODE128) == [DOSSIER]


@pytest.mark.parametrize("profile", PROFILES)
def test_test_page_frame_and_ruler_reach_every_dot(profile: PrinterProfile) -> None:
    image = build_test_page(profile, "usb 1046:20497", ISSUED, ZONE).render()
    assert image.mode == "1" and image.width == profile.dots
    grey = image.convert("L")
    for x in (0, 1, profile.dots - 2, profile.dots - 1):  # the frame's sides
        column = grey.crop((x, 0, x + 1, image.height))
        assert column.histogram()[0] == image.height
    assert grey.crop((0, 0, profile.dots, 1)).histogram()[0] == profile.dots  # top edge


# --- the dossier slip ------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_slip_barcode_and_qr_decode(profile: PrinterProfile) -> None:
    image = render_dossier_slip(_slip(), profile)
    _assert_fits(image, profile)
    assert _codes(image, ZBarSymbol.CODE128) == [DOSSIER]
    assert _codes(image, ZBarSymbol.QRCODE) == [SLIP_QR]


def test_slip_shows_the_form_fields_in_the_order_of_mau_01() -> None:
    data = _slip()
    fields = slip_fields(data)
    assert [f.label for f in fields] == [
        "Mã hồ sơ:",
        "Tiếp nhận hồ sơ của:",
        "Nội dung yêu cầu giải quyết:",
        "Thời gian nhận hồ sơ:",
        "Thời gian trả kết quả:",
        "Nhận kết quả tại:",
        "Mã tra cứu:",
    ]
    assert fields[3].value == "08 giờ 05 phút, ngày 25 tháng 11 năm 2026"
    assert fields[4].value == "15 giờ 30 phút, ngày 28 tháng 11 năm 2026"
    english = slip_fields(data, "en")
    assert english[4].label == "Result due:" and english[4].value == "15:30, 28/11/2026"
    image, boxes = slip_flow(data, WIDE).render_with_boxes()
    order = ["title", "dossier_code", "barcode", "applicant", "procedure", "due", "lookup", "qr"]
    tops = [boxes[tag][1] for tag in order]
    assert tops == sorted(tops)
    assert _matches_reference(image.crop(boxes["procedure"]), data.procedure_name, bold=False)


def test_long_vietnamese_date_form() -> None:
    assert format_vn_long(ISSUED, ZONE) == "08 giờ 05 phút, ngày 25 tháng 11 năm 2026"
    new_year = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    assert format_vn_long(new_year, ZONE) == "00 giờ 30 phút, ngày 01 tháng 01 năm 2027"
    with pytest.raises(ValueError):
        format_vn_long(datetime(2026, 1, 1), ZONE)


def test_slip_refuses_a_dossier_code_a_barcode_cannot_hold() -> None:
    with pytest.raises(ValueError):
        _slip(dossier_code="000.00.10.H39-261125-0001-Đ")


# --- codes -----------------------------------------------------------------------------------


def test_code128_table_is_well_formed() -> None:
    assert len(PATTERNS) == 107
    assert len(set(PATTERNS)) == 107
    assert all(sum(map(int, p)) == 11 for p in PATTERNS[:STOP])
    assert sum(map(int, PATTERNS[STOP])) == 13


@pytest.mark.parametrize(
    "text",
    [
        "".join(chr(c) for c in range(32, 80)),  # code set B, first half
        "".join(chr(c) for c in range(80, 127)),  # code set B, second half
        "".join(f"{n:02d}" for n in range(0, 50)),  # code set C, every pair
        "".join(f"{n:02d}" for n in range(50, 100)),
        DOSSIER,
        "A1",
        "12345",  # odd digit run
        "PJJ123C",
    ],
)
def test_code128_decodes_with_zbar(text: str) -> None:
    image = code128_image(text, 2, 60)
    assert image.mode == "1"
    assert image.width == (sum(code128_modules(text)) + 2 * QUIET_MODULES) * 2
    assert _codes(image, ZBarSymbol.CODE128) == [text]


def test_code128_uses_code_set_c_for_digit_runs() -> None:
    values = code128_values(DOSSIER)
    assert values[0] == 104 and 99 in values  # starts in B, switches to C for the date
    assert len(values) < len(DOSSIER) + 3  # shorter than all-B (start + data + check + stop)
    assert code128_values("20261125")[0] == 105  # all digits: start in C
    # Checksum: start + sum(position * value), modulo 103.
    p, j, one, two, three, c = 48, 42, 17, 18, 19, 35  # values in code set B
    weighted = 104 + p + 2 * j + 3 * j + 4 * one + 5 * two + 6 * three + 7 * c
    assert code128_values("PJJ123C")[-2] == weighted % 103
    with pytest.raises(ValueError):
        code128_values("Mã")
    with pytest.raises(ValueError):
        code128_values("")


def test_qr_image_is_crisp_with_a_four_module_quiet_zone() -> None:
    module = 5
    image = qr_image(TICKET_QR, module)
    side = qr_modules(TICKET_QR)
    assert image.mode == "1" and image.size == (side * module, side * module)
    grey = image.convert("L")
    for row in range(side):
        for column in range(side):
            box = (column * module, row * module, (column + 1) * module, (row + 1) * module)
            colours = set(grey.crop(box).getdata())
            assert len(colours) == 1, "a module is not one solid colour"
    quiet = QR_QUIET * module
    assert _black(image, (0, 0, image.width, quiet)) == 0
    assert _black(image, (0, 0, quiet, image.height)) == 0
    assert _codes(image, ZBarSymbol.QRCODE) == [TICKET_QR]
    with pytest.raises(ValueError):
        qr_image("Mã hồ sơ", 4)


# --- samples (speed: bench/print_ticket.py) ------------------------------------------------------


def test_sample_prints_are_written(tmp_path) -> None:
    paths = write_samples(tmp_path)
    names = {path.name for path in paths}
    assert {
        "ticket_vi_80.png",
        "ticket_en_80.png",
        "ticket_vi_58.png",
        "ticket_longest_80.png",
        "slip_80.png",
        "testpage_80.png",
    } <= names
    for path in paths:
        with Image.open(path) as image:
            assert image.mode == "1"
            assert image.width == (384 if "_58" in path.name else 576)


@pytest.mark.parametrize("profile", PROFILES)
def test_test_page_ends_with_a_10_mm_gap_between_two_bars(profile: PrinterProfile) -> None:
    """The gap check: full-width bars, then exactly 80 blank rows (10 mm at 8 dots/mm), then a
    bar; sent with feed_blank, the gap travels as one 80-dot paper feed."""
    from shared.printing.escpos import encode_image

    image = render_test_page(profile, "net 192.0.2.7:9100", ISSUED, ZONE)
    grey = image.convert("L")
    full_rows = [
        y
        for y in range(image.height)
        if grey.crop((0, y, profile.dots, y + 1)).histogram()[0] == profile.dots
    ]
    assert full_rows, "no full-width bar"
    bars: list[list[int]] = []
    for y in full_rows:
        if bars and y == bars[-1][-1] + 1:
            bars[-1].append(y)
        else:
            bars.append([y])
    first, second = bars[-2], bars[-1]
    gap = second[0] - first[-1] - 1
    assert gap == 10 * 8
    assert (
        grey.crop((0, first[-1] + 1, profile.dots, second[0])).histogram()[255]
        == gap * profile.dots
    )
    assert b"\x1bJ\x50" in encode_image(image, cut=True, feed_blank=True)
