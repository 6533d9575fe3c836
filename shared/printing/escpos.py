"""ESC/POS bytes for a ticket that was drawn as a 1-bit picture.

Everything goes to the printer as a raster image (``GS v 0``), built with python-escpos's
:class:`~escpos.printer.Dummy` printer, so the printer's code pages never see a Vietnamese letter
and tone marks print right on any ESC/POS printer. The output is deterministic: the same image
gives the same bytes.

The bytes are::

    ESC @                       initialise (clears the buffer, resets modes)
    GS v 0 m xL xH yL yH data   one command per band of at most FRAGMENT_HEIGHT rows, top first
    ESC d n                     print and feed n lines, past the cutter / tear bar
    GS V 0                      full cut (only when asked)

A raster bit 1 is a printed (black) dot: a black pixel (0) of the mode "1" image.
"""

from __future__ import annotations

import atexit
import os
import shutil

from PIL import Image

# python-escpos loads its printer database at import and pickles it into a fresh temporary
# folder per process (mkdtemp), which it never removes; remove it at exit unless the user chose
# a folder for it (ESCPOS_CAPABILITIES_PICKLE_DIR).
_OWN_PICKLE_DIR = "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ

from escpos import capabilities as _capabilities  # noqa: E402
from escpos.printer import Dummy  # noqa: E402

if _OWN_PICKLE_DIR:
    atexit.register(shutil.rmtree, _capabilities.pickle_dir, ignore_errors=True)

FRAGMENT_HEIGHT = 256
"""Rows per ``GS v 0`` command: 18 KB at 576 dots, small enough for cheap printers' buffers."""

FEED_LINES = 6
"""Lines fed after the image, as python-escpos's ``cut()`` does, so the last printed row passes
the cutter or the tear bar."""


def encode_image(image: Image.Image, *, cut: bool, fragment_height: int = FRAGMENT_HEIGHT) -> bytes:
    """The exact bytes that print ``image`` at its own size, then feed, then cut if asked.

    ``image`` should be mode "1" and exactly the printer's width in dots: it is never resized nor
    centred. Another mode is thresholded at 50 % grey (no dithering); transparent pixels count as
    white.
    """
    if fragment_height < 1:
        raise ValueError(f"fragment_height must be positive, not {fragment_height}")
    if image.width < 1 or image.height < 1:
        raise ValueError(f"empty image {image.size}")
    bitmap = to_bitmap(image)
    printer = Dummy()
    _set_media_width(printer, bitmap.width)
    printer.hw("INIT")
    # Cut into bands here rather than through image()'s own fragment_height: image() would first
    # convert the whole picture, then each band again (same bytes, twice the time).
    width, height = bitmap.size
    for top in range(0, height, fragment_height):
        band = bitmap.crop((0, top, width, min(height, top + fragment_height)))
        printer.image(
            band,
            impl="bitImageRaster",
            high_density_vertical=True,
            high_density_horizontal=True,
            fragment_height=fragment_height,
            center=False,
        )
    if cut:
        printer.cut(mode="FULL", feed=True)  # ESC d 6, GS V 0
    else:
        printer.print_and_feed(FEED_LINES)
    return printer.output


def to_bitmap(image: Image.Image) -> Image.Image:
    """``image`` as mode "1" (black = 0), without dithering."""
    if image.mode == "1":
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L").point(lambda value: 255 if value >= 128 else 0, mode="1")


def _set_media_width(printer: Dummy, width: int) -> None:
    """Give ``printer`` a media width of ``width`` dots.

    With the default profile's unknown width, ``image()`` prints a notice on stdout for every
    call; with a narrower width it refuses the image. The profile data is copied onto this
    printer's profile, not changed in place: python-escpos shares it between all printers.
    """
    profile = printer.profile
    data = dict(profile.profile_data)
    media = dict(data.get("media") or {})
    media["width"] = {"mm": "Unknown", "pixels": width}
    data["media"] = media
    profile.profile_data = data
