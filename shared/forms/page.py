"""The page model: text runs, lines and filled boxes at millimetre positions, laid out once.

A :class:`Composer` flows paragraphs and tables down A4 pages with the exact font metrics of
:mod:`shared.forms.fonts`: text wraps at spaces (a word wider than its column is broken between
characters, never clipped), a paragraph or a table continues on the next page when the page is
full, and a table repeats its header there. The result, a list of :class:`Page`, is what both
renderers draw: :mod:`shared.forms.pdf` (fpdf2) and :mod:`shared.forms.raster` (Pillow), so the
PDF and the PNG preview have the same lines in the same places.

Coordinates are millimetres from the page's top-left corner; a text's ``y`` is its baseline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from shared.forms.fonts import Style, metrics, printable
from shared.i18n import nfc

Align = Literal["left", "center", "right"]
Box = tuple[float, float, float, float]
"""(left, top, right, bottom) in mm."""

LEADING: Final = 1.3
"""Line pitch in ems: the tallest Vietnamese capital ("Ỗ", 1.048 em) clears the deepest
descender of the line above (0.24 em)."""
BASELINE: Final = 1.06
"""Baseline below the top of a line box, in ems."""
EPSILON: Final = 1e-6
_HYPHEN_BREAK: Final = re.compile(r"(?<=\w-)(?=\w)")


@dataclass(frozen=True)
class Span:
    """A piece of text in one style; ``keep``: its words never break across lines."""

    text: str
    style: Style = "regular"
    keep: bool = False


@dataclass(frozen=True)
class TextItem:
    x: float
    y: float
    """Baseline."""
    text: str
    style: Style
    size: float
    """Points."""
    width: float

    def box(self) -> Box:
        above, below = metrics(self.style).ink(self.text, self.size)
        return (self.x, self.y - above, self.x + self.width, self.y + below)


@dataclass(frozen=True)
class LineItem:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.2

    def box(self) -> Box:
        half = self.width / 2
        return (
            min(self.x1, self.x2) - half,
            min(self.y1, self.y2) - half,
            max(self.x1, self.x2) + half,
            max(self.y1, self.y2) + half,
        )


@dataclass(frozen=True)
class FillItem:
    """A black rectangle (QR modules, barcode bars)."""

    x: float
    y: float
    w: float
    h: float

    def box(self) -> Box:
        return (self.x, self.y, self.x + self.w, self.y + self.h)


Item = TextItem | LineItem | FillItem


@dataclass(frozen=True)
class Margins:
    top: float
    right: float
    bottom: float
    left: float


@dataclass
class Page:
    width: float
    height: float
    margins: Margins
    items: list[Item] = field(default_factory=list)
    tags: dict[str, Box] = field(default_factory=dict)

    @property
    def content(self) -> Box:
        m = self.margins
        return (m.left, m.top, self.width - m.right, self.height - m.bottom)

    def outside(self) -> list[Item]:
        """Items that reach outside the margins (the layout must leave this empty)."""
        left, top, right, bottom = self.content
        bad: list[Item] = []
        for item in self.items:
            x0, y0, x1, y1 = item.box()
            if x0 < left - EPSILON or y0 < top - EPSILON or x1 > right + EPSILON:
                bad.append(item)
            elif y1 > bottom + EPSILON:
                bad.append(item)
        return bad

    def texts(self) -> list[str]:
        return [item.text for item in self.items if isinstance(item, TextItem)]


def pitch(size: float) -> float:
    """Height of one line of ``size`` points, in mm."""
    return metrics().em(size) * LEADING


# --- wrapping -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    text: str
    style: Style
    space_before: bool


_Word = list[_Piece]


def _words_keep(spans: Sequence[Span]) -> list[_Word]:
    """Words, where the words of a ``keep`` span are glued into one unbreakable word."""
    words: list[_Word] = []
    pending = False
    for span in spans:
        text = printable(nfc(span.text), span.style)
        inside = False  # already started a word in this keep span
        for part in re.split(r"(\s+)", text):
            if not part:
                continue
            if part.isspace():
                pending = True
                continue
            subparts = [part] if span.keep else _HYPHEN_BREAK.split(part)
            piece = _Piece(subparts[0], span.style, pending)
            if words and (not pending or (span.keep and inside)):
                words[-1].append(piece)
            else:
                words.append([piece])
            for sub in subparts[1:]:  # a line may break after a hyphen ("H39-|260424-0007")
                if sub:
                    words.append([_Piece(sub, span.style, False)])
            inside = True
            pending = False
    return words


def _space(style: Style, size: float) -> float:
    return metrics(style).width(" ", size)


def _pieces_width(pieces: Sequence[_Piece], size: float, first: bool = True) -> float:
    total = 0.0
    for index, piece in enumerate(pieces):
        if piece.space_before and (index > 0 or not first):
            total += _space(piece.style, size)
        total += metrics(piece.style).width(piece.text, size)
    return total


def _split_word(word: _Word, size: float, width: float) -> list[_Word]:
    """A word wider than ``width`` cut between characters into pieces that fit."""
    chars = [(c, p.style, p.space_before and i == 0) for p in word for i, c in enumerate(p.text)]
    out: list[_Word] = []
    current: _Word = []
    used = 0.0
    for char, style, space in chars:
        extra = metrics(style).width(char, size) + (_space(style, size) if space else 0.0)
        if current and used + extra > width:
            out.append(current)
            current, used = [], 0.0
            space = False
            extra = metrics(style).width(char, size)
        if current and current[-1].style == style and not space:
            current[-1] = _Piece(current[-1].text + char, style, current[-1].space_before)
        else:
            current.append(_Piece(char, style, space))
        used += extra
    if current:
        out.append(current)
    return out


@dataclass(frozen=True)
class Run:
    """Same-style text of one line, starting ``dx`` mm from the line's left."""

    dx: float
    text: str
    style: Style
    width: float


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float


