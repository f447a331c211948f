"""Running a student's code: a time limit per call, their printing captured, their failures
turned into one StudentError.

- Time limit: signal.setitimer + SIGALRM, so only in the main thread (on Linux and macOS).
  Called from another thread, a student's function runs without a limit.
- sys.exit() / exit() in their code is a failure of that call, not the end of dnnviz;
  Ctrl+C (KeyboardInterrupt) still stops dnnviz.
- What they print (stdout and stderr) is captured, the first MAX_OUTPUT characters kept;
  input() sees an empty stdin. NumPy's global random state is put back after every call,
  and NumPy's warnings are silenced (a non-finite result is reported by the check).
- Their traceback is trimmed to the frames in their own files.
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
import threading
import traceback
import warnings

import numpy as np

from dnnviz.training.protocol import OwnCodeError

MAX_OUTPUT = 20_000
MEMORY_GB: float | None = None  # the process's memory bound, when it has one (for messages)
OUTPUT_LINES = 5  # lines of a student's printing quoted in a message


class TimeLimit(BaseException):
    """Raised into a student's code when its time is up (not an Exception: their
    `except Exception` cannot swallow it)."""


class StudentError(OwnCodeError):
    """A student's code raised, exited, ran out of time or is not written yet.

    str() is one line (the training process shows it as it stands: an OwnCodeError);
    `traceback` is theirs, trimmed to their files; `kind` is one of "exception",
    "timeout", "exit", "memory", "ended" (the process running it ended), "not implemented";
    `output` what it printed; `facts` what the hints may use (the shapes of the arrays in
    the frame that raised).
    """

    def __init__(self, message: str, *, kind: str = "exception", function: str = "",
                 traceback: str = "", output: str = ""):
        super().__init__(message)
        self.kind = kind
        self.function = function
        self.traceback = traceback
        self.output = output
        self.exception: BaseException | None = None  # theirs, for the hints
        self.exception_type = ""  # its type's name (what crosses from a child process)
        self.facts: dict = {}


class _Output(io.StringIO):
    """Keeps the first MAX_OUTPUT characters, drops the rest."""

    def write(self, text):
        room = MAX_OUTPUT - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


def can_limit_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimit in the code run inside after `seconds` (None or no main thread: never)."""
    if not seconds or not can_limit_time():
        yield
        return

    def expire(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def quiet_student(output: io.StringIO):
    """Their printing into `output`, an empty stdin, NumPy's random state kept."""
    state = np.random.get_state()
    stdin = sys.stdin
    sys.stdin = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), \
                warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            yield
    finally:
        sys.stdin = stdin
        np.random.set_state(state)


def run_student(call, files, *, seconds: float | None, what: str = ""):
    """Return call() and what it printed; raise StudentError for anything else it does.

    files: the file names their code was compiled under (for the trimmed traceback);
    what: how to name the code in a message ("your sigmoid_backward").
    """
    output = _Output()
    try:
        with quiet_student(output), time_limit(seconds):
            result = call()
    except TimeLimit:
        raise _error(f"{what} did not finish within {seconds:g} s (an endless loop?)",
                     "timeout", None, files, output) from None
    except SystemExit:
        raise _error(f"{what} called exit() or sys.exit(): it must return instead", "exit",
                     None, files, output) from None
    except MemoryError:
        bound = f"more than {MEMORY_GB:g} GB of" if MEMORY_GB else "too much"
        raise _error(f"{what} used {bound} memory", "memory", None, files, output) from None
    except NotImplementedError:  # the template's body: no traceback needed
        raise _error("not implemented yet", "not implemented", None, files, output) from None
    except Exception as exc:
        raise _error(f"{what} raised {_exception_line(exc)}", "exception", exc, files,
                     output) from None
    return result, output.getvalue()


def _error(message, kind, exc, files, output) -> StudentError:
    error = StudentError(message, kind=kind, output=output.getvalue(),
                         traceback="" if exc is None else student_traceback(exc, files))
    error.exception = exc
    return error


def _exception_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def student_traceback(exc: BaseException, files) -> str:
    """The traceback as Python prints it, keeping only the frames in `files`."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in files]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip("\n")


def first_lines(output: str, n: int = OUTPUT_LINES) -> str:
    """The first n lines of what a student printed, for a message ("" if nothing)."""
    lines = output.splitlines()
    return " | ".join(lines[:n]) + (" | ..." if len(lines) > n else "")
