"""Turn ESC/POS bytes back into the picture a printer would print, to check the encoder.

Strict on purpose: only the commands our encoder may send are understood, and anything else
(text, another command, a truncated command, an image after a feed) raises
:class:`EscposDecodeError`, so a stray byte in the output cannot go unnoticed.

Understood: ``ESC @`` (initialise), ``GS v 0 m xL xH yL yH d…`` (raster bit image, normal
density only; consecutive images are stacked top to bottom and must have the same width),
``ESC d n`` and ``LF`` (feed), ``ESC J n`` (feed n dots), ``GS V m`` / ``GS V m n`` (cut).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from PIL import Image

ESC, GS, LF = 0x1B, 0x1D, 0x0A
_INVERT = bytes(255 - value for value in range(256))


class EscposDecodeError(ValueError):
    """The bytes are not what our encoder sends."""


@dataclass(frozen=True)
class Command:
    name: str  # "init", "raster", "feed_lines", "feed_dots", "cut"
    offset: int
    args: tuple[int, ...] = ()
    data: bytes = field(default=b"", repr=False)


class Decoded(NamedTuple):
    image: Image.Image
    cut_seen: bool


def parse(data: bytes) -> list[Command]:
    """The commands in ``data``, in order."""
    commands: list[Command] = []
    pos = 0
    end = len(data)

    def need(count: int, what: str) -> bytes:
        if pos + count > end:
            raise EscposDecodeError(f"truncated {what} at offset {pos}")
        return data[pos : pos + count]

    while pos < end:
        byte = data[pos]
        if byte == LF:
            commands.append(Command("feed_lines", pos, (1,)))
            pos += 1
            continue
        if byte == ESC:
            head = need(2, "ESC command")
            if head[1] == ord("@"):
                commands.append(Command("init", pos))
                pos += 2
                continue
            if head[1] in (ord("d"), ord("J")):
                head = need(3, "ESC feed")
                name = "feed_lines" if head[1] == ord("d") else "feed_dots"
                commands.append(Command(name, pos, (head[2],)))
                pos += 3
                continue
            raise EscposDecodeError(f"unknown command ESC 0x{head[1]:02x} at offset {pos}")
        if byte == GS:
            head = need(2, "GS command")
            if head[1] == ord("v"):
                head = need(8, "GS v 0 header")
                if head[2] not in (0x00, 0x30):
                    raise EscposDecodeError(f"GS v {head[2]} is not GS v 0 at offset {pos}")
                mode = head[3]
                if mode not in (0, 48):
                    raise EscposDecodeError(
                        f"GS v 0 with scaling mode {mode} at offset {pos}: not 1:1"
                    )
                width_bytes = head[4] | head[5] << 8
                height = head[6] | head[7] << 8
                size = width_bytes * height
                if width_bytes == 0 or height == 0:
                    raise EscposDecodeError(f"empty GS v 0 image at offset {pos}")
                start = pos
                pos += 8
                body = need(size, f"GS v 0 data ({size} bytes)")
                commands.append(Command("raster", start, (width_bytes, height), body))
                pos += size
                continue
            if head[1] == ord("V"):
                cut_mode = need(3, "GS V")[2]
                if cut_mode in (0, 1, 48, 49):
                    commands.append(Command("cut", pos, (cut_mode,)))
                    pos += 3
                    continue
                if cut_mode in (65, 66):
                    feed = need(4, "GS V m n")[3]
                    commands.append(Command("cut", pos, (cut_mode, feed)))
                    pos += 4
                    continue
                raise EscposDecodeError(f"unknown cut mode {cut_mode} at offset {pos}")
            raise EscposDecodeError(f"unknown command GS 0x{head[1]:02x} at offset {pos}")
        raise EscposDecodeError(f"unexpected byte 0x{byte:02x} at offset {pos}")
    return commands


def decode(data: bytes) -> Decoded:
    """The printed picture (mode "1", black = 0) and whether a cut command was seen.

    The picture's width is the raster width in whole bytes (a multiple of 8 dots). ``ESC J n``
    (feed n dots) adds n blank rows; a line feed (``ESC d``, ``LF``) ends the picture, since its
    height in dots depends on the printer.
    """
    pieces: list[Image.Image | int] = []
    width = 0
    fed = False
    cut_seen = False
    for command in parse(data):
        if command.name == "raster":
            if cut_seen:
                raise EscposDecodeError(f"image after the cut at offset {command.offset}")
            if fed:
                raise EscposDecodeError(
                    f"image after a feed at offset {command.offset}: the gap is unknown"
                )
            width_bytes, height = command.args
            if width and width != width_bytes * 8:
                raise EscposDecodeError(
                    f"image band of {width_bytes * 8} dots under one of {width} dots "
                    f"at offset {command.offset}"
                )
            width = width_bytes * 8
            # Raster bit 1 = printed dot = black = 0 in a mode "1" picture: invert the bits.
            # (Not rawmode "1;I": it stores white as 1 instead of 255, which ImageChops sees.)
            inverted = command.data.translate(_INVERT)
            pieces.append(Image.frombytes("1", (width, height), inverted))
        elif command.name == "feed_dots":
            if fed or cut_seen:
                continue  # past the end of the picture
            pieces.append(command.args[0])
        elif command.name == "feed_lines":
            if pieces:
                fed = True
        elif command.name == "cut":
            cut_seen = True
        elif command.name == "init":
            if pieces:
                raise EscposDecodeError(f"ESC @ after an image at offset {command.offset}")
    if not width:
        raise EscposDecodeError("no image in the data")
    total = sum(p if isinstance(p, int) else p.height for p in pieces)
    picture = Image.new("1", (width, total), 255)
    top = 0
    for piece in pieces:
        if isinstance(piece, int):
            top += piece
        else:
            picture.paste(piece, (0, top))
            top += piece.height
    return Decoded(picture, cut_seen)
