"""QR codes drawn crisp: every module exactly ``module_dots`` printer dots, no resampling blur."""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import qrcode
from PIL import Image

QUIET_MODULES: Final = 4


@lru_cache(maxsize=32)
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """Modules of the QR code for ``text`` (error correction M), quiet zone included.

    The text must be ASCII: QR contents are tokens and URLs, never free text.
    """
    if not text:
        raise ValueError("empty QR text")
    if not text.isascii():
        raise ValueError("QR text must be ASCII")
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=QUIET_MODULES
    )
    code.add_data(text)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def qr_modules(text: str) -> int:
    """Side of the QR code in modules, quiet zone included."""
    return len(qr_matrix(text))


def qr_image(text: str, module_dots: int) -> Image.Image:
    """The QR code as a mode "1" image of side ``qr_modules(text) * module_dots``."""
    if module_dots < 1:
        raise ValueError("module_dots must be positive")
    matrix = qr_matrix(text)
    side = len(matrix)
    data = bytes(0 if cell else 255 for row in matrix for cell in row)
    small = Image.frombytes("L", (side, side), data)
    big = small.resize((side * module_dots, side * module_dots), Image.Resampling.NEAREST)
    return big.convert("1", dither=Image.Dither.NONE)


def qr_fit(text: str, max_dots: int, min_module: int = 2) -> Image.Image:
    """The QR code with the largest whole module size that keeps it within ``max_dots``."""
    module = max(min_module, max_dots // qr_modules(text))
    return qr_image(text, module)