def _line(pieces: Sequence[_Piece], size: float) -> Line:
    runs: list[Run] = []
    x = 0.0
    for index, piece in enumerate(pieces):
        gap = piece.space_before and index > 0
        if gap:
            space = _space(piece.style, size)
        else:
            space = 0.0
        w = metrics(piece.style).width(piece.text, size)
        if runs and runs[-1].style == piece.style:
            last = runs[-1]
            text = last.text + (" " if gap else "") + piece.text
            runs[-1] = Run(last.dx, text, last.style, last.width + space + w)
        else:
            runs.append(Run(x + space, piece.text, piece.style, w))
        x += space + w
    return Line(tuple(runs), x)


def wrap(spans: Sequence[Span], size: float, width: float) -> list[Line]:
    """Greedy word wrap of ``spans`` into lines at most ``width`` mm long.

    A word wider than ``width`` is cut between characters; a last line of a single word takes
    the previous line's last word along when that fits (no orphan).
    """
    if width <= 0:
        raise ValueError("no room for text")
    lines: list[list[_Word]] = []
    current: list[_Word] = []
    for word in _words_keep(spans):
        if current and _pieces_width(_flatten([*current, word]), size) <= width + EPSILON:
            current.append(word)
            continue
        if current:
            lines.append(current)
            current = []
        if _pieces_width(word, size, first=True) <= width + EPSILON:
            current = [word]
            continue
        parts = _split_word(_unspaced(word), size, width)
        lines.extend([part] for part in parts[:-1])
        current = [parts[-1]]
    if current:
        lines.append(current)
    if len(lines) >= 2 and len(lines[-1]) == 1 and len(lines[-2]) >= 3:
        moved = [lines[-2][-1], lines[-1][0]]
        if _pieces_width(_flatten(moved), size) <= width + EPSILON:
            lines[-2:] = [lines[-2][:-1], moved]
    return [_line(_flatten(line), size) for line in lines]


