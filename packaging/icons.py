"""The program's icon in every form the packages need, drawn from ``icons/digcomp-app.svg``.

``python packaging/icons.py OUT`` writes ``OUT/digcomp-app.svg``, ``OUT/<n>x<n>/digcomp-app.png``
for the hicolor sizes of the Linux desktop and ``OUT/digcomp-app.ico`` (Windows: the program
file's and the installer's icon). Drawn with Qt's SVG renderer (PySide6, already a dependency)
in its own process, offscreen; the ``.ico`` written with Pillow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "icons" / "digcomp-app.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def write_icons(out: Path) -> dict[str, Path]:
    """Draw the icons into ``out`` (in a separate process) and name the files."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, __file__, str(out)], check=True, env=env)
    files = {"svg": out / "digcomp-app.svg", "ico": out / "digcomp-app.ico"}
    files.update({f"{n}": out / f"{n}x{n}" / "digcomp-app.png" for n in PNG_SIZES})
    return files


def _draw(out: Path) -> None:
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication(["icons"])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    shutil.copyfile(SOURCE, out / "digcomp-app.svg")
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / f"{size}x{size}" / "digcomp-app.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):
            raise SystemExit(f"cannot write {target}")
    largest = Image.open(out / "256x256" / "digcomp-app.png")
    largest.save(out / "digcomp-app.ico", sizes=[(n, n) for n in ICO_SIZES])
    del app


if __name__ == "__main__":
    _draw(Path(sys.argv[1]))
