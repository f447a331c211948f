"""`dnnviz check` in a process of its own, for the window: the entry point and its messages.

The window starts serve_check with multiprocessing's spawn and reads what it sends down a
pipe: ("progress", course, i, n) before each function is checked (course "" while the file
loads), then ("report", CheckReport), or ("error", one line) when the file cannot be used.
In a process of its own, the check cannot touch the window; the student's code runs in a
further process of check_file's own (child.py), which dies with this one when Cancel kills
it. The CheckReport crosses whole, heatmap arrays and tracebacks included.
"""

from __future__ import annotations

import signal

from dnnviz.student.check import check_file
from dnnviz.student.loader import StudentFileError


def serve_check(conn, path: str, names: dict | None, seconds: float | None) -> None:
    """Check `path` and send the messages above; the process's entry point."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the window's to handle
    try:
        conn.send(("progress", "", 0, 0))
        report = check_file(path, names, seconds=seconds,
                            progress=lambda course, i, n: conn.send(("progress", course, i, n)))
        message = ("report", report)
    except StudentFileError as exc:
        message = ("error", str(exc))
    except Exception as exc:  # dnnviz's own failure: still one line, never a traceback
        message = ("error", f"the check failed: {type(exc).__name__}: {exc}")
    try:
        conn.send(message)
    except (BrokenPipeError, OSError):
        return  # the window gave up on this check
    except Exception as exc:  # something in the report would not pickle
        conn.send(("error", f"the check's report could not be sent: {exc}"))
    finally:
        conn.close()
