"""A4 forms (Mẫu 01–06): layout, PDF text, page images, codes, the form set file, the slip.

Real parts only: the shipped Noto Serif, fpdf2 writing the PDF, pypdf reading its text back,
Pillow drawing the pages and zbar (through pyzbar) decoding the QR code and the barcode.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import ZBarSymbol, decode

from shared.codes import DossierToken
from shared.codes import decode as decode_token
from shared.dossier_views import DocumentLine, DossierView, NoticeView, Party
from shared.forms import (
    DossierNotAccepted,
    FormDataMissing,
    FormOptions,
    FormSetError,
    UnknownCopy,
    UnknownForm,
    build_form,
    load_form_set,
    load_form_set_file,
    render_form_pages,
    render_form_pdf,
    render_form_png,
)
from shared.forms.build import FormDocument, TrackingBook
from shared.forms.fonts import metrics
from shared.forms.formset import form_set_path
from shared.forms.page import Composer, Line, Margins, Span, TextItem, wrap
from shared.forms.raster import render_page
from shared.forms.samples import (
    CODE,
    LONG_DOCUMENTS,
    LONG_ORGANISATION,
    LONG_PROCEDURE,
    SECRET,
    sample_book,
    sample_dossier,
)
from shared.forms.slip import dossier_slip_print, print_dossier_slip, render_thermal_slip
from shared.printing.layout import PrinterProfile
from shared.settings import (
    CentreSettings,
    FormsSettings,
    LookupSettings,
    PrinterSettings,
    Settings,
)

FORMS = ("01", "02", "03", "04", "05", "06")
TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "06": "SỔ THEO DÕI HỒ SƠ",
}
BASE_URL = "https://dichvucong.example.gov.vn/tra-cuu"
OPTIONS = FormOptions(hotline="0272 3 456 789")


def _data(form: str, longest: bool) -> DossierView | TrackingBook:
    return sample_book(40, longest=longest) if form == "06" else sample_dossier(longest=longest)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _line_text(line: Line) -> str:
    """A wrapped line's text, with a space where one run ends before the next begins."""
    text, end = "", 0.0
    for run in line.runs:
        text += (" " if run.dx > end + 1e-6 and text else "") + run.text
        end = run.dx + run.width
    return text


def _codes(image: Image.Image, symbol: ZBarSymbol) -> list[str]:
    return [found.data.decode("ascii") for found in decode(image, symbols=[symbol])]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], tuple]:
    """Every form, ordinary and with the longest texts: (document, PDF page texts, path)."""
    out = tmp_path_factory.mktemp("forms")
    result = {}
    for form in FORMS:
        for longest in (False, True):
            data = _data(form, longest)
            document = build_form(form, data, OPTIONS)
            path = render_form_pdf(form, data, out / f"{form}-{longest}.pdf", options=OPTIONS)
            result[(form, longest)] = (document, _pdf_pages(path), path)
    return result


# --- every form -----------------------------------------------------------------------------


@pytest.mark.parametrize("longest", [False, True], ids=["ordinary", "longest"])
@pytest.mark.parametrize("form", FORMS)
def test_every_form_renders_within_the_margins(rendered, form: str, longest: bool) -> None:
    document, texts, path = rendered[(form, longest)]
    assert path.stat().st_size > 1000
    assert len(texts) == len(document.pages)
    for page in document.pages:
        assert page.outside() == []
        landscape = form == "06"
        assert (page.width > page.height) == landscape
    flat = _flat(" ".join(texts))
    assert TITLES[form] in flat
    for text in texts:
        assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("longest", [False, True], ids=["ordinary", "longest"])
@pytest.mark.parametrize("form", FORMS)
def test_page_images_keep_ink_inside_the_margins(rendered, form: str, longest: bool) -> None:
    document: FormDocument = rendered[(form, longest)][0]
    dpi = 100
    for page in document.pages[:3]:
        image = render_page(page, dpi)
        scale = dpi / 25.4
        assert image.size == (round(page.width * scale), round(page.height * scale))
        left, top, right, bottom = page.content
        box = (
            int(left * scale) - 1,
            int(top * scale) - 1,
            int(right * scale) + 2,
            int(bottom * scale) + 2,
        )
        inked = image.point(lambda v: 255 if v < 128 else 0).getbbox()
        assert inked is not None
        assert inked[0] >= box[0] and inked[1] >= box[1]
        assert inked[2] <= box[2] and inked[3] <= box[3]


