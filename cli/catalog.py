"""``motcua catalog …``: the centre's sectors, services, procedures and counters."""

from __future__ import annotations

from pathlib import Path

from cli.core import Context, Registrar
from shared.i18n import tr


def register(r: Registrar) -> None:
    """Add ``motcua catalog …``."""
    group = r.group
    leaf = r.leaf
    catalog = group("catalog", "the centre's catalogue (sectors, services, procedures, counters)")
    p = leaf(
        catalog,
        "import",
        cmd_catalog_import,
        "import a catalogue: a TOML file, an XLSX workbook or a folder of CSV files (all or "
        "nothing)",
    )
    p.add_argument("file", type=Path)
    leaf(catalog, "show", cmd_catalog_show, "show the active catalogue")
    p = leaf(
        catalog,
        "export",
        cmd_catalog_export,
        "write the active catalogue as PATH.toml, PATH.xlsx or a folder of CSV files",
    )
    p.add_argument("path", type=Path, metavar="PATH")


def cmd_catalog_import(ctx: Context) -> int:
    from shared.catalog import import_catalog, load_catalog_file

    spec = load_catalog_file(ctx.args.file)
    ctx.db.check_schema()
    result = import_catalog(ctx.db, spec)
    return ctx.emit(
        result.to_json(),
        tr(
            "cli.catalog_imported",
            centre=result.centre,
            sectors=result.sectors,
            services=result.services,
            procedures=result.procedures,
            counters=result.counters,
            groups=result.priority_groups,
        ),
    )


def cmd_catalog_show(ctx: Context) -> int:
    from shared.catalog import show_catalog

    data = show_catalog(ctx.db, ctx.centre)

    def human() -> str:
        lines = [f"{data['centre']['name']} ({data['centre']['code']})", ""]
        for svc in data["services"]:
            lines.append(f"  {svc['code']:<8} {svc['name']}")
        lines.append("")
        for c in data["counters"]:
            lines.append(
                f"  {tr('cli.ticket_counter', counter=c['number'])}: "
                f"{', '.join(c['services'])}  {c['name']}"
            )
        lines.append("")
        lines.append(f"  {len(data['procedures'])} procedures, {len(data['sectors'])} sectors")
        return "\n".join(lines)

    return ctx.emit(data, human)


def cmd_catalog_export(ctx: Context) -> int:
    from shared.catalog import export_catalog
    from shared.catalog_tables import write_catalog

    written = write_catalog(export_catalog(ctx.db, ctx.centre), ctx.args.path)
    return ctx.emit({"written": str(written)}, tr("report.written", path=written))
