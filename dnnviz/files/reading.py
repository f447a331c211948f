"""Opening input files safely: regular files only, a cap on bytes read, `~` expanded safely.

A named pipe, a device or a socket given as a data, model, config, lesson or picture file
is refused at once (reading one would hang, or never end), as is a file this process may
not read. Each function takes the caller's error class, so every problem reaches the user
as that class's one line, naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .causes import cause

KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """'a folder', 'a named pipe (FIFO)', 'a device', 'a socket', or 'a file'."""
    return next((name for test, name in KINDS if test(mode)), "a file")


def _open_regular(path: Path, what: str, error: type[Exception]) -> int:
    """A read-only descriptor of `path` once it is known to be a regular file we may read."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read it ({cause(exc)})") from None
    except ValueError:  # a NUL, or a lone surrogate the system cannot spell
        raise error(f"{ascii(str(path))}: not a file name the system can spell") from None
    if not stat.S_ISREG(mode):
        raise error(f"{path}: is {kind_of(mode)}, not {what}")
    try:  # O_NONBLOCK: should a pipe be swapped in after the stat, opening it cannot hang
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"{path}: cannot read it ({cause(exc)})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise error(f"{path}: is {kind_of(mode)}, not {what}")
    return fd


def check_readable(path, what: str, error: type[Exception]) -> Path:
    """`path` if it is a regular file this process may read; else error('<path>: ...').

    what names the expected file in the message: "is a folder, not a model file".
    """
    path = Path(path)
    os.close(_open_regular(path, what, error))
    return path


def read_bytes(path, limit: int, what: str, error: type[Exception]) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, reading no more than that.

    The cap holds for what is read, not what the file claims: /proc-like files say size 0.
    """
    path = Path(path)
    fd = _open_regular(path, what, error)
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read it ({cause(exc)})") from None
    if len(data) > limit:
        raise error(f"{path}: too big for {what} (over {_size(limit)})")
    return data


def read_text(path, limit: int, what: str, error: type[Exception]) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes (read_bytes); a UTF-8 byte
    order mark at its start is dropped."""
    data = read_bytes(path, limit, what, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path}: not a text file (not UTF-8)") from None


def expand_user(text: str, where: str, error: type[Exception]) -> str:
    """`text` with a leading ~ or ~user expanded; error naming `where` if there is no such user.

    (Path.expanduser raises a RuntimeError for an unknown user; os.path's leaves it as is.)
    """
    expanded = os.path.expanduser(text)
    if expanded.startswith("~"):
        user = expanded[1:].split("/", 1)[0]
        who = f"there is no user {user!r}" if user else "the home folder is not known"
        raise error(f"{where} {text!r}: {who}")
    return expanded


def _size(n_bytes: float) -> str:
    units = ["bytes", "KiB", "MiB", "GiB"]
    while n_bytes >= 1024 and len(units) > 1:
        n_bytes /= 1024
        units.pop(0)
    return f"{n_bytes:g} {units[0]}"