def test_the_page_model_reports_what_is_outside_the_margins() -> None:
    composer = Composer(210, 297, Margins(20, 15, 15, 25))
    page = composer.page
    assert page.outside() == []
    inside = TextItem(25, 40, "Ỗ", "regular", 12, metrics().width("Ỗ", 12))
    page.items.append(inside)
    assert page.outside() == []
    page.items.append(TextItem(200, 40, "Quá lề", "regular", 12, 12.0))
    page.items.append(TextItem(30, 20.5, "Ỗ", "regular", 12, 3.0))  # marks above the margin
    assert len(page.outside()) == 2


# --- Mẫu 01 ---------------------------------------------------------------------------------


def test_mau_01_prints_every_field_in_two_copies(rendered) -> None:
    document, texts, _ = rendered[("01", False)]
    assert document.copy_of_page == ["luu", "giao"]
    lưu, giao = (_flat(text) for text in texts)
    dossier = sample_dossier()
    for page in (lưu, giao):
        for expected in (
            "UBND TỈNH LONG AN",
            "TRUNG TÂM PHỤC VỤ HÀNH",
            "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
            "Số: 0007/TNHS",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Long An, ngày 24 tháng 04 năm 2026",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            f"Mã hồ sơ: {CODE}",
            "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh",
            "Số CCCD/Số định danh cá nhân: 079301000123",
            "Địa chỉ: Số 12 đường Trần Hưng Đạo, phường Tân An, tỉnh Long An",
            "Số điện thoại: 0912 345 678",
            "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
            "1. Thành phần hồ sơ nộp gồm:",
            "STT",
            "Tên giấy tờ",
            "Bản chính",
            "Bản sao có",
            "2. Số lượng hồ sơ: 01 (bộ)",
            "3. Thời gian giải quyết hồ sơ theo quy định: 05 ngày làm việc",
            "4. Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 24 tháng 04 năm 2026",
            "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 04 tháng 05 năm 2026",
            "6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả",
            "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 0007",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "Lê Thị Hồng",
        ):
            assert expected in page, expected
        for document_line in dossier.documents:
            assert document_line.name in page
    assert "(Liên 1: Lưu)" in lưu and "(Liên 2: Giao công dân)" not in lưu
    assert "(Liên 2: Giao công dân)" in giao and "(Liên 1: Lưu)" not in giao
    # The lookup secret is for the citizen: on their copy only; no fee line when it is free.
    assert f"Mã tra cứu: {SECRET}" in giao and SECRET not in lưu
    assert "Đường dây nóng: 0272 3 456 789" in giao
    assert "Phí, lệ phí" not in giao and "Người nộp hồ sơ:" not in giao


def test_mau_01_optional_fields_when_present(rendered) -> None:
    flat = _flat(" ".join(rendered[("01", True)][1]))
    assert "Người nộp hồ sơ: Trần Văn Bảy" in flat
    assert "Mã số thuế: 0312345678001" in flat
    assert "Phí, lệ phí: 150.000 đồng (nộp tại quầy)" in flat
    assert "Email: phongphaply.congtydautuxaydung@example.com.vn" in flat
    assert "Qua dịch vụ bưu chính công ích, địa chỉ: Số 1234/56/78" in flat


@pytest.mark.parametrize("dpi", [150, 300])
def test_mau_01_qr_and_barcode_decode_on_the_page_image(dpi: int) -> None:
    dossier = sample_dossier()
    options = FormOptions(lookup_base_url=BASE_URL)
    lưu, giao = render_form_pages("01", dossier, dpi, options=options)
    assert _codes(lưu, ZBarSymbol.CODE128) == [CODE]
    assert _codes(giao, ZBarSymbol.CODE128) == [CODE]
    assert _codes(lưu, ZBarSymbol.QRCODE) == []  # the filed copy has no lookup secret
    [scanned] = _codes(giao, ZBarSymbol.QRCODE)
    assert scanned.startswith(BASE_URL + "?t=D1:")
    token = decode_token(scanned)
    assert isinstance(token, DossierToken)
    assert (token.code, token.secret) == (CODE, SECRET)
    for personal in (
        dossier.applicant.name,
        dossier.applicant.id_number,
        dossier.applicant.phone.replace(" ", ""),
        "Nguyen",
    ):
        assert personal not in scanned
    assert not re.search(r"[0-9]{9,}", scanned)


