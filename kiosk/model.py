"""What the kiosk shows, as plain data (no Qt): services with their queues, priority groups.

:func:`load_home` reads everything once (the UI calls it in a worker thread);
:func:`read_figures` re-reads the live figures after each change-feed batch (also in the worker)
and :func:`home_from_figures` applies them. :func:`with_hours` marks services closed outside the
opening hours; it needs no database and runs on the UI thread each minute.

A service that cannot be taken now says why (never hidden): outside the opening hours (with the
time it opens again), no open counter serves it, or today's number range is used up. The
estimated wait on each card comes from :mod:`shared.estimate` (people waiting × the median of
today's recent service times ÷ the open counters), shown as a rounded range.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.clock import utcnow
from shared.dossier_views import SUBMITTED, standing_key
from shared.estimate import (
    DEFAULT_SERVICE_MIN,
    WaitEstimate,
    estimate_wait,
    typical_service_minutes,
)
from shared.i18n import tr
from shared.views import QueueStatus

CONFIRM_SECONDS = 8
"""How long the confirmation stays before the home screen comes back (kiosk.confirm_seconds)."""
CONFIRM_PRINTER_FAILED_SECONDS = 25
"""Longer when the printer failed: time to note the number or photograph the QR."""
TOUCH_GRACE_SECONDS = 1.5
"""A touch on the confirmation is ignored this long (a nervous second tap must not dismiss it)."""
IDLE_SECONDS = 30
"""A half-done flow (priority choice) returns home after this long without a touch."""
ERROR_SECONDS = 6
"""The calm error message stays this long, then home."""
RETRY_SECONDS = 3
"""Out of service: how often the kiosk tries the database again."""
REFRESH_THROTTLE_MS = 250
"""Change-feed batches closer than this cause one status read, not several."""
BUSY_NOTICE_MS = 300
"""When taking a number takes longer than this, say "Đang lấy số…"."""
DEFAULT_HOURS = "07:30-11:30, 13:30-17:00"
"""Opening hours when no [calendar] section says otherwise."""
NO_RESET_PERIOD = date(2000, 1, 1)
"""Sequence period of services whose numbers never restart (as in :mod:`shared.queue`)."""


@dataclass(frozen=True)
class ServiceChoice:
    """One service button."""

    code: str
    name: str
    name_en: str
    waiting: int
    open_counters: tuple[int, ...]
    """Numbers of the unpaused counters serving it; empty: it cannot be taken now."""
    minutes_per_citizen: float = DEFAULT_SERVICE_MIN
    """Median of today's recent service times (:func:`shared.estimate.typical_service_minutes`)."""
    full: bool = False
    """Today's number range is used up."""
    closed: bool = False
    """Outside the opening hours (set by :func:`with_hours`)."""
    opens_at: datetime | None = None
    """When closed: the next opening, local time (None: unknown)."""
    offline_left: int | None = None
    """While the server is away (set by :func:`with_offline`): numbers left in this kiosk's
    block for today; None while the server is there."""

    @property
    def available(self) -> bool:
        return self.reason is None

    @property
    def reason(self) -> str | None:
        """Why it cannot be taken: "closed", "full", "offline" (the server is away and no number
        is left in the kiosk's block), "no_counter" (in that order), or None."""
        if self.closed:
            return "closed"
        if self.offline_left is not None:
            return None if self.offline_left > 0 else "offline"
        if self.full:
            return "full"
        if not self.open_counters:
            return "no_counter"
        return None

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def estimate(self) -> WaitEstimate | None:
        return estimate_wait(self.waiting, len(self.open_counters), [self.minutes_per_citizen] * 3)

    def estimate_min(self) -> int | None:
        estimate = self.estimate()
        return None if estimate is None else estimate.minutes

    def reason_lines(self, language: str, now: datetime | None = None) -> tuple[str, str]:
        """The two lines of a disabled card: "TẠM NGỪNG" and why."""
        title = tr("kiosk.unavailable", language=language)
        reason = self.reason
        if reason == "closed":
            return tr("kiosk.unavailable.closed", language=language), reopens_text(
                self.opens_at, now, language
            )
        if reason == "full":
            return tr("kiosk.unavailable.full", language=language), tr(
                "kiosk.unavailable.full_hint", language=language
            )
        if reason == "offline":
            return title, tr("kiosk.unavailable.offline", language=language)
        return title, tr("kiosk.unavailable.no_counter", language=language)


