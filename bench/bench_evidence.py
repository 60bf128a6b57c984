"""Peak memory of adding and previewing the worst evidence files within the size limit.

Budget (issue 11): "Peak memory for any evidence file within the size limit stays under
300 MB" — the whole process's peak (VmHWM in /proc/self/status), Qt and the database
included, measured in a fresh subprocess per case so one case's peak does not hide another.

Each case builds its file in the subprocess (as the app reads a dropped file into memory),
adds it through ``evidence.add_file`` to a new SQLite school and, when accepted, opens it in
the case screen's preview. The files are built without ever holding their expanded form:
deflate streams of zeros are one full-flush segment repeated (see ``zeros_deflate``).

Run: ``python -m bench.bench_evidence`` (all cases) or ``--case NAME`` (one, prints JSON).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

BUDGET_MB = 300.0
MIB = 1024 * 1024


# --- building hostile files without holding them expanded ---------------------------------


def zeros_deflate(total: int, wrap: bool = False) -> bytes:
    """A deflate stream of ``total`` zero bytes (``total`` a multiple of 1 MiB), built from
    one self-contained segment repeated; ``wrap`` adds the zlib header and checksum."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = segment * (total // MIB) + b"\x03\x00"  # an empty final block ends the stream
    if not wrap:
        return body
    adler = ((total % 65521) << 16) | 1  # Adler-32 of zeros
    return b"\x78\xda" + body + struct.pack(">I", adler)


def zip_with(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, stored data, method, uncompressed size), CRCs left at 0."""
    out, central = bytearray(), bytearray()
    for name, data, method, size in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack(
            "<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0, 0, len(data), size, len(raw), 0
        )
        out += raw + data
        central += (
            struct.pack(
                "<4s6H3I5H2I",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0,
                0,
                len(data),
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
        )
    start = len(out)
    out += central
    out += struct.pack(
        "<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out)


def odf_bomb(expanded: int) -> bytes:
    """An OpenDocument text whose ``mimetype`` member inflates to ``expanded`` bytes."""
    return zip_with(
        [
            ("mimetype", zeros_deflate(expanded), 8, expanded % 2**32),
            ("META-INF/manifest.xml", b"<manifest/>", 0, 11),
        ]
    )


def png_bomb(width: int, height: int) -> bytes:
    """A grey PNG of ``width`` x ``height`` zero pixels (rows of width+1 bytes, so the
    sizes are chosen to make the raw data a multiple of 1 MiB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = (width + 1) * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zeros_deflate(raw - raw % MIB, wrap=True))
        + chunk(b"IEND", b"")
    )


def pdf(page_size: tuple[float, float], image: tuple[int, int] | None = None) -> bytes:
    """A one-page PDF; with ``image`` the page draws a grey Flate picture of that size."""
    width, height = page_size
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    resources = b"<< /XObject << /Im1 5 0 R >> >>" if image else b"<< >>"
    objects.append(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.1f %.1f] /Resources %s /Contents 4 0 R >>"
        % (width, height, resources)
    )
    drawing = b"q %.1f 0 0 %.1f 0 0 cm /Im1 Do Q" % (width, height) if image else b"BT ET"
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing))
    if image:
        data = zeros_deflate(image[0] * image[1], wrap=True)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (image[0], image[1], len(data), data)
        )
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pe_program() -> bytes:
    """The head of a Windows program: "MZ", and "PE" where offset 0x3C points."""
    head = bytearray(b"MZ" + bytes(0x3E))
    head[0x3C:0x40] = (0x80).to_bytes(4, "little")
    return bytes(head) + bytes(0x80 - len(head)) + b"PE\x00\x00" + bytes(64)


