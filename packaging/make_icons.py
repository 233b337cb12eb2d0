"""Render the application icon, src/paperprep/resources/icons/paperprep.svg, into the PNGs and the Windows
.ico beside it: `.venv/bin/python packaging/make_icons.py` after the SVG changes.

Qt draws the SVG (QSvgRenderer), so no other imaging library is needed. The .ico holds every size as PNG data,
which Windows reads since Vista; the container is a short header and one 16-byte entry per image.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "src" / "paperprep" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon at `size` pixels square, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not write the {size} px icon as PNG.")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file holding each PNG: ICONDIR, then one ICONDIRENTRY per image, then the images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 stands for 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "paperprep.svg"))
    if not renderer.isValid():
        print(f"{ICONS / 'paperprep.svg'} is not an SVG that Qt can draw.", file=sys.stderr)
        return 1
    rendered = {size: render(renderer, size) for size in SIZES}
    for size, png in rendered.items():
        (ICONS / f"paperprep-{size}.png").write_bytes(png)
    (ICONS / "paperprep.ico").write_bytes(ico({size: rendered[size] for size in ICO_SIZES}))
    print(f"Written {len(SIZES)} PNGs and paperprep.ico to {ICONS}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
