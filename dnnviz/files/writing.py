"""Saving files: atomically, through symlinks, keeping modes, never over what is not a file.

A save writes a temporary file beside the target (`.dnnviz-HOST-PID-RANDOM.tmp`, short
whatever the target's name), flushes and fsyncs it, then renames it over the target. So a
crash or a full disk mid-save leaves the old file as it was. Also:
- a symlink is written through: its target gets the new content, the link stays;
- an existing file keeps its mode (and owner, where allowed); a new one gets 0666 less the
  umask, like any program's files;
- a read-only file (no write permission in its mode, even for root), a folder, a device, a
  named pipe or a socket is refused, with one line;
- a temporary left by a killed dnnviz (its process gone) is removed by the next save there.
Every problem is a SaveError of one line: "cannot save PATH: the disk is full".
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import stat
import sys
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .causes import cause
from .reading import kind_of

STDOUT = "-"  # as an output path: standard output (the CLI's --report and --export-costs)
HOST_TAG = f"{zlib.crc32(socket.gethostname().encode()) & 0xFFFFFF:06x}"
TEMP_NAME = re.compile(r"\.dnnviz-([0-9a-f]{6})-(\d+)-[0-9a-f]+\.tmp")


class SaveError(OSError):
    """A file could not be written; the message is one line, fit to show a user."""


class Target(NamedTuple):
    """Where a save really goes: the symlink-resolved path, and its stat if it exists."""

    real: Path
    stat: os.stat_result | None


def temp_name() -> str:
    """A fresh temporary file name: dnnviz's own, this host's and this process's."""
    return f".dnnviz-{HOST_TAG}-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def output_target(path) -> Target:
    """Check that `path` may be saved to (SaveError if not) and say where it really goes."""
    text = os.fspath(path)
    if not text.strip():
        raise SaveError("cannot save: the file name is empty")
    try:
        os.fsencode(text)
        if "\0" in text:
            raise ValueError
    except ValueError:  # UnicodeError too
        raise SaveError(f"cannot save {ascii(text)}: not a file name the system can "
                        "spell") from None
    if _through_proc(text):  # /dev/stdout, /dev/fd/3: another file's stream, not a file
        raise SaveError(f"cannot save {path}: it is a process's open file, not a file")
    real = Path(os.path.realpath(text))
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {cause(exc)}") from None
    if st is None and not real.parent.is_dir():
        raise SaveError(f"cannot save {path}: the folder {real.parent} does not exist")
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise SaveError(f"cannot save {path}: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise SaveError(f"cannot save {path}: it is {kind_of(st.st_mode)}, not a file")
    if st is not None and _read_only(st):
        raise SaveError(f"cannot save {path}: it is read-only")
    return Target(real, st)


def _through_proc(path: str) -> bool:
    """Whether path, or a symlink on the way to its target, lies in /proc or /sys."""
    path = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlinks followed
        if os.path.realpath(os.path.dirname(path)).startswith(("/proc/", "/sys/")):
            return True
        if not os.path.islink(path):
            return False
        path = os.path.join(os.path.dirname(path), os.readlink(path))
    return False


def _read_only(st: os.stat_result) -> bool:
    """Whether the mode bits deny us writing (for root: no write bit at all)."""
    uid = os.geteuid()
    if uid == 0:
        return not st.st_mode & 0o222
    if st.st_uid == uid:
        return not st.st_mode & stat.S_IWUSR
    if st.st_gid in (os.getegid(), *os.getgroups()):
        return not st.st_mode & stat.S_IWGRP
    return not st.st_mode & stat.S_IWOTH


def check_can_write(path) -> None:
    """Everything a save of `path` needs, tried without changing anything: SaveError if not.

    Creates and removes a file in the target's folder, and opens an existing target for
    writing (which a protected file refuses even to root), so that a long run is never
    trained only to be refused at the end.
    """
    target = output_target(path)
    folder = target.real.parent
    probe = folder / temp_name()
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise SaveError(f"cannot save {path}: cannot write in the folder {folder} "
                        f"({cause(exc)})") from None
    if target.stat is not None:
        try:
            os.close(os.open(target.real, os.O_WRONLY | os.O_NONBLOCK))
        except OSError as exc:
            raise SaveError(f"cannot save {path}: {cause(exc)}") from None


def check_distinct(outputs: dict[str, str]) -> None:
    """SaveError if two of the outputs (label -> path) are one file, or both standard output.

    Paths are compared resolved (symlinks followed), and by inode when the file exists.
    """
    seen: dict[str, str] = {}
    for label, path in outputs.items():
        key = path if path == STDOUT else os.path.realpath(path)
        for other, other_key in seen.items():
            if key == other_key or _same_file(key, other_key):
                where = "standard output" if path == STDOUT else path
                raise SaveError(f"{other} and {label} would both write to {where}")
        seen[label] = key


def _same_file(a: str, b: str) -> bool:
    try:
        return STDOUT not in (a, b) and os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`'s target; it replaces the target if the block
    succeeds, else it vanishes. Any OSError on the way becomes a one-line SaveError."""
    target = output_target(path)
    folder = target.real.parent
    remove_leftovers(folder)
    tmp = folder / temp_name()
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # the umask applies
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {cause(exc)}") from None
    try:
        yield tmp
        _replace(tmp, target)
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, SaveError):
            raise SaveError(f"cannot save {path}: {cause(exc)}") from exc
        raise


def _replace(tmp: Path, target: Target) -> None:
    """Give tmp the old file's mode and owner, make it durable, and rename it over the target."""
    with open(tmp, "rb+") as f:
        if target.stat is not None:
            old = target.stat
            if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(f.fileno(), old.st_uid, old.st_gid)
                except OSError:
                    pass  # not allowed to give it away: the new file is ours
            os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode) & 0o777)
        os.fsync(f.fileno())
    os.replace(tmp, target.real)
    try:  # the rename itself survives a power cut once the folder is synced
        fd = os.open(target.real.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def remove_leftovers(folder) -> None:
    """Delete dnnviz temporaries in `folder` whose process (on this host) has ended."""
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(".dnnviz-")]
    except OSError:
        return
    for name in names:
        match = TEMP_NAME.fullmatch(name)
        if match and match[1] == HOST_TAG and not _alive(int(match[2])):
            _unlink(Path(folder) / name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def write_text(path, text: str) -> None:
    """Write `text` (UTF-8) to the file `path` atomically; SaveError if it cannot be."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)


def write_output(path, text: str) -> None:
    """write_text, or standard output when path is "-" (SaveError if stdout is closed)."""
    if path != STDOUT:
        write_text(path, text)
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        silence(sys.stdout)
        raise SaveError(f"cannot write to standard output: {cause(exc)}") from None


def silence(stream) -> None:
    """Point a closed pipe's stream at /dev/null: Python's flush at exit then fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's capture)
        pass
