"""What a batch worker needs, loaded once.

The process that starts the workers (multiprocessing's "forkserver", where the platform
has one) imports this module first, and every worker forked from it starts with the
renderer imported, the fonts registered, the frameworks loaded, the locale data of
both document languages read, and pikepdf with the sRGB profile of the archival pass
(``archival.py``) ready: nothing of that is repeated per worker or per document.
A framework the school added comes with the jobs (its files in ``batch.Options``) and is
loaded by the first job of each worker that needs it (``batch.framework_for``).
"""

from __future__ import annotations

import datetime as dt

from digcomp_app.documents import (
    archival,
    batch,  # noqa: F401 - reportlab, segno and the renderer
)
from digcomp_app.documents.attestation import LANGUAGES
from digcomp_app.documents.fonts import register_fonts
from digcomp_app.documents.texts import country_name, document_date
from digcomp_app.framework import builtin_library


def prepare() -> None:
    register_fonts()
    builtin_library()
    import pikepdf  # noqa: F401 - the archival pass of every attestation

    archival.srgb_profile()
    for language in LANGUAGES:
        document_date(dt.date(2000, 1, 1), language)
        country_name("LV", language)


prepare()
