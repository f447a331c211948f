"""Atomic file writes: a temporary file in the same folder, flushed, fsynced, then renamed.

A crash or a full disk mid-write leaves the previous file intact and no temporary behind.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


class SaveError(OSError):
    """A file could not be written; the message is one line, fit to show a user."""


def check_writable(path) -> Path:
    """The folder `path` would be saved in; SaveError if it is missing or path is a folder."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SaveError(f"cannot save {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise SaveError(f"cannot save {path}: it is a folder")
    return folder


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success it replaces `path`, else vanishes."""
    path = Path(path)
    folder = check_writable(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> None:
    try:
        with atomic_path(path) as tmp:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
    except SaveError:
        raise
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {exc.strerror or exc}") from exc