def reopens_text(opens_at: datetime | None, now: datetime | None, language: str) -> str:
    """ "Mở lại lúc 13:30" today, "Mở lại 07:30 Thứ Hai 30/11" another day."""
    if opens_at is None:
        return tr("kiosk.unavailable.no_counter", language=language)
    clock = f"{opens_at:%H:%M}"
    if now is not None and opens_at.date() == now.date():
        return tr("kiosk.unavailable.reopens", language=language, time=clock)
    return tr(
        "kiosk.unavailable.reopens_day",
        language=language,
        time=clock,
        weekday=tr(f"display.weekday.{opens_at.weekday()}", language=language),
        date=f"{opens_at:%d/%m}",
    )


@dataclass(frozen=True)
class GroupChoice:
    code: str
    name: str
    name_en: str

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Figures:
    """The live figures read in the worker after a change: queue status, today's service times
    and the services whose number range is used up."""

    status: QueueStatus
    minutes_per_citizen: dict[str, float] = field(default_factory=dict)
    full: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HomeData:
    centre_name: str = ""
    centre_name_en: str = ""
    centre_code: str = ""
    agency_eid: str = ""
    """First part of every dossier code (the lookup keyboard offers it)."""
    timezone: str = "Asia/Ho_Chi_Minh"
    centre_id: int | None = None
    last_event_id: int = 0
    services: tuple[ServiceChoice, ...] = ()
    groups: tuple[GroupChoice, ...] = field(default_factory=tuple)
    calendar: Any = None
    """A :class:`shared.workcal.WorkCalendar` snapshot when available (days off, worked
    Saturdays); None: Monday to Friday."""
    offline: bool = False
    """The server is away; numbers come from this kiosk's blocks (:func:`with_offline`)."""

    def centre_label(self, language: str) -> str:
        return self.centre_name_en if language == "en" and self.centre_name_en else self.centre_name

    def service(self, code: str) -> ServiceChoice | None:
        return next((s for s in self.services if s.code == code), None)

    def is_working_day(self, day: date) -> bool:
        if self.calendar is not None:
            try:
                return bool(self.calendar.is_working_day(day))
            except Exception:  # noqa: BLE001 - a calendar problem must not close the kiosk
                pass
        return day.weekday() < 5


PRINTING, PRINTED, PRINTER_FAILED = "printing", "printed", "printer_failed"
"""The printer's state shown under the ticket on the confirmation."""


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation shows (plain data from the worker)."""

    ticket_id: int
    number: str
    service_name: str
    service_name_en: str
    ahead: int | None
    estimated_wait_min: int | None
    counters: tuple[int, ...]
    qr_text: str
    priority_name: str | None = None
    offline: bool = False
    """Given from this kiosk's block while the server is away."""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a bad name must not stop the kiosk
        return ZoneInfo("Asia/Ho_Chi_Minh")


def local_clock(timezone: Callable[[], str]) -> Callable[[], datetime]:
    """A clock in the centre's time zone (read each time: the zone arrives with the data)."""

    def now() -> datetime:
        return utcnow().astimezone(_zone(timezone()))

    return now


def choices_from_figures(figures: Figures) -> tuple[ServiceChoice, ...]:
    status = figures.status
    open_by_service: dict[str, list[int]] = {}
    for counter in status.counters:
        if counter.paused:
            continue
        for code in counter.services:
            open_by_service.setdefault(code, []).append(counter.number)
    return tuple(
        ServiceChoice(
            code=svc.code,
            name=svc.name,
            name_en=svc.name_en,
            waiting=svc.waiting,
            open_counters=tuple(sorted(open_by_service.get(svc.code, ()))),
            minutes_per_citizen=figures.minutes_per_citizen.get(svc.code, DEFAULT_SERVICE_MIN),
            full=svc.code in figures.full,
        )
        for svc in status.services
    )


