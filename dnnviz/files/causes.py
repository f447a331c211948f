"""Why a file could not be read or written, in one line of plain words; never library internals.

HDF5 reports a full disk as several lines of C details; the error number it carries says it
all: "the disk is full".
"""

from __future__ import annotations

import errno
import os

CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted (the file or folder is protected)",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EISDIR: "it is a folder",
    errno.EFBIG: "the file is too large",
    errno.EPIPE: "it was closed (broken pipe)",
}
MAX_DETAIL = 120


def cause(exc: BaseException) -> str:
    """The reason `exc` (an OSError, or a library's error) gives, as one short line."""
    code = getattr(exc, "errno", None)
    if code in CAUSES:
        return CAUSES[code]
    if isinstance(code, int) and code > 0:
        return os.strerror(code)
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return detail if len(detail) <= MAX_DETAIL else detail[: MAX_DETAIL - 3] + "..."