@pytest.mark.parametrize(
    "code",
    ["000.00.10.H39-260424-0001", "000.00.10.H39-261231-0099", "000.17.22.H56-210531-1234"],
)
def test_mau_01_barcode_decodes_at_preview_resolution(code: str) -> None:
    [page] = render_form_pages("01", replace(sample_dossier(), code=code), 150, copies=("lưu",))
    assert _codes(page, ZBarSymbol.CODE128) == [code]


def test_mau_01_compact_qr_without_a_lookup_address() -> None:
    page = render_form_png("01", sample_dossier(), page=1, dpi=150)
    [scanned] = _codes(page, ZBarSymbol.QRCODE)
    assert scanned.startswith("MOTCUA:D1:")
    assert decode_token(scanned).secret == SECRET


def test_mau_01_longest_texts_wrap_and_the_table_continues_with_its_header(rendered) -> None:
    assert len(LONG_PROCEDURE) >= 250 and len(LONG_DOCUMENTS) == 12
    document, texts, _ = rendered[("01", True)]
    copies = document.copy_of_page
    assert copies.count("luu") >= 2 and copies.count("giao") >= 2
    assert copies == sorted(copies, key=lambda key: key != "luu")  # copy 1, then copy 2
    lưu_pages = [t for t, key in zip(texts, copies, strict=True) if key == "luu"]
    flat = _flat(" ".join(lưu_pages))
    assert _flat(LONG_PROCEDURE) in flat
    assert _flat(LONG_ORGANISATION) in flat
    for line in LONG_DOCUMENTS:
        assert _flat(line.name) in flat
    with_header = [t for t in lưu_pages if "Tên giấy tờ" in t]
    assert len(with_header) >= 2  # the documents table went on and repeated its header
    first = [t for t in lưu_pages if "(đợt 1)" in t]
    last = [t for t in lưu_pages if "(đợt 12)" in t]
    assert first and last and lưu_pages.index(first[0]) < lưu_pages.index(last[0])
    # Continuation pages say which dossier, which copy and which page they are.
    assert f"{CODE} – Liên 1: Lưu" in lưu_pages[-1]
    assert f"Trang {len(lưu_pages)}/{len(lưu_pages)}" in lưu_pages[-1]
    # The signatures never stand alone on a page.
    signatures = [t for t in lưu_pages if "NGƯỜI TIẾP NHẬN HỒ SƠ" in t]
    assert len(signatures) == 1 and "Số thứ tự" in signatures[0]


def test_one_copy_only_and_unknown_copies() -> None:
    document = build_form("01", sample_dossier(), copies=("giao",))
    assert document.copy_of_page == ["giao"]
    assert build_form("01", sample_dossier(), copies=("lưu",)).copy_of_page == ["luu"]
    with pytest.raises(UnknownCopy) as error:
        build_form("01", sample_dossier(), copies=("ba",))
    assert "ba" in error.value.message and "luu" in error.value.message


def test_text_arriving_decomposed_prints_composed(tmp_path: Path) -> None:
    name = "Nguyễn Thị Thủy Tiên"
    dossier = sample_dossier()
    applicant = replace(dossier.applicant, name=unicodedata.normalize("NFD", name))
    path = render_form_pdf(
        "01", replace(dossier, applicant=applicant), tmp_path / "nfd.pdf", copies=("giao",)
    )
    [text] = _pdf_pages(path)
    assert f"Tiếp nhận hồ sơ của: {name}" in text
    assert unicodedata.normalize("NFD", name) not in text


def test_a_word_wider_than_the_column_breaks_instead_of_overflowing() -> None:
    word = "Đ" + "ươ" * 120
    lines = wrap([Span(word)], 11.5, 60.0)
    assert len(lines) > 3
    assert all(line.width <= 60.0 + 1e-6 for line in lines)
    assert "".join(run.text for line in lines for run in line.runs) == word
    dossier = sample_dossier()
    document = build_form(
        "01", replace(dossier, applicant=replace(dossier.applicant, address=word))
    )
    assert all(page.outside() == [] for page in document.pages)