def home_from_figures(home: HomeData, figures: Figures) -> HomeData:
    return replace(home, services=choices_from_figures(figures), offline=False)


def with_offline(home: HomeData, left: dict[str, int]) -> HomeData:
    """``home`` while the server is away: each service open as far as this kiosk's block for
    today has numbers left (``left``: per service code), nobody known to be waiting."""
    services = tuple(replace(s, offline_left=left.get(s.code, 0), waiting=0) for s in home.services)
    return replace(home, services=services, offline=True)


def online(home: HomeData) -> HomeData:
    """``home`` with the server back (figures are read again at once)."""
    services = tuple(replace(s, offline_left=None) for s in home.services)
    return replace(home, services=services, offline=False)


def home_from_status(home: HomeData, status: QueueStatus) -> HomeData:
    """Figures from a status alone (default service times, no range check)."""
    return home_from_figures(home, Figures(status))


def read_figures(db: Any, status: QueueStatus) -> Figures:
    """Today's service times and used-up number ranges for ``status`` (one read transaction)."""
    from sqlalchemy import select

    from shared.estimate import recent_service_minutes
    from shared.models import Centre, Service, TicketSequence

    with db.transaction(readonly=True) as s:
        rows = s.execute(
            select(
                Service.id,
                Service.code,
                Service.number_start,
                Service.number_end,
                Service.daily_reset,
            )
            .join(Centre, Centre.id == Service.centre_id)
            .where(Centre.code == status.centre, Service.active.is_(True))
        ).all()
        durations = recent_service_minutes(s, [r.id for r in rows], status.business_day)
        used: dict[int, int] = {}
        capped = [r for r in rows if r.number_end is not None]
        if capped:
            periods = {status.business_day, NO_RESET_PERIOD}
            for service_id, period, last in s.execute(
                select(TicketSequence.service_id, TicketSequence.period, TicketSequence.last_seq)
                .where(TicketSequence.service_id.in_([r.id for r in capped]))
                .where(TicketSequence.period.in_(periods))
            ).all():
                row = next(r for r in capped if r.id == service_id)
                wanted = status.business_day if row.daily_reset else NO_RESET_PERIOD
                if period == wanted:
                    used[service_id] = int(last)
    full = frozenset(r.code for r in capped if r.number_start + used.get(r.id, 0) > r.number_end)
    return Figures(
        status=status,
        minutes_per_citizen={
            r.code: typical_service_minutes(durations.get(r.id, [])) for r in rows
        },
        full=full,
    )


def load_status_figures(engine: Any, db: Any) -> Figures:
    """The worker's refresh: the engine's status, then :func:`read_figures`."""
    return read_figures(db, engine.status())


def load_home(db: Any, centre: str | None) -> HomeData:
    """Everything the home screen needs (raises the :class:`~shared.errors.MotcuaError` family)."""
    from shared.board import load_board_source
    from shared.catalog import show_catalog

    source = load_board_source(db, centre)
    catalog = show_catalog(db, source.status.centre)
    groups = tuple(
        GroupChoice(g["code"], g["name"], g.get("name_en") or "")
        for g in catalog["priority_groups"]
    )
    figures = read_figures(db, source.status)
    return HomeData(
        centre_name=source.centre_name,
        centre_name_en=source.centre_name_en,
        centre_code=source.status.centre,
        agency_eid=str(catalog["centre"].get("agency_eid") or ""),
        timezone=source.timezone,
        centre_id=source.centre_id,
        last_event_id=source.last_event_id,
        services=choices_from_figures(figures),
        groups=groups,
        calendar=load_calendar_snapshot(db),
    )


