"""The dossier desk on a real SQLite file and on the real PostgreSQL server: codes, due dates on
the working calendar, validation, the status lifecycle, hand-overs, notices, search, the
tracking book, the kiosk lookup and what the event log may hold."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from shared.catalog import import_catalog, parse_catalog
from shared.codes import encode_dossier, encode_ticket
from shared.db import Database
from shared.dossier_views import (
    ACCEPTED,
    CHANNEL_ONLINE,
    FEES_DUE,
    PROCESSING,
    REFUSED,
    RESULT_READY,
    RETURNED,
    STOPPED,
    SUBMITTED,
    SUPPLEMENT,
    WITHDRAWN,
    DocumentLine,
    Party,
    ReceiveForm,
)
from shared.dossiers import (
    FINAL_STATUSES,
    TRANSITIONS,
    DossierDesk,
    book_csv,
    lookup,
    lookup_scan,
    wait_after,
)
from shared.errors import (
    DossierError,
    DossierInvalid,
    DossierSecretMismatch,
    DossierStepRefused,
    DossierTransitionRefused,
    LookupRefused,
    LookupSlowDown,
    MalformedCode,
    TamperedCode,
    UnknownCounter,
    UnknownDossier,
    UnknownProcedure,
)
from shared.i18n import set_language
from shared.models import Dossier, DossierSequence, Event, LookupGuard
from shared.users import add_user
from shared.workcal import prefill, set_work_day

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EID = "000.00.10.H39"
NAME = "Nguyễn Văn An"
CCCD = "080085012345"
PHONE = "0912345678"
ADDRESS = "12 Hùng Vương, Phường 1, Tân An"
EMAIL = "an.nguyen@example.vn"

CATALOG = """\
format = 1

[centre]
code = "{code}"
name = "Trung tâm Phục vụ hành chính công thử nghiệm"
agency = "UBND TỈNH THỬ NGHIỆM"
agency_eid = "{eid}"
place = "Tân An"

[[sectors]]
code = "DD"
name = "Đất đai"

[[sectors]]
code = "TP"
name = "Tư pháp"

[[services]]
code = "DD"
name = "Đất đai"
sector = "DD"
start = 1001
end = 1999

[[services]]
code = "HT"
name = "Hộ tịch"
sector = "TP"
start = 2001
end = 2999

[[procedures]]
code = "1.013831"
name = "Đăng ký biến động quyền sử dụng đất"
name_en = "Registration of land transfers"
sector = "DD"
service = "DD"
processing_days = {land_days}
fee = 50000
documents = [
    {{ name = "Đơn đăng ký biến động đất đai (Mẫu số 18)", original = 1 }},
    {{ name = "Bản gốc Giấy chứng nhận đã cấp", original = 1 }},
    {{ name = "Hợp đồng chuyển nhượng đã công chứng", original = 1, certified_copy = 1 }},
]

[[procedures]]
code = "1.001193"
name = "Đăng ký khai sinh"
name_en = "Birth registration"
sector = "TP"
service = "HT"
processing_days = 0
cutoff = "15:00"
documents = ["Tờ khai đăng ký khai sinh", {{ name = "Giấy chứng sinh", original = 1 }}]

[[procedures]]
code = "2.000908"
name = "Chứng thực bản sao từ bản chính"
sector = "TP"
service = "HT"
processing_hours = 4

[[counters]]
number = 1
services = ["DD", "HT"]
"""


def catalog(code: str = "TEST", eid: str = EID, land_days: float = 8) -> str:
    return CATALOG.format(code=code, eid=eid, land_days=land_days)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


@pytest.fixture
def desk(db: Database) -> DossierDesk:
    import_catalog(db, parse_catalog(catalog()))
    prefill(db, 2026)  # the 2026 days off through the calendar's own use case
    user = add_user(db, "lan", "mat-khau-dai-du", "clerk", full_name="Trần Thị Lan")
    return DossierDesk(db, "TEST", user_id=user.id)


def form(
    procedure: str = "1.013831",
    *,
    name: str = NAME,
    id_number: str = CCCD,
    id_type: str | None = "cccd",
    phone: str = PHONE,
    email: str = EMAIL,
    **options: object,
) -> ReceiveForm:
    applicant = Party(
        kind="person",
        name=name,
        id_type=id_type,  # type: ignore[arg-type]
        id_number=id_number,
        address=ADDRESS,
        phone=phone,
        email=email,
    )
    return ReceiveForm(procedure_code=procedure, applicant=applicant, **options)  # type: ignore[arg-type]


FRIDAY = local(2026, 4, 24, 14, 30)
"""Friday afternoon before the Giỗ Tổ make-up day (Monday 27/4) and 30/4–1/5."""


# --- codes and due dates ---------------------------------------------------------------------


def test_the_land_dossier_of_friday_24_april_2026_is_due_on_11_may(desk: DossierDesk) -> None:
    """8 working days: 27/4 (make-up for Giỗ Tổ on Sunday 26/4), 30/4 and 1/5 are off, so the
    days are 28, 29/4, 4, 5, 6, 7, 8 and 11/5; due at the receipt's time of day."""
    view = desk.receive(form(), received_at=FRIDAY)
    assert view.code == f"{EID}-260424-0001"
    assert view.due_at == local(2026, 5, 11, 14, 30)
    assert view.appointment_at == view.due_at
    assert view.status == ACCEPTED
    assert view.procedure_version == 1 and view.processing_days == 8
    assert view.fee == 50000
    assert [d.name for d in view.documents][0].startswith("Đơn đăng ký biến động")
    assert view.documents[2].certified == 1
    assert view.register_no == 1 and view.register_volume == "2026"
    assert view.received_by == "Trần Thị Lan"
    assert view.place == "Tân An" and view.agency_eid == EID
    assert len(view.secret) == 8


