"""Draw the site's icons from static/img/icons/icon.svg: `make icons` (the files are committed).

Chromium (through Playwright, a development dependency) renders the SVG at each size; the
.ico file holds PNG images, which every browser of the last decade reads.

- static/root/favicon.ico: 16, 32 and 48 px, served at /favicon.ico (WHITENOISE_ROOT);
- static/img/icons/icon-192.png and icon-512.png: the web app manifest's icons;
- static/img/icons/maskable-512.png: the same mark on a full square, inside the central 80%
  that Android may cut to a circle;
- static/img/icons/apple-touch-icon.png: 180 px, full square (iOS rounds the corners itself).
"""

import struct
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

ICONS = Path(settings.BASE_DIR) / "static" / "img" / "icons"
FAVICON = Path(settings.WHITENOISE_ROOT) / "favicon.ico"
SOURCE = ICONS / "icon.svg"
BRAND = "#0b5cad"


def page_html(svg: str, size: int, *, padding: float, square: bool) -> str:
    inner = size * (1 - 2 * padding)
    background = BRAND if square else "transparent"
    return (
        "<!doctype html><html><body style='margin:0;background:transparent'>"
        f"<div style='width:{size}px;height:{size}px;display:flex;align-items:center;"
        f"justify-content:center;background:{background}'>"
        f"<div style='width:{inner}px;height:{inner}px'>{svg}</div></div></body></html>"
    )


def render(page, svg: str, size: int, *, padding: float = 0.0, square: bool = False) -> bytes:
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(page_html(svg, size, padding=padding, square=square))
    page.locator("svg").evaluate("svg => { svg.setAttribute('width', '100%'); }")
    return page.screenshot(
        omit_background=not square, clip={"x": 0, "y": 0, "width": size, "height": size}
    )


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico file of PNG images: a header, one directory entry per image, then the images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, png in sorted(images.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        data += png
    return header + entries + data


def draw() -> None:
    # Playwright is a development dependency: imported here, so the command loads without it.
    from playwright.sync_api import sync_playwright

    # The square versions drop the rounded corner: they are cut to shape by the system.
    svg = SOURCE.read_text()
    flat = svg.replace('rx="14" ', "")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        FAVICON.write_bytes(ico({size: render(page, svg, size) for size in (16, 32, 48)}))
        for size in (192, 512):
            (ICONS / f"icon-{size}.png").write_bytes(render(page, svg, size))
        (ICONS / "maskable-512.png").write_bytes(render(page, flat, 512, padding=0.1, square=True))
        (ICONS / "apple-touch-icon.png").write_bytes(render(page, flat, 180, square=True))
        browser.close()


class Command(BaseCommand):
    help = "Draw the favicon and the app icons from static/img/icons/icon.svg with Chromium."

    def handle(self, *args: object, **options: object) -> None:
        draw()
        self.stdout.write(f"Icons written to {ICONS} and {FAVICON}")
