"""CODE128 barcodes (code sets B and C), drawn with whole-dot modules so every bar is crisp.

The encoder picks, by dynamic programming, the shortest mix of code set B (printable ASCII)
and code set C (pairs of digits): a dossier code such as ``000.00.10.H39-261125-0001`` packs
its date and running number as digit pairs. :func:`code128_modules` returns the bar and space
widths in modules; :func:`code128_image` draws them.
"""

from __future__ import annotations

from typing import Final

from PIL import Image

# Bar/space widths of the 107 symbols, bar first (ISO/IEC 15417, table 1); 106 is STOP.
PATTERNS: Final[tuple[str, ...]] = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)  # fmt: skip

CODE_C: Final = 99  # switch to code set C (in set B)
CODE_B: Final = 100  # switch to code set B (in set C)
START_B: Final = 104
START_C: Final = 105
STOP: Final = 106
QUIET_MODULES: Final = 10
"""White space required on each side of the symbol, in modules."""

_B, _C = 0, 1


def _b_ok(char: str) -> bool:
    return 32 <= ord(char) <= 126


def code128_values(text: str) -> list[int]:
    """Symbol values: start, data (with set switches), checksum and stop.

    Raises ValueError for an empty text or a character outside printable ASCII.
    """
    if not text:
        raise ValueError("CODE128 needs at least one character")
    bad = sorted({c for c in text if not _b_ok(c)})
    if bad:
        raise ValueError(f"CODE128 (sets B/C) cannot hold {''.join(bad)!r}")
    n = len(text)
    inf = 1 << 30
    # cost[i][s]: fewest symbols to encode text[i:] while in set s.
    cost = [[0, 0] for _ in range(n + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0), (0, 0)] for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        pair = i + 1 < n and text[i].isdigit() and text[i + 1].isdigit()
        stay_b = 1 + cost[i + 1][_B]
        stay_c = 1 + cost[i + 2][_C] if pair else inf
        # In each set: encode here, or switch (one symbol) and encode in the other set.
        cost[i][_B], step[i][_B] = min((stay_b, (_B, 1)), (1 + stay_c, (_C, 2)))
        cost[i][_C], step[i][_C] = min((stay_c, (_C, 2)), (1 + stay_b, (_B, 1)))
    current = _C if cost[0][_C] < cost[0][_B] else _B
    values = [START_C if current == _C else START_B]
    i = 0
    while i < n:
        target, width = step[i][current]
        if target != current:
            values.append(CODE_C if target == _C else CODE_B)
            current = target
        if current == _C:
            values.append(int(text[i : i + 2]))
        else:
            values.append(ord(text[i]) - 32)
        i += width
    checksum = (values[0] + sum(k * v for k, v in enumerate(values[1:], start=1))) % 103
    return [*values, checksum, STOP]


def code128_modules(text: str) -> list[int]:
    """Bar and space widths in modules, starting and ending with a bar; no quiet zones."""
    return [int(w) for value in code128_values(text) for w in PATTERNS[value]]


def code128_width(text: str, module_dots: int, quiet: bool = True) -> int:
    """Width in dots of :func:`code128_image` for these arguments."""
    modules = sum(code128_modules(text)) + (2 * QUIET_MODULES if quiet else 0)
    return modules * module_dots


def code128_image(text: str, module_dots: int, height: int, quiet: bool = True) -> Image.Image:
    """The barcode as a mode "1" image; each module exactly ``module_dots`` dots wide."""
    if module_dots < 1 or height < 1:
        raise ValueError("module_dots and height must be positive")
    row = bytearray()
    quiet_zone = b"\xff" * (QUIET_MODULES * module_dots if quiet else 0)
    row += quiet_zone
    for index, width in enumerate(code128_modules(text)):
        row += (b"\x00" if index % 2 == 0 else b"\xff") * (width * module_dots)
    row += quiet_zone
    line = Image.frombytes("L", (len(row), 1), bytes(row))
    stretched = line.resize((len(row), height), Image.Resampling.NEAREST)
    return stretched.convert("1", dither=Image.Dither.NONE)
