"""A student's result against the reference's: the first problem, named where it is.

The expected result gives the structure (tuples, lists, dicts, arrays, a number); `Parts`
from spec.py name its pieces, so a problem reads "cache → linear_cache → W: wrong shape".
Values agree when np.allclose(got, expected, rtol=RTOL, atol=ATOL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from dnnviz.student.spec import Parts, part_name
from dnnviz.student.wire import Opaque

RTOL, ATOL = 1e-7, 1e-9


@dataclass
class Problem:
    """kind: "structure", "order", "shape", "values", "nonfinite" or "type"."""

    kind: str
    where: str  # "cache → linear_cache → W", "db1"; "" for the whole result
    message: str
    expected: object = None
    got: object = None

    def text(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def first_problem(expected, got, part="", where: str = "") -> Problem | None:
    """None when got matches expected; else the first thing that differs."""
    if isinstance(expected, Mapping):
        return _mapping(expected, got, where)
    if isinstance(expected, (tuple, list)):
        return _sequence(expected, got, part if isinstance(part, Parts) else Parts(part), where)
    return _array(expected, got, where or part_name(part))


def matches(expected, got, part="") -> bool:
    return first_problem(expected, got, part) is None


def describe(value) -> str:
    """What a value is, in a message: "a tuple of 3", "an array of shape (3,)", "None"."""
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    if value is None:
        return "None (a missing return?)"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, Mapping):
        return "a dict"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (int, float, np.number)):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


def arrays_in(value, path=""):
    """(path, array) for every array inside a function's arguments: "dA",
    "parameters['W1']", "cache[0]"; in a fixed order."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from arrays_in(item, f"{path}[{key!r}]" if path else key)
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from arrays_in(item, f"{path}[{i}]")


def _join(where: str, name: str) -> str:
    return f"{where} → {name}" if where and name else where or name


def _mapping(expected, got, where) -> Problem | None:
    if not isinstance(got, Mapping):
        return Problem("structure", where, f"expected a dictionary, got {describe(got)}")
    for key, value in expected.items():
        if key not in got:
            return Problem("structure", where, f"no {key!r} in the dictionary it returns")
        problem = first_problem(value, got[key], key, _join(where, key))
        if problem:
            return problem
    return None


def _items(part: Parts, n: int, where: str) -> list:
    """(label, where) of each item: a tuple's named pieces, or a list's [0], [1], ..."""
    if not part.each:
        return [(p, _join(where, part_name(p))) for p in part.items]
    item = part.items[0]
    base = where or part.name
    return [(Parts(f"{part.name}[{i}]", item.items) if isinstance(item, Parts)
             else f"{part.name}[{i}]", f"{base}[{i}]") for i in range(n)]


def _shallow(labels) -> str:
    return "(" + ", ".join(part_name(p) for p in labels) + ")"


def _sequence(expected, got, part: Parts, where) -> Problem | None:
    if not isinstance(got, (tuple, list)):
        what = f"a list of {len(expected)}" if part.each else _shallow(part.items)
        return Problem("structure", where, f"wrong return structure: expected {what}, "
                       f"got {describe(got)}", expected, got)
    if len(got) != len(expected):
        what = (f"a list of {len(expected)}" if part.each
                else f"{len(expected)} values {_shallow(part.items)}")
        return Problem("structure", where, f"wrong return structure: expected {what}, "
                       f"got {describe(got)}", expected, got)
    items = _items(part, len(expected), where)
    problems = (first_problem(e, g, p, w) for e, g, (p, w) in zip(expected, got, items))
    first = next((p for p in problems if p), None)
    if first is None:
        return None
    labels = [p for p, _ in items]
    order = _permutation(expected, got, labels)
    if order is not None:
        return Problem("order", where, f"in the wrong order: expected {_shallow(labels)}, "
                       f"got {_shallow(labels[j] for j in order)}", expected, got)
    return first


def _permutation(expected, got, parts) -> list[int] | None:
    """For each item of got, the index of the expected item it equals, if the items are
    the expected ones in another order; else None."""
    order, free = [], set(range(len(expected)))
    for g in got:
        j = next((j for j in sorted(free) if matches(expected[j], g, parts[j])), None)
        if j is None:
            return None
        order.append(j)
        free.discard(j)
    return order if order != sorted(order) else None


def _array(expected, got, where) -> Problem | None:
    exp = np.asarray(expected, dtype=np.float64)
    name = "a number" if exp.shape == () else "an array"
    if got is None or isinstance(got, (tuple, list, Mapping, str)):
        return Problem("structure", where, f"expected {name}, got {describe(got)}",
                       expected, got)
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        kind = f" of {got.dtype}" if isinstance(got, np.ndarray) else ""
        return Problem("type", where, f"expected {name} of numbers, got {describe(got)}{kind}",
                       expected, got)
    if arr.shape != exp.shape:
        wanted = "a number (shape ())" if exp.shape == () else str(exp.shape)
        return Problem("shape", where, f"wrong shape: expected {wanted}, got {arr.shape}",
                       exp, arr)
    bad = ~np.isfinite(arr) & np.isfinite(exp)
    if bad.any():
        return Problem("nonfinite", where, _nonfinite(bad, arr), exp, arr)
    if not np.allclose(arr, exp, rtol=RTOL, atol=ATOL):
        diff = np.abs(arr - exp)
        index = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.shape else ()
        at = f" at {tuple(int(i) for i in index)}" if index else ""
        return Problem("values", where, f"wrong values: differs by up to {float(diff.max()):.3g}"
                       f"{at} (expected {float(exp[index]):.6g}, got {float(arr[index]):.6g})",
                       exp, arr)
    return None


def _nonfinite(mask, arr) -> str:
    if arr.shape == ():
        return f"is {float(arr)}"
    return f"{int(mask.sum())} of {arr.size} values are nan or inf"