@pytest.mark.parametrize("width", [60.0, 75.0, 90.0, 120.0])
def test_wrapping_keeps_kept_chunks_and_breaks_codes_after_hyphens(width: float) -> None:
    spans = [
        Span("Thời gian trả kết quả: "),
        Span("16 giờ 30 phút,", "bold", keep=True),
        Span(" ngày 04 tháng 05 năm 2026", "bold", keep=True),
        Span(" mã "),
        Span("000.00.10.H39-260424-0007", "bold"),
        Span(" xong"),
    ]
    lines = wrap(spans, 11.0, width)
    texts = [_line_text(line) for line in lines]
    assert all(line.width <= width + 1e-6 for line in lines)
    assert any("ngày 04 tháng 05 năm 2026" in text for text in texts)
    assert any("16 giờ 30 phút," in text for text in texts)
    assert not any(re.search(r"-\s", text) for text in texts)
    assert "".join(texts).endswith("000.00.10.H39-260424-0007 xong")
    assert len(texts[-1].split()) > 1 or len(lines) == 1


def test_characters_the_font_lacks_print_as_a_question_mark(tmp_path: Path) -> None:
    dossier = sample_dossier()
    applicant = replace(dossier.applicant, name="Lý 李 Văn")
    path = render_form_pdf(
        "01", replace(dossier, applicant=applicant), tmp_path / "cjk.pdf", copies=("lưu",)
    )
    assert "Tiếp nhận hồ sơ của: Lý ? Văn" in _pdf_pages(path)[0]


def test_wrapped_lines_keep_dates_whole() -> None:
    dossier = replace(sample_dossier(), centre_name="Trung tâm " + "rất " * 30 + "dài")
    document = build_form("01", dossier, copies=("lưu",))
    lines = [" ".join(t for t in page.texts()) for page in document.pages]
    assert any("ngày 04 tháng 05 năm 2026" in line for line in lines)
    for page in document.pages:
        for item in page.items:
            if isinstance(item, TextItem):
                assert not item.text.endswith(("ngày", "ngày 04", "tháng 05", "năm")), item.text


# --- Mẫu 02, 03, 04 from the notices ---------------------------------------------------------


def test_mau_02_supplement_request(rendered) -> None:
    flat = _flat(" ".join(rendered[("02", False)][1]))
    for expected in (
        "Số: 15/HDHS",
        "Hồ sơ của: Nguyễn Thị Ngọc Ánh",
        "Tên giấy tờ cần bổ sung, hoàn thiện",
        "Sơ đồ thửa đất có xác nhận của UBND xã",
        "Lý do: Thiếu bản sao có chứng thực giấy tờ về quyền sử dụng đất",
        "liên hệ với Lê Thị Hồng, số điện thoại 0272 3 456 789 để được hướng dẫn",
        "NGƯỜI HƯỚNG DẪN",
        "Long An, ngày 24 tháng 04 năm 2026",
    ):
        assert expected in flat, expected


def test_mau_02_without_a_hotline_leaves_a_dotted_blank(tmp_path: Path) -> None:
    path = render_form_pdf("02", sample_dossier(), tmp_path / "02.pdf")
    assert "số điện thoại ……………… để được hướng dẫn" in _flat(_pdf_pages(path)[0])


def test_mau_03_refusal(rendered) -> None:
    flat = _flat(" ".join(rendered[("03", False)][1]))
    assert "Kính gửi: Nguyễn Thị Ngọc Ánh" in flat
    assert "Số: 03/TC" in flat
    assert "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan" in flat
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in flat


def test_mau_04_apology_with_the_old_and_new_dates(rendered) -> None:
    flat = _flat(" ".join(rendered[("04", False)][1]))
    assert "Vào ngày 24 tháng 04 năm 2026, Bộ phận tiếp nhận và trả kết quả" in flat
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 04 tháng 05" in flat
    assert "Lý do: Cần thêm thời gian xác minh nguồn gốc sử dụng đất" in flat
    assert "hẹn trả kết quả vào: 16 giờ 00 phút, ngày 11 tháng 05 năm 2026" in flat
    assert "Long An, ngày 04 tháng 05 năm 2026" in flat


