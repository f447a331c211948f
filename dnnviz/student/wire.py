"""What crosses between dnnviz and the process that runs a student's code.

Frames: an 8-byte length, then the bytes. dnnviz's requests to the child are pickles (the
child trusts dnnviz); the child's answers are JSON, read by dnnviz with a size bound, never
unpickled: nothing the student's code writes down the pipe can run in dnnviz.

encode()/decode() carry a function's result: arrays of numbers (dtype, shape, bytes),
tuples, lists, dicts, numbers, strings, None; anything else arrives as Opaque (its type's
name), which the comparison reports as "a Foo".
"""

from __future__ import annotations

import base64
import json
import os
import select
import struct
import time

import numpy as np

MAX_MESSAGE = 64 * 2**20  # bytes of one answer from the child
MAX_DEPTH = 32
_HEADER = struct.Struct("!Q")


class WireError(Exception):
    """The other side hung up, sent too much, or sent something unreadable."""


class Timeout(Exception):
    """No whole answer before the deadline."""


class Kept:
    """In a request to the child: a value the child kept from an earlier call (its name),
    or one item of it; never sent back and forth (a forward pass's caches). copy: a copy
    of it (an input their code might change in place)."""

    def __init__(self, name: str, index: int | None = None, copy: bool = False):
        self.name, self.index, self.copy = name, index, copy


class Keep:
    """In a request to the child: `value`, to be kept under `name` as well (a copy is
    passed), so that later requests send Kept(name, copy=True) instead (X, every step)."""

    def __init__(self, name: str, value):
        self.name, self.value = name, value


class Opaque:
    """A value of the student's that is not numbers, containers or text: its type's name."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def send(fd: int, payload: bytes) -> None:
    data = _HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int, deadline: float | None = None, limit: int = MAX_MESSAGE) -> bytes:
    """One frame from `fd`; Timeout past `deadline` (time.monotonic()), WireError at the end
    of the pipe or for a frame longer than `limit`."""
    size = _HEADER.unpack(_read(fd, _HEADER.size, deadline))[0]
    if size > limit:
        raise WireError(f"an answer of {size} bytes (more than {limit // 2**20} MB)")
    return _read(fd, size, deadline)


def _read(fd: int, n: int, deadline) -> bytes:
    parts, left = [], n
    while left:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise Timeout
        chunk = os.read(fd, min(left, 2**20))
        if not chunk:
            raise WireError("the process ended")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def dump_json(value) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8")


def load_json(data: bytes):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"an unreadable answer ({type(exc).__name__})") from None


def array_bytes(value, depth: int = 0) -> int:
    """The bytes of the arrays inside `value` (what encode() would carry, roughly)."""
    if depth > MAX_DEPTH:
        return 0
    if isinstance(value, (np.ndarray, np.generic)):
        return int(value.nbytes)
    if isinstance(value, (tuple, list)):
        return sum(array_bytes(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return sum(array_bytes(v, depth + 1) for v in value.values())
    return 0


def encode(value, depth: int = 0):
    """A JSON-able tree for `value` (see the module's docstring)."""
    if depth > MAX_DEPTH:
        return {"opaque": "structure nested too deep"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return {"number": repr(value)} if isinstance(value, int) else value
    if isinstance(value, (np.ndarray, np.generic)):
        return _encode_array(value)
    if isinstance(value, tuple):
        return {"tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    return {"opaque": type(value).__name__}


def _encode_array(value):
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        return {"opaque": f"{'array' if arr.ndim else 'numpy value'} of {arr.dtype}"}
    arr = np.array(arr, order="C")  # (ascontiguousarray makes a 0-d array 1-d)
    return {"array": [arr.dtype.str, list(arr.shape), base64.b64encode(arr.tobytes()).decode(),
                      isinstance(value, np.generic)]}


def decode(tree, depth: int = 0):
    """The value encode() described; WireError for anything encode() does not write."""
    if depth > MAX_DEPTH + 1:
        raise WireError("an answer nested too deep")
    if tree is None or isinstance(tree, (bool, str, float)):
        return tree
    if isinstance(tree, list):
        return [decode(v, depth + 1) for v in tree]
    if not isinstance(tree, dict) or len(tree) != 1:
        raise WireError("an unreadable answer")
    (kind, body), = tree.items()
    try:
        if kind == "number":
            return int(body)
        if kind == "tuple":
            return tuple(decode(v, depth + 1) for v in body)
        if kind == "dict":
            return {_key(decode(k, depth + 1)): decode(v, depth + 1) for k, v in body}
        if kind == "opaque":
            return Opaque(str(body))
        if kind == "array":
            return _decode_array(*body)
    except (TypeError, ValueError) as exc:
        raise WireError(f"an unreadable answer ({exc})") from None
    raise WireError("an unreadable answer")


def _key(key):
    if isinstance(key, list):
        raise WireError("an unreadable answer (a list as a key)")
    return key


def _decode_array(dtype, shape, data, scalar):
    dtype = np.dtype(str(dtype))
    if dtype.kind not in "biuf":
        raise ValueError(f"dtype {dtype}")
    shape = tuple(int(n) for n in shape)
    raw = base64.b64decode(data, validate=True)
    if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
        raise ValueError("size")
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return arr[()] if scalar and not shape else arr
