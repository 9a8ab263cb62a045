"""Render the project's own SVG icon (maps/static/icons/icon.svg) to the PNG web-app icons and a
PNG-in-ICO favicon with Chromium. Run from the checkout: .venv/bin/python scripts/make_icons.py"""

import struct
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, "tests")
from support import CHROMIUM_ARGS

out = Path("maps/static/icons")
svg = (out / "icon.svg").read_text()
with sync_playwright() as pw:
    b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    for name, size in (
        ("icon-512.png", 512),
        ("icon-192.png", 192),
        ("apple-touch-icon.png", 180),
        ("favicon-32.png", 32),
    ):
        page = b.new_page(viewport={"width": size, "height": size})
        sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ')
        page.set_content('<html><body style="margin:0;background:transparent">' + sized + "</body></html>")
        page.screenshot(
            path=str(out / name), omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size}
        )
        page.close()
    b.close()
png = (out / "favicon-32.png").read_bytes()
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 32, 32, 0, 0, 1, 32, len(png), 22) + png
(out / "favicon.ico").write_bytes(ico)
(out / "favicon-32.png").unlink()