def test_the_latest_notice_of_a_form_is_printed() -> None:
    dossier = sample_dossier()
    later = NoticeView(
        form="2",
        number="16/HDHS",
        created_at=datetime(2026, 4, 25, 2, 0, tzinfo=UTC),
        reason="Lần hai",
        missing=(DocumentLine("Tờ khai mới", originals=1),),
        user="Lê Thị Hồng",
    )
    document = build_form("02", replace(dossier, notices=(*dossier.notices, later)))
    text = _flat(" ".join(document.pages[0].texts()))
    assert "Số: 16/HDHS" in text and "Tờ khai mới" in text


def test_a_notice_form_without_its_notice_is_refused() -> None:
    dossier = replace(sample_dossier(), notices=())
    for form in ("02", "03", "04"):
        with pytest.raises(FormDataMissing) as error:
            build_form(form, dossier)
        assert CODE in error.value.message and form in error.value.message


def test_no_receipt_slip_before_an_online_dossier_is_accepted() -> None:
    online = replace(sample_dossier(), status=1, channel=2)
    for make in (lambda: build_form("01", online), lambda: dossier_slip_print(online)):
        with pytest.raises(DossierNotAccepted) as error:
            make()
        assert CODE in error.value.message and error.value.exit_code == 3
    assert build_form("05", online).pages  # the control sheet is not a promise of a date
    assert build_form("01", replace(online, status=2)).pages


# --- Mẫu 05 and 06 --------------------------------------------------------------------------


def test_mau_05_control_sheet_rows_and_timeliness(rendered) -> None:
    document, texts, _ = rendered[("05", False)]
    flat = _flat(" ".join(texts))
    for expected in (
        "Tên cơ quan, đơn vị",
        "Giao",
        "Nhận",
        "Phòng Tư pháp",
        "24/04/2026",
        "Trước hạn",
        "Đã giải quyết",
        "Phạm Văn Đức",
        "Kết quả chung: Đúng hạn",
        f"Mã hồ sơ: {CODE}",
    ):
        assert expected in flat, expected
    image = render_page(document.pages[0], 200)
    assert _codes(image, ZBarSymbol.CODE128) == [CODE]


def test_mau_06_book_across_landscape_pages_with_the_header_repeated(rendered) -> None:
    document, texts, _ = rendered[("06", True)]
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert "Mã hồ sơ" in text and "Ngày, tháng, năm" in text
        assert f"Trang {number}/{len(texts)}" in text
    flat = _flat(" ".join(texts))
    assert "Từ ngày 01/04/2026 đến ngày 30/04/2026" in flat
    book = sample_book(40, longest=True)
    for row in book.rows:
        assert row.code.split("-")[-1] in flat
    registers = [
        int(item.text)
        for page in document.pages
        for item in page.items
        if isinstance(item, TextItem) and item.text.isdigit() and item.size < 9 and item.x < 25
    ]
    assert registers == list(range(1, 41))


def test_forms_check_the_kind_of_data() -> None:
    with pytest.raises(TypeError):
        build_form("06", sample_dossier())
    with pytest.raises(TypeError):
        build_form("01", sample_book(2))


def test_an_empty_book_still_prints_its_header_and_one_blank_row() -> None:
    book = TrackingBook((), "Trung tâm", "UBND", date(2026, 4, 1), date(2026, 4, 30))
    document = build_form("06", book)
    assert len(document.pages) == 1 and "Mã hồ sơ" in document.pages[0].texts()


# --- the form set ---------------------------------------------------------------------------


def test_the_2018_form_set_loads() -> None:
    form_set = load_form_set("2018")
    assert form_set.id == "2018" and sorted(form_set.forms) == list(FORMS)
    assert form_set.form("1").title == TITLES["01"]
    assert [key for key, _ in form_set.form("01").copies] == ["luu", "giao"]
    assert form_set.form("06").layout == "book"
    with pytest.raises(UnknownForm) as error:
        form_set.form("09")
    assert "09" in error.value.message and "2018" in error.value.message


