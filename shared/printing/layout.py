"""A small vertical flow canvas for thermal prints: blocks stacked top to bottom, 1-bit output.

Everything is measured in printer dots (at 203 dpi, 8 dots = 1 mm). Text is NFC-normalised and
drawn with the shipped Noto Sans (:mod:`shared.printing.fonts`): each line gets the font's full
ascent and descent, or more if its ink reaches further, so stacked Vietnamese marks ("Ễ", "Ộ")
are never clipped. Text wraps by words; a block that would exceed ``max_lines``, or a word wider
than the paper, first shrinks (down to ``min_size``), then is truncated with "…". The page is
drawn antialiased in grey and thresholded once into pure black and white, because a thermal head
prints dots, not greys.

A no-break space (U+00A0) keeps two words on one line ("theo\u00a0dõi").

Blocks are laid out when added, so a :class:`Flow` knows its height before :meth:`Flow.render`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Final, Literal

from PIL import Image, ImageDraw

from shared.clock import zone
from shared.i18n import nfc, tr
from shared.printing.fonts import font, space_width
from shared.settings import PrinterSettings

Align = Literal["left", "center", "right"]
Span = tuple[str, bool]
"""A piece of text and whether it is bold."""
Box = tuple[int, int, int, int]
"""(left, top, right, bottom) in dots, right and bottom exclusive."""
DrawFn = Callable[[ImageDraw.ImageDraw, int], None]
"""Paints a custom block: ``painter(canvas, top)``; black is 0, white 255."""
_Paint = Callable[[Image.Image, ImageDraw.ImageDraw, int], None]

DOTS_FOR_PAPER: Final = {80: 576, 58: 384}
DOTS_PER_MM: Final = 8
"""203 dpi print heads, the usual for receipt printers."""
DESIGN_DOTS: Final = 576
"""Font sizes in the layouts are written for 80 mm paper and scaled by :meth:`PrinterProfile.px`."""
INK_THRESHOLD: Final = 160
"""Grey levels below this (0 = black, 255 = white) are printed as a dot."""
ELLIPSIS: Final = "…"
NO_BREAK_SPACE: Final = "\u00a0"
BLACK: Final = 0
WHITE: Final = 255

_TO_1BIT: Final = [BLACK if level < INK_THRESHOLD else WHITE for level in range(256)]
_SPACES: Final = re.compile(r"([^\S\u00a0]+)")  # white space, except the no-break space
_TRIM_BEFORE_ELLIPSIS: Final = " ,;:.-–—/"
_BREAK_AFTER: Final = (",", ";", ":", "–", "—", ")")
_PUNCTUATION_FILL: Final = 0.5


@dataclass(frozen=True)
class PrinterProfile:
    """What a layout needs to know about the printer: dot width, paper, cutter."""

    dots: int = 576
    paper_mm: int = 80
    cutter: bool = True

    def __post_init__(self) -> None:
        if self.dots < 160:
            raise ValueError(f"a printer needs at least 160 dots of width, not {self.dots}")
        if self.paper_mm <= 0:
            raise ValueError(f"paper width must be positive, not {self.paper_mm}")

    @classmethod
    def for_paper(cls, paper_mm: int, *, dots: int = 0, cutter: bool = True) -> PrinterProfile:
        """Profile for a paper width; ``dots=0``: 576 for 80 mm, 384 for 58 mm."""
        if not dots:
            dots = DOTS_FOR_PAPER.get(paper_mm) or (paper_mm - 8) * DOTS_PER_MM
        return cls(dots=dots, paper_mm=paper_mm, cutter=cutter)

    @classmethod
    def from_settings(cls, settings: PrinterSettings) -> PrinterProfile:
        return cls.for_paper(settings.paper_width_mm, dots=settings.dots, cutter=settings.cutter)

    @property
    def margin(self) -> int:
        """White space kept on the left and right of text, in dots."""
        return max(4, round(self.dots / 48))

    @property
    def width(self) -> int:
        """Width available to text, in dots."""
        return self.dots - 2 * self.margin

    @property
    def scale(self) -> float:
        return self.dots / DESIGN_DOTS

    def px(self, size: float) -> int:
        """A text size designed for 80 mm, for this printer.

        Narrower paper shrinks text less than in proportion (58 mm: x0.78, not x0.67), so that
        it stays readable; it wraps onto more lines instead.
        """
        factor = self.scale if self.scale >= 1 else self.scale**0.6
        return max(8, round(size * factor))


@dataclass(frozen=True)
class TextResult:
    """How a text block was laid out: final size, the lines, whether text was cut."""

    size: int
    lines: tuple[str, ...]
    truncated: bool
    shrunk: bool


@dataclass(frozen=True)
class _Token:
    text: str
    bold: bool
    space_before: bool


@dataclass(frozen=True)
class _Placed:
    """A line laid out at origin (0, baseline 0): segments and ink extents."""

    segments: tuple[tuple[int, str, bool], ...]
    left: int
    right: int
    top: int
    bottom: int

    @property
    def text(self) -> str:
        return "".join(text for _, text, _ in self.segments)


@dataclass
class _Block:
    height: int
    draw: _Paint
    tag: str | None = None
    column: tuple[int, int, int] | None = None
    """For a block with a side column: (offset from the block's top, left, right)."""
    children: Sequence[_Block] = ()


def _spans(content: str | Sequence[Span], bold: bool) -> list[Span]:
    if isinstance(content, str):
        return [(content, bold)]
    return list(content)


def _words(spans: Sequence[Span]) -> list[list[_Token]]:
    """Split into words (break opportunities at white space); glued spans stay one word."""
    words: list[list[_Token]] = []
    pending_space = False
    for text, bold in spans:
        for part in _SPACES.split(nfc(text)):
            if not part:
                continue
            if part.isspace():
                pending_space = True
                continue
            token = _Token(part, bold, pending_space)
            if words and not pending_space:
                words[-1].append(token)
            else:
                words.append([token])
            pending_space = False
    return words


@lru_cache(maxsize=8192)
def _advance(text: str, size: int, bold: bool) -> float:
    return font(size, bold).getlength(text)


@lru_cache(maxsize=4096)
def _ink(text: str, size: int, bold: bool) -> tuple[int, int, int, int]:
    """Ink box of ``text`` drawn at origin (0, baseline 0): left, top, right, bottom."""
    left, top, right, bottom = font(size, bold).getbbox(text, anchor="ls")
    return int(left), int(top), int(right), int(bottom)


@lru_cache(maxsize=512)
def _mask(text: str, size: int, bold: bool) -> tuple[Image.Image, int, int]:
    """Antialiased coverage of ``text`` (255 = ink) and where its top-left sits from the origin.

    Drawn once and pasted wherever the same text is printed again: Pillow's text drawing
    costs far more than pasting, and kiosks print the same labels all day.
    """
    left, top, right, bottom = _ink(text, size, bold)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font(size, bold), fill=255, anchor="ls")
    return mask, left, top


