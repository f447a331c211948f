"""Ctrl+C while a command is starting: one line and exit code 130, never a traceback.

Importing NumPy, h5py and the rest takes a moment, before any `try` of main() can catch a
KeyboardInterrupt. The command line's module imports this one first: from then until its
imports are done (settled()), SIGINT ends the process with one line. After that, main()'s
own handling (and training's) takes over.
"""

from __future__ import annotations

import os
import signal

_previous = None


def interrupted(_signum=None, _frame=None) -> None:
    """Ctrl+C before anything can be lost: one line, exit code 130, at once."""
    os.write(2, b"dnnviz: interrupted\n")
    os._exit(130)


def settled() -> None:
    """The imports are done: SIGINT goes back to what it was (a KeyboardInterrupt)."""
    global _previous
    if _previous is not None:
        signal.signal(signal.SIGINT, _previous)
        _previous = None


if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when embedded
    try:
        _previous = signal.signal(signal.SIGINT, interrupted)
    except ValueError:  # imported outside the main thread: signals are not ours to set
        _previous = None
