#!/usr/bin/env python3
"""Regenerate the sample attestation pages of the documentation from the demo school.

    python tools/attestation_samples.py [--out docs] [--dpi 80]

Creates the demo school in a temporary database, prints one of its certificates in
Latvian and in English through the printing service (as ``certificates print`` does), and
saves the first page of each as ``attestation-lv.png`` and ``attestation-en.png``. Run it
after changing the attestation's layout or its wording (and after translating).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digcomp_app.i18n import UI_LANGUAGES  # noqa: E402
from digcomp_app.services import accounts, certificates, printing  # noqa: E402
from digcomp_app.services.database import Database  # noqa: E402
from digcomp_app.showcase import demo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    import pypdfium2

    with tempfile.TemporaryDirectory(prefix="digcomp-samples-") as folder:
        hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        db = Database(f"sqlite:///{Path(folder) / 'demo.sqlite3'}", password_hasher=hasher)
        try:
            demo.create_school(db, None)
            coordinator = accounts.authenticate(db, None, "coordinator", "demo")
            in_force = [
                c
                for c in certificates.list_register(db, coordinator)
                if c.status == "issued"
                and (c.snapshot.get("mobility") or {}).get("europass_number")
            ]
            # the fullest attestation shows most of the layout
            chosen = max(in_force, key=lambda c: (len(c.snapshot["competences"]), c.serial))
            for language in UI_LANGUAGES:
                result = printing.print_attestations(
                    db, coordinator, [chosen.serial], [language], Path(folder) / language
                )
                document = pypdfium2.PdfDocument(result.files[0].read_bytes())
                try:
                    image = document[0].render(scale=args.dpi / 72).to_pil()
                finally:
                    document.close()
                target = args.out / f"attestation-{language}.png"
                image.convert("RGB").save(target, optimize=True)
                print(target)
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
