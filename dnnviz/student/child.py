"""A student's file in a process of its own, for `dnnviz check`: start it, load the file,
call one function at a time, end it (worker.py is the other side).

The child only runs their code and sends back what it returned (wire.py: JSON, never a
pickle); comparison, hints and exit code are the caller's. Every wait has a deadline: a
call's time limit plus GRACE (the child's own alarm normally stops it first), and the whole
check's `deadline`. A child that does not answer in time, exits, is killed, or sends
something unreadable is killed with its whole process group (forks included) and its
folder removed; the call fails as the student's, and the next call starts a new child
(the file loaded again, without the statements that stopped an earlier one).
"""

from __future__ import annotations

import builtins
import itertools
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from dnnviz.student import wire
from dnnviz.student.loader import StudentFileError, collapse_notes
from dnnviz.student.sandbox import StudentError

GRACE = 1.0  # seconds past a call's time limit before the child is killed
START_SECONDS = 60.0  # Python, NumPy and dnnviz starting in the child (not the student's)
MEMORY_GB = 2.0
MAX_STARTS = 40
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder dnnviz imports from


class CheckDeadline(Exception):
    """The whole check's time is up."""


class ChildStartError(StudentFileError):
    """The child process could not start or load the file (dnnviz's, not the student's)."""


@dataclass
class LoadedFile:
    """What the child found: notes on the way, and each lesson function it has."""

    all_notes: list
    notes: list
    functions: dict  # course -> {"type", "callable", "note", "mismatch", "calls"}
    skipped: dict = field(default_factory=dict)  # statement -> why it was skipped


