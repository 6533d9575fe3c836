"""Starting the counter desktop: ``motcua counter`` opens the window (signed in at once with
``--user``/``--counter`` and the password in ``MOTCUA_PASSWORD``); ``--smoke`` and
``--screenshot`` paint one frame and exit."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from counter.app import DEFAULT_WINDOW, CounterWindow
from counter.controller import open_counter
from shared.i18n import set_language, tr
from shared.qt.platform import report_first_frame, start_app

log = logging.getLogger("motcua.counter")


def sign_in_now(window: CounterWindow, username: str, number: int) -> None:
    """Sign in synchronously (smoke runs of the main window): password from MOTCUA_PASSWORD."""
    password = os.environ.get("MOTCUA_PASSWORD", "")
    session, engine, snap = open_counter(window.db, window.centre, username, password, number)
    window.show_signed_in(session, engine, snap)


def run_counter(ctx: Any) -> int:
    """``motcua counter``: open the counter; ``--smoke``/``--screenshot`` paint one frame, exit."""
    start = start_app(ctx.args)
    if isinstance(start, int):
        return start
    app, family, started = start.app, start.family, start.started
    smoke, screenshot, size, windowed = start.smoke, start.screenshot, start.size, start.windowed
    args = ctx.args
    app.setFont(family)
    window = CounterWindow(ctx.db, ctx.centre, ctx.settings, family)
    if getattr(args, "lang", None):
        set_language(args.lang)  # an explicit --lang wins over the language this PC remembers
        window.retranslate()
    user = getattr(args, "user", None)
    number = getattr(args, "counter", None)
    if user and number:
        sign_in_now(window, user, int(number))
    if windowed or smoke:
        window.resize(*(size or DEFAULT_WINDOW))
        start.place(window)
        window.show()
    else:
        window.showMaximized()

    if smoke:
        report_first_frame(app, window, started, "counter", screenshot)
        if window.session is not None:
            # What a technician (or a test) checks after a restart: the open ticket came back.
            ticket = window.ticket
            state = f"{ticket.number} {ticket.status}" if ticket is not None else "-"
            print(f"counter {window.session.counter}: open ticket {state}", flush=True)
        window.stop()
        window.close()
        return 0

    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if not isinstance(error, Exception):
            previous_hook(kind, error, tb)
            return
        log.error("unexpected error in the counter", exc_info=error)
        window.show_message(tr("counter.unexpected"))

    sys.excepthook = excepthook
    from shared.qt.backup import DailyBackups

    backups = DailyBackups(lambda: ctx.db, ctx.settings.backup, ctx.centre, window)
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        backups.stop()
        window.stop()
