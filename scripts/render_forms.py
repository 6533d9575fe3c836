"""Render every form with sample data (ordinary and longest texts) as PDF and PNG pages.

    .venv/bin/python scripts/render_forms.py [OUTDIR] [--dpi 150]

Writes OUTDIR/<form>-<variant>.pdf and OUTDIR/<form>-<variant>-p<N>.png (default /tmp/forms),
plus the thermal slip (slip-<variant>.png), for a look before printing anything.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared.forms import FormOptions, build_form  # noqa: E402
from shared.forms.pdf import write_pdf  # noqa: E402
from shared.forms.raster import render_page  # noqa: E402
from shared.forms.samples import sample_book, sample_dossier  # noqa: E402
from shared.forms.slip import render_thermal_slip  # noqa: E402
from shared.printing.layout import PrinterProfile  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=Path("/tmp/forms"))
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--hotline", default="0272 3 456 789")
    args = parser.parse_args(argv)
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    options = FormOptions(hotline=args.hotline)
    for variant, longest in (("ordinary", False), ("longest", True)):
        dossier = sample_dossier(longest=longest)
        for form in ("01", "02", "03", "04", "05", "06"):
            data = sample_book(40, longest=longest) if form == "06" else dossier
            document = build_form(form, data, options)
            write_pdf(document.pages, out / f"{form}-{variant}.pdf", title=document.title)
            for number, page in enumerate(document.pages):
                render_page(page, args.dpi).save(out / f"{form}-{variant}-p{number}.png")
            print(f"{form} {variant}: {len(document.pages)} pages")
        slip = render_thermal_slip(dossier, PrinterProfile.for_paper(80), options)
        slip.save(out / f"slip-{variant}.png")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