def test_same_day_and_hour_procedures_follow_the_cutoff_and_the_hours(desk: DossierDesk) -> None:
    before = desk.receive(form("1.001193"), received_at=local(2026, 4, 24, 14, 59))
    assert before.due_at == local(2026, 4, 24, 17, 0)
    after = desk.receive(form("1.001193"), received_at=local(2026, 4, 24, 15, 0))
    assert after.due_at == local(2026, 4, 28, 17, 0)  # not Monday 27/4: a day off
    hours = desk.receive(form("2.000908"), received_at=local(2026, 4, 24, 15, 0))
    # 2 hours on Friday (15:00–17:00), 2 more on Tuesday from 07:30.
    assert hours.due_at == local(2026, 4, 28, 9, 30)


# Received "now" on the product's clock, at every edge of the day and of the calendar; the due
# dates worked out by hand from docs/calendar.md (8 working days for 1.013831, same day with a
# 15:00 cut-off for 1.001193). From Wednesday 9/12/2026: no day off before 1/1/2027, and
# Saturday 26/12 is worked.
RECEIVED_NOW = [
    # (the clock, the code's day, same-day due, 8-day due)
    ((2026, 12, 9, 7, 29), "261209", (2026, 12, 9, 17, 0), (2026, 12, 21, 7, 30)),  # before opening
    ((2026, 12, 9, 11, 29), "261209", (2026, 12, 9, 17, 0), (2026, 12, 21, 11, 29)),
    ((2026, 12, 9, 11, 31), "261209", (2026, 12, 9, 17, 0), (2026, 12, 21, 13, 30)),  # lunch
    ((2026, 12, 9, 14, 59), "261209", (2026, 12, 9, 17, 0), (2026, 12, 21, 14, 59)),
    ((2026, 12, 9, 15, 1), "261209", (2026, 12, 10, 17, 0), (2026, 12, 21, 15, 1)),  # cut-off
    ((2026, 12, 9, 17, 1), "261209", (2026, 12, 10, 17, 0), (2026, 12, 22, 7, 30)),  # closed
    ((2026, 12, 9, 23, 59), "261209", (2026, 12, 10, 17, 0), (2026, 12, 22, 7, 30)),
    ((2026, 12, 10, 0, 0), "261210", (2026, 12, 10, 17, 0), (2026, 12, 22, 7, 30)),  # UTC: 9/12
    ((2026, 12, 13, 10, 0), "261213", (2026, 12, 14, 17, 0), (2026, 12, 24, 7, 30)),  # Sunday
    ((2026, 12, 26, 9, 0), "261226", (2026, 12, 26, 17, 0), (2027, 1, 7, 9, 0)),  # worked Sat
    ((2026, 9, 2, 9, 0), "260902", (2026, 9, 3, 17, 0), (2026, 9, 15, 7, 30)),  # Quốc khánh
]


@pytest.mark.parametrize(("moment", "day", "same_day", "eight_days"), RECEIVED_NOW)
def test_received_now_at_the_edges_of_the_day_and_the_calendar(
    db: Database,
    desk: DossierDesk,
    clock,  # noqa: ANN001
    moment: tuple[int, ...],
    day: str,
    same_day: tuple[int, ...],
    eight_days: tuple[int, ...],
) -> None:
    set_work_day(db, date(2026, 12, 26), "Làm bù")  # a Saturday worked, entered by hand
    clock.set(local(*moment))
    quick = desk.receive(form("1.001193"))
    land = desk.receive(form())
    assert quick.received_at == land.received_at == local(*moment)
    assert quick.code == f"{EID}-{day}-0001" and land.code == f"{EID}-{day}-0002"
    assert quick.due_at == local(*same_day)
    assert land.due_at == land.appointment_at == local(*eight_days)
    # Just received: within its time (or due today), never "early".
    assert (quick.timeliness, quick.progress) == (
        None,
        "due_today" if (same_day[:3] == moment[:3]) else "in_time",
    )
    assert (land.timeliness, land.progress) == (None, "in_time")


def test_codes_run_per_agency_and_local_day(db: Database, desk: DossierDesk) -> None:
    codes = [desk.receive(form(), received_at=FRIDAY + timedelta(minutes=i)).code for i in range(3)]
    assert codes == [f"{EID}-260424-{n:04d}" for n in (1, 2, 3)]
    # 00:30 in Vietnam on 25/4 is still 24/4 in UTC: the local day counts.
    late = desk.receive(form(), received_at=datetime(2026, 4, 24, 17, 30, tzinfo=UTC))
    assert late.code == f"{EID}-260425-0001"
    # Another agency numbers from 1 on the same day.
    import_catalog(db, parse_catalog(catalog(code="OTHER", eid="000.00.20.H39")))
    other = DossierDesk(db, "OTHER").receive(form(), received_at=FRIDAY)
    assert other.code == "000.00.20.H39-260424-0001"
    with db.transaction(readonly=True) as s:
        sequences = {
            (r.agency_eid, r.period): r.last_seq for r in s.scalars(select(DossierSequence))
        }
    assert sequences == {
        (EID, date(2026, 4, 24)): 3,
        (EID, date(2026, 4, 25)): 1,
        ("000.00.20.H39", date(2026, 4, 24)): 1,
    }


