"""The process that runs a student's code for `dnnviz check` (child.py starts it).

`python -m dnnviz.student.worker FD_IN FD_OUT MEMORY_GB`, in a session of its own, in a
fresh temporary folder, stdin/stdout/stderr on /dev/null. It bounds its memory
(RLIMIT_AS), dies with its parent (and so do processes it forks), then answers requests
(pickles) with JSON (wire.py):

  ("load", path, names, seconds, skip)  -> ("running", key) before each top-level
                                           statement, then ("loaded", notes, functions)
  ("call", id, course, values, stand_ins, seconds, seed, keep)
                                        -> ("result", id, result, output, args after)
                                           or ("error", id, {kind, message, ...})
  keep (training): (name, part) keeps the result under `name` and sends back (True, its
  part) (False, the whole result when it has no such part), and no arguments: part 0 is
  item 0 of a pair (AL of (AL, caches)), "gradients" the dW and db of a dict, "whole" all
  of it. A value wire.Kept(name, i) in a later call is that kept result (or its item i),
  never sent back and forth (the caches, dA0).

It only runs and returns: the expected results are never here, and every verdict is the
parent's.
"""

from __future__ import annotations

import copy
import ctypes
import os
import pickle
import resource
import signal
import sys
import traceback

import numpy as np

from dnnviz.student import sandbox, wire
from dnnviz.student.compare import arrays_in
from dnnviz.student.functions import SignatureMismatch, StudentFunctions
from dnnviz.student.loader import load_student_file
from dnnviz.student.sandbox import StudentError
from dnnviz.student.spec import BY_NAME, NAMES

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL when the parent ends (Linux); so for processes forked from here too."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def bound_memory(gb: float) -> None:
    if gb > 0:
        limit = int(gb * 2**30)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            sandbox.MEMORY_GB = gb
        except (ValueError, OSError):
            pass


def main(argv) -> None:
    fd_in, fd_out, gb = int(argv[0]), int(argv[1]), float(argv[2])
    die_with_parent()
    if os.getppid() == 1:
        os._exit(0)  # the parent is already gone
    me = os.getpid()
    os.register_at_fork(after_in_child=die_with_parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's
    bound_memory(gb)

    def answer(*message):
        if os.getpid() != me:  # a fork of their code came back here: it must not answer
            os._exit(0)
        wire.send(fd_out, wire.dump_json(list(message)))

    request = pickle.loads(wire.receive(fd_in, limit=2**40))
    _, path, names, seconds, skip = request
    loaded = load_student_file(path, seconds=seconds, skip=frozenset(skip),
                               before=lambda key: answer("running", key))
    functions = StudentFunctions(loaded, names)
    kept: dict = {}
    answer("loaded", {"all": loaded.all_notes, "unavailable": loaded.unavailable,
                      "modules": loaded.missing_modules}, describe_functions(functions))
    while True:
        try:
            request = pickle.loads(wire.receive(fd_in, limit=2**40))
        except wire.WireError:
            os._exit(0)
        answer(*serve_call(functions, kept, *request[1:]))


def describe_functions(functions: StudentFunctions) -> dict:
    """What the parent needs to know of each lesson function, before calling any."""
    out = {}
    for course in NAMES:
        if course not in functions.found:
            continue
        func = functions.found[course]
        info = {"type": type(func).__name__, "callable": callable(func), "note": "",
                "mismatch": "", "calls": functions.calls(course)}
        if info["callable"]:
            try:
                info["note"] = functions.arguments(
                    course, {p: None for p in BY_NAME[course].params})[2]
            except SignatureMismatch as exc:
                info["mismatch"] = str(exc)
        out[course] = info
    return out


def serve_call(functions, kept, call_id, course, values, stand_ins, seconds, seed,
               keep=None):
    values = {k: _unkept(kept, v) for k, v in values.items()}
    inputs = [array for _, array in arrays_in(values)]  # these objects, after the call
    try:
        got, output = functions.call(course, values, seconds=seconds, stand_ins=stand_ins,
                                     global_seed=seed)
        if keep is not None:
            name, part = keep
            kept[name] = got
            return "result", call_id, wire.encode(_part(got, part)), output, []
        size = wire.array_bytes(got)
        if size > wire.MAX_MESSAGE // 2:  # base64 makes it a third bigger
            return "error", call_id, {"kind": "exception", "output": output, "message": (
                f"your {functions.their(course)} returned {size / 2**20:.0f} MB of arrays, "
                f"far more than the lesson's result (at most {wire.MAX_MESSAGE // 2**21} MB "
                "is read back)")}
        return "result", call_id, wire.encode(got), output, wire.encode(inputs)
    except StudentError as exc:
        return "error", call_id, error_fields(exc, functions.file.filenames)
    except SignatureMismatch as exc:
        return "error", call_id, {"kind": "signature", "message": str(exc)}
    except MemoryError:
        return "error", call_id, {"kind": "memory", "message": "memory"}


def _part(got, part):
    if part == "whole":
        return True, got
    if isinstance(part, int) and isinstance(got, (tuple, list)) and len(got) == 2:
        return True, got[part]
    if part == "gradients" and isinstance(got, dict):
        return True, {k: v for k, v in got.items() if isinstance(k, str) and k[:2] in
                      ("dW", "db")}
    return False, got


def _unkept(kept: dict, value):
    if isinstance(value, wire.Keep):
        kept[value.name] = value.value
        return copy.deepcopy(value.value)
    if not isinstance(value, wire.Kept):
        return value
    got = kept.get(value.name)
    if value.copy:
        return copy.deepcopy(got)
    if value.index is None:
        return got
    return got[value.index] if isinstance(got, (tuple, list)) and len(got) > value.index \
        else None


def error_fields(exc: StudentError, filenames) -> dict:
    theirs = exc.exception
    fields = {"kind": exc.kind, "message": str(exc), "traceback": exc.traceback,
              "output": exc.output, "type": "", "text": "", "name": None, "facts": {}}
    if theirs is not None:
        fields.update(type=type(theirs).__name__, text=str(theirs),
                      name=getattr(theirs, "name", None) if isinstance(theirs, NameError)
                      else None, facts=frame_facts(theirs, filenames))
    if not isinstance(fields["name"], (str, type(None))):
        fields["name"] = None
    return fields


def frame_facts(exc: BaseException, filenames) -> dict:
    """The shapes of the arrays in the innermost frame of the student's that raised:
    {"db": [3], "b": [3, 1]} (a squeezed db behind their own assert)."""
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    for frame in reversed(frames):
        if frame.f_code.co_filename not in filenames:
            continue
        return {name: list(value.shape) for name, value in list(frame.f_locals.items())[:200]
                if isinstance(name, str) and isinstance(value, np.ndarray)}
    return {}


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    finally:
        os._exit(0)