def _unspaced(word: _Word) -> _Word:
    return [_Piece(word[0].text, word[0].style, False), *word[1:]]


def _flatten(words: Sequence[_Word]) -> list[_Piece]:
    """The pieces of a line's words; the first word loses its leading space."""
    pieces = [piece for word in words for piece in word]
    if pieces:
        pieces[0] = _Piece(pieces[0].text, pieces[0].style, False)
    return pieces


# --- blocks -------------------------------------------------------------------------------------


@dataclass
class Block:
    """Items positioned relative to the block's top-left corner, with its height."""

    height: float = 0.0
    items: list[Item] = field(default_factory=list)
    tags: dict[str, Box] = field(default_factory=dict)

    def moved(self, dx: float, dy: float) -> Block:
        return Block(
            self.height,
            [_move(item, dx, dy) for item in self.items],
            {k: (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy) for k, b in self.tags.items()},
        )

    def add(self, other: Block, dx: float = 0.0) -> None:
        """Append ``other`` below what is there."""
        placed = other.moved(dx, self.height)
        self.items.extend(placed.items)
        self.tags.update(placed.tags)
        self.height += other.height


def _move(item: Item, dx: float, dy: float) -> Item:
    if isinstance(item, TextItem):
        return TextItem(item.x + dx, item.y + dy, item.text, item.style, item.size, item.width)
    if isinstance(item, LineItem):
        return LineItem(item.x1 + dx, item.y1 + dy, item.x2 + dx, item.y2 + dy, item.width)
    return FillItem(item.x + dx, item.y + dy, item.w, item.h)


def line_items(line: Line, size: float, x: float, baseline: float) -> list[Item]:
    return [
        TextItem(x + run.dx, baseline, run.text, run.style, size, run.width) for run in line.runs
    ]


def _aligned(line: Line, width: float, align: Align) -> float:
    if align == "center":
        return max(0.0, (width - line.width) / 2)
    if align == "right":
        return max(0.0, width - line.width)
    return 0.0


def paragraph_lines(
    spans: Sequence[Span], size: float, width: float, align: Align = "left"
) -> list[Block]:
    """One block per line (so a paragraph can continue on the next page)."""
    step = pitch(size)
    baseline = metrics().em(size) * BASELINE
    blocks = []
    for line in wrap(spans, size, width):
        x = _aligned(line, width, align)
        blocks.append(Block(step, line_items(line, size, x, baseline)))
    return blocks


def paragraph(
    spans: Sequence[Span],
    size: float,
    width: float,
    align: Align = "left",
    *,
    balance: bool = False,
) -> Block:
    """A whole paragraph as one block; ``balance``: lines as even as possible (headings)."""
    lines = paragraph_lines(spans, size, width, align)
    if balance and len(lines) > 1:
        low, high = width / len(lines), width
        for _ in range(20):  # the narrowest width that needs no more lines
            middle = (low + high) / 2
            if len(wrap(spans, size, middle)) <= len(lines):
                high = middle
            else:
                low = middle
        narrow = paragraph_lines(spans, size, high, align)
        if len(narrow) == len(lines):
            shift = {"left": 0.0, "center": (width - high) / 2, "right": width - high}[align]
            lines = [line.moved(shift, 0.0) for line in narrow]
    block = Block()
    for line in lines:
        block.add(line)
    return block


def underline(block: Block, width: float, length: float | None, gap: float = 1.0) -> None:
    """A centred rule under ``block`` (``length`` None: as long as the widest text)."""
    texts = [item for item in block.items if isinstance(item, TextItem)]
    if not texts:
        return
    last_line = max(item.y for item in texts)
    if length is None:
        left = min(item.x for item in texts)
        right = max(item.x + item.width for item in texts)
    else:
        left, right = (width - length) / 2, (width + length) / 2
    below = max(item.box()[3] for item in texts if abs(item.y - last_line) < EPSILON)
    y = below + gap
    block.items.append(LineItem(left, y, right, y, 0.25))
    block.height = max(block.height, y + 0.6)


