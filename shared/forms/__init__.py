"""A4 forms of the one-stop desk (Mẫu 01–06), as PDF and as page images, Qt-free.

The fixed texts are data (``assets/forms/<set>.toml``, :mod:`shared.forms.formset`); the
layout (:mod:`shared.forms.build`) places them with a dossier's values on a page model
(:mod:`shared.forms.page`) measured with the shipped Noto Serif; two renderers draw that same
model: :mod:`shared.forms.pdf` (fpdf2, fonts embedded) and :mod:`shared.forms.raster` (Pillow).

    render_form_pdf("01", dossier, Path("01.pdf"))          # both copies, one PDF
    pages = render_form_pages("01", dossier, dpi=300)       # PIL images, for QPrinter
    book = TrackingBook(rows, centre_name=…, agency=…, date_from=…, date_to=…)
    render_form_pdf("06", book, Path("so.pdf"))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from shared.forms.build import (
    DossierNotAccepted,
    FormData,
    FormDataMissing,
    FormDocument,
    FormOptions,
    TrackingBook,
    UnknownCopy,
    build_form,
)
from shared.forms.formset import (
    DEFAULT_SET,
    FormSet,
    FormSetError,
    UnknownForm,
    load_form_set,
    load_form_set_file,
)
from shared.forms.pdf import write_pdf
from shared.forms.raster import render_page

__all__ = [
    "DEFAULT_SET",
    "FormData",
    "DossierNotAccepted",
    "FormDataMissing",
    "FormDocument",
    "FormOptions",
    "FormSet",
    "FormSetError",
    "TrackingBook",
    "UnknownCopy",
    "UnknownForm",
    "build_form",
    "load_form_set",
    "load_form_set_file",
    "render_form_pages",
    "render_form_pdf",
    "render_form_png",
]


def render_form_pdf(
    form: str,
    dossier: FormData,
    path: Path,
    *,
    copies: Sequence[str] | None = None,
    options: FormOptions | None = None,
) -> Path:
    """Write form ``form`` for ``dossier`` (a TrackingBook for Mẫu 06) as a PDF at ``path``.

    ``copies``: the copies to include, e.g. ``("lưu", "giao")``; None: every copy of the form.
    """
    document = build_form(form, dossier, options, copies=copies)
    return write_pdf(document.pages, path, title=document.title)


def render_form_pages(
    form: str,
    dossier: FormData,
    dpi: int = 150,
    *,
    copies: Sequence[str] | None = None,
    options: FormOptions | None = None,
) -> list[Image.Image]:
    """Every page of the form as a greyscale image at ``dpi`` (300 to print through Qt)."""
    document = build_form(form, dossier, options, copies=copies)
    return [render_page(page, dpi) for page in document.pages]


def render_form_png(
    form: str,
    dossier: FormData,
    page: int = 0,
    dpi: int = 150,
    *,
    copies: Sequence[str] | None = None,
    options: FormOptions | None = None,
) -> Image.Image:
    """One page of the form as an image (``page`` counts from 0 across all copies)."""
    document = build_form(form, dossier, options, copies=copies)
    if not 0 <= page < len(document.pages):
        raise IndexError(f"form {form} has {len(document.pages)} pages, not page {page}")
    return render_page(document.pages[page], dpi)
