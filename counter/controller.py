"""The counter's ticket state and the clerk's actions, without any widget.

:class:`CounterController` knows who is signed in at which counter, the ticket open there, the
figures last read, whether the database answers and whether an action is running; it says which
actions are allowed now and what a button means, runs the core's use cases (sign-in, call next,
recall, start, finish, no-show, hold, resume, transfer, pause, the citizen's rating) and tells a
:class:`CounterScreen` what to show, as plain data.

The database work goes to two runners given by the caller: the clerk's actions in one, in order;
the reads of what the screen shows in the other, so a press never waits behind a refresh. The
window gives thread pools; without a screen (scripts, tests) :class:`InlineRunner` runs the work
at once. Every action carries a request id: the same request is never sent twice, and a read
begun before an action started is dropped (it could show an older state than the action's own
read). When the database is unreachable every action is refused (nothing is queued silently)
and the screen reads again by itself; the ticket stays on screen meanwhile.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from counter.model import CounterSnapshot, HeldTicket, ServiceChoice, TransferStep, legal_actions
from counter.model import load_snapshot as _load_snapshot
from shared.errors import DatabaseError, MotcuaError
from shared.i18n import current_language, set_language, tr
from shared.views import TicketView

log = logging.getLogger("motcua.counter")

Work = Callable[[Callable[[object], None]], object]
"""Database work run off the screen: it gets a ``progress`` callback and returns its result."""


class Runner(Protocol):
    """Where database work runs; the callbacks come back where the screen lives."""

    def submit(
        self,
        work: Work,
        on_progress: Callable[[object], None] | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None: ...

    def wait(self, ms: int = 10_000) -> bool: ...


class InlineRunner:
    """Runs the work at once in the caller's thread (a counter without a screen)."""

    def submit(
        self,
        work: Work,
        on_progress: Callable[[object], None] | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None:
        try:
            result = work(on_progress or _ignore)
        except Exception as error:  # noqa: BLE001 - handed to the controller, which decides
            on_failed(error)
        else:
            on_done(result)

    def wait(self, ms: int = 10_000) -> bool:
        return True


class CounterScreen(Protocol):
    """What the controller tells the clerk's screen."""

    def on_signed_in(self, session: Any) -> None:
        """The clerk's sign-in was accepted (the counter's state follows)."""

    def on_opened(self, session: Any) -> None:
        """The counter's state is known: the clerk's main page shows it."""

    def on_sign_in_failed(self, text: str) -> None:
        """Sign-in was refused or failed; ``text`` says why."""

    def on_signed_out(self) -> None:
        """The clerk signed out: back to the sign-in page."""

    def on_snapshot(self, snap: CounterSnapshot) -> None:
        """A new reading of the counter (its ticket, queues, held tickets and figures)."""

    def on_called(self, ticket: TicketView | None) -> None:
        """A call is committed: the citizen's number, before the figures are read again."""

    def on_online(self, online: bool, changed: bool) -> None:
        """Whether the database answers (``changed``: it did not before, or the other way)."""

    def on_busy(self, busy: bool) -> None:
        """An action started (True) or ended: the allowed actions changed."""

    def show_message(self, text: str, *, error: bool = True) -> None:
        """A message for the clerk: an error, or news (``error=False``)."""

    def on_action_done(self, action: str) -> None:
        """An action succeeded (its name, one of :data:`~counter.model.ACTIONS` or
        ``pause_counter``/``resume_counter``)."""

    def on_rating_due(self, ticket: TicketView, language: str) -> None:
        """A service is finished: ask the citizen's rating, in the language they chose."""

    def on_rated(self, view: Any) -> None:
        """A :class:`~shared.queue.RatingView` was recorded."""


class NoScreen:
    """A counter without a screen: it shows nothing (scripts; tests record what it is told)."""

    def on_signed_in(self, session: Any) -> None:
        return None

    def on_opened(self, session: Any) -> None:
        return None

    def on_sign_in_failed(self, text: str) -> None:
        return None

    def on_signed_out(self) -> None:
        return None

    def on_snapshot(self, snap: CounterSnapshot) -> None:
        return None

    def on_called(self, ticket: TicketView | None) -> None:
        return None

    def on_online(self, online: bool, changed: bool) -> None:
        return None

    def on_busy(self, busy: bool) -> None:
        return None

    def show_message(self, text: str, *, error: bool = True) -> None:
        return None

    def on_action_done(self, action: str) -> None:
        return None

    def on_rating_due(self, ticket: TicketView, language: str) -> None:
        return None

    def on_rated(self, view: Any) -> None:
        return None


@dataclass(frozen=True)
class ActionRequest:
    """One press of the clerk's, with what it acts on, fixed when it was asked for."""

    id: int
    """Unique in this controller: the same request is sent at most once."""
    action: str
    """The engine call: ``call_next``, ``recall``, …, ``pause_counter``, ``resume_counter``."""
    ticket_id: int | None
    first: str | None = None
    """``finish`` or ``no_show`` of the open ticket first, in the same press (call next)."""
    options: dict[str, Any] = field(default_factory=dict)
    """Keyword arguments of the engine call (transfer target and note, pause reason)."""
    finished: TicketView | None = None
    """The ticket this press finishes (the citizen is asked to rate it)."""
    language: str = "vi"
    """The language the finished ticket's citizen chose at the kiosk."""


@dataclass(frozen=True)
class RatingRequest:
    """The citizen's rating of one finished ticket, asked on the engine of the clerk who served."""

    engine: Any
    ticket_id: int
    scale: int


@dataclass(frozen=True)
class Step:
    """What a button (or its function key) means now."""

    kind: str
    """``run`` (:attr:`request`), ``ask_open_ticket`` (:attr:`ticket`), ``transfer``, ``pause``
    or ``resume`` (:attr:`held_id`)."""
    request: ActionRequest | None = None
    ticket: TicketView | None = None
    held_id: int | None = None


class CounterController:
    """One counter's ticket state and the clerk's actions on it."""

    def __init__(
        self,
        db: Any,
        centre: str | None,
        screen: CounterScreen | None = None,
        *,
        actions: Runner | None = None,
        reads: Runner | None = None,
    ) -> None:
        self.db = db
        self.centre = centre
        self.screen: CounterScreen = screen or NoScreen()
        self.actions: Runner = actions or InlineRunner()
        self.reads: Runner = reads or InlineRunner()
        self.engine: Any = None
        self.read_engine: Any = None
        """A second engine for the reads (its own thread, its own catalogue cache)."""
        self.session: Any = None
        self.snapshot: CounterSnapshot | None = None
        self.ticket: TicketView | None = None
        self.online = True
        self.busy = False
        self._refreshing = False
        self._refresh_again = False
        self._action_seq = 0
        """Grows when an action starts: reads begun before it are dropped."""
        self._request_ids = itertools.count(1)
        self._sent: set[int] = set()

    # --- what the screen shows ------------------------------------------------------------------

    @property
    def counter_number(self) -> int | None:
        return self.session.counter if self.session is not None else None

    @property
    def paused(self) -> bool:
        return self.snapshot is not None and self.snapshot.state.paused

    def legal(self) -> set[str]:
        """The actions allowed now (none while signed out, busy or offline)."""
        snap = self.snapshot
        if self.session is None or snap is None or self.busy:
            return set()
        return legal_actions(
            self.ticket.status if self.ticket is not None else None,
            paused=snap.state.paused,
            has_held=bool(snap.held),
            online=self.online,
        )

    def can_sign_out(self) -> bool:
        return self.online and not self.busy

    def counter_name(self) -> str:
        """The counter's name ("Quầy 01" when it has none)."""
        snap, number = self.snapshot, self.counter_number
        return (snap.state.name if snap is not None else "") or tr(
            "counter.transfer.counter", number=number
        )

    def who(self) -> tuple[str, str]:
        """The clerk and counter line of the main page, and the window title."""
        session, snap = self.session, self.snapshot
        if session is None or snap is None:
            return "", tr("counter.window.title")
        name = session.full_name or session.username
        counter = self.counter_name()
        text = tr("counter.main.who", name=name, username=session.username, counter=counter)
        return text, f"{tr('counter.window.title')} — {counter} — {name}"

    def pause_texts(self) -> tuple[str, str]:
        """While paused: "paused" and the reason with its note ("" when not paused or none)."""
        snap = self.snapshot
        text = detail = ""
        if snap is not None and snap.state.paused:
            text = tr("counter.main.paused")
            if snap.pause_reason:
                detail = tr(f"counter.pause_reason.{snap.pause_reason}")
                if snap.pause_note:
                    detail += f": {snap.pause_note}"
        return text, detail

    def history(self, ticket: TicketView | None) -> list[TransferStep]:
        """The transfers of ``ticket`` as last read (none when the reading is another ticket's)."""
        snap = self.snapshot
        if snap is None or ticket is None:
            return []
        if snap.state.ticket is None or snap.state.ticket.id != ticket.id:
            return []
        return snap.transfers

    def priority_names(self) -> dict[str, tuple[str, str]] | None:
        return self.snapshot.priority_names if self.snapshot is not None else None

    def transfer_choices(self) -> tuple[TicketView, list[ServiceChoice], list[tuple[int, str]]]:
        """The open ticket, the services it may go to (not its own) and the other counters."""
        snap, ticket = self.snapshot, self.ticket
        assert snap is not None and ticket is not None
        services = [c for c in snap.services if c.code != ticket.service]
        return ticket, services, snap.counters

    def describe(self, error: object) -> str:
        """An error in the clerk's words."""
        if isinstance(error, MotcuaError):
            return error.message_in(current_language())
        log.error("unexpected error at the counter", exc_info=error)  # type: ignore[arg-type]
        return tr("counter.unexpected")

    # --- what a press means ---------------------------------------------------------------------

    def decide(self, action: str, selected_held: int | None = None) -> Step | None:
        """What ``action`` does now (None: not allowed). Calling with a ticket open asks first;
        transfer and pause ask for their details; resume takes the chosen held ticket, else the
        first one; pressing pause while paused opens the counter again."""
        if action not in self.legal():
            return None
        ticket, snap = self.ticket, self.snapshot
        if action == "call_next" and ticket is not None and ticket.status in ("called", "serving"):
            return Step("ask_open_ticket", ticket=ticket)
        if action == "transfer":
            return Step("transfer", ticket=ticket)
        if action == "resume":
            held = selected_held
            if held is None and snap is not None and snap.held:
                held = snap.held[0].id
            return Step("resume", held_id=held) if held is not None else None
        if action == "pause":
            if snap is not None and snap.state.paused:
                return Step("run", request=self.request("resume_counter"))
            return Step("pause")
        return Step("run", request=self.request(action))

    def held(self) -> list[HeldTicket]:
        return self.snapshot.held if self.snapshot is not None else []

    def request(
        self, action: str, *, ticket_id: int | None = None, first: str | None = None, **kw: Any
    ) -> ActionRequest:
        """A new request for ``action`` on ``ticket_id`` (default: the open ticket)."""
        target = ticket_id if ticket_id is not None else (self.ticket.id if self.ticket else None)
        finished = self.ticket if action == "finish" or first == "finish" else None
        language = self.snapshot.ticket_language if self.snapshot is not None else "vi"
        return ActionRequest(
            next(self._request_ids), action, target, first, dict(kw), finished, language
        )

    # --- signing in and out ---------------------------------------------------------------------

    def sign_in(self, username: str, password: str, number: int) -> None:
        """Check the clerk and take the counter, then :meth:`open` it; or tell the screen why
        not (:meth:`CounterScreen.on_sign_in_failed`)."""
        db, centre = self.db, self.centre

        def work(_progress: Callable[[object], None]) -> object:
            return open_counter(db, centre, username, password, number)

        def done(result: object) -> None:
            session, engine, snap = result  # type: ignore[misc]
            self.screen.on_signed_in(session)
            self.open(session, engine, snap)

        self.actions.submit(
            in_language(work),
            None,
            done,
            lambda error: self.screen.on_sign_in_failed(self.describe(error)),
        )

    def open(self, session: Any, engine: Any, snap: CounterSnapshot) -> None:
        """Work as the signed-in clerk (their session and engine) from the counter's reading:
        the ticket still open there comes back (the clerk is told)."""
        from shared.queue import QueueEngine

        self.session, self.engine = session, engine
        self.read_engine = QueueEngine(engine.db, engine.centre_code, user_id=session.user_id)
        self.snapshot = snap
        self.set_online(True)
        self.apply_snapshot(snap)
        if snap.state.ticket is not None:
            self.screen.show_message(
                tr("counter.main.recovered", number=snap.state.ticket.number), error=False
            )
        self.screen.on_opened(session)

    def sign_out(self) -> bool:
        """Give the counter back (not while an action runs); False when nothing was done."""
        if self.session is None or self.busy:
            return False
        db, centre, number = self.db, self.centre, self.session.counter

        def work(_progress: Callable[[object], None]) -> object:
            from shared.counters import sign_out

            return sign_out(db, number, centre=centre)

        self._set_busy(True)
        self.actions.submit(in_language(work), None, self._on_signed_out, self._on_action_failed)
        return True

    def _on_signed_out(self, _result: object) -> None:
        self._set_busy(False)
        self.session = None
        self.engine = None
        self.read_engine = None
        self.snapshot = None
        self.ticket = None
        self.screen.on_signed_out()

    # --- state ----------------------------------------------------------------------------------

    def apply_snapshot(self, snap: CounterSnapshot) -> None:
        """A new reading of the counter: its ticket is the open one now."""
        self.snapshot = snap
        self.ticket = snap.state.ticket
        self.screen.on_snapshot(snap)

    def set_online(self, online: bool) -> None:
        changed = online != self.online
        self.online = online
        self.screen.on_online(online, changed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.screen.on_busy(busy)

    # --- actions --------------------------------------------------------------------------------

    def run(self, request: ActionRequest) -> bool:
        """Send one request to the engine (actions runner), then read the counter again (reads
        runner). A request already sent is not sent again: False (as when signed out)."""
        engine, number = self.engine, self.counter_number
        if engine is None or number is None or request.id in self._sent:
            return False
        self._sent.add(request.id)
        action, target, first, kw = (
            request.action,
            request.ticket_id,
            request.first,
            request.options,
        )

        def work(progress: Callable[[object], None]) -> object:
            if first is not None:
                getattr(engine, first)(target)
            if action == "call_next":
                result = engine.call_next(number)
                progress(("ticket", result))
            elif action in ("pause_counter", "resume_counter"):
                result = getattr(engine, action)(number, **kw)
            else:
                result = getattr(engine, action)(target, **kw)
            return action, result

        self._action_seq += 1
        self._set_busy(True)
        self.actions.submit(
            in_language(work),
            self._on_action_progress,
            lambda result: self._on_action_done(result, request),
            self._on_action_failed,
        )
        return True

    def _on_action_progress(self, item: object) -> None:
        kind, value = item  # type: ignore[misc]
        if kind == "ticket":
            # The call is committed: show the citizen's number at once, figures follow.
            self.ticket = value  # type: ignore[assignment]
            self.screen.on_called(value)  # type: ignore[arg-type]

    def _on_action_done(self, result: object, request: ActionRequest) -> None:
        action, value = result  # type: ignore[misc]
        read, number, seq = self.read_engine, self.counter_number, self._action_seq
        finished, language = request.finished, request.language
        if read is None or number is None:
            self._set_busy(False)
            return

        def done(result: object) -> None:
            self._set_busy(False)
            if self.session is None:
                return
            self.apply_snapshot(result[1])  # type: ignore[index]
            if action == "call_next" and value is None:
                self.screen.show_message(tr("counter.main.nobody"), error=False)
            self.screen.on_action_done(action)
            if finished is not None:
                self.screen.on_rating_due(finished, language)

        def failed(error: object) -> None:
            # The action itself is committed: say the figures could not be read.
            self._set_busy(False)
            self._on_refresh_failed(error)
            self.screen.on_action_done(action)
            if finished is not None:
                self.screen.on_rating_due(finished, language)

        self.reads.submit(
            in_language(lambda _p: (seq, _load_snapshot(read, number))), None, done, failed
        )

    def _on_action_failed(self, error: object) -> None:
        self._set_busy(False)
        if isinstance(error, DatabaseError):
            self.set_online(False)
        self.screen.show_message(self.describe(error))
        if not isinstance(error, DatabaseError):
            self.refresh()

    # --- satisfaction ---------------------------------------------------------------------------

    def rating_request(self, ticket: TicketView, scale: int) -> RatingRequest:
        """The rating of ``ticket``, recorded with the engine of the clerk who served it."""
        return RatingRequest(self.engine, ticket.id, scale)

    def rate(self, request: RatingRequest, level: object, source: str, reasons: list[str]) -> None:
        """Record the citizen's answer (``level`` None: no rating)."""
        engine, ticket_id, scale = request.engine, request.ticket_id, request.scale

        def work(_progress: Callable[[object], None]) -> object:
            return engine.rate(ticket_id, level, scale=scale, source=source, reasons=tuple(reasons))

        self.actions.submit(in_language(work), None, self._on_rated, self._on_rating_failed)

    def _on_rated(self, view: object) -> None:
        level, scale = getattr(view, "level", None), getattr(view, "scale", 3)
        label = tr(f"rating.{scale}.{level}") if level is not None else tr("counter.rating.none")
        self.screen.show_message(
            tr("counter.rating.recorded", number=getattr(view, "number", ""), label=label),
            error=False,
        )
        self.screen.on_rated(view)

    def _on_rating_failed(self, error: object) -> None:
        if isinstance(error, DatabaseError):
            self.set_online(False)
        self.screen.show_message(self.describe(error))

    # --- reading again --------------------------------------------------------------------------

    def connection_changed(self, online: bool) -> None:
        """The change-feed reached the database again (read now) or lost it (offline)."""
        if online:
            self.refresh()
        else:
            self.set_online(False)

    def refresh(self) -> None:
        """Read the counter again (once at a time; a request meanwhile reads once more after)."""
        engine, number = self.read_engine, self.counter_number
        if engine is None or number is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        seq = self._action_seq
        self.reads.submit(
            in_language(lambda _p: (seq, _load_snapshot(engine, number))),
            None,
            self._on_refreshed,
            self._on_refresh_failed,
        )

    def _on_refreshed(self, result: object) -> None:
        seq, snap = result  # type: ignore[misc]
        self._refreshing = False
        if self.session is None:
            return
        if seq != self._action_seq or self.busy:
            # Read before (or while) an action ran: the action's own read brings the news.
            self._refresh_again = False
            return
        was_offline = not self.online
        self.set_online(True)
        self.apply_snapshot(snap)
        if was_offline:
            self.screen.show_message(tr("counter.online_again"), error=False)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _on_refresh_failed(self, error: object) -> None:
        self._refreshing = False
        self._refresh_again = False
        if isinstance(error, DatabaseError):
            self.set_online(False)
        else:
            log.error("cannot read the counter", exc_info=error)  # type: ignore[arg-type]


def open_counter(
    db: Any, centre: str | None, username: str, password: str, number: int
) -> tuple[Any, Any, CounterSnapshot]:
    """Sign the clerk in at counter ``number``: their session, their engine and the counter's
    reading (raises the core's errors: wrong password, counter held by another clerk, …)."""
    from shared.counters import sign_in
    from shared.queue import QueueEngine

    session = sign_in(db, username, password, number, centre=centre)
    engine = QueueEngine(db, centre, user_id=session.user_id)
    return session, engine, _load_snapshot(engine, number)


def in_language(work: Work) -> Work:
    """Run ``work`` in a worker thread with the clerk's language (a thread starts in the
    default one): texts the engine puts into its errors follow the clerk's switch."""
    language = current_language()

    def run(progress: Callable[[object], None]) -> object:
        set_language(language)
        return work(progress)

    return run


def _ignore(_item: object) -> None:
    return None
