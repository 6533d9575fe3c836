"""The page model drawn with Pillow: page images for previews, tests and printing.

The same items as the PDF, at the same millimetre positions, scaled to ``dpi``: each word is
placed where the font metrics put it, filled rectangles (QR modules, bars) snap to whole pixels
with shared edges, so codes stay decodable at 150 dpi already. Greyscale ("L"), antialiased.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from shared.forms.fonts import metrics, pillow_font
from shared.forms.page import FillItem, LineItem, Page, TextItem

MM_PER_INCH = 25.4


def render_page(page: Page, dpi: int = 150) -> Image.Image:
    """``page`` as a greyscale image of ``page.width`` x ``page.height`` mm at ``dpi``."""
    if dpi < 50 or dpi > 1200:
        raise ValueError(f"dpi must be between 50 and 1200, not {dpi}")
    scale = dpi / MM_PER_INCH
    size = (round(page.width * scale), round(page.height * scale))
    image = Image.new("L", size, 255)
    canvas = ImageDraw.Draw(image)

    def px(mm: float) -> int:
        return round(mm * scale)

    for item in page.items:
        if isinstance(item, TextItem):
            font = pillow_font(item.style, item.size * dpi / 72)
            measure = metrics(item.style)
            x = item.x
            for index, word in enumerate(item.text.split(" ")):
                if index:
                    x += measure.width(" ", item.size)
                if word:
                    canvas.text((x * scale, item.y * scale), word, font=font, fill=0, anchor="ls")
                x += measure.width(word, item.size)
        elif isinstance(item, LineItem):
            thick = max(1, round(item.width * scale))
            if abs(item.y1 - item.y2) < 1e-9:  # horizontal
                y = px(item.y1 - item.width / 2)
                canvas.rectangle((px(item.x1), y, px(item.x2), y + thick - 1), fill=0)
            elif abs(item.x1 - item.x2) < 1e-9:  # vertical
                x = px(item.x1 - item.width / 2)
                canvas.rectangle((x, px(item.y1), x + thick - 1, px(item.y2)), fill=0)
            else:
                canvas.line(
                    (item.x1 * scale, item.y1 * scale, item.x2 * scale, item.y2 * scale),
                    fill=0,
                    width=thick,
                )
        elif isinstance(item, FillItem):
            x0, y0 = px(item.x), px(item.y)
            x1, y1 = px(item.x + item.w), px(item.y + item.h)
            if x1 > x0 and y1 > y0:
                canvas.rectangle((x0, y0, x1 - 1, y1 - 1), fill=0)
    return image
