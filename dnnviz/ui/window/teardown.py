"""Main windows deleted at exit before PyQt's own clean-up runs.

At interpreter exit PyQt deletes every QObject that Python still owns and that has no
parent, while it walks its own map of wrappers. A main window deleted there deletes its
children in the middle of that walk, and the walk can then read a wrapper that is gone:
SIGSEGV in PyQt's cleanup_qobject, now and then, after a script that closed its window
and returned (more often the more wrappers there are). The app itself leaves with
os._exit; scripts and test runs do not. So each window is shut down and deleted here
first, by an atexit handler registered after PyQt's (atexit runs the last registered
first).
"""

from __future__ import annotations

import atexit
import weakref

from PyQt6 import sip

_windows: weakref.WeakSet = weakref.WeakSet()
_registered = False


def delete_at_exit(window) -> None:
    """Delete `window` (a MainWindow) at exit, before PyQt's clean-up."""
    global _registered
    _windows.add(window)
    if not _registered:
        atexit.register(delete_windows)
        _registered = True


def delete_windows() -> None:
    for window in list(_windows):
        if not sip.isdeleted(window):
            window.shutdown()  # the training process and the relay thread first
            sip.delete(window)