def _segments(tokens: Sequence[_Token], size: int) -> tuple[tuple[int, str, bool], ...]:
    """Runs of same-style words with their x offsets; words are joined by one space."""
    segments: list[tuple[int, str, bool]] = []
    for index, token in enumerate(tokens):
        gap = token.space_before and index > 0
        if segments and segments[-1][2] == token.bold:
            x, text, bold = segments[-1]
            segments[-1] = (x, f"{text}{' ' if gap else ''}{token.text}", bold)
            continue
        x = 0
        if segments:
            last_x, last_text, last_bold = segments[-1]
            end = last_x + _advance(last_text, size, last_bold)
            x = round(end + (space_width(size) if gap else 0))
        segments.append((x, token.text, token.bold))
    return tuple(segments)


def _place(tokens: Sequence[_Token], size: int) -> _Placed:
    segments = _segments(tokens, size)
    left, right, top, bottom = 1 << 30, -(1 << 30), 0, 0
    for x, text, bold in segments:
        ink_left, ink_top, ink_right, ink_bottom = _ink(text, size, bold)
        left, right = min(left, x + ink_left), max(right, x + ink_right)
        top, bottom = min(top, ink_top), max(bottom, ink_bottom)
    return _Placed(segments, left, right, top, bottom)


def _width(tokens: Sequence[_Token], size: int) -> int:
    """Ink width of a line, measured cheaply for fitting: advances plus the ink overhang of
    the first and last characters (:func:`_place` measures the final lines exactly)."""
    if not tokens:
        return 0
    segments = _segments(tokens, size)
    x, text, bold = segments[-1]
    last = _ink(text[-1], size, bold)[2]
    right = max(x + _advance(text, size, bold), x + _advance(text[:-1], size, bold) + last)
    first = segments[0]
    left = min(0, _ink(first[1][0], size, first[2])[0])
    return math.ceil(right - left)