def side_by_side(blocks: Sequence[tuple[float, Block]]) -> Block:
    """Blocks next to each other at x offsets; the height of the tallest."""
    out = Block()
    for dx, block in blocks:
        placed = block.moved(dx, 0)
        out.items.extend(placed.items)
        out.tags.update(placed.tags)
        out.height = max(out.height, block.height)
    return out


def modules_block(matrix: Sequence[Sequence[bool]], module: float, tag: str) -> Block:
    """A QR code as filled rectangles (one per horizontal run of dark modules)."""
    block = Block(len(matrix) * module)
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            block.items.append(
                FillItem(start * module, row * module, (column - start) * module, module)
            )
    side = len(matrix[0]) * module if matrix else 0.0
    block.tags[tag] = (0.0, 0.0, side, block.height)
    return block


def bars_block(widths: Sequence[int], module: float, height: float, quiet: int, tag: str) -> Block:
    """A barcode: bar/space widths in modules (bars first), quiet zones included in the box."""
    block = Block(height)
    x = quiet * module
    for index, width in enumerate(widths):
        if index % 2 == 0:
            block.items.append(FillItem(x, 0.0, width * module, height))
        x += width * module
    block.tags[tag] = (0.0, 0.0, x + quiet * module, height)
    return block


# --- tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    """mm."""
    align: Align = "left"
    group: str = ""
    """Columns in a row with the same group get a spanning header above theirs."""


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Sequence[Span], ...], ...]
    size: float
    header_size: float
    pad_x: float = 1.2
    pad_y: float = 0.8
    rule: float = 0.2

    @property
    def width(self) -> float:
        return sum(column.width for column in self.columns)


def _cell_lines(spans: Sequence[Span], size: float, width: float) -> list[Line]:
    """A cell's lines; a newline in the text starts a new line, empty lines are dropped."""
    paragraphs: list[list[Span]] = [[]]
    for span in spans:
        for index, text in enumerate(span.text.split("\n")):
            if index:
                paragraphs.append([])
            paragraphs[-1].append(Span(text, span.style, span.keep))
    lines: list[Line] = []
    for part in paragraphs:
        if any(s.text.strip() for s in part):
            lines.extend(wrap(part, size, width))
    return lines


def table_header(table: Table) -> Block:
    """The header (one row, or two when columns are grouped), with its borders."""
    t = table
    size = t.header_size
    step = pitch(size)
    inner = [column.width - 2 * t.pad_x for column in t.columns]
    titles = [wrap([Span(c.title, "bold")], size, w) for c, w in zip(t.columns, inner, strict=True)]
    xs = [0.0]
    for column in t.columns:
        xs.append(xs[-1] + column.width)
    groups: list[tuple[str, int, int]] = []  # label, first column, last column + 1
    for index, column in enumerate(t.columns):
        if column.group and groups and groups[-1][0] == column.group and groups[-1][2] == index:
            groups[-1] = (column.group, groups[-1][1], index + 1)
        elif column.group:
            groups.append((column.group, index, index + 1))
    block = Block()
    baseline = metrics().em(size) * BASELINE

    def text(lines: list[Line], x0: float, x1: float, top: float, height: float) -> None:
        body = len(lines) * step
        y = top + (height - body) / 2
        for line in lines:
            dx = x0 + t.pad_x + _aligned(line, x1 - x0 - 2 * t.pad_x, "center")
            block.items.extend(line_items(line, size, dx, y + baseline))
            y += step

    def rect(x0: float, y0: float, x1: float, y1: float) -> None:
        block.items.extend(
            [
                LineItem(x0, y0, x1, y0, t.rule),
                LineItem(x0, y1, x1, y1, t.rule),
                LineItem(x0, y0, x0, y1, t.rule),
                LineItem(x1, y0, x1, y1, t.rule),
            ]
        )

    grouped = {i for _, a, b in groups for i in range(a, b)}
    if not groups:
        height = max(len(lines) for lines in titles) * step + 2 * t.pad_y
        for index in range(len(t.columns)):
            text(titles[index], xs[index], xs[index + 1], 0.0, height)
            rect(xs[index], 0.0, xs[index + 1], height)
        block.height = height
        return _inset(block, t.rule)
    group_lines = [
        wrap([Span(label, "bold")], size, xs[b] - xs[a] - 2 * t.pad_x) for label, a, b in groups
    ]
    top_h = max(len(lines) for lines in group_lines) * step + 2 * t.pad_y
    low_h = max(len(titles[i]) for i in grouped) * step + 2 * t.pad_y
    alone = [len(titles[i]) * step + 2 * t.pad_y for i in range(len(t.columns)) if i not in grouped]
    if alone and max(alone) > top_h + low_h:
        low_h = max(alone) - top_h
    height = top_h + low_h
    for (_, a, b), lines in zip(groups, group_lines, strict=True):
        text(lines, xs[a], xs[b], 0.0, top_h)
        rect(xs[a], 0.0, xs[b], top_h)
    for index in range(len(t.columns)):
        if index in grouped:
            text(titles[index], xs[index], xs[index + 1], top_h, low_h)
            rect(xs[index], top_h, xs[index + 1], height)
        else:
            text(titles[index], xs[index], xs[index + 1], 0.0, height)
            rect(xs[index], 0.0, xs[index + 1], height)
    block.height = height
    return _inset(block, t.rule)


