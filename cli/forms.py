"""``motcua dossier print``: a dossier's A4 form as PDF and/or PNG pages, or its thermal slip.

    motcua dossier print CODE --form 01 --pdf 01.pdf [--png 01.png] [--copy giao] [--thermal]
    motcua dossier print --form 06 --from 2026-04-01 --to 2026-04-30 --pdf so.pdf

Added to the ``dossier`` group by :func:`add_print_command` (called from
:mod:`cli.dossier`). Reading the dossier goes through ``DossierDesk.show`` (logged like
any reading of personal data); the form set comes from the settings (default "2018").
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.core import Leaf
from cli.desk import open_desk, parse_day
from shared.errors import EXIT_USAGE, MotcuaError
from shared.i18n import tr

if TYPE_CHECKING:
    from cli.core import Context


class PrintUsage(MotcuaError):
    """The print command was given an impossible combination of options."""

    exit_code = EXIT_USAGE


def add_print_command(sub: Any, leaf: Leaf) -> argparse.ArgumentParser:
    """Add ``print`` to the ``dossier`` sub-commands; returns its parser."""
    p = leaf(sub, "print", cmd_print, "print a form (Mẫu 01–06) as PDF/PNG, or the thermal slip")
    p.add_argument("code", metavar="CODE", nargs="?", help="dossier code (not for the book)")
    p.add_argument("--form", default="01", metavar="NN", help="form number in the set (01)")
    p.add_argument("--pdf", type=Path, metavar="PATH", help="write the form as a PDF here")
    p.add_argument(
        "--png",
        type=Path,
        metavar="PATH",
        help="write the pages as PNG images (several pages: PATH-1.png, PATH-2.png, …)",
    )
    p.add_argument("--dpi", type=int, default=150, metavar="N", help="PNG resolution (150)")
    p.add_argument(
        "--copy",
        action="append",
        metavar="NAME",
        help="only this copy, e.g. giao or luu (may be repeated; default: all copies)",
    )
    p.add_argument(
        "--thermal",
        action="store_true",
        help="print the compact slip on the ticket printer (with --escpos: save its bytes)",
    )
    p.add_argument("--escpos", type=Path, metavar="PATH", help="the thermal slip's bytes here")
    p.add_argument("--from", metavar="DATE", dest="date_from", help="book (06): first day")
    p.add_argument("--to", metavar="DATE", dest="date_to", help="book (06): last day")
    p.add_argument("--user", metavar="NAME", help="the clerk acting (recorded in the log)")
    return p


def _png_paths(path: Path, count: int) -> list[Path]:
    if count == 1:
        return [path]
    suffix = path.suffix or ".png"
    return [path.with_name(f"{path.stem}-{n}{suffix}") for n in range(1, count + 1)]


def _day(value: str) -> date:
    try:
        return parse_day(value)
    except ValueError:
        raise PrintUsage("forms.cli.bad_date", value=value) from None


def cmd_print(ctx: Context) -> int:
    from shared.forms import FormOptions, build_form, load_form_set
    from shared.forms.build import TrackingBook
    from shared.forms.pdf import write_pdf
    from shared.forms.raster import render_page
    from shared.forms.slip import print_dossier_slip

    a = ctx.args
    if a.pdf is None and a.png is None and not a.thermal:
        raise PrintUsage("forms.cli.no_output")
    base = FormOptions.from_settings(ctx.settings)
    spec = load_form_set(base.form_set).form(a.form)
    desk = open_desk(ctx)
    options = FormOptions(
        form_set=base.form_set,
        timezone=desk.timezone(),
        lookup_base_url=base.lookup_base_url,
        hotline=base.hotline,
    )
    data: Any
    if spec.source == "book":
        if not a.date_from or not a.date_to or a.thermal:
            raise PrintUsage("forms.cli.book_dates", form=spec.number)
        first, last = _day(a.date_from), _day(a.date_to)
        rows = desk.tracking_book(first, last)
        centre = _centre(ctx)
        data = TrackingBook(
            tuple(rows), centre.name, centre.agency, first, last, centre.place, f"{first.year}"
        )
    else:
        if not a.code:
            raise PrintUsage("forms.cli.code_needed", form=spec.number)
        data = desk.show(a.code)
    result: dict[str, Any] = {"form": spec.number, "title": spec.title}
    files: list[str] = []
    if a.pdf is not None or a.png is not None:
        document = build_form(spec.number, data, options, copies=a.copy)
        result["pages"] = len(document.pages)
        if a.pdf is not None:
            files.append(str(write_pdf(document.pages, a.pdf, title=document.title)))
            result["pdf"] = files[-1]
        if a.png is not None:
            a.png.parent.mkdir(parents=True, exist_ok=True)
            paths = _png_paths(a.png, len(document.pages))
            for page, path in zip(document.pages, paths, strict=True):
                render_page(page, a.dpi).save(path, format="PNG", optimize=True)
            result["png"] = [str(path) for path in paths]
            files.extend(result["png"])
    if a.thermal:
        try:
            printed = print_dossier_slip(data, ctx.settings, escpos=a.escpos)
        except MotcuaError:
            desk.log_print(data.code, "slip", ok=False)
            raise
        desk.log_print(data.code, "slip", ok=True, pages=1)
        result["thermal"] = printed.to_json()
        files.append(printed.escpos or tr("cli.printed", printer=printed.printer))
    return ctx.emit(result, tr("forms.saved", form=spec.number, files=", ".join(files)))


def _centre(ctx: Context) -> Any:
    """The centre's header data (name, agency, place) for the tracking book."""
    from sqlalchemy import select

    from shared.models import Centre

    with ctx.db.transaction(readonly=True) as s:
        query = select(Centre)
        if ctx.centre:
            query = query.where(Centre.code == ctx.centre)
        centres = list(s.scalars(query.order_by(Centre.id).limit(2)))
        if len(centres) != 1:
            raise PrintUsage("forms.cli.which_centre")
        centre = centres[0]
        return argparse.Namespace(name=centre.name, agency=centre.agency, place=centre.place)