def _chars(tokens: Sequence[_Token]) -> list[tuple[str, bool, bool]]:
    out: list[tuple[str, bool, bool]] = []
    for index, token in enumerate(tokens):
        for position, char in enumerate(token.text):
            out.append((char, token.bold, token.space_before and index > 0 and position == 0))
    return out


def _tokens_from_chars(chars: Sequence[tuple[str, bool, bool]]) -> list[_Token]:
    tokens: list[_Token] = []
    for char, bold, space in chars:
        if tokens and not space and tokens[-1].bold == bold:
            tokens[-1] = replace(tokens[-1], text=tokens[-1].text + char)
        else:
            tokens.append(_Token(char, bold, space))
    return tokens


def _truncate(tokens: Sequence[_Token], size: int, width: int) -> list[_Token]:
    """The longest start of ``tokens`` that fits in ``width`` with "…" appended."""
    chars = _chars(tokens)

    def cut(count: int) -> list[_Token]:
        kept = _tokens_from_chars(chars[:count])
        while kept:
            text = kept[-1].text.rstrip(_TRIM_BEFORE_ELLIPSIS)
            if text:
                kept[-1] = replace(kept[-1], text=text + ELLIPSIS)
                return kept
            kept.pop()
        bold = tokens[0].bold if tokens else False
        return [_Token(ELLIPSIS, bold, False)]

    low, high = 0, len(chars) - 1
    while low < high:  # the largest count whose cut fits
        middle = (low + high + 1) // 2
        if _width(cut(middle), size) <= width:
            low = middle
        else:
            high = middle - 1
    return cut(low)


def _punctuation_break(line: Sequence[_Token], size: int, width: int) -> int | None:
    """Where to break ``line`` after its last punctuation instead, if that keeps it half full."""
    for index in range(len(line) - 1, 0, -1):
        if not line[index].space_before:
            continue
        if line[index - 1].text.endswith(_BREAK_AFTER):
            return index if _width(line[:index], size) >= width * _PUNCTUATION_FILL else None
    return None


def _wrap(
    words: Sequence[Sequence[_Token]],
    size: int,
    width: int,
    truncate: bool,
    punctuation: bool = True,
) -> tuple[list[list[_Token]], bool]:
    """Greedy word wrap; ``punctuation``: prefer breaking after it ("phút, | ngày …").

    Returns the lines and whether every word fitted whole.
    """
    lines: list[list[_Token]] = []
    current: list[_Token] = []
    whole = True
    for word in words:
        if current:
            if _width([*current, *word], size) <= width:
                current = [*current, *word]
                continue
            split = _punctuation_break(current, size, width) if punctuation else None
            if split is not None:
                lines.append(current[:split])
                current = current[split:]
                if _width([*current, *word], size) <= width:
                    current = [*current, *word]
                    continue
            lines.append(current)
        current = list(word)
        if _width(current, size) > width:
            whole = False
            if truncate:
                current = _truncate(current, size, width)
    if current:
        lines.append(current)
    _avoid_orphan(lines, size, width)
    return lines, whole


def _word_count(line: Sequence[_Token]) -> int:
    return sum(1 for index, token in enumerate(line) if index == 0 or token.space_before)


def _avoid_orphan(lines: list[list[_Token]], size: int, width: int) -> None:
    """A last line of one word takes the previous line's last word along, if it fits."""
    if len(lines) < 2 or _word_count(lines[-1]) != 1 or _word_count(lines[-2]) < 3:
        return
    previous = lines[-2]
    start = max(index for index, token in enumerate(previous) if token.space_before)
    moved = [*previous[start:], replace(lines[-1][0], space_before=True), *lines[-1][1:]]
    if _width(moved, size) <= width:
        lines[-2:] = [previous[:start], moved]