def worst_text(limit: int) -> bytes:
    line = "Darba vietā es apguvu: ģērbšanās, čūskas, ņiprs kods — ".encode() * 3 + b"\n"
    return (line * (limit // len(line) + 1))[: limit - 4]


def build(case: str) -> tuple[str, bytes]:
    from digcomp_app.services.evidence import MAX_FILE_BYTES

    limit = MAX_FILE_BYTES
    if case == "odf-bomb-1mb":  # the finding: 1 MB expanding to 2 GiB
        return "bomb.odt", odf_bomb(2 * 1024 * MIB)
    if case == "odf-bomb-20mib":  # within the size limit: 20 GiB expanded
        return "bomb.odt", odf_bomb(19 * 1024 * MIB)
    if case == "text-20mib":
        return "notes.txt", worst_text(limit)
    if case == "png-20000x20000":
        return "poster.png", png_bomb(20000, 20000)
    if case == "pdf-image-20000x20000":
        return "scan.pdf", pdf((595, 842), (20000, 20000))
    if case == "pdf-tall-page":
        return "roll.pdf", pdf((1, 14400))
    if case == "pdf-mz-polyglot":
        return "report.pdf", pdf((595, 842)) + pe_program()
    raise SystemExit(f"unknown case {case}")


CASES = [
    "odf-bomb-1mb",
    "odf-bomb-20mib",
    "text-20mib",
    "png-20000x20000",
    "pdf-image-20000x20000",
    "pdf-tall-page",
    "pdf-mz-polyglot",
]


# --- one case in this process ---------------------------------------------------------------


def _vm_hwm_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _school(db):  # a teacher and a case at the documentation stage
    import datetime as dt

    from digcomp_app.services import accounts, learners, mobilities, organisations, validation

    password = "correct horse"
    accounts.create_first_administrator(db, None, "admin", "Anna", password)
    admin = accounts.authenticate(db, None, "admin", password)
    accounts.create_user(db, admin, "coord", "Coord", password, ["coordinator"])
    accounts.create_user(db, admin, "teach", "Teach", password, ["teacher"])
    coordinator = accounts.authenticate(db, None, "coord", password)
    teacher = accounts.authenticate(db, None, "teach", password)
    home = organisations.update_home(db, admin, name="Skola", country="LV", keep_birth_date=True)
    host = organisations.create(db, coordinator, "host", name="Host", country="DE")
    learner = learners.create(db, coordinator, "Jānis", "Bērziņš", dt.date(2007, 5, 1))
    mobility = mobilities.create(
        db,
        coordinator,
        mobilities.MobilityDraft(
            "ER-1", "Placement", home.id, host.id, "DE", dt.date(2026, 3, 1), dt.date(2026, 3, 28)
        ),
    )
    mobilities.add_participants(db, coordinator, mobility.id, [learner.id])
    mobilities.assign_teacher(db, coordinator, mobility.id, teacher.user_id)
    case = validation.open_case(db, teacher, learner.id, mobility.id)
    validation.set_targets(db, teacher, case.id, [validation.TargetDraft("3.1", 3)])
    validation.advance(db, teacher, case.id)
    return teacher, case.id


def run_case(case: str) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from types import SimpleNamespace

    from argon2 import PasswordHasher
    from PySide6.QtWidgets import QApplication

    from digcomp_app.services import evidence
    from digcomp_app.services.database import Database
    from digcomp_app.services.errors import InvalidInput
    from digcomp_app.ui.screens.validation.preview import EvidencePreview

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        db = Database(f"sqlite:///{folder}/school.sqlite3", password_hasher=hasher)
        teacher, case_id = _school(db)
        preview = EvidencePreview(SimpleNamespace(db=db, actor=teacher))
        preview.resize(900, 700)
        preview.show()
        app.processEvents()
        baseline = _vm_hwm_mb()
        name, content = build(case)
        size = len(content)
        result: dict[str, object] = {"case": case, "size_mib": round(size / MIB, 2)}
        try:
            info = evidence.add_file(db, teacher, case_id, name, content, "Evidence", ("3.1",))
        except InvalidInput as refused:
            result.update(outcome="refused", reason=str(refused))
        else:
            del content
            preview.show_item(info)
            app.processEvents()
            result.update(outcome="stored", name=info.file_name, shown=preview.kind_shown)
        db.close()
    result.update(baseline_mb=round(baseline, 1), peak_mb=round(_vm_hwm_mb(), 1))
    return result


def measure_case(case: str) -> dict[str, object]:
    """Run one case in a fresh interpreter and return what it reported."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_evidence", "--case", case],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    from bench.common import Budget

    print(f"Evidence files: peak memory per case (budget {BUDGET_MB:.0f} MB, whole process)")
    budget = Budget("evidence")
    for case in CASES:
        r = measure_case(case)
        detail = (
            f"{r['peak_mb']} MB peak (after start-up {r['baseline_mb']} MB), "
            f"{r['size_mib']} MiB file, {r['outcome']}"
            + (f" as {r['name']!r}, preview {r['shown']}" if r["outcome"] == "stored" else "")
        )
        budget.check(case, float(r["peak_mb"]) < BUDGET_MB, detail)
    return budget.exit_code


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2]), ensure_ascii=False))
        sys.exit(0)
    sys.exit(main())
