"""Save screenshots of the counter app in Vietnamese and English.

    .venv/bin/python scripts/counter_screenshots.py OUTDIR

A throw-away SQLite database with the sample catalogue, two clerks and a few waiting tickets;
offscreen (needs no display). Shots: sign-in, main window calling / serving (after a transfer
with a note, priority group) / paused (with its reason) / offline, the transfer, pause and
"ticket still open" dialogs, and the citizen's rating prompt (dialog and full screen).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

PASSWORD = "mat-khau-demo"


def wait(signal: object, ms: int = 8000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path), "PNG")
    print(path)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    # The window remembers its user, counter and language per machine: keep that out of $HOME.
    scratch = Path(tempfile.mkdtemp(prefix="motcua-counter-shots-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(scratch / var.lower())
    from counter.app import CounterWindow
    from counter.widgets import RatingPrompt
    from shared.catalog import import_catalog, load_catalog_file
    from shared.db import Database
    from shared.i18n import set_language, tr
    from shared.qt.fonts import load_fonts
    from shared.queue import QueueEngine
    from shared.resources import asset
    from shared.settings import Settings
    from shared.users import add_user

    app = QApplication.instance() or QApplication(sys.argv[:1])
    family = load_fonts()
    for language in ("vi", "en"):
        set_language("vi")
        db = Database(f"sqlite:///{(scratch / f'counter-{language}.sqlite3').as_posix()}")
        db.upgrade()
        import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
        add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
        add_user(db, "minh", PASSWORD, "clerk", full_name="Trần Văn Minh")
        kiosk = QueueEngine(db)
        moved = kiosk.issue("HT", priority="elderly")
        # Counter 3 (civil status) sends the elderly citizen on to land, with a note.
        other = QueueEngine(db)
        assert other.call_next(3).id == moved.id  # type: ignore[union-attr]
        other.transfer(moved.id, to_service="DD", placement="front", note="Cần tư vấn sổ đỏ")
        for service, count in (("DD", 6), ("HT", 2)):
            for _ in range(count):
                kiosk.issue(service)

        window = CounterWindow(db, None, Settings(), family)
        window.resize(1366, 768)
        window.show()
        if language == "en":
            window.set_ui_language("en")
        save(window, out / f"{language}-01-sign-in.png")
        page = window.sign_in_page
        page.username.setText("lan")
        page.password.setText(PASSWORD)
        page.counter.setText("1")
        QTest.mouseClick(page.button, Qt.MouseButton.LeftButton)
        wait(window.signed_in)
        QTest.keyClick(window, Qt.Key.Key_F2)
        wait(window.action_done)
        save(window, out / f"{language}-02-calling.png")
        QTest.keyClick(window, Qt.Key.Key_F4)
        wait(window.action_done)
        save(window, out / f"{language}-03-serving.png")
        window.set_online(False)
        window.show_message(tr("counter.unexpected"))
        hint = window.minimumSizeHint()
        print(f"  serving, transferred, offline: needs at least {hint.width()}×{hint.height()}")
        save(window, out / f"{language}-03b-serving-offline.png")
        window.set_online(True)
        window.message.hide()

        QTest.keyClick(window, Qt.Key.Key_F8)
        dialog = window.transfer_dialog
        assert dialog is not None
        dialog.choose_counter(2)
        dialog.note.setText("Đã kiểm tra đủ giấy tờ")
        save(dialog, out / f"{language}-04-transfer-dialog.png")
        dialog.reject()

        QTest.keyClick(window, Qt.Key.Key_F2)
        box = window.open_ticket_box
        assert box is not None
        save(box, out / f"{language}-05-ticket-still-open.png")
        box.reject()
        QApplication.processEvents()

        QTest.keyClick(window, Qt.Key.Key_F5)
        wait(window.rating_prompted)
        prompt = window.rating_prompt
        assert prompt is not None
        prompt.timer.stop()
        save(prompt, out / f"{language}-06-rating-dialog.png")
        prompt.on_level(1)
        save(prompt, out / f"{language}-07-rating-reasons.png")
        prompt.reject()
        wait(window.rating_recorded)
        full = RatingPrompt(  # as on a citizen's screen (sized like one: 1280×800)
            family,
            "1024",
            3,
            30,
            ["Chờ lâu", "Thái độ phục vụ"],
            screen=QApplication.primaryScreen(),
            language=language,
        )
        full.resize(1280, 800)
        full.show()
        save(full, out / f"{language}-08-rating-second-screen.png")
        full.timer.stop()
        full.close()

        QTest.keyClick(window, Qt.Key.Key_F9)
        pause = window.pause_dialog
        assert pause is not None
        pause.choose("meeting", "Họp giao ban tuần")
        save(pause, out / f"{language}-09-pause-dialog.png")
        pause.accept()
        wait(window.action_done)
        save(window, out / f"{language}-10-paused.png")
        QTest.keyClick(window, Qt.Key.Key_F9)
        wait(window.action_done)

        kiosk.issue("DD")
        QTest.keyClick(window, Qt.Key.Key_F2)
        wait(window.action_done)
        window.set_online(False)  # what the change-feed reports when the server is gone
        window.show_message(tr("counter.unexpected"))  # and a message under the banner
        hint = window.minimumSizeHint()
        print(f"  offline, with a message: needs at least {hint.width()}×{hint.height()}")
        save(window, out / f"{language}-11-offline.png")
        window.stop()
        window.close()
        db.dispose()
    set_language("vi")
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "counter-shots")))
