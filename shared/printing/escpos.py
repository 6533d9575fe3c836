"""ESC/POS bytes for a ticket that was drawn as a 1-bit picture.

Everything goes to the printer as a raster image (``GS v 0``), built with python-escpos's
:class:`~escpos.printer.Dummy` printer, so the printer's code pages never see a Vietnamese letter
and tone marks print right on any ESC/POS printer. The output is deterministic: the same image
gives the same bytes.

The bytes are::

    ESC @                       initialise (clears the buffer, resets modes)
    GS v 0 m xL xH yL yH data   one command per band of at most FRAGMENT_HEIGHT rows, top first
    ESC J n                     (with feed_blank) a blank stretch fed as n dot rows
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


MIN_FEED_GAP = 8
"""Blank stretches at least this tall (1 mm at 203 dpi) go as paper feeds, not white dots."""


def encode_image(
    image: Image.Image,
    *,
    cut: bool,
    fragment_height: int = FRAGMENT_HEIGHT,
    feed_blank: bool = False,
) -> bytes:
    """The exact bytes that print ``image`` at its own size, then feed, then cut if asked.

    ``image`` should be mode "1" and exactly the printer's width in dots: it is never resized nor
    centred. Another mode is thresholded at 50 % grey (no dithering); transparent pixels count as
    white.

    With ``feed_blank``, blank stretches of :data:`MIN_FEED_GAP` rows or more are sent as
    ``ESC J n`` (feed n dots) instead of rows of white dots: a ticket is mostly white between
    its lines, so it needs a third fewer bytes. That assumes the printer's vertical motion unit
    is one dot row (1/203 inch on 203 dpi printers, the common case); the set-up test page
    shows whether gaps come out right.
    """
    if fragment_height < 1:
        raise ValueError(f"fragment_height must be positive, not {fragment_height}")
    if image.width < 1 or image.height < 1:
        raise ValueError(f"empty image {image.size}")
    bitmap = to_bitmap(image)
    printer = Dummy()
    _set_media_width(printer, bitmap.width)
    printer.hw("INIT")
    width, height = bitmap.size
    stretches = _stretches(bitmap) if feed_blank else [(0, height, True)]
    for top, bottom, inked in stretches:
        if not inked:
            gap = bottom - top
            while gap > 0:
                step = min(gap, 255)
                printer._raw(b"\x1bJ" + bytes([step]))
                gap -= step
            continue
        # Cut into bands here rather than through image()'s own fragment_height: image() would
        # first convert the whole picture, then each band again (same bytes, twice the time).
        for band_top in range(top, bottom, fragment_height):
            band = bitmap.crop((0, band_top, width, min(bottom, band_top + fragment_height)))
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


def _stretches(bitmap: Image.Image) -> list[tuple[int, int, bool]]:
    """(top, bottom, inked) runs of rows; blank runs shorter than MIN_FEED_GAP count as inked."""
    row_bytes = (bitmap.width + 7) // 8
    data = bitmap.tobytes()
    # In mode "1" bytes a set bit is white; the padding bits of the last byte are zero.
    blank_row = bytes(Image.new("1", (bitmap.width, 1), 1).tobytes())
    blank = [
        data[row * row_bytes : (row + 1) * row_bytes] == blank_row for row in range(bitmap.height)
    ]
    runs: list[tuple[int, int, bool]] = []
    top = 0
    while top < bitmap.height:
        bottom = top
        while bottom < bitmap.height and blank[bottom] == blank[top]:
            bottom += 1
        inked = not blank[top] or bottom - top < MIN_FEED_GAP
        if runs and runs[-1][2] and inked:
            runs[-1] = (runs[-1][0], bottom, True)
        else:
            runs.append((top, bottom, inked))
        top = bottom
    return runs


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
