"""``motcua queue status``: waiting per service, serving per counter."""

from __future__ import annotations

from cli.core import Context, Registrar
from shared.i18n import tr


def register(r: Registrar) -> None:
    """Add ``motcua queue …``."""
    group = r.group
    leaf = r.leaf
    queue = group("queue", "the queue as a whole")
    leaf(queue, "status", cmd_queue_status, "waiting per service, serving per counter")


def cmd_queue_status(ctx: Context) -> int:
    status = ctx.engine().status()

    def human() -> str:
        lines = [
            f"{status.centre} – {status.business_day:%d/%m/%Y}",
            tr("cli.status_header_waiting") + ":",
        ]
        for svc in status.services:
            lines.append(f"  {svc.code:<8} {svc.waiting:>4}  {svc.name}")
        lines.append(tr("cli.status_header_counters") + ":")
        for c in status.counters:
            if c.paused:
                state = tr("counter.paused")
            elif c.ticket is not None:
                state = tr("cli.status_serving", number=c.ticket.number)
            else:
                state = tr("cli.status_idle")
            lines.append(f"  {c.number:>3}  {state}")
        return "\n".join(lines)

    return ctx.emit(status.to_json(), human)