class StudentProcess:
    """`with StudentProcess(path, names) as p: p.load(); p.call(...)`."""

    def __init__(self, path, names=None, *, load_seconds: float | None = 10.0,
                 memory_gb: float = MEMORY_GB, deadline: float | None = None):
        self.path = str(Path(path).resolve())
        self.names = dict(names or {})
        self.load_seconds = load_seconds
        self.memory_gb = memory_gb
        self.deadline = deadline  # time.monotonic() by which everything ends
        self.skip: dict[str, str] = {}  # statements that stopped a child -> the note
        self.loaded: LoadedFile | None = None
        self._proc: subprocess.Popen | None = None
        self._ids = itertools.count(1)
        self._starts = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- the child's life --------------------------------------------------------------

    def _start(self) -> None:
        self._starts += 1
        if self._starts > MAX_STARTS:
            raise ChildStartError(f"{self.path}: stopped after {MAX_STARTS} restarts of the "
                                  "process that runs it")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self._folder = tempfile.mkdtemp(prefix="dnnviz-check-")
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH"))
                                              if p))
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "dnnviz.student.worker", str(to_child_r),
                 str(from_child_w), str(self.memory_gb)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self._folder,
                start_new_session=True, env=env)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)

    def close(self, wait: float = 0.0) -> str:
        """Kill the child and every process of its group; how it had ended ("" if alive).
        wait: how long to let it end by itself first (its end of the pipe closed)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return ""
        try:
            ended = proc.wait(timeout=wait) if wait else proc.poll()
        except subprocess.TimeoutExpired:
            ended = None
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for fd in (self._to_child, self._from_child):
            os.close(fd)
        shutil.rmtree(self._folder, ignore_errors=True)
        return "" if ended is None else _how(ended)

    def _send(self, message) -> None:
        wire.send(self._to_child, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def _receive(self, seconds: float | None):
        """The child's next message; Timeout after `seconds` (or at the check's deadline:
        CheckDeadline), WireError when it ended or wrote nonsense."""
        now = time.monotonic()
        until = None if seconds is None else now + seconds
        whole = self.deadline is not None and (until is None or self.deadline < until)
        if whole:
            until = self.deadline
        try:
            message = wire.load_json(wire.receive(self._from_child, until))
        except wire.Timeout:
            if whole:
                raise CheckDeadline from None
            raise
        if not isinstance(message, list) or not message or not isinstance(message[0], str):
            raise wire.WireError("an unreadable answer")
        return message

    # -- loading -------------------------------------------------------------------------

    def load(self) -> LoadedFile:
        """Start a child and load the file in it; statements that hang or end the child are
        skipped (a note each) and the file loaded again without them."""
        while True:
            self.close()
            self._start()
            running = None
            try:
                self._send(("load", self.path, self.names, self.load_seconds,
                            sorted(self.skip)))
                while True:
                    wait = START_SECONDS if running is None or self.load_seconds is None \
                        else self.load_seconds + GRACE
                    message = self._receive(wait)
                    if message[0] == "running" and len(message) == 2:
                        running = str(message[1])
                    elif message[0] == "loaded" and len(message) == 3:
                        self.loaded = self._loaded(*message[1:])
                        return self.loaded
                    else:
                        raise wire.WireError("an unexpected answer")
            except (wire.Timeout, wire.WireError, OSError) as exc:
                how = self.close(0 if isinstance(exc, wire.Timeout) else 1) or "it was stopped"
                if running is None or running in self.skip:
                    raise ChildStartError(f"{self.path}: the process that runs it could not "
                                          f"load it ({how})") from None
                self.skip[running] = _load_note(running, exc, how, self.load_seconds)

    def _loaded(self, notes, functions) -> LoadedFile:
        if not isinstance(notes, dict) or not isinstance(functions, dict):
            raise wire.WireError("an unexpected answer")
        every = [str(n) for n in notes.get("all", [])] + list(self.skip.values())
        unavailable = [str(n) for n in notes.get("unavailable", [])]
        modules = [str(m) for m in notes.get("modules", [])]
        return LoadedFile(every, collapse_notes(every, unavailable, modules),
                          {str(k): v for k, v in functions.items() if isinstance(v, dict)},
                          dict(self.skip))

    # -- calling -------------------------------------------------------------------------

    def call(self, course: str, their: str, values: dict, *, seconds: float,
             stand_ins=(), seed: int | None = None, keep=None):
        """Their `course` on `values`: (result, what it printed, the arguments after the
        call). Raises StudentError for whatever else happened, CheckDeadline when the whole
        check's time is up. keep: (name, index), see worker.py."""
        if self._proc is None:
            self.load()
        call_id = next(self._ids)
        what = f"your {their}"
        try:
            self._send(("call", call_id, course, values, list(stand_ins), seconds, seed,
                        keep))
            message = self._receive(seconds + GRACE)
        except wire.Timeout:
            self.close()
            raise StudentError(f"{what} did not finish within {seconds:g} s (an endless loop?"
                               " it was stopped)", kind="timeout", function=course) from None
        except (wire.WireError, OSError) as exc:
            how = self.close(1)
            text = f"ended the process that ran it ({how})" if how else \
                f"left an answer that cannot be read back ({exc})"
            raise StudentError(f"{what} {text}", kind="ended", function=course) from None
        return self._answer(message, call_id, course, what)

    def _answer(self, message, call_id, course, what):
        try:
            if message[0] == "result" and len(message) == 5 and message[1] == call_id:
                output = message[3] if isinstance(message[3], str) else ""
                return wire.decode(message[2]), output, wire.decode(message[4])
            if message[0] == "error" and len(message) == 3 and message[1] == call_id \
                    and isinstance(message[2], dict):
                raise rebuilt_error(message[2], course)
        except wire.WireError as exc:
            self.close()
            raise StudentError(f"{what} left an unreadable answer ({exc})", kind="ended",
                               function=course) from None
        self.close()
        raise StudentError(f"{what} left an unexpected answer", kind="ended", function=course)


def rebuilt_error(fields: dict, course: str) -> StudentError:
    """The child's StudentError, with a stand-in of their exception for the hints: a
    built-in exception type of that name (never a class of theirs)."""
    text = lambda key: str(fields.get(key) or "")  # noqa: E731
    error = StudentError(text("message"), kind=text("kind") or "exception", function=course,
                         traceback=text("traceback"), output=text("output"))
    error.exception_type = text("type")
    kind = getattr(builtins, error.exception_type, None)
    if isinstance(kind, type) and issubclass(kind, Exception):
        try:
            error.exception = kind(text("text"))
        except Exception:
            error.exception = None
        if isinstance(error.exception, NameError) and isinstance(fields.get("name"), str):
            error.exception.name = fields["name"]
    facts = fields.get("facts")
    error.facts = {str(k): tuple(v) for k, v in facts.items()
                   if isinstance(v, list) and all(isinstance(n, int) for n in v)} \
        if isinstance(facts, dict) else {}
    return error


def _how(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        extra = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{extra}"
    return f"it exited with code {code}: os._exit() or a crash"


def _load_note(key: str, exc, how: str, seconds) -> str:
    if isinstance(exc, wire.Timeout):
        return (f"the code at {key} did not finish within {seconds:g} s, even when stopped; "
                "skipped, the rest was run")
    return f"the code at {key} ended the process that ran it ({how}); skipped, the rest was run"