def test_a_catalogue_edit_never_moves_an_old_due_date(db: Database, desk: DossierDesk) -> None:
    old = desk.receive(form(), received_at=FRIDAY)
    import_catalog(db, parse_catalog(catalog(land_days=15)))
    again = desk.show(old.code)
    assert again.due_at == old.due_at == local(2026, 5, 11, 14, 30)
    assert (again.procedure_version, again.processing_days) == (1, 8)
    new = desk.receive(form(), received_at=FRIDAY)
    assert (new.procedure_version, new.processing_days) == (2, 15)
    assert new.due_at > old.due_at


def test_a_repeated_request_id_returns_the_first_dossier(desk: DossierDesk) -> None:
    first = desk.receive(form(), received_at=FRIDAY, request_id="counter1-42")
    second = desk.receive(form(), received_at=FRIDAY, request_id="counter1-42")
    assert first.code == second.code
    assert desk.receive(form(), received_at=FRIDAY).code.endswith("-0002")


def test_unknown_procedure_is_refused(desk: DossierDesk) -> None:
    with pytest.raises(UnknownProcedure) as caught:
        desk.receive(form("9.999999"), received_at=FRIDAY)
    assert caught.value.exit_code == 3


# --- validation ------------------------------------------------------------------------------


def test_validation_names_every_wrong_field_and_writes_nothing(
    db: Database, desk: DossierDesk
) -> None:
    set_language("vi")
    bad = form(
        name="  ",
        id_number="999085012345",
        phone="12345",
        email="an@",
        sets=0,
        channel=4,
        result_delivery="post",
        result_address="",
        fee=-1,
        documents=(DocumentLine("Tờ khai", originals=100), DocumentLine("", copies=-1)),
    )
    problems = desk.validate(bad)
    assert set(problems) == {
        "applicant.name",
        "applicant.id_number",
        "applicant.phone",
        "applicant.email",
        "sets",
        "channel",
        "result_address",
        "fee",
        "documents[0].originals",
        "documents[1].name",
        "documents[1].copies",
    }
    assert problems["applicant.id_number"] == (
        "Ba số đầu của CCCD không phải mã tỉnh nơi đăng ký khai sinh"
    )
    with pytest.raises(DossierInvalid) as caught:
        desk.receive(bad, received_at=FRIDAY)
    assert caught.value.errors == problems
    assert caught.value.exit_code == 3
    assert "applicant.phone" in caught.value.message
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == 0
        assert s.scalar(select(func.count()).select_from(DossierSequence)) == 0
    # The number was not used: the next valid dossier is 0001.
    assert desk.receive(form(), received_at=FRIDAY).code.endswith("-0001")


def test_validation_messages_follow_the_language(desk: DossierDesk) -> None:
    set_language("en")
    try:
        problems = desk.validate(form(id_number="080227012345"))  # born 2027
    finally:
        set_language("vi")
    message = "Digits 4–6 of the CCCD (century, sex, year of birth) are not possible"
    assert problems == {"applicant.id_number": message}


@pytest.mark.parametrize(
    ("id_type", "number", "field"),
    [
        ("cmnd", "025123456", None),
        ("passport", "c1234567", None),
        ("tax", "0301234567-001", None),
        ("tax", "0301234567001", "applicant.id_number"),
        (None, "025123456", "applicant.id_type"),
        ("cccd", "", None),
    ],
)
def test_id_types(desk: DossierDesk, id_type: str | None, number: str, field: str | None) -> None:
    problems = desk.validate(form(id_type=id_type, id_number=number))
    assert list(problems) == ([field] if field else [])


def test_text_is_stored_nfc_and_found_without_tone_marks(desk: DossierDesk) -> None:
    decomposed = unicodedata.normalize("NFD", "Đặng Thị Ánh")
    view = desk.receive(
        form("1.001193", name=decomposed, phone="+84 912 345 678"), received_at=FRIDAY
    )
    assert view.applicant.name == unicodedata.normalize("NFC", "Đặng Thị Ánh")
    assert view.applicant.phone == "0912345678"
    assert [r.code for r in desk.search("dang ky khai sinh")] == [view.code]
    assert [r.code for r in desk.search("DANG THI ANH")] == [view.code]
    assert [r.code for r in desk.search("260424-0001")] == [view.code]
    assert desk.search("khai tu") == []
    assert desk.search("100%_") == []  # LIKE wildcards are matched literally


def test_post_delivery_needs_an_address(desk: DossierDesk) -> None:
    assert "result_address" in desk.validate(form(result_delivery="post"))
    view = desk.receive(
        form(result_delivery="post", result_address="Bưu điện Tân An", channel=3),
        received_at=FRIDAY,
    )
    assert (view.result_delivery, view.result_address, view.channel) == (
        "post",
        "Bưu điện Tân An",
        3,
    )


# --- submitted online (status 1) ---------------------------------------------------------------

SATURDAY_NIGHT = local(2026, 4, 25, 22, 0)
"""An online submission on a non-working day, before the Giỗ Tổ make-up day (Monday 27/4)."""


