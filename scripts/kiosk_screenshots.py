"""Save a screenshot of every kiosk screen, in both languages, portrait and landscape.

    .venv/bin/python scripts/kiosk_screenshots.py OUTDIR

Uses a throw-away SQLite database with the sample catalogue, a few waiting tickets and counter 8
paused (so "Nhận kết quả" shows as unavailable with its reason), the kiosk's clock on a Wednesday
morning. Also: the dossier lookup screen (empty, typing, with a result, with each message), the
technician's PIN pad, larger-text mode and every service closed (after hours).
Offscreen: needs no display.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import KioskWindow  # noqa: E402
from kiosk.model import load_home  # noqa: E402
from kiosk.screens import Confirmation, ConfirmScreen  # noqa: E402
from shared.catalog import import_catalog, load_catalog_file  # noqa: E402
from shared.clock import FixedClock, set_clock  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.dossier_views import DossierPublicView  # noqa: E402
from shared.printing.jobs import ticket_print_data  # noqa: E402
from shared.qt.fonts import load_fonts  # noqa: E402
from shared.queue import QueueEngine  # noqa: E402
from shared.resources import asset  # noqa: E402
from shared.settings import Settings  # noqa: E402

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
OPEN = datetime(2026, 11, 18, 9, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CLOSED = datetime(2026, 11, 18, 18, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SHOTS = (
    ("home", "home", ""),
    ("priority-groups", "groups", ""),
    ("priority-services", "priority_services", ""),
    ("busy", "busy", ""),
    ("confirm-printed", "confirm", ConfirmScreen.PRINTED),
    ("confirm-printer-failed", "confirm", ConfirmScreen.PRINTER_FAILED),
    ("offline", "offline", ""),
    ("error", "error", ""),
    ("pin-pad", "admin", ""),
    ("starting", "starting", ""),
)


def sample_dossier() -> DossierPublicView:
    received = datetime(2026, 11, 13, 14, 20, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    due = datetime(2026, 11, 27, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    return DossierPublicView(
        code="000.00.10.H39-261113-0042",
        procedure_name="Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác "
        "gắn liền với đất lần đầu",
        procedure_name_en="First-time certificate of land use rights and house ownership",
        status=4,
        received_at=received,
        due_at=due,
        appointment_at=due,
        timeliness=None,
        next_step="",
        applicant_masked="N*** T*** H*** Y***",
        progress="in_time",
    )


def demo_database(folder: Path) -> Database:
    db = Database(f"sqlite:///{(folder / 'kiosk.sqlite3').as_posix()}")
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    engine = QueueEngine(db)
    for service, count in (("DD", 7), ("HT", 3), ("CT", 12), ("XH", 1), ("LLTP", 2)):
        for _ in range(count):
            engine.issue(service)
    engine.pause_counter(8)
    return db


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    family = load_fonts()
    clock = FixedClock(OPEN)  # the product's clock: every part of it sees Wednesday morning
    set_clock(clock)
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(Path(tmp))
        engine = QueueEngine(db)
        view = engine.issue("CT", language="vi")
        info = engine.print_details(view.id)
        confirmation = Confirmation(
            ticket_id=view.id,
            number=view.number,
            service_name=view.service_name,
            service_name_en=view.service_name_en,
            ahead=view.ahead,
            estimated_wait_min=info.estimated_wait_min,
            counters=info.counters,
            qr_text=ticket_print_data(info).qr_text,
        )
        home = load_home(db, None)
        written = []
        for orientation, size in SIZES.items():
            window = KioskWindow(db, None, Settings(), family, home)
            window.admin_unlocked = True
            window.resize(*size)
            window.show()

            def shot(
                name: str, language: str, window: KioskWindow = window, o: str = orientation
            ) -> None:
                app.processEvents()
                path = out / f"{o}-{language}-{name}.png"
                window.grab().save(str(path), "PNG")
                written.append(path)

            for language in ("vi", "en"):
                window.set_language(language)
                window.on_group_chosen(home.groups[0].code)
                window.confirm_screen.show_ticket(confirmation)
                for name, screen, state in SHOTS:
                    if state:
                        window.confirm_screen.set_print_state(state)
                    window.show_screen(screen)
                    shot(name, language)
                # Larger text, then every service closed after hours.
                window.show_screen("home")
                window.set_large(True)
                shot("home-large", language)
                window.set_large(False)
                clock.set(CLOSED)
                window.check_hours()
                shot("home-closed", language)
                clock.set(OPEN)
                window.check_hours()
                # The dossier lookup: empty, typing, a result, the messages.
                lookup = window.lookup_screen
                window.open_lookup()
                shot("lookup-empty", language)
                lookup.type_text("2611130042\n2QCLAS")
                shot("lookup-typing", language)
                lookup.show_result(sample_dossier())
                shot("lookup-result", language)
                window.set_large(True)
                shot("lookup-result-large", language)
                window.set_large(False)
                lookup.reset()
                lookup.type_text("2611130042\n")
                lookup.show_message("kiosk.lookup.refused")
                shot("lookup-refused", language)
                lookup.show_slow_down(45)
                shot("lookup-slow", language)
                lookup.wait_until = 0
                lookup.show_searching()
                shot("lookup-searching", language)
                lookup.reset()
                window.go_home()
                window.set_language(language)
            window.stop()
            window.close()
        db.dispose()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "kiosk-screenshots")))
