"""The rules for dnnviz's own file I/O (pure Python, no Qt): how files are saved and opened.

writing: atomic saves through symlinks, modes kept, special and read-only files refused,
         a probe before long work, leftovers of killed saves cleaned up.
reading: regular files only, a cap on bytes read, `~` expanded without surprises.
identity: outputs never touch inputs (the same file by device and inode, or inside an
          input folder).
"""

from .causes import cause
from .identity import Input, check_not_inputs
from .reading import check_readable, expand_user, read_bytes, read_text
from .writing import (
    STDOUT,
    SaveError,
    atomic_path,
    check_can_write,
    check_distinct,
    output_target,
    write_output,
    write_text,
)

__all__ = [
    "STDOUT",
    "Input",
    "SaveError",
    "atomic_path",
    "cause",
    "check_can_write",
    "check_distinct",
    "check_not_inputs",
    "check_readable",
    "expand_user",
    "output_target",
    "read_bytes",
    "read_text",
    "write_output",
    "write_text",
]
