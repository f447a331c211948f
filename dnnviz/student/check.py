"""`check_file`: each of the lesson's functions in a student's file, checked on its own.

Their code runs in a process of its own (child.py, worker.py), which only sends back what
each call returned; the comparison, the hints and the verdict are made here, where their
code cannot reach. Each function found runs on every case of cases.py (the reference makes
its inputs) with the student's own helpers where those passed their check and dnnviz's
stand-ins where they failed (called as theirs are called), and its result is compared
with dnnviz.nn.functional's. The first problem is reported in the student's words, with
a named hint where the mistake is a known one (hints.py). A function that fails with
dnnviz's stand-ins but passes with the student's own failing helpers (which do not follow
the lesson) passes, with a note: the mistake is reported once, where it is. An input
changed in place is a failure too; advice (clip AL before the log) is a note.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dnnviz.nn import functional as F
from dnnviz.student.cases import Case, cases_for
from dnnviz.student.child import MEMORY_GB, CheckDeadline, StudentProcess
from dnnviz.student.compare import Problem, arrays_in, describe, first_problem, matches
from dnnviz.student.functions import CALL_SECONDS
from dnnviz.student.hints import hint_for
from dnnviz.student.loader import LOAD_SECONDS, parse_student_file
from dnnviz.student.sandbox import StudentError, first_lines
from dnnviz.student.spec import BY_NAME, NAMES


@dataclass
class FunctionResult:
    """One lesson function's verdict. expected, got and difference (got - expected) are
    set when values differ, for a heatmap; traceback when theirs raised."""

    name: str
    found: bool
    passed: bool = False
    message: str = ""  # the first problem; "" when passed
    hint: str = ""
    their_name: str = ""
    where: str = ""  # the part of the result that differs: "db", "cache → Z"
    expected: np.ndarray | None = None
    got: np.ndarray | None = None
    difference: np.ndarray | None = None
    traceback: str = ""
    notes: list = field(default_factory=list)  # worth knowing, not failures


TOTAL_SECONDS = 300.0  # the whole check


@dataclass
class CheckReport:
    path: str
    results: dict  # course name -> FunctionResult, in the lesson's order
    notes: list  # from loading the file (those of skipped test cells in one line)
    all_notes: list = field(default_factory=list)  # every one (--verbose)
    incomplete: str = ""  # why some functions were not checked: then it has not passed

    @property
    def passed(self) -> bool:
        found = [r for r in self.results.values() if r.found]
        return bool(found) and all(r.passed for r in found) and not self.incomplete

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def summary(self) -> str:
        """One line: "14 of 14 functions found, 12 passed; failed: db, dW."."""
        results = list(self.results.values())
        found = [r for r in results if r.found]
        failed = [r.name for r in found if not r.passed]
        if self.incomplete:
            return f"Not every function was checked: {self.incomplete}."
        if not found:
            return "No lesson function found."
        text = f"{len(found)} of {len(results)} functions found, {len(found) - len(failed)} passed"
        return text + (f"; failed: {', '.join(failed)}." if failed else ": all correct.")

    def to_dict(self) -> dict:
        """The JSON report: {"functions": {NAME: {"found", "passed", "message"}}}, plus the
        hints by name and the notes."""
        return {
            "functions": {name: {"found": r.found, "passed": r.passed, "message": r.message}
                          for name, r in self.results.items()},
            "hints": {name: r.hint for name, r in self.results.items() if r.hint},
            "notes": list(self.notes),
            "complete": not self.incomplete,
        }


def check_file(path, names: dict | None = None, *, seconds: float | None = CALL_SECONDS,
               load_seconds: float | None = LOAD_SECONDS, progress=None,
               total_seconds: float | None = TOTAL_SECONDS,
               memory_gb: float = MEMORY_GB) -> CheckReport:
    """Check a .py or .ipynb; raises StudentFileError when it cannot be used.

    Their code runs in a process of its own (child.py) that only sends back what their
    functions return; every comparison and verdict is made here. seconds: per call;
    total_seconds: the whole check (what is left unchecked then fails, named); progress
    (course, i, n), if given, is called before each function is checked."""
    parse_student_file(path)  # one line for a file that cannot be used, before anything runs
    deadline = None if total_seconds is None else time.monotonic() + total_seconds
    seconds = CALL_SECONDS if seconds is None else seconds
    with StudentProcess(path, names, load_seconds=load_seconds, memory_gb=memory_gb,
                        deadline=deadline) as process:
        view = Functions(names or {})
        try:
            loaded = process.load()
        except CheckDeadline:
            return _out_of_time(path, view, {}, total_seconds, [])
        view.found = loaded.functions
        results = {}
        for i, course in enumerate(NAMES):
            if progress is not None:
                progress(course, i, len(NAMES))
            try:
                results[course] = check_function(process, view, course, results, seconds)
            except CheckDeadline:
                return _out_of_time(path, view, results, total_seconds, loaded.notes)
    return CheckReport(str(path), results, loaded.notes + view.load_notes(Path(path)),
                       loaded.all_notes + view.load_notes(Path(path)))


class Functions:
    """The parent's view of the student's lesson functions: their names, what the child
    found (course -> its description), what each calls."""

    def __init__(self, names: dict):
        self.explicit = dict(names)
        self.names = {c: self.explicit.get(c, c) for c in NAMES}
        taken = set(self.explicit.values())
        self.shadowed = [c for c in NAMES if c not in self.explicit and c in taken]
        self.found: dict = {}

    def their(self, course: str) -> str:
        return self.names[course]

    @property
    def missing(self) -> list:
        return [c for c in NAMES if c not in self.found and c not in self.shadowed]

    def calls(self, course: str) -> list:
        return [c for c in self.found.get(course, {}).get("calls", []) if c in BY_NAME]

    def reaches(self, course: str) -> list:
        """The lesson functions `course` calls, and those they call, and so on."""
        seen, todo = [], list(self.calls(course))
        while todo:
            other = todo.pop()
            if other not in seen and other != course:
                seen.append(other)
                todo += self.calls(other)
        return [c for c in NAMES if c in seen]

    def load_notes(self, path: Path) -> list:
        missing, checked = self.missing, len(NAMES) - len(self.shadowed)
        if missing and len(missing) < checked:
            return ["not found: " + ", ".join(missing) + "; dnnviz's own stand in for them "
                    "when your other functions call them"]
        if missing:
            return [f"none of the lesson's functions is in {path.name}: are they named as in "
                    "the course (or given with --name)?"]
        return []


def _out_of_time(path, view, results, total_seconds, notes) -> CheckReport:
    for course in NAMES:
        if course not in results:
            results[course] = FunctionResult(
                course, found=course in view.found, their_name=view.their(course),
                message=f"not checked: the whole check ran out of its {total_seconds:g} s")
    return CheckReport(str(path), results, list(notes), list(notes),
                       incomplete=f"the whole check ran out of its {total_seconds:g} s")


@dataclass
class _Outcome:
    case: Case | None = None
    problem: Problem | None = None
    error: StudentError | None = None
    got: object = None
    changed: str = ""
    output: str = ""
    notes: list = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problem or self.error or self.changed)


def check_function(process, view: Functions, course: str, earlier: dict,
                   seconds) -> FunctionResult:
    """Check `course` on every case; `earlier`: the results of the functions before it."""
    their = view.their(course)
    result = FunctionResult(course, found=course in view.found, their_name=their)
    if course in view.shadowed:
        other = next(c for c, t in view.explicit.items() if t == course)
        result.found = False
        result.message = f"not checked: your {their} is checked as {other} (--name)"
        return result
    if not result.found:
        result.message = f"not found (no {their} in the file)"
        return result
    info = view.found[course]
    if not info.get("callable"):
        result.message = f"{their} is {info.get('type')}, not a function"
        return result
    if info.get("mismatch"):
        result.message = str(info["mismatch"])
        return result
    result.notes += [str(info["note"])] if info.get("note") else []
    failed = [c for c, r in earlier.items() if r.found and not r.passed]
    failed_helpers = [c for c in view.reaches(course) if c in failed]
    outcome = _run_cases(process, view, course, seconds, stand_ins=failed)
    if outcome.failed and failed_helpers and not (mine := _run_cases(
            process, view, course, seconds, stand_ins=())).failed:
        which = "which does not" if len(failed_helpers) == 1 else "which do not"
        result.notes.append(f"passes with your own {', '.join(failed_helpers)}, {which} "
                            "follow the lesson (see there)")
        outcome = mine
    result.notes += outcome.notes
    _fill(result, course, outcome)
    return result


def _run_cases(process, view, course, seconds, *, stand_ins) -> _Outcome:
    notes = []
    for case in cases_for(course):
        values = case.fresh_args()
        try:
            got, output, after = process.call(course, view.their(course), values,
                                              seconds=seconds, stand_ins=stand_ins,
                                              seed=case.global_seed)
        except StudentError as exc:
            if case.advice:
                notes.append(case.advice)
                continue
            return _Outcome(case, error=exc, output=exc.output)
        got = _renumbered(course, got, case)
        try:
            problem, note = _accept(course, case, got)
        except Exception as exc:  # a strange object of theirs: not dnnviz's to crash on
            problem, note = Problem("type", "", f"its result cannot be read: {describe(got)} "
                                    f"({type(exc).__name__}: {exc})"), ""
        changed = _changed(case.args, after)
        if case.advice and (problem or changed):
            notes.append(case.advice)
            continue
        if problem or changed:
            return _Outcome(case, problem=problem, got=got, changed=changed, output=output)
        notes += [note] if note and note not in notes else []
    return _Outcome(notes=notes)


def _changed(before: dict, after) -> str:
    """The first input array the call changed in place ("dA", "parameters['W1']"), or "".
    after: the contents of the same arrays after the call, as the child sent them back
    (replacing a dict's entry changes no array)."""
    inputs = list(arrays_in(before))
    if not isinstance(after, list) or len(after) != len(inputs):
        after = [None] * len(inputs)
    for (path, array), other in zip(inputs, after):
        if not isinstance(other, np.ndarray) or other.shape != array.shape or \
                not np.array_equal(np.asarray(other, dtype=float), array, equal_nan=True):
            return path
    return ""


def _accept(course, case: Case, got):
    """(problem or None, a note of advice or "")."""
    problem = first_problem(case.expected, got, BY_NAME[course].returns)
    if problem is None or any(matches(other, got) for _, other in case.also_accepted):
        return None, ""
    if case.saturated and problem.kind in ("values", "nonfinite"):
        AL, Y = case.args["AL"], case.args["Y"]
        value = float(np.asarray(got, dtype=np.float64).reshape(()))
        if not np.isfinite(value):  # the course's own formula, unclipped: log(0)
            return None, (f"it returns {value} when an output is exactly 0 or 1 (log(0)), as "
                          "the course's own formula does; np.clip(AL, 1e-15, 1 - 1e-15) "
                          "keeps the cost finite (advice, not a mistake)")
        least = F.compute_cost(np.clip(AL, 1e-3, 1 - 1e-3), Y)
        if value >= least:  # finite, and a confident mistake costs a lot
            return None, ""
        problem.message = (f"is {value:.4g}: too small for examples that are "
                           f"confidently wrong (at least {least:.4g} expected)")
    return problem, ""


def _renumbered(course, got, case: Case):
    """Older course versions number L_model_backward's dA one up (dA1..dAL, not dA0..dAL-1)."""
    if course != "L_model_backward" or not isinstance(got, dict):
        return got
    L = len(case.args["caches"])
    if f"dA{L}" not in got or "dA0" in got:
        return got
    return {(f"dA{int(k[2:]) - 1}" if k[:2] == "dA" and k[2:].isdigit() else k): v
            for k, v in got.items()}


def _fill(result: FunctionResult, course: str, outcome: _Outcome) -> None:
    if not outcome.failed:
        result.passed = True
        return
    case, problem, error = outcome.case, outcome.problem, outcome.error
    if error is not None:
        result.message = str(error) if error.kind == "not implemented" else \
            f"{error} ({case.label})"
        result.traceback = error.traceback
    elif problem is not None:
        result.message = f"{problem.text()} ({case.label})"
        result.where = problem.where
        if problem.kind in ("values", "nonfinite"):
            result.expected, result.got = problem.expected, problem.got
            with np.errstate(all="ignore"):
                result.difference = problem.got - problem.expected
    else:
        result.message = f"it changed its input {outcome.changed} in place ({case.label})"
    printed = first_lines(outcome.output)
    if printed and error is not None and error.kind != "not implemented":
        result.message += f"; it printed: {printed}"
    try:
        result.hint = hint_for(course, case, problem=problem, error=error, got=outcome.got,
                               changed=outcome.changed if not (problem or error) else "")
    except Exception:  # a result too strange to diagnose: the message still says what is wrong
        result.hint = ""
