"""``motcua counter …``: sign clerks in and out, pause and reopen counters."""

from __future__ import annotations

from cli.core import Context, Registrar, read_password
from shared.i18n import tr

PAUSE_REASON_CHOICES = ("break", "meeting", "dossier_work", "technical", "support", "other")
"""``counter pause --reason``: shared.queue.PAUSE_REASONS (not imported: the parser stays light)."""


def register(r: Registrar) -> None:
    """Add ``motcua counter …`` (the app's command joins this group)."""
    group = r.group
    leaf = r.leaf
    counter = group("counter", "counters")
    p = leaf(
        counter,
        "sign-in",
        cmd_counter_sign_in,
        "sign a clerk in at a counter (password from the prompt or stdin)",
    )
    p.add_argument("number", metavar="N", type=int)
    p.add_argument("--user", required=True, metavar="NAME")
    p = leaf(counter, "sign-out", cmd_counter_sign_out, "sign the clerk out of a counter")
    p.add_argument("number", metavar="N", type=int)
    for name, help_ in (("pause", "pause a counter (no calls)"), ("resume", "reopen a counter")):
        p = leaf(counter, name, cmd_counter, help_)
        p.add_argument("number", metavar="N", type=int)
        p.set_defaults(action=name)
        if name == "pause":
            p.add_argument("--reason", choices=PAUSE_REASON_CHOICES, help="why it is paused")
            p.add_argument(
                "--note",
                default="",
                metavar="TEXT",
                help="free text (≤ 200 characters; no personal data)",
            )


def cmd_counter_sign_in(ctx: Context) -> int:
    from shared.counters import sign_in

    password = read_password(confirm=False)
    session = sign_in(ctx.db, ctx.args.user, password or "", ctx.args.number, centre=ctx.centre)
    return ctx.emit(
        {"session": session.to_json()},
        tr("cli.signed_in", name=session.full_name or session.username, number=session.counter),
    )


def cmd_counter_sign_out(ctx: Context) -> int:
    from shared.counters import sign_out

    session = sign_out(ctx.db, ctx.args.number, centre=ctx.centre)
    return ctx.emit({"session": session.to_json()}, tr("cli.signed_out", number=session.counter))


def cmd_counter(ctx: Context) -> int:
    engine = ctx.engine()
    a = ctx.args
    if a.action == "pause":
        state = engine.pause_counter(a.number, reason=a.reason, note=a.note)
    else:
        state = engine.resume_counter(a.number)
    label = tr("counter.paused" if state.paused else "counter.open")
    return ctx.emit(
        {"counter": state.to_json()}, tr("cli.counter_state", number=state.number, state=label)
    )