def _inset(block: Block, rule: float) -> Block:
    """The header moved down by half a rule, so its top border stays inside the margins."""
    moved = block.moved(0.0, rule / 2)
    moved.height = block.height + rule
    return moved


# --- the composer -------------------------------------------------------------------------------


class Composer:
    """Flows blocks down pages; a block that does not fit starts a new page."""

    def __init__(self, width: float, height: float, margins: Margins, footer: float = 0.0) -> None:
        self.width = width
        self.height = height
        self.margins = margins
        self.footer = footer
        """Height kept free at the bottom of the content box for the page footer."""
        self.pages: list[Page] = []
        self._lines: list[tuple[int, int, float, int]] = []
        """Paragraph lines placed last: (page number, first item index, top, paragraph)."""
        self._paragraphs = 0
        self.y = 0.0
        self.new_page()

    @property
    def left(self) -> float:
        return self.margins.left

    @property
    def right(self) -> float:
        return self.width - self.margins.right

    @property
    def text_width(self) -> float:
        return self.right - self.left

    @property
    def bottom(self) -> float:
        return self.height - self.margins.bottom - self.footer

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def room(self) -> float:
        return self.bottom - self.y

    @property
    def full_height(self) -> float:
        return self.bottom - self.margins.top

    def new_page(self) -> None:
        self.pages.append(Page(self.width, self.height, self.margins))
        self.y = self.margins.top

    def space(self, mm: float) -> None:
        """Vertical space; swallowed at a page break."""
        if self.y > self.margins.top + EPSILON:
            self.y += mm

    def ensure(self, height: float) -> None:
        if height > self.room + EPSILON and self.y > self.margins.top + EPSILON:
            self.new_page()

    def place(self, block: Block, dx: float = 0.0, *, line: bool = False, carry: int = 0) -> None:
        """An unbreakable block (a new page first if it does not fit).

        ``line``: a paragraph line, which a later block may carry along to the next page;
        ``carry``: when this block needs a new page, take the last ``carry`` paragraph lines
        along (a signature never stands alone on a page).
        """
        if block.height > self.room + EPSILON and self.y > self.margins.top + EPSILON:
            carried, gap = self._take_lines(carry, block.height) if carry else ([], 0.0)
            self.new_page()
            if carried:
                self.page.items.extend(_move(item, 0.0, self.y) for item in carried)
                self.y += gap
        placed = block.moved(self.left + dx, self.y)
        start = len(self.page.items)
        self.page.items.extend(placed.items)
        self.page.tags.update(placed.tags)
        if line:
            self._lines.append((len(self.pages), start, self.y, self._paragraphs))
        else:
            self._lines.clear()
        self.y += block.height

    def _take_lines(self, count: int, height: float) -> tuple[list[Item], float]:
        """Remove the last ``count`` paragraph lines from the page if they fit on a fresh page
        with ``height`` below them: their items (relative to the first line's top) and the
        height from that top to the current position."""
        page = len(self.pages)
        on_page = [entry for entry in self._lines if entry[0] == page]
        if len(on_page) < count:
            return [], 0.0
        first = len(on_page) - count
        while first > 0 and on_page[first - 1][3] == on_page[first][3]:
            first -= 1  # a paragraph moves whole
        _, first_item, top, _ = on_page[first]
        gap = self.y - top
        if first_item == 0 or gap + height > self.full_height + EPSILON:
            return [], 0.0
        items = [_move(item, 0.0, -top) for item in self.page.items[first_item:]]
        del self.page.items[first_item:]
        self._lines.clear()
        return items, gap

    def paragraph(
        self,
        spans: Sequence[Span],
        size: float,
        *,
        align: Align = "left",
        indent: float = 0.0,
        keep_lines: int = 2,
    ) -> None:
        """A paragraph that may continue on the next page (at least ``keep_lines`` together)."""
        lines = paragraph_lines(spans, size, self.text_width - indent, align)
        if not lines:
            return
        self._paragraphs += 1
        first = sum(line.height for line in lines[:keep_lines])
        self.ensure(first)
        for line in lines:
            self.place(line, indent, line=True)

    def table(self, table: Table, dx: float = 0.0) -> None:
        """The table; rows move whole to the next page (split only if taller than a page),
        and the header is repeated on each page. The borders stay inside the margins: the
        table is laid out ``rule`` narrower than its columns add up to at most."""
        dx += table.rule / 2
        header = table_header(table)
        t = table
        step = pitch(t.size)
        baseline = metrics().em(t.size) * BASELINE
        widths = [c.width - 2 * t.pad_x for c in t.columns]
        xs = [0.0]
        for column in t.columns:
            xs.append(xs[-1] + column.width)
        rows = [
            [_cell_lines(cell, t.size, w) for cell, w in zip(row, widths, strict=True)]
            for row in t.rows
        ]
        if not rows:
            rows = [[[] for _ in t.columns]]
        first = max(1, max(len(c) for c in rows[0]))
        self.ensure(header.height + first * step + 2 * t.pad_y)
        self.place(header, dx)
        for row in rows:
            pending = [list(cell) for cell in row]
            while True:
                need = max(1, max(len(cell) for cell in pending)) * step + 2 * t.pad_y + t.rule
                if need > self.room + EPSILON:
                    fits = math.floor((self.room - 2 * t.pad_y - t.rule + EPSILON) / step)
                    if need <= self.full_height - header.height + EPSILON or fits < 1:
                        self.new_page()
                        self.place(header, dx)
                        continue
                    count = fits
                else:
                    count = max(1, max(len(cell) for cell in pending))
                block = Block(count * step + 2 * t.pad_y + t.rule / 2)
                for index, cell in enumerate(pending):
                    column = t.columns[index]
                    for number, line in enumerate(cell[:count]):
                        x = xs[index] + t.pad_x + _aligned(line, widths[index], column.align)
                        y = t.pad_y + number * step + baseline
                        block.items.extend(line_items(line, t.size, x, y))
                    pending[index] = cell[count:]
                h = block.height - t.rule / 2
                for x in xs:
                    block.items.append(LineItem(x, 0.0, x, h, t.rule))
                block.items.append(LineItem(0.0, h, xs[-1], h, t.rule))
                self.place(block, dx)
                if not any(pending):
                    break
                self.new_page()
                self.place(header, dx)