def _balance(
    words: Sequence[Sequence[_Token]], size: int, width: int, lines: list[list[_Token]]
) -> list[list[_Token]]:
    """The same number of lines, as even as possible (for titles)."""
    count = len(lines)
    low, high, best = width // count, width, lines
    while low <= high:  # the narrowest width that still needs no more lines
        middle = (low + high) // 2
        found, whole = _wrap(words, size, middle, truncate=False)
        if whole and len(found) <= count:
            best, high = found, middle - 1
        else:
            low = middle + 1
    return best


def _layout_text(
    words: Sequence[Sequence[_Token]],
    size: int,
    min_size: int,
    width: int,
    max_lines: int | None,
    punctuation: bool = True,
) -> tuple[int, list[list[_Token]], bool]:
    """Font size and lines: as given if it fits, else shrunk, else truncated at ``min_size``."""

    def attempt(candidate: int) -> list[list[_Token]] | None:
        lines, whole = _wrap(words, candidate, width, False, punctuation)
        if whole and (max_lines is None or len(lines) <= max_lines):
            return lines
        return None

    lines = attempt(size)
    if lines is not None:
        return size, lines, False
    low, high, best = min_size, size - 1, None
    while low <= high:  # the largest size that fits
        middle = (low + high) // 2
        found = attempt(middle)
        if found is not None:
            best, low = (middle, found), middle + 1
        else:
            high = middle - 1
    if best is not None:
        return best[0], best[1], False
    lines, _ = _wrap(words, min_size, width, True, punctuation)
    if max_lines is not None and len(lines) > max_lines:
        rest = [token for line in lines[max_lines - 1 :] for token in line]
        rest = [replace(rest[0], space_before=False), *rest[1:]]
        lines = [*lines[: max_lines - 1], _truncate(rest, min_size, width)]
    return min_size, lines, True


