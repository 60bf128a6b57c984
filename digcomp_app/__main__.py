"""``python -m digcomp_app``: the same as the ``digcomp-app`` command."""

import sys

from digcomp_app.cli import main


def gui_main() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