def load_calendar_snapshot(db: Any) -> Any:
    """The working calendar (days off, worked Saturdays) when the product has one, else None."""
    try:
        from shared.workcal import load_calendar  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        with db.transaction(readonly=True) as s:
            return load_calendar(s)
    except Exception:  # noqa: BLE001 - Monday to Friday then; the kiosk keeps working
        return None


# --- opening hours ------------------------------------------------------------------------------

_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(*texts: str) -> tuple[tuple[time, time], ...]:
    """ "07:30-11:30", "13:30-17:00" (or both in one text, comma-separated) → sorted spans;
    unreadable parts are skipped (the settings loader reports them)."""
    spans: list[tuple[time, time]] = []
    for text in texts:
        for part in text.split(","):
            match = _SPAN.match(part)
            if not match:
                continue
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                start, end = time(h1, m1), time(min(h2, 23), m2 if h2 < 24 else 59)
            except ValueError:
                continue
            if start < end:
                spans.append((start, end))
    return tuple(sorted(spans))


def hours_from_settings(settings: Any) -> tuple[tuple[time, time], ...] | None:
    """The kiosk's opening hours: [calendar] morning and afternoon; None when [kiosk]
    follow_opening_hours is false (numbers at any time)."""
    if not getattr(settings.kiosk, "follow_opening_hours", True):
        return None
    calendar = getattr(settings, "calendar", None)
    if calendar is not None:
        spans = parse_hours(getattr(calendar, "morning", ""), getattr(calendar, "afternoon", ""))
        if spans:
            return spans
    return parse_hours(DEFAULT_HOURS)


def next_opening(
    now: datetime, spans: tuple[tuple[time, time], ...], working: Callable[[date], bool]
) -> datetime | None:
    """The next start of a span after ``now`` on a working day (within 30 days)."""
    for offset in range(31):
        day = now.date() + timedelta(days=offset)
        if not working(day):
            continue
        for start, _end in spans:
            moment = datetime.combine(day, start, tzinfo=now.tzinfo)
            if moment > now:
                return moment
    return None


def is_open(
    now: datetime, spans: tuple[tuple[time, time], ...], working: Callable[[date], bool]
) -> bool:
    if not working(now.date()):
        return False
    moment = now.time().replace(tzinfo=None)
    return any(start <= moment < end for start, end in spans)


def with_hours(
    home: HomeData, now: datetime, spans: tuple[tuple[time, time], ...] | None
) -> HomeData:
    """``home`` with every service closed (and its reopening time) when the centre is closed at
    ``now`` (local time); unchanged services when open or when ``spans`` is None."""
    if spans is None or not spans or is_open(now, spans, home.is_working_day):
        closed, opens = False, None
    else:
        closed, opens = True, next_opening(now, spans, home.is_working_day)
    services = tuple(replace(s, closed=closed, opens_at=opens) for s in home.services)
    return replace(home, services=services)


# --- wording ------------------------------------------------------------------------------------


def wait_text(wait: WaitEstimate | int | None, language: str) -> str:
    """ "chờ khoảng 15–20 phút", "chờ dưới 5 phút"; empty when unknown. Minutes are put in
    their band by :func:`shared.estimate.band`."""
    from shared.estimate import band

    if wait is None:
        return ""
    low, high = (wait.low, wait.high) if isinstance(wait, WaitEstimate) else band(wait)
    if low == 0:
        return tr("kiosk.wait.under5", language=language)
    return tr("kiosk.wait.range", language=language, low=low, high=high)


def waiting_text(waiting: int, language: str) -> str:
    if waiting == 0:
        return tr("kiosk.waiting.none", language=language)
    if waiting == 1:
        return tr("kiosk.waiting.one", language=language)
    return tr("kiosk.waiting.many", language=language, count=waiting)


def ahead_text(ahead: int | None, language: str) -> str:
    if not ahead:
        return tr("kiosk.ahead.none", language=language)
    if ahead == 1:
        return tr("kiosk.ahead.one", language=language)
    return tr("kiosk.ahead.many", language=language, count=ahead)


# --- dossier lookup (what the kiosk shows of a DossierPublicView) ------------------------------