@dataclass
class Flow:
    """A page built top to bottom; :meth:`render` gives the 1-bit image."""

    profile: PrinterProfile
    frame: bool = False
    """Draw a border on the page's outermost dots (the test page uses it)."""
    blocks: list[_Block] = field(default_factory=list)
    left: int | None = None
    """Left edge of the text column (default: the profile's margin); set for side columns."""
    column: int | None = None
    """Width of the text column (default: the profile's text width)."""

    @property
    def width(self) -> int:
        return self.profile.width if self.column is None else self.column

    @property
    def margin(self) -> int:
        return self.profile.margin if self.left is None else self.left

    @property
    def content_height(self) -> int:
        return sum(block.height for block in self.blocks)

    @property
    def height(self) -> int:
        return 2 * self._pad + self.content_height

    @property
    def _pad(self) -> int:
        return self.profile.margin

    # --- blocks -------------------------------------------------------------------------------
    def text(
        self,
        content: str | Sequence[Span],
        size: int,
        *,
        bold: bool = False,
        align: Align = "center",
        max_lines: int | None = None,
        min_size: int | None = None,
        inverse: bool = False,
        leading: int = 0,
        balance: bool = False,
        one_line_first: bool = False,
        prose: bool = False,
        tag: str | None = None,
    ) -> TextResult:
        """A paragraph: a string (``bold`` applies) or spans of (text, bold).

        Wraps at white space; if it needs more than ``max_lines`` lines or one word is wider
        than the paper, the size goes down to ``min_size`` (default: ``size``, no shrinking),
        then the text is cut with "…". ``inverse`` prints white on a black band; ``balance``
        evens out the lengths of the lines (for titles); ``one_line_first`` shrinks the text
        onto one line if ``min_size`` allows, and only otherwise wraps it. Lines break
        after punctuation when that keeps them half full, except in ``prose`` (long
        paragraphs), which fills every line.
        """
        words = _words(_spans(content, bold))
        if not words:
            return TextResult(size, (), False, False)
        pad_y = round(size * 0.22) if inverse else 0
        pad_x = round(size * 0.4) if inverse else 0
        width = self.width - 2 * pad_x
        smallest = min(min_size or size, size)
        punctuation = not prose
        first_try = 1 if one_line_first else max_lines
        final, lines, cut = _layout_text(words, size, smallest, width, first_try, punctuation)
        if cut and one_line_first and max_lines != 1:
            final, lines, cut = _layout_text(words, size, smallest, width, max_lines, punctuation)
        if balance and len(lines) > 1 and not cut:
            lines = _balance(words, final, width, lines)
        placed = [_place(line, final) for line in lines]
        ascent, descent = font(final).getmetrics()
        rows: list[tuple[_Placed, int]] = []  # line, baseline relative to the block top
        y = pad_y
        for index, line in enumerate(placed):
            if index:
                y += leading
            y += max(ascent, 1 - line.top)  # marks above the font's ascent: one dot to spare
            rows.append((line, y))
            y += max(descent, line.bottom)
        height = y + pad_y
        margin, inner = self.margin + pad_x, width
        ink, paper = (WHITE, BLACK) if inverse else (BLACK, WHITE)

        def draw(page: Image.Image, canvas: ImageDraw.ImageDraw, top: int) -> None:
            if inverse:
                box = (self.margin, top, self.margin + self.width - 1, top + height - 1)
                canvas.rectangle(box, fill=paper)
            for line, baseline in rows:
                if align == "left":
                    x = margin - min(line.left, 0)
                elif align == "right":
                    x = margin + inner - line.right
                else:
                    x = margin + (inner - (line.right - line.left)) // 2 - line.left
                for dx, text, is_bold in line.segments:
                    mask, left, rise = _mask(text, final, is_bold)
                    page.paste(ink, (x + dx + left, top + baseline + rise), mask)

        self.blocks.append(_Block(height, draw, tag))
        return TextResult(final, tuple(line.text for line in placed), cut, final < size)

    def big(self, text: str, max_height: int, *, bold: bool = True, tag: str | None = None) -> int:
        """One line as large as fits in the width and ``max_height`` (ink, not em); its size."""
        text = nfc(text)
        left, top, right, bottom = _ink(text, 100, bold)
        scale = min(self.width / (right - left), max_height / (bottom - top))
        size = max(1, int(100 * scale))
        while True:
            left, top, right, bottom = _ink(text, size, bold)
            if size == 1 or (right - left <= self.width and bottom - top <= max_height):
                break
            size -= 1
        x = self.margin + (self.width - (right - left)) // 2 - left
        rise = top

        def draw(page: Image.Image, canvas: ImageDraw.ImageDraw, top: int) -> None:
            canvas.text((x, top - rise), text, font=font(size, bold), fill=BLACK, anchor="ls")

        self.blocks.append(_Block(bottom - top, draw, tag))
        return size

    def space(self, dots: int) -> None:
        if dots > 0:
            self.blocks.append(_Block(dots, lambda page, canvas, top: None))

    def rule(self, thickness: int = 2, *, dashed: bool = False, full: bool = False) -> None:
        """A horizontal line across the text width (``full``: across every dot)."""
        left = 0 if full else self.margin
        right = self.profile.dots if full else self.margin + self.width
        dash = max(4, thickness * 4)

        def draw(page: Image.Image, canvas: ImageDraw.ImageDraw, top: int) -> None:
            bottom = top + thickness - 1
            if not dashed:
                canvas.rectangle((left, top, right - 1, bottom), fill=BLACK)
                return
            for x in range(left, right, 2 * dash):
                canvas.rectangle((x, top, min(x + dash, right) - 1, bottom), fill=BLACK)

        self.blocks.append(_Block(thickness, draw))

    def image(
        self, picture: Image.Image, *, align: Align = "center", tag: str | None = None
    ) -> None:
        """A picture (QR code, barcode) pasted dot for dot, never resampled.

        Wider than the text width but not than the paper: centred on the paper (a barcode's
        quiet zone may use the margins, which are white anyway).
        """
        if picture.width > self.profile.dots:
            raise ValueError(f"image {picture.width} dots wide on {self.profile.dots}-dot paper")
        if picture.width > self.width:
            x = (self.profile.dots - picture.width) // 2
        elif align == "left":
            x = self.margin
        elif align == "right":
            x = self.margin + self.width - picture.width
        else:
            x = self.margin + (self.width - picture.width) // 2
        grey = picture.convert("L")

        def draw(page: Image.Image, canvas: ImageDraw.ImageDraw, top: int) -> None:
            page.paste(grey, (x, top))

        self.blocks.append(_Block(picture.height, draw, tag))

    def beside(
        self,
        picture: Image.Image,
        build: Callable[[Flow], object],
        *,
        gap: int | None = None,
        tag: str | None = None,
    ) -> Flow:
        """A picture on the left, and on its right a column filled by ``build(column_flow)``.

        Both are centred vertically on each other. Returns the column's flow.
        """
        gap = self.profile.margin if gap is None else gap
        column = Flow(
            self.profile,
            left=self.margin + picture.width + gap,
            column=self.width - picture.width - gap,
        )
        if column.width < 1:
            raise ValueError("no room beside the picture")
        build(column)
        content = column.content_height
        height = max(picture.height, content)
        grey = picture.convert("L")
        x = self.margin

        def draw(page: Image.Image, canvas: ImageDraw.ImageDraw, top: int) -> None:
            page.paste(grey, (x, top + (height - picture.height) // 2))
            y = top + (height - content) // 2
            for block in column.blocks:
                block.draw(page, canvas, y)
                y += block.height

        where = ((height - content) // 2, column.margin, column.margin + column.width)
        self.blocks.append(_Block(height, draw, tag, where, column.blocks))
        return column

    def custom(self, height: int, painter: DrawFn, *, tag: str | None = None) -> None:
        """A block of ``height`` dots drawn by ``painter(canvas, top)`` (black = 0)."""
        self.blocks.append(_Block(height, lambda page, canvas, top: painter(canvas, top), tag))

    # --- output -------------------------------------------------------------------------------
    def render_with_boxes(self) -> tuple[Image.Image, dict[str, Box]]:
        """The page (mode "1", ``profile.dots`` wide) and the box of every tagged block."""
        dots = self.profile.dots
        page = Image.new("L", (dots, self.height), WHITE)
        canvas = ImageDraw.Draw(page)
        boxes: dict[str, Box] = {}
        top = self._pad
        for block in self.blocks:
            block.draw(page, canvas, top)
            if block.tag:
                boxes[block.tag] = (0, top, dots, top + block.height)
            if block.column is not None:
                y, left, right = top + block.column[0], block.column[1], block.column[2]
                for child in block.children:
                    if child.tag:
                        boxes[child.tag] = (left, y, right, y + child.height)
                    y += child.height
            top += block.height
        if self.frame:
            canvas.rectangle((0, 0, dots - 1, page.height - 1), outline=BLACK, width=2)
        return page.point(_TO_1BIT, "1"), boxes

    def render(self) -> Image.Image:
        return self.render_with_boxes()[0]


def keep_together(text: str) -> str:
    """``text`` with no-break spaces, so that it is never split across lines."""
    return NO_BREAK_SPACE.join(text.split())


def value_spans(key: str, language: str, value_name: str, **params: object) -> list[Span]:
    """The message ``key`` as spans, with the parameter ``value_name`` in bold.

    ``value_spans("print.ticket.ahead", "vi", "ahead", ahead=5)`` gives
    ``[("Số người đang chờ trước: ", False), ("5", True)]``.
    """
    marker = "\x00"
    template = tr(key, language=language, **{**params, value_name: marker})
    before, _, after = template.partition(marker)
    spans = [(before, False), (nfc(str(params[value_name])), True), (after, False)]
    return [span for span in spans if span[0]]


def format_vn_long(moment: datetime, timezone: str, language: str = "vi") -> str:
    """Appointment time in the form of the official slips, in the centre's local time.

    Vietnamese: ``08 giờ 05 phút, ngày 25 tháng 11 năm 2026``; English: ``08:05, 25/11/2026``.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    local = moment.astimezone(zone(timezone))
    return tr(
        "print.datetime_long",
        language=language,
        hour=f"{local.hour:02d}",
        minute=f"{local.minute:02d}",
        day=f"{local.day:02d}",
        month=f"{local.month:02d}",
        year=f"{local.year}",
    )
