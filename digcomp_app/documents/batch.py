"""Rendering many attestations, in this process or spread over every core.

Nothing here reads the database: a job is a frozen snapshot with its QR payload. Worker
processes never inherit the caller's state (its threads, its database connections): on
Linux and macOS they are forked from multiprocessing's fork server, a fresh process that
has loaded everything a worker needs once (``documents/worker.py``), so they start at
once; on Windows they are spawned, each loading fonts and frameworks itself. They render
chunks of jobs; the caller gets each PDF as it is done, is told the progress, and may
cancel between chunks (a chunk already running finishes first).

A certificate under a framework the school added (not built in) is rendered from that
framework's files, which the caller puts in :class:`Options`: a worker loads them once
with the built-in frameworks' loader (decision 0034).
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digcomp_app.documents.attestation import AttestationData, render_attestation
from digcomp_app.framework import Framework, builtin_library, load_framework

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
    #: the files (name → text) of each framework the jobs use that is not built in, by
    #: (id, version): a school's own frameworks, loaded by the worker that needs them
    frameworks: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)


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
        framework_for(job.framework_key, options),
        job.qr_text,
        job.key_fingerprint,
        options.logo,
        options.show_birth_date,
    )
    return render_attestation(item, options.languages)


#: frameworks loaded from files in this process, by the digest of their files
_LOADED: dict[str, Framework] = {}
_LOADED_LOCK = threading.Lock()


def framework_for(key: tuple[str, str], options: Options) -> Framework:
    """The framework ``key`` (id, version): built in, or loaded from the files in
    ``options`` (once per process); LookupError when it is neither."""
    found = builtin_library().find(*key)
    if found is not None:
        return found
    files = options.frameworks.get(key)
    if files is None:
        return builtin_library().get(*key)  # raises LookupError naming the framework
    digest = hashlib.sha256(
        json.dumps(dict(files), sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    with _LOADED_LOCK:
        loaded = _LOADED.get(digest)
    if loaded is None:
        loaded = load_files(files)
        with _LOADED_LOCK:
            _LOADED[digest] = loaded
    if loaded.key != key:
        raise LookupError(f"the files given for {key[0]} {key[1]} hold {loaded.label}")
    return loaded


def load_files(files: Mapping[str, str]) -> Framework:
    """A framework from its folder's files (name → text), checked by the usual loader."""
    with tempfile.TemporaryDirectory(prefix="digcomp-framework-") as folder:
        for name, text in files.items():
            if Path(name).name != name:
                raise ValueError(f"not a file name of a framework folder: {name!r}")
            (Path(folder) / name).write_text(text, encoding="utf-8", newline="")
        return load_framework(Path(folder))


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
