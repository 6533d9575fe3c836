"""Save a screenshot of every kiosk screen, in both languages, portrait and landscape.

    .venv/bin/python scripts/kiosk_screenshots.py OUTDIR

Uses a throw-away SQLite database with the sample catalogue, a few waiting tickets and counter 8
paused (so "Nhận kết quả" shows as unavailable with its reason). Offscreen: needs no display.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import KioskWindow  # noqa: E402
from kiosk.model import load_home  # noqa: E402
from kiosk.screens import Confirmation, ConfirmScreen  # noqa: E402
from shared.catalog import import_catalog, load_catalog_file  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.printing.jobs import ticket_print_data  # noqa: E402
from shared.qt.fonts import load_fonts  # noqa: E402
from shared.queue import QueueEngine  # noqa: E402
from shared.resources import asset  # noqa: E402
from shared.settings import Settings  # noqa: E402

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
SHOTS = (
    ("home", "home", ""),
    ("priority-groups", "groups", ""),
    ("priority-services", "priority_services", ""),
    ("busy", "busy", ""),
    ("confirm-printed", "confirm", ConfirmScreen.PRINTED),
    ("confirm-printer-failed", "confirm", ConfirmScreen.PRINTER_FAILED),
    ("offline", "offline", ""),
    ("error", "error", ""),
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
            window.resize(*size)
            window.show()
            for language in ("vi", "en"):
                window.set_language(language)
                window.on_group_chosen(home.groups[0].code)
                window.confirm_screen.show_ticket(confirmation)
                for name, screen, state in SHOTS:
                    if state:
                        window.confirm_screen.set_print_state(state)
                    window.show_screen(screen)
                    app.processEvents()
                    path = out / f"{orientation}-{language}-{name}.png"
                    window.grab().save(str(path), "PNG")
                    written.append(path)
            window.stop()
            window.close()
        db.dispose()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "kiosk-screenshots")))