def _broken(tmp_path: Path, old: str, new: str, name: str = "2018") -> Path:
    text = form_set_path("2018").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('"Lý do: {reason}"', '"Lý do: {reasn}"', 'forms."02".body[7]'),
        ('title = "PHIẾU TỪ CHỐI', 'tittle = "PHIẾU TỪ CHỐI', 'forms."03".tittle'),
        ('layout = "book"', 'layout = "sổ"', 'forms."06".layout'),
        ('{ title = "STT", width = 9, value = "{index}"', '{ title = "STT", width = 0', "width"),
        ('motto = "Độc lập', 'mottto = "Độc lập', "common.mottto"),
        ('"Hồ sơ của: **{applicant}**"', '"Hồ sơ của: **{applicant}"', 'forms."02".body[0]'),
        ('copies = ["giao"]', 'copies = ["ban-sao"]', 'forms."01".body[17].copies'),
        ('"Số: {number}"', '"Số: {number:>5}"', 'forms."02".number'),
    ],
)
def test_a_malformed_form_set_names_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(FormSetError) as error:
        load_form_set_file(path)
    message = error.value.message
    assert str(path) in message and field in message
    assert error.value.exit_code == 2


def test_a_form_set_with_broken_toml_or_the_wrong_id(tmp_path: Path) -> None:
    with pytest.raises(FormSetError) as error:
        load_form_set_file(_broken(tmp_path, 'id = "2018"', 'id = "2018'))
    assert "2018.toml" in error.value.message
    with pytest.raises(FormSetError) as error:
        load_form_set_file(_broken(tmp_path, 'id = "2018"', 'id = "2018"', name="2025"))
    assert "set.id" in error.value.message
    with pytest.raises(FormSetError):
        load_form_set("không-có")


