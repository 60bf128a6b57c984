"""Run-time hook of the self-contained program (``packaging/digcomp-app.spec``), in place of
PyInstaller's own ``pyi_rth_multiprocessing``.

A frozen program is its own worker: multiprocessing starts the fork server and the resource
tracker (Linux), and the workers (Windows), as the program again with arguments of its own,
and PyInstaller's hook lets ``multiprocessing.freeze_support()`` recognise them. That hook
imports multiprocessing (with pickle, socket, selectors, subprocess) in every start, before
the window can show; this one loads it only in the processes multiprocessing starts, which
their command line tells apart (``-c`` with the helper's code, or ``--multiprocessing-fork``).
``digcomp_app.cli.main`` calls ``freeze_support()`` when multiprocessing is loaded.
"""

import sys

if sys.argv[1:2] == ["--multiprocessing-fork"] or "-c" in sys.argv[1:]:
    import _pyi_rth_multiprocessing  # noqa: F401  PyInstaller's hook, collected as a module