def test_an_online_dossier_waits_at_1_and_its_clock_starts_at_acceptance(
    db: Database, desk: DossierDesk
) -> None:
    online = desk.register(form(), submitted_at=SATURDAY_NIGHT, request_id="portal-1")
    assert online.status == SUBMITTED and online.channel == CHANNEL_ONLINE
    assert online.code == f"{EID}-260425-0001"  # numbered at once: the citizen follows it
    assert online.received_at == SATURDAY_NIGHT
    assert online.timeliness is None and online.progress is None and online.counter is None
    assert desk.register(form(), submitted_at=SATURDAY_NIGHT, request_id="portal-1") == online
    # The legal clock has not started: never late, whatever the provisional date says.
    much_later = local(2026, 7, 1, 9, 0)
    late_look = desk.show(online.code, now=much_later)
    assert late_look.timeliness is None and late_look.progress is None
    assert [(r.code, r.late) for r in desk.search(now=much_later)] == [(online.code, False)]
    public = lookup(db, online.code, online.secret, now=much_later)
    assert public.status == SUBMITTED and public.timeliness is None and public.progress is None
    assert public.next_step == "dossier.next.accept"
    # Accepted on Tuesday 28/4 at 09:00 at counter 1: 8 working days from then (29/4, 4–8/5,
    # 11/5, 12/5), not from the submission.
    accepted_at = local(2026, 4, 28, 9, 0)
    view = desk.accept(online.code.lower(), counter=1, now=accepted_at)
    assert view.status == ACCEPTED and view.code == online.code
    assert view.received_at == accepted_at
    assert view.due_at == view.appointment_at == local(2026, 5, 12, 9, 0)
    assert view.received_by == "Trần Thị Lan" and view.counter == 1
    assert "nộp trực tuyến lúc 25/04/2026 22:00" in view.note
    # Open: no final timeliness, its progress measured from now on against the new due date.
    assert view.timeliness is None and view.progress == "in_time"
    with pytest.raises(DossierTransitionRefused):
        desk.accept(online.code, now=accepted_at)
    with db.transaction(readonly=True) as s:
        kinds = list(
            s.scalars(select(Event.kind).where(Event.dossier_id == view.id).order_by(Event.id))
        )
    assert kinds[0] == "dossier.registered" and kinds[-1] == "dossier.accepted"


def test_a_same_day_online_dossier_counts_from_its_acceptance(desk: DossierDesk) -> None:
    online = desk.register(form("1.001193"), submitted_at=local(2026, 4, 24, 10, 0))
    assert online.due_at == local(2026, 4, 24, 17, 0)  # provisional: as if accepted at 10:00
    # Accepted after the 15:00 cut-off on Friday: due on the next working day, Tuesday 28/4.
    view = desk.accept(online.code, now=local(2026, 4, 24, 15, 30))
    assert view.due_at == local(2026, 4, 28, 17, 0)


def test_an_online_dossier_is_refused_withdrawn_or_accepted_by_status(
    desk: DossierDesk,
) -> None:
    submitted = local(2026, 4, 24, 10, 0)
    refused = desk.register(form(), submitted_at=submitted).code
    view = desk.refuse(refused, "Hồ sơ không thuộc thẩm quyền", now=local(2026, 4, 24, 11, 0))
    assert view.status == REFUSED and view.notices[-1].number == "1/TCHS"
    with pytest.raises(DossierTransitionRefused):
        desk.accept(refused)
    withdrawn = desk.register(form(), submitted_at=submitted).code
    assert desk.set_status(withdrawn, WITHDRAWN).status == WITHDRAWN
    waiting = desk.register(form(), submitted_at=submitted).code
    for refused_move in (
        lambda: desk.set_status(waiting, PROCESSING),
        lambda: desk.mark_ready(waiting),
        lambda: desk.hand_over(waiting, "Văn phòng đăng ký đất đai"),
        lambda: desk.reschedule(waiting, local(2026, 6, 1, 9, 0), "Chưa tiếp nhận"),
        lambda: desk.request_supplement(waiting, (), "Thiếu"),
    ):
        with pytest.raises(DossierTransitionRefused):
            refused_move()
    with pytest.raises(DossierError) as early:
        desk.accept(waiting, now=local(2026, 4, 24, 9, 59))
    assert early.value.exit_code == 3 and waiting in early.value.message
    with pytest.raises(UnknownCounter):
        desk.accept(waiting, counter=99, now=local(2026, 4, 28, 9, 0))
    # "status --set 2" is an acceptance too: the due date counts from it.
    view = desk.set_status(waiting, ACCEPTED, "Đủ hồ sơ", now=local(2026, 4, 28, 9, 0))
    assert view.status == ACCEPTED and view.due_at == local(2026, 5, 12, 9, 0)
    assert "Đủ hồ sơ" in view.note
    # A dossier received at the counter never goes back to 1.
    counter = desk.receive(form(), received_at=FRIDAY).code
    with pytest.raises(DossierTransitionRefused):
        desk.accept(counter)


