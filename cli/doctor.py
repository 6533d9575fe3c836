"""``motcua doctor``: is this PC ready to serve citizens."""

from __future__ import annotations

from cli.core import Context, Registrar
from shared.i18n import tr


def register(r: Registrar) -> None:
    """Add ``motcua doctor``."""
    commands = r.commands
    leaf = r.leaf
    leaf(
        commands,
        "doctor",
        cmd_doctor,
        "check this computer: database, schema, clock, printer, fonts, voice, disk, backups, logs",
    )


def cmd_doctor(ctx: Context) -> int:
    from shared.doctor import examine

    report = examine(ctx.settings, ctx.db)

    def human() -> str:
        width = max(len(c.name) for c in report.checks)
        lines = []
        for check in report.checks:
            status = tr(f"doctor.status.{check.status}")
            lines.append(f"{status:>7}  {check.name:<{width}}  {check.detail}")
            if check.advice:
                lines.append(f"{'':>7}  {'':<{width}}  → {check.advice}")
        lines.append(tr("doctor.summary.ok" if report.ok else "doctor.summary.fail"))
        return "\n".join(lines)

    data = {"ok": report.ok, "checks": [c.to_json() for c in report.checks]}
    ctx.emit(data, human)
    return report.exit_code