def test_a_new_set_is_data_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A renumbered set (as the 2025 one) needs a file, not code: here 01 becomes 07."""
    path = _broken(tmp_path, '[forms."06"]', '[forms."07"]', name="2025")
    path.write_text(path.read_text("utf-8").replace('id = "2018"', 'id = "2025"'), "utf-8")
    form_set = load_form_set_file(path)
    assert "07" in form_set.forms and "06" not in form_set.forms
    monkeypatch.setattr(
        "shared.forms.formset.form_set_path", lambda set_id: tmp_path / f"{set_id}.toml"
    )
    load_form_set.cache_clear()
    try:
        document = build_form("07", sample_book(3), FormOptions(form_set="2025"))
        assert document.title == TITLES["06"]
        with pytest.raises(UnknownForm):
            build_form("06", sample_book(3), FormOptions(form_set="2025"))
    finally:
        load_form_set.cache_clear()


def test_options_from_settings() -> None:
    options = FormOptions.from_settings(Settings())
    assert options.form_set == "2018" and options.lookup_base_url == ""
    assert options.timezone == "Asia/Ho_Chi_Minh"
    grown = Settings(
        forms=FormsSettings(form_set="2025"),
        centre=CentreSettings(hotline="1900 1234"),
        lookup=LookupSettings(base_url=BASE_URL),
    )
    options = FormOptions.from_settings(grown)
    assert (options.form_set, options.hotline, options.lookup_base_url) == (
        "2025",
        "1900 1234",
        BASE_URL,
    )


def test_the_pdf_embeds_its_fonts(rendered) -> None:
    path = rendered[("01", False)][2]
    reader = PdfReader(str(path))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"NotoSerif", "NotoSerifBold", "NotoSerifItalic"} <= names


# --- the thermal slip -----------------------------------------------------------------------


def test_thermal_slip_from_a_dossier_view_decodes(tmp_path: Path) -> None:
    dossier = sample_dossier()
    data = dossier_slip_print(dossier, FormOptions(lookup_base_url=BASE_URL))
    assert data.dossier_code == CODE and data.lookup_secret == SECRET
    assert data.applicant_name == "Nguyễn Thị Ngọc Ánh"
    assert data.due_at == dossier.appointment_at
    image = render_thermal_slip(dossier, PrinterProfile.for_paper(80))
    assert image.mode == "1" and image.width == 576
    assert _codes(image, ZBarSymbol.CODE128) == [CODE]
    [scanned] = _codes(image, ZBarSymbol.QRCODE)
    assert decode_token(scanned) == DossierToken(CODE, SECRET)
    assert dossier.applicant.name not in scanned


def test_thermal_slip_saved_through_the_print_path(tmp_path: Path) -> None:
    settings = replace(Settings(), printer=PrinterSettings(paper_width_mm=58))
    png, escpos = tmp_path / "slip.png", tmp_path / "slip.bin"
    result = print_dossier_slip(sample_dossier(longest=True), settings, png=png, escpos=escpos)
    assert not result.printed and result.width == 384
    assert Image.open(png).size == (result.width, result.height)
    assert escpos.read_bytes()[:2] == b"\x1b@" and result.bytes == escpos.stat().st_size


def test_wrong_party_kind_still_prints() -> None:
    """An organisation applicant without an ID type: no ID line, everything else printed."""
    dossier = sample_dossier()
    organisation = Party(kind="organisation", name=LONG_ORGANISATION)
    document = build_form("01", replace(dossier, applicant=organisation), copies=("giao",))
    text = _flat(" ".join(document.pages[0].texts()))
    assert "Số CCCD" not in text and "Địa chỉ: ………………" in text


# --- motcua dossier print -------------------------------------------------------------------


@pytest.fixture
def received(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """A real dossier received through the command on an SQLite file: (url, code)."""
    from cli.commands import main
    from shared.catalog import import_catalog, load_catalog_file
    from shared.db import Database
    from shared.resources import asset
    from shared.users import add_user

    db = Database(sqlite_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", "mat-khau-dai-du", "clerk", full_name="Trần Thị Lan")
    db.dispose()
    args = ["dossier", "receive", "--db", sqlite_url, "--procedure", "1.013831"]
    args += ["--name", "Nguyễn Văn An", "--id-number", "080085012345", "--phone", "0912345678"]
    args += ["--address", "12 Hùng Vương, Tân An", "--received-at", "2026-04-24T14:30"]
    assert main([*args, "--user", "lan", "--json"]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    return sqlite_url, code


def test_cli_prints_mau_01_as_pdf_and_png(received, tmp_path: Path, capsys) -> None:
    from cli.commands import main

    url, code = received
    pdf, png = tmp_path / "01.pdf", tmp_path / "01.png"
    args = ["dossier", "print", code, "--form", "01", "--pdf", str(pdf), "--png", str(png)]
    assert main([*args, "--db", url, "--user", "lan", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["form"] == "01" and out["pdf"] == str(pdf) and out["pages"] == len(out["png"])
    texts = _pdf_pages(pdf)
    flat = _flat(" ".join(texts))
    assert f"Mã hồ sơ: {code}" in flat and "Tiếp nhận hồ sơ của: Nguyễn Văn An" in flat
    assert "Trần Thị Lan" in flat and "(Liên 2: Giao công dân)" in flat
    images = [Image.open(path) for path in out["png"]]
    assert all(_codes(image, ZBarSymbol.CODE128) == [code] for image in images[:1])
    scanned = [s for image in images for s in _codes(image, ZBarSymbol.QRCODE)]
    assert len(scanned) == 1 and decode_token(scanned[0]).code == code


def test_cli_prints_the_book_and_the_thermal_slip(received, tmp_path: Path, capsys) -> None:
    from cli.commands import main

    url, code = received
    pdf = tmp_path / "06.pdf"
    args = ["dossier", "print", "--form", "06", "--from", "2026-04-01", "--to", "30/04/2026"]
    assert main([*args, "--pdf", str(pdf), "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    flat = _flat(" ".join(_pdf_pages(pdf)))
    assert "SỔ THEO DÕI HỒ SƠ" in flat and "Nguyễn Văn An" in flat
    escpos = tmp_path / "slip.bin"
    args = ["dossier", "print", code, "--thermal", "--escpos", str(escpos), "--db", url]
    assert main([*args, "--json"]) == 0
    thermal = json.loads(capsys.readouterr().out)["thermal"]
    assert thermal["printed"] is False and escpos.stat().st_size == thermal["bytes"] > 1000


def test_cli_print_refusals(received, tmp_path: Path, capsys) -> None:
    from cli.commands import main

    url, code = received
    pdf = str(tmp_path / "x.pdf")
    assert main(["dossier", "print", code, "--db", url]) == 2  # no output chosen
    assert "--pdf" in capsys.readouterr().err
    assert main(["dossier", "print", code, "--form", "02", "--pdf", pdf, "--db", url]) == 2
    assert "chưa có phiếu Mẫu 02" in capsys.readouterr().err
    assert main(["dossier", "print", code, "--form", "09", "--pdf", pdf, "--db", url]) == 2
    assert "không có Mẫu 09" in capsys.readouterr().err
    assert main(["dossier", "print", "--form", "06", "--pdf", pdf, "--db", url]) == 2
    assert "--from" in capsys.readouterr().err
    assert not Path(pdf).exists()
