"""Rendering many attestations, in this process or spread over every core.

Nothing here reads the database: a job is a frozen snapshot with its QR payload. Worker
processes never inherit the caller's state (its threads, its database connections): on
Linux and macOS they are forked from multiprocessing's fork server, a fresh process that
has loaded everything a worker needs once (``documents/worker.py``), so they start at
once; on Windows they are spawned, each loading fonts and frameworks itself. They render
chunks of jobs; the caller gets each PDF as it is done, is told the progress, and may
cancel between chunks (a chunk already running finishes first).
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from digcomp_app.documents.attestation import AttestationData, render_attestation
from digcomp_app.framework import builtin_library

#: below this many documents, starting worker processes costs more than it saves
PARALLEL_FROM = 12
#: jobs per chunk at most: small enough for timely progress, cancelling and an even finish
CHUNK = 4

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
#: receives (job index, PDF bytes) as each attestation is done, in any order
Sink = Callable[[int, bytes], None]


@dataclass(frozen=True, slots=True)
class AttestationJob:
    """One attestation to render; picklable, so it can go to a worker process."""

    snapshot: Mapping[str, Any]
    qr_text: str
    key_fingerprint: str

    @property
    def framework_key(self) -> tuple[str, str]:
        framework = self.snapshot["framework"]
        return str(framework["id"]), str(framework["version"])


@dataclass(frozen=True, slots=True)
class Options:
    languages: tuple[str, ...]
    logo: bytes | None = None
    show_birth_date: bool = False


def worker_count(workers: int | None) -> int:
    return max(1, workers if workers is not None else (os.cpu_count() or 1))


def render_batch(
    jobs: Sequence[AttestationJob],
    options: Options,
    sink: Sink,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
) -> bool:
    """Render every job, handing each PDF to ``sink``; True when cancelled."""
    count = worker_count(workers)
    total = len(jobs)
    if count == 1 or total < PARALLEL_FROM:
        for done, (index, job) in enumerate(enumerate(jobs), start=1):
            if cancelled is not None and cancelled():
                return True
            sink(index, render_job(job, options))
            if progress is not None:
                progress(done, total)
        return False
    size = max(1, min(CHUNK, math.ceil(total / (count * 4))))
    chunks = [list(enumerate(jobs))[i : i + size] for i in range(0, total, size)]
    executor = ProcessPoolExecutor(
        max_workers=min(count, len(chunks)), mp_context=_context(), initializer=_prepare_worker
    )
    done = 0
    try:
        pending: set[Future[list[tuple[int, bytes]]]] = {
            executor.submit(_render_chunk, chunk, options) for chunk in chunks
        }
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                for index, pdf in future.result():
                    sink(index, pdf)
                    done += 1
                if progress is not None:
                    progress(done, total)
            if pending and cancelled is not None and cancelled():
                return True
        return False
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def render_job(job: AttestationJob, options: Options) -> bytes:
    item = AttestationData(
        job.snapshot,
        builtin_library().get(*job.framework_key),
        job.qr_text,
        job.key_fingerprint,
        options.logo,
        options.show_birth_date,
    )
    return render_attestation(item, options.languages)


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["digcomp_app.documents.worker"])
        return context
    return multiprocessing.get_context("spawn")


def _prepare_worker() -> None:
    """Fonts and frameworks, once per worker process (done already in a forked one)."""
    from digcomp_app.documents import worker

    worker.prepare()


def _render_chunk(
    chunk: Sequence[tuple[int, AttestationJob]], options: Options
) -> list[tuple[int, bytes]]:
    return [(index, render_job(job, options)) for index, job in chunk]
