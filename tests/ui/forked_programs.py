"""Programs forked from a server that has imported them once, for tests that start the same
program many times and watch how it ends (tests/ui/test_quit.py).

``python -c CODE ARGS...`` spends most of a short program's time importing (PySide6,
SQLAlchemy, alembic, the program's packages). Here one server process, started with the
environment the programs get, imports what the programs import (``preload``: no
``QApplication``, no threads) and then forks one child per program. The child takes the
place of ``python -c``: its file descriptors 0, 1 and 2 are /dev/null and two files, its
environment, working folder and ``sys.argv`` are the ones asked for, the fault handler is
on when ``PYTHONFAULTHANDLER`` asks for it, and ``CODE`` runs in the interpreter's own
``__main__`` namespace. The server does not catch what the code raises: ``sys.exit`` (or
the end of the code, or an error) leaves the child through the interpreter's normal
finalization (``Py_FinalizeEx``: modules torn down, objects freed), as it leaves a program
of its own, and its exit status, or the signal that killed it, is what the server reports.
Each program is forked afresh from the same imported state; nothing passes from one to the
next.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

#: the folder holding the ``tests`` package (the server imports this module from there)
ROOT = Path(__file__).resolve().parents[2]
#: the server's own ``python -c`` code: it binds no name in ``__main__``, which the programs
#: get as ``python -c`` would give it to them
BOOT = "__import__('tests.ui.forked_programs', fromlist=['serve']).serve()"
#: how much longer than a program's own timeout the test waits for the server's answer
MARGIN = 30.0


class ForkServer:
    """The test's side: starts the server, asks it for programs, stops it."""

    def __init__(self, preload: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("w") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-c", BOOT, preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=env,
                cwd=ROOT,
                text=True,
            )

    def run(
        self,
        code: str,
        args: list[str],
        *,
        env: dict[str, str],
        output: Path,
        timeout: float,
    ) -> subprocess.CompletedProcess[str]:
        """What ``subprocess.run([python, "-c", code, *args], env=env, capture_output=True,
        text=True, timeout=timeout)`` gives, the program forked from the server; its output
        goes through ``output``.out and ``output``.err."""
        out, err = output.with_suffix(".out"), output.with_suffix(".err")
        request = {
            "code": code,
            "argv": ["-c", *args],
            "env": env,
            "cwd": os.getcwd(),
            "stdout": str(out),
            "stderr": str(err),
            "timeout": timeout,
        }
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        ready, _, _ = select.select([stdout], [], [], timeout + MARGIN)
        answer = stdout.readline() if ready else ""
        if not answer:
            self.process.kill()
            raise RuntimeError("the fork server did not answer: " + self._log_tail())
        reply = json.loads(answer)
        argv = [sys.executable, "-c", code, *args]
        stdout_text, stderr_text = out.read_text(), err.read_text()
        if reply["timed_out"]:
            raise subprocess.TimeoutExpired(argv, timeout, stdout_text, stderr_text)
        return subprocess.CompletedProcess(argv, reply["returncode"], stdout_text, stderr_text)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def _log_tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""


# --- the server's side (runs in its own process: python -c BOOT PRELOAD) ------------------


def serve() -> None:
    _preload(sys.argv[1])
    for line in sys.stdin:
        request = json.loads(line)
        _check_alone()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = _become_program(request)
            del line, request
            # as `python -c` runs its code; nothing here catches what it raises
            exec(code, sys.modules["__main__"].__dict__)
            return  # the end of the code: the end of the program, as for `python -c`
        returncode, timed_out = _wait(pid, float(request["timeout"]))
        answer = {"returncode": returncode, "timed_out": timed_out}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def _preload(source: str) -> None:
    """Import what the programs import; the names bound here go when this returns."""
    exec(compile(source, "<preload>", "exec"), {"__name__": "preload"})


def _check_alone() -> None:
    """Forking copies only the calling thread: a thread started by an import (holding a lock
    the child would wait for forever) must be caught here, not by a program that hangs."""
    import threading

    threads = os.listdir("/proc/self/task")
    assert threading.active_count() == 1, threading.enumerate()
    assert len(threads) == 1, threads


def _become_program(request: dict[str, Any]) -> Any:
    """In the child: the descriptors, environment, folder and arguments of the program asked
    for; its code, compiled as ``python -c`` compiles it."""
    import faulthandler

    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        opened = os.open(path, flags, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = list(request["argv"])
    if request["env"].get("PYTHONFAULTHANDLER"):
        faulthandler.enable(file=sys.stderr, all_threads=True)
    else:
        faulthandler.disable()
    return compile(request["code"], "<string>", "exec")


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    """The child's exit code (minus the signal's number when a signal ended it), and whether
    it was killed for running past ``timeout`` seconds."""
    handle = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([handle], [], [], timeout)
    finally:
        os.close(handle)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), not ready
