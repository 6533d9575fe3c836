"""Sample dossiers for previews, the render script and the tests (made-up people and data).

``sample_dossier()`` is an ordinary dossier; ``sample_dossier(longest=True)`` stretches every
text: a 250-character procedure name, a long organisation name and address, 12 documents.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.dossier_views import (
    BookRow,
    DocumentLine,
    DossierView,
    HandoverView,
    NoticeView,
    Party,
)
from shared.forms.build import TrackingBook

RECEIVED = datetime(2026, 4, 24, 1, 5, tzinfo=UTC)  # 08:05, 24/4/2026 in Việt Nam
DUE = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)  # 16:30, 04/05/2026
CODE = "000.00.10.H39-260424-0007"
SECRET = "K7M2P9QX"

LONG_PROCEDURE = (
    "Thủ tục cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền "
    "với đất lần đầu cho hộ gia đình, cá nhân, cộng đồng dân cư đã được giao đất, cho thuê đất, "
    "công nhận quyền sử dụng đất trước ngày 01 tháng 7 năm 2014 tại xã Mường Khương"
)
LONG_ORGANISATION = (
    "Công ty Trách nhiệm hữu hạn Một thành viên Đầu tư Xây dựng và Phát triển Nông nghiệp "
    "Công nghệ cao Đồng bằng sông Cửu Long"
)
LONG_CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế – Chi nhánh khu vực Phong Điền"
LONG_AGENCY = "Văn phòng Ủy ban nhân dân tỉnh Thừa Thiên Huế"

DOCUMENTS = (
    DocumentLine("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04a/ĐK)", originals=1),
    DocumentLine("Giấy tờ về quyền sử dụng đất", certified=1),
    DocumentLine("Căn cước công dân của người đề nghị", copies=1),
)
LONG_DOCUMENTS = tuple(
    DocumentLine(
        f"Giấy tờ số {n}: bản vẽ, sơ đồ, văn bản xác nhận của Ủy ban nhân dân xã về nguồn gốc "
        f"và thời điểm sử dụng đất, tình trạng tranh chấp đất đai (đợt {n})",
        originals=1,
        certified=n % 3,
        copies=2 if n % 2 else 0,
    )
    for n in range(1, 13)
)


def sample_dossier(*, longest: bool = False) -> DossierView:
    """A dossier whose result is ready (on time), after two hand-over steps and Mẫu 02/03/04
    notices."""
    applicant = Party(
        kind="organisation" if longest else "person",
        name=LONG_ORGANISATION if longest else "Nguyễn Thị Ngọc Ánh",
        id_type="tax" if longest else "cccd",
        id_number="0312345678001" if longest else "079301000123",
        address=(
            "Số 1234/56/78 đường Nguyễn Thị Minh Khai nối dài, khu phố Tân Lập Đông, phường Thuận "
            "Giao, thành phố Thuận An, tỉnh Bình Dương"
            if longest
            else "Số 12 đường Trần Hưng Đạo, phường Tân An, tỉnh Long An"
        ),
        phone="0912 345 678",
        email="phongphaply.congtydautuxaydung@example.com.vn" if longest else "",
    )
    submitter = Party(kind="person", name="Trần Văn Bảy") if longest else None
    handed = datetime(2026, 4, 24, 2, 0, tzinfo=UTC)
    handovers = (
        HandoverView(
            position=1,
            from_unit="Bộ phận tiếp nhận và trả kết quả",
            to_unit="Văn phòng đăng ký đất đai chi nhánh khu vực" if longest else "Phòng Tư pháp",
            handed_at=handed,
            due_at=datetime(2026, 4, 30, 9, 0, tzinfo=UTC),
            result_at=datetime(2026, 4, 29, 8, 15, tzinfo=UTC),
            result="Đã giải quyết",
            note="",
            timeliness="early",
            progress=None,
            user="Lê Thị Hồng",
        ),
        HandoverView(
            position=2,
            from_unit="Phòng Tư pháp",
            to_unit="Bộ phận tiếp nhận và trả kết quả",
            handed_at=datetime(2026, 4, 29, 8, 30, tzinfo=UTC),
            due_at=DUE,
            result_at=None,
            result="",
            note="Chờ trả kết quả",
            timeliness=None,
            progress="due_today",
            user="Phạm Văn Đức",
        ),
    )
    notices = (
        NoticeView(
            form="02",
            number="15/HDHS",
            created_at=datetime(2026, 4, 24, 1, 20, tzinfo=UTC),
            reason="Thiếu bản sao có chứng thực giấy tờ về quyền sử dụng đất; sơ đồ thửa đất "
            "chưa có xác nhận của Ủy ban nhân dân xã.",
            missing=DOCUMENTS[1:2]
            + (DocumentLine("Sơ đồ thửa đất có xác nhận của UBND xã", originals=1),),
            user="Lê Thị Hồng",
        ),
        NoticeView(
            form="03",
            number="03/TC",
            created_at=datetime(2026, 4, 24, 1, 30, tzinfo=UTC),
            reason="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan; đề nghị ông (bà) nộp "
            "hồ sơ tại Văn phòng đăng ký đất đai tỉnh.",
            user="Lê Thị Hồng",
        ),
        NoticeView(
            form="04",
            number="07/XL",
            created_at=datetime(2026, 5, 4, 2, 0, tzinfo=UTC),
            reason="Cần thêm thời gian xác minh nguồn gốc sử dụng đất với Ủy ban nhân dân xã.",
            new_due_at=datetime(2026, 5, 11, 9, 0, tzinfo=UTC),
            user="Lê Thị Hồng",
        ),
    )
    return DossierView(
        id=7,
        code=CODE,
        secret=SECRET,
        centre="HCC-LA",
        centre_name=LONG_CENTRE if longest else "Trung tâm Phục vụ hành chính công tỉnh Long An",
        agency=LONG_AGENCY if longest else "UBND tỉnh Long An",
        agency_eid="000.00.10.H39",
        place="Thừa Thiên Huế" if longest else "Long An",
        procedure_code="1.012345",
        procedure_name=LONG_PROCEDURE if longest else "Đăng ký khai sinh",
        procedure_name_en="Birth registration",
        procedure_version=1,
        processing_days=10 if longest else 5,
        processing_hours=None,
        cutoff=None,
        fee=150000 if longest else 0,
        fee_note="nộp tại quầy" if longest else "",
        status=9,
        channel=1,
        applicant=applicant,
        submitter=submitter,
        documents=LONG_DOCUMENTS if longest else DOCUMENTS,
        sets=1,
        result_delivery="post" if longest else "desk",
        result_address="",
        received_at=RECEIVED,
        due_at=DUE,
        appointment_at=DUE,
        result_ready_at=datetime(2026, 5, 4, 2, 30, tzinfo=UTC),  # 09:30, 04/05/2026
        returned_at=None,
        timeliness="on_time",
        progress=None,
        received_by="Lê Thị Hồng",
        counter=5,
        ticket_id=1023,
        register_no=7,
        register_volume="2026",
        handovers=handovers,
        notices=notices,
    )


def sample_book(rows: int = 30, *, longest: bool = False) -> TrackingBook:
    """A tracking book of ``rows`` lines (landscape, several pages when long)."""
    lines = []
    for n in range(1, rows + 1):
        received = datetime(2026, 4, 1 + n % 28, 1, 5 + n % 50, tzinfo=UTC)
        lines.append(
            BookRow(
                register_no=n,
                code=f"000.00.10.H39-2604{1 + n % 28:02d}-{n:04d}",
                procedure_name=LONG_PROCEDURE if longest and n % 3 == 0 else "Đăng ký khai sinh",
                sets=1,
                applicant_name=LONG_ORGANISATION if longest and n % 4 == 0 else "Nguyễn Văn An",
                applicant_contact="Số 12 Trần Hưng Đạo, phường Tân An; 0912 345 678",
                lead_unit="Phòng Tư pháp",
                received_at=received,
                due_at=DUE,
                sent_at=received if n % 2 else None,
                result_back_at=None,
                returned_at=None,
                note="",
            )
        )
    return TrackingBook(
        rows=tuple(lines),
        centre_name="Trung tâm Phục vụ hành chính công tỉnh Long An",
        agency="UBND tỉnh Long An",
        date_from=date(2026, 4, 1),
        date_to=date(2026, 4, 30),
        place="Long An",
        volume="2026",
    )