def test_online_register_and_accept_from_the_command_line(
    db_url: str, desk: DossierDesk, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.commands import main

    base = ["dossier", "receive", "--db", db_url, "--procedure", "1.013831", "--name", NAME]
    assert main([*base, "--online", "--received-at", "2026-04-25T22:00", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["status"] == SUBMITTED and got["dossier"]["channel"] == CHANNEL_ONLINE
    assert main([*base, "--online", "--counter", "1"]) == 3
    assert "accept" in capsys.readouterr().err
    accept = ["dossier", "accept", got["code"], "--db", db_url, "--user", "lan"]
    assert main([*accept, "--at", "2026-04-28T09:00", "--counter", "1", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["status"] == ACCEPTED
    assert done["received_at"] == "2026-04-28T09:00:00+07:00"  # local time
    assert done["due_at"] == "2026-05-12T09:00:00+07:00"
    assert done["dossier"]["received_by"] == "Trần Thị Lan"
    assert main(accept) == 3  # already accepted
    assert "Được tiếp nhận" in capsys.readouterr().err


# --- lifecycle -------------------------------------------------------------------------------


def test_the_transition_table() -> None:
    assert FINAL_STATUSES == {REFUSED, WITHDRAWN, STOPPED, RETURNED}
    assert TRANSITIONS[ACCEPTED] >= {PROCESSING}
    assert TRANSITIONS[PROCESSING] == {SUPPLEMENT, FEES_DUE, STOPPED, RESULT_READY, WITHDRAWN}
    assert PROCESSING in TRANSITIONS[SUPPLEMENT]
    assert TRANSITIONS[RESULT_READY] == {RETURNED}
    assert all(RETURNED not in targets for s, targets in TRANSITIONS.items() if s != RESULT_READY)


def test_a_dossier_goes_through_processing_to_its_return(desk: DossierDesk) -> None:
    code = desk.receive(form(), received_at=FRIDAY).code
    t = FRIDAY + timedelta(days=4)
    assert desk.set_status(code, PROCESSING, now=t).status == PROCESSING
    missing = (DocumentLine("Bản sao sổ hộ khẩu", certified=1),)
    supplement = desk.request_supplement(code, missing, "Thiếu giấy tờ", now=t)
    assert supplement.status == SUPPLEMENT
    assert supplement.notices[0].form == "02" and supplement.notices[0].number == "1/HDHS"
    assert supplement.notices[0].missing == missing
    assert desk.set_status(code, PROCESSING, "Đã bổ sung", now=t).status == PROCESSING
    with pytest.raises(DossierTransitionRefused):
        desk.set_status(code, RETURNED, now=t)  # only by handing the result over
    ready = desk.mark_ready(code, now=local(2026, 5, 8, 10, 0))
    assert ready.status == RESULT_READY and ready.timeliness == "early"
    with pytest.raises(DossierTransitionRefused):
        desk.set_status(code, PROCESSING, now=t)
    returned = desk.return_result(code, now=local(2026, 5, 12, 9, 0))
    assert returned.status == RETURNED
    assert returned.returned_at == local(2026, 5, 12, 9, 0)
    # Final: the timeliness fixed when the result was ready stays "early".
    assert desk.show(code).timeliness == "early"
    for target in (PROCESSING, SUPPLEMENT, RESULT_READY, STOPPED):
        with pytest.raises(DossierTransitionRefused):
            desk.set_status(code, target)
    assert "Đã bổ sung" in returned.note


@pytest.mark.parametrize("final", [REFUSED, WITHDRAWN, STOPPED])
def test_final_statuses_accept_nothing(desk: DossierDesk, final: int) -> None:
    code = desk.receive(form(), received_at=FRIDAY).code
    if final == REFUSED:
        view = desk.refuse(code, "Hồ sơ không thuộc thẩm quyền")
        assert view.notices[-1].form == "03" and view.notices[-1].number == "1/TCHS"
    else:
        desk.set_status(code, final)
    for target in (ACCEPTED, PROCESSING, SUPPLEMENT, RESULT_READY):
        with pytest.raises(DossierTransitionRefused):
            desk.set_status(code, target)
    with pytest.raises(DossierTransitionRefused):
        desk.hand_over(code, "Sở Tài nguyên và Môi trường")


def test_open_dossiers_are_within_time_due_today_or_overdue_never_early(
    desk: DossierDesk,
) -> None:
    """An open dossier has no timeliness yet (Trước hạn / Đúng hạn / Quá hạn are words for a
    result): it is within its time, due today, or overdue; the list says the same."""
    code = desk.receive(form(), received_at=FRIDAY).code  # due Monday 11/5 14:30
    for moment, progress in (
        (local(2026, 4, 24, 16, 0), "in_time"),  # the moment it was received
        (local(2026, 5, 8, 17, 0), "in_time"),  # the working day before
        (local(2026, 5, 10, 23, 59), "in_time"),  # Sunday night, the last minute before
        (local(2026, 5, 11, 0, 0), "due_today"),  # 17:00 UTC on Sunday: already Monday here
        (local(2026, 5, 11, 14, 30), "due_today"),
        (local(2026, 5, 11, 14, 31), "overdue"),
        (local(2026, 6, 1, 9, 0), "overdue"),
    ):
        view = desk.show(code, now=moment)
        row = desk.row(code, now=moment)
        assert (view.timeliness, view.progress) == (None, progress), moment
        assert (row.timeliness, row.progress, row.late) == (None, progress, progress == "overdue")


def test_a_result_ready_after_the_due_date_is_late_for_good(desk: DossierDesk) -> None:
    code = desk.receive(form(), received_at=FRIDAY).code
    assert desk.show(code, now=local(2026, 5, 11, 14, 30)).progress == "due_today"
    assert desk.show(code, now=local(2026, 5, 11, 14, 31)).progress == "overdue"
    desk.set_status(code, PROCESSING, now=local(2026, 5, 11, 15, 0))
    view = desk.mark_ready(code, now=local(2026, 5, 12, 8, 0))
    assert (view.timeliness, view.progress) == ("late", None)
    desk.return_result(code, now=local(2026, 5, 12, 9, 0))
    final = desk.show(code, now=local(2027, 1, 1, 0, 0))
    assert (final.timeliness, final.progress) == ("late", None)


@pytest.mark.parametrize(
    ("ready_at", "timeliness"),
    [
        ((2026, 5, 8, 17, 0), "early"),  # the working day before the due day
        ((2026, 5, 11, 7, 30), "on_time"),  # the due day, before the due time
        ((2026, 5, 11, 14, 30), "on_time"),  # the due minute itself
        ((2026, 5, 11, 14, 31), "late"),
    ],
)
def test_a_finished_dossier_is_early_on_time_or_late(
    desk: DossierDesk, ready_at: tuple[int, ...], timeliness: str
) -> None:
    code = desk.receive(form(), received_at=FRIDAY).code
    at = local(*ready_at)
    view = desk.mark_ready(code, now=at)
    assert (view.timeliness, view.progress) == (timeliness, None)
    assert desk.row(code, now=at + timedelta(days=90)).timeliness == timeliness


def test_hand_over_steps_are_added_never_overwritten(desk: DossierDesk) -> None:
    code = desk.receive(form(), received_at=FRIDAY).code
    first = desk.hand_over(code, "Văn phòng đăng ký đất đai", days=3, now=local(2026, 4, 28, 8, 0))
    assert first.status == PROCESSING
    step = first.handovers[0]
    assert (step.position, step.from_unit) == (1, "Bộ phận Tiếp nhận và Trả kết quả")
    assert step.due_at == local(2026, 5, 5, 8, 0)  # 3 working days: 29/4, 4/5, 5/5
    assert step.user == "Trần Thị Lan" and step.result_at is None
    assert (step.timeliness, step.progress) == (None, "in_time")  # no result: no timeliness
    assert desk.show(code, now=local(2026, 5, 5, 8, 1)).handovers[0].progress == "overdue"
    second = desk.hand_over(code, "Chi cục Thuế", days=2, now=local(2026, 5, 6, 9, 0))
    one, two = second.handovers
    assert one.result_at == local(2026, 5, 6, 9, 0) and one.timeliness == "late"
    assert one.progress is None
    assert two.from_unit == "Văn phòng đăng ký đất đai"
    assert two.due_at == local(2026, 5, 8, 9, 0)
    third = desk.record_step_result(
        code, 2, "Đã xác định nghĩa vụ tài chính", now=local(2026, 5, 7, 9, 0)
    )
    assert third.handovers[1].result == "Đã xác định nghĩa vụ tài chính"
    assert third.handovers[1].timeliness == "early"
    with pytest.raises(DossierStepRefused):
        desk.record_step_result(code, 2, "Ghi đè")
    with pytest.raises(DossierStepRefused):
        desk.record_step_result(code, 7, "Không có bước này")
    assert desk.show(code).handovers[1].result == "Đã xác định nghĩa vụ tài chính"
    default_due = desk.hand_over(code, "Bộ phận một cửa", now=local(2026, 5, 7, 10, 0))
    assert default_due.handovers[2].due_at == default_due.due_at


def test_reschedule_gives_a_new_appointment_but_keeps_the_legal_due_date(
    desk: DossierDesk,
) -> None:
    code = desk.receive(form(), received_at=FRIDAY).code
    new_date = local(2026, 5, 15, 14, 0)
    view = desk.reschedule(code, new_date, "Chờ kết quả xác minh")
    assert view.appointment_at == new_date
    assert view.due_at == local(2026, 5, 11, 14, 30)
    notice = view.notices[-1]
    assert (notice.form, notice.number, notice.new_due_at) == ("04", "1/XLHS", new_date)
    with pytest.raises(DossierError) as caught:
        desk.reschedule(code, local(2026, 5, 14, 14, 0), "Sớm hơn")
    assert caught.value.exit_code == 3
    again = desk.request_supplement(desk.receive(form()).code, (), "Thiếu")
    assert again.notices[-1].number == "1/HDHS"
    third = desk.receive(form()).code
    assert desk.request_supplement(third, (), "Thiếu").notices[-1].number == "2/HDHS"


def test_return_result_takes_the_scanned_slip(desk: DossierDesk) -> None:
    view = desk.receive(form(), received_at=FRIDAY)
    desk.mark_ready(view.code)
    with pytest.raises(DossierSecretMismatch):
        desk.return_result(encode_dossier(view.code, "23456789"))
    with pytest.raises(MalformedCode):
        desk.return_result(encode_ticket("TEST", date(2026, 4, 24), "1023", view.secret))
    good = encode_dossier(view.code, view.secret)
    with pytest.raises(TamperedCode):
        desk.return_result(good[:-1] + ("A" if good[-1] != "A" else "B"))
    url = encode_dossier(view.code, view.secret, "https://dichvucong.example.vn/tra-cuu")
    assert desk.return_result(url + "\r\n").status == RETURNED


def test_unknown_codes(desk: DossierDesk) -> None:
    with pytest.raises(UnknownDossier):
        desk.show(f"{EID}-260424-0099")
    with pytest.raises(UnknownDossier):
        desk.mark_ready("nonsense")


# --- lists -----------------------------------------------------------------------------------


def test_search_puts_late_dossiers_first(desk: DossierDesk) -> None:
    land = desk.receive(form(), received_at=FRIDAY).code  # due 11/5
    birth = desk.receive(form("1.001193"), received_at=FRIDAY).code  # due 24/4 17:00
    ready = desk.receive(form("1.001193", name="Lê Văn Bình"), received_at=FRIDAY).code
    desk.mark_ready(ready, now=local(2026, 4, 24, 16, 0))
    rows = desk.search(now=local(2026, 4, 28, 9, 0))
    assert [r.code for r in rows] == [birth, ready, land]
    assert [r.late for r in rows] == [True, False, False]
    assert [(r.timeliness, r.progress) for r in rows] == [
        (None, "overdue"),
        ("on_time", None),
        (None, "in_time"),
    ]
    assert [r.code for r in desk.search(status=RESULT_READY)] == [ready]
    assert [r.code for r in desk.search("binh", now=local(2026, 4, 28, 9, 0))] == [ready]
    assert len(desk.search(limit=1)) == 1
    assert all(not hasattr(r, "phone") for r in rows)


def _search_fixture(url: str) -> dict[str, list[str]]:
    """The same dossiers on a fresh database; the codes of a few searches."""
    database = Database(url)
    try:
        database.upgrade()
        import_catalog(database, parse_catalog(catalog()))
        prefill(database, 2026)
        desk = DossierDesk(database, "TEST")
        birth = "1.001193"  # due the same day at 17:00 before the cut-off
        made = [
            desk.receive(form(), received_at=FRIDAY).code,  # due 11/5: not late
            desk.receive(form(birth), received_at=FRIDAY).code,  # late
            desk.receive(form(birth, name="Lê Văn Bình"), received_at=FRIDAY).code,  # late, tie
            desk.receive(form(birth), received_at=local(2026, 4, 23, 9, 0)).code,  # late, earlier
            desk.register(form(birth), submitted_at=local(2026, 4, 22, 9, 0)).code,  # 1: never
            desk.receive(form(), received_at=FRIDAY).code,  # due 11/5, tie with the first
            desk.receive(form(birth, name="Ngô Thị Ý"), received_at=local(2026, 4, 22, 8, 0)).code,
        ]
        desk.mark_ready(made[6], now=local(2026, 4, 28, 8, 0))  # ready late: late for good
        desk.set_status(made[1], PROCESSING)
        now = local(2026, 4, 28, 9, 0)
        return {
            "made": made,
            "all": [r.code for r in desk.search(now=now)],
            "late": [r.code for r in desk.search(now=now) if r.late],
            "nguyen": [r.code for r in desk.search("nguyen van", now=now)],
            "birth": [r.code for r in desk.search("khai sinh", status=ACCEPTED, now=now)],
        }
    finally:
        database.dispose()


@pytest.mark.postgres
def test_search_gives_the_same_order_on_sqlite_and_postgresql(sqlite_url: str, pg_url: str) -> None:
    on_sqlite, on_postgres = _search_fixture(sqlite_url), _search_fixture(pg_url)
    assert on_sqlite == on_postgres
    land, birth, binh, earlier, online, land2, ready = on_sqlite["made"]
    # Late first (by due date, then by number), then the rest by due date; the online dossier
    # at 1 is never late although its provisional date is past.
    assert on_sqlite["all"] == [ready, earlier, birth, binh, online, land, land2]
    assert on_sqlite["late"] == [ready, earlier, birth, binh]
    assert on_sqlite["nguyen"] == [earlier, birth, online, land, land2]
    assert on_sqlite["birth"] == [earlier, binh]


def test_the_tracking_book_and_its_csv(desk: DossierDesk, tmp_path: Path) -> None:
    a = desk.receive(form(), received_at=FRIDAY).code
    b = desk.receive(form("1.001193", name="Lê Văn Bình"), received_at=FRIDAY).code
    desk.receive(form(), received_at=local(2026, 4, 28, 8, 0))
    desk.hand_over(a, "Văn phòng đăng ký đất đai", days=3, now=local(2026, 4, 28, 8, 0))
    rows = desk.tracking_book(date(2026, 4, 24), date(2026, 4, 24))
    assert [(r.register_no, r.code) for r in rows] == [(1, a), (2, b)]
    assert rows[0].lead_unit == "Văn phòng đăng ký đất đai"
    assert rows[0].sent_at == local(2026, 4, 28, 8, 0)
    assert rows[0].applicant_contact == f"{ADDRESS}, {PHONE}"
    path = book_csv(rows, tmp_path / "so-theo-doi.csv", "Asia/Ho_Chi_Minh")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert table[1][1] == a and table[1][4] == NAME
    assert table[1][7] == "24/04/2026 14:30" and table[1][8] == "11/05/2026 14:30"
    assert len(table) == 3


# --- kiosk lookup ------------------------------------------------------------------------------


def test_lookup_shows_nothing_personal(db: Database, desk: DossierDesk) -> None:
    view = desk.receive(form(), received_at=FRIDAY)
    public = lookup(db, view.code.lower(), view.secret.lower())
    assert public.applicant_masked == "N*** V*** A**"
    assert public.next_step == "dossier.next.wait"
    assert public.due_at == view.due_at
    text = json.dumps(public.to_json(), ensure_ascii=False)
    for secret_value in (NAME, CCCD, PHONE, ADDRESS, EMAIL, "Nguyễn"):
        assert secret_value not in text
    desk.set_status(view.code, PROCESSING)
    missing = (DocumentLine("Bản sao sổ đỏ", certified=1),)
    desk.request_supplement(view.code, missing, "Thiếu")
    scanned = lookup_scan(db, encode_dossier(view.code, view.secret))
    assert scanned.next_step == "dossier.next.supplement"
    assert scanned.missing == missing
    desk.set_status(view.code, PROCESSING)
    desk.set_status(view.code, FEES_DUE)
    assert lookup(db, view.code, view.secret).next_step == "dossier.next.pay"
    desk.mark_ready(view.code)
    assert lookup(db, view.code, view.secret).next_step == "dossier.next.collect"
    desk.return_result(view.code)
    assert lookup(db, view.code, view.secret).next_step == "dossier.next.none"


def test_every_wrong_lookup_gets_the_same_answer(db: Database, desk: DossierDesk) -> None:
    view = desk.receive(form(), received_at=FRIDAY)
    other = desk.receive(form(), received_at=FRIDAY)
    attempts = [
        lambda: lookup(db, view.code, "23456789"),  # wrong secret
        lambda: lookup(db, f"{EID}-260424-0999", view.secret),  # unknown code
        lambda: lookup(db, "xyz", "abc"),  # not a code
        lambda: lookup_scan(db, "not a QR of ours"),
        lambda: lookup_scan(db, "001085012345|Nguyễn Văn An|01011985"),  # a CCCD card's QR
        lambda: lookup_scan(db, encode_ticket("TEST", date(2026, 4, 24), "1023", view.secret)),
        lambda: lookup_scan(db, encode_dossier(other.code, view.secret)),  # foreign secret
    ]
    messages = set()
    for attempt in attempts:
        with pytest.raises(LookupRefused) as caught:
            attempt()
        assert type(caught.value) is LookupRefused
        messages.add(caught.value.message)
    assert len(messages) == 1
    assert "001085012345" not in next(iter(messages))


def test_repeated_wrong_lookups_are_slowed_down_for_every_kiosk(
    db_url: str, desk: DossierDesk
) -> None:
    view = desk.receive(form(), received_at=FRIDAY)
    kiosk_a, kiosk_b = Database(db_url), Database(db_url)
    t = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    try:
        for database in (kiosk_a, kiosk_b, kiosk_a):  # 3 free attempts, from two kiosks
            with pytest.raises(LookupRefused):
                lookup(database, view.code, "23456789", now=t)
        waits = []
        for _ in range(3):
            with pytest.raises(LookupSlowDown) as caught:
                lookup(kiosk_b, view.code, "23456789", now=t)
            waits.append(caught.value.retry_after)
            # While locked even the right secret waits (and is not counted).
            with pytest.raises(LookupSlowDown) as locked:
                lookup(kiosk_a, view.code, view.secret, now=t + timedelta(seconds=1))
            assert 0 < locked.value.retry_after <= caught.value.retry_after
            t += timedelta(seconds=caught.value.retry_after)
        assert waits == [wait_after(4), wait_after(5), wait_after(6)] == [5, 10, 20]
        # After the wait the right secret works and clears the count.
        assert lookup(kiosk_a, view.code, view.secret, now=t).code == view.code
        with pytest.raises(LookupRefused):
            lookup(kiosk_a, view.code, "23456789", now=t)
        # Codes that do not exist are slowed down the same way (no hint either way).
        ghost = f"{EID}-260424-0999"
        for _ in range(3):
            with pytest.raises(LookupRefused):
                lookup(kiosk_a, ghost, "23456789", now=t)
        with pytest.raises(LookupSlowDown) as ghost_wait:
            lookup(kiosk_b, ghost, "23456789", now=t)
        assert ghost_wait.value.retry_after == 5
    finally:
        kiosk_a.dispose()
        kiosk_b.dispose()
    assert wait_after(100) == 900


def test_garbage_scans_are_refused_but_never_slowed_down(db: Database, desk: DossierDesk) -> None:
    """A scanner mis-reading or a citizen ID card's QR is common and cannot guess a secret: it
    is refused at once, every time, and locks nothing for the next citizen at that kiosk."""
    view = desk.receive(form(), received_at=FRIDAY)
    t = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    good = encode_dossier(view.code, view.secret)
    garbage = [
        "",
        "\r\n",
        f"{CCCD}|{NAME}|01011985",
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # damaged check
        good.lower().replace("motcua", "MOTCUA"),
        "MOTCUA:D1:" + "9" * 600,
        "https://example.vn/?t=nothing",
    ]
    for _ in range(5):
        for text_ in garbage:
            with pytest.raises(LookupRefused) as caught:
                lookup_scan(db, text_, client="kiosk-1", now=t)
            assert type(caught.value) is LookupRefused
        with pytest.raises(LookupRefused):
            lookup(db, "not a code", view.secret, client="kiosk-1", now=t)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(LookupGuard)) == 0
    assert lookup_scan(db, good, client="kiosk-1", now=t).code == view.code


# --- personal data in the log ------------------------------------------------------------------


def test_events_hold_codes_and_statuses_only(db: Database, desk: DossierDesk) -> None:
    view = desk.receive(form(), received_at=FRIDAY)
    desk.show(view.code)
    desk.hand_over(view.code, "Văn phòng đăng ký đất đai", days=3, note=f"Gọi {PHONE}")
    desk.request_supplement(view.code, (DocumentLine("Giấy ủy quyền"),), f"Thiếu – {NAME}")
    lookup(db, view.code, view.secret)
    with pytest.raises(LookupRefused):
        lookup_scan(db, f"{CCCD}|{NAME}")
    desk.tracking_book(date(2026, 4, 24), date(2026, 4, 24))
    desk.log_print(view.code, "01", ok=True, pages=2)
    desk.log_print(view.code, "slip", ok=False)
    with db.transaction(readonly=True) as s:
        log = list(s.scalars(select(Event).where(Event.kind.like("dossier.%")).order_by(Event.id)))
    kinds = [e.kind for e in log]
    assert kinds == [
        "dossier.received",
        "dossier.viewed",
        "dossier.handed_over",
        "dossier.supplement_requested",
        "dossier.lookup",
        "dossier.lookup",
        "dossier.book_read",
        "dossier.printed",
        "dossier.print_failed",
    ]
    assert log[7].data == {"code": view.code, "form": "01", "pages": 2}
    assert log[7].user_id == desk.user_id and log[8].dossier_id == view.id
    everything = json.dumps([e.data for e in log], ensure_ascii=False)
    for personal in (NAME, "Nguyễn", CCCD, PHONE, ADDRESS, EMAIL, "Giấy ủy quyền"):
        assert personal not in everything
    viewed = log[1]
    assert viewed.user_id == desk.user_id and viewed.dossier_id == view.id
    assert viewed.data == {"code": view.code, "status": ACCEPTED}
    assert all(e.dossier_id == view.id for e in log[:5])
    assert log[5].dossier_id is None and log[5].data == {"outcome": "refused", "client": "kiosk"}