NEXT_BY_STATUS = {
    1: "kiosk.lookup.next.wait",
    2: "kiosk.lookup.next.wait",
    3: "kiosk.lookup.next.ask",
    4: "kiosk.lookup.next.wait",
    5: "kiosk.lookup.next.supplement",
    6: "kiosk.lookup.next.fees",
    7: "kiosk.lookup.next.done",
    8: "kiosk.lookup.next.ask",
    9: "kiosk.lookup.next.collect",
    10: "kiosk.lookup.next.done",
}
"""What to do next when the core gives no ``next_step`` key the kiosk knows."""

STANDING_MARK = {
    "dossier.timeliness.early": "✓",
    "dossier.timeliness.on_time": "✓",
    "dossier.timeliness.late": "⚠",
    "dossier.progress.in_time": "✓",
    "dossier.progress.due_today": "✓",
    "dossier.progress.overdue": "⚠",
}
"""A sign before the words, so the deadline is never told by colour alone."""


def datetime_text(moment: datetime, timezone: str, language: str) -> str:
    """ "14:00 ngày 27/11/2026" / "27/11/2026 at 14:00", in the centre's time zone."""
    from zoneinfo import ZoneInfo

    try:
        local = moment.astimezone(ZoneInfo(timezone)) if moment.tzinfo else moment
    except Exception:  # noqa: BLE001 - a bad zone name: show the time as stored
        local = moment
    return tr(
        "kiosk.lookup.datetime",
        language=language,
        time=f"{local:%H:%M}",
        date=f"{local:%d/%m/%Y}",
    )


def next_step_text(view: Any, language: str) -> str:
    """What the citizen must do next: the core's ``next_step`` key, or one from the status."""
    from shared.i18n import MESSAGES

    key = str(getattr(view, "next_step", "") or "")
    if key not in MESSAGES:
        key = NEXT_BY_STATUS.get(int(view.status), "kiosk.lookup.next.ask")
        if key == "kiosk.lookup.next.collect" and getattr(view, "result_delivery", "") == "post":
            key = "kiosk.lookup.next.post"
    text = tr(key, language=language)
    missing = tuple(getattr(view, "missing", ()) or ())
    if int(view.status) == 5 and missing:
        documents = "; ".join(str(line.name) for line in missing)
        text += " " + tr("kiosk.lookup.missing", language=language, documents=documents)
    return text


def lookup_rows(view: Any, language: str, timezone: str) -> list[tuple[str, str]]:
    """(label, value) lines of a lookup result: code, applicant (masked), procedure, status,
    received, due, timeliness. Nothing personal but the masked name."""
    procedure = (
        view.procedure_name_en
        if language == "en" and view.procedure_name_en
        else view.procedure_name
    )
    rows = [
        (tr("kiosk.lookup.code", language=language), str(view.code)),
        (tr("kiosk.lookup.applicant", language=language), str(view.applicant_masked)),
        (tr("kiosk.lookup.procedure", language=language), str(procedure)),
        (
            tr("kiosk.lookup.status", language=language),
            tr(f"dossier.status.{int(view.status)}", language=language),
        ),
        (
            tr("kiosk.lookup.received", language=language),
            datetime_text(view.received_at, timezone, language),
        ),
    ]
    if int(view.status) == SUBMITTED:
        # Submitted online, not yet accepted: the legal clock has not started, so no date is
        # promised (the next-step box says the date counts from acceptance).
        rows.append(
            (
                tr("kiosk.lookup.due", language=language),
                tr("kiosk.lookup.due_after_accept", language=language),
            )
        )
    else:
        rows.append(
            (
                tr("kiosk.lookup.due", language=language),
                datetime_text(view.appointment_at or view.due_at, timezone, language),
            )
        )
    key = standing_key(view.timeliness, getattr(view, "progress", None))
    if key is not None:
        mark = STANDING_MARK.get(key, "")
        words = tr(key, language=language)
        rows.append((tr("kiosk.lookup.timeliness", language=language), f"{mark} {words}".strip()))
    return rows
