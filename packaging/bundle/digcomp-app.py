"""The entry point of the self-contained program (PyInstaller, ``packaging/digcomp-app.spec``).

One script serves both programs of the bundle: ``digcomp-app`` (a console program: the
command line, and the window when started without a command) and ``digcomp-app-gui`` (on
Windows a windowed program with no console, as the Start-menu entry starts it).

``DIGCOMP_BUNDLE_PROBE=FILE`` (set by ``bench/bench_bundle.py`` and
``packaging/smoke-test.sh``, never by a user) makes the program write when its window was
shown and its sign-in page was ready into FILE, then quit: ``bundle_probe.py``.
"""

import os
import sys
from pathlib import Path

if os.environ.get("DIGCOMP_BUNDLE_PROBE"):
    import bundle_probe

    bundle_probe.install(os.environ["DIGCOMP_BUNDLE_PROBE"])

if __name__ == "__main__":
    if Path(sys.executable).stem.lower().endswith("-gui"):
        from digcomp_app.__main__ import gui_main

        sys.exit(gui_main())
    from digcomp_app.cli import main

    sys.exit(main())
