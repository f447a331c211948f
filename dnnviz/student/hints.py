"""Named hints: the mistakes students make most often in this lesson, recognised.

hint_for(name, case, problem=..., error=..., got=...) returns one or two sentences, or "".
Recognised: a squeezed db (and the (n, n) b it makes, or their own assert stopping it), an
activation cache holding A instead of Z, too much memory, rand for randn, a missing 1/m, a
transposed product, log(0) in the cost, a cache in the wrong order, values right but
packed differently (three values for (A, cache)), an undefined z, an input changed in
place, a flipped sign, the wrong activation, a layer the update skips, a cost not
squeezed, biases not zero, and any other constant factor.
"""

from __future__ import annotations

import numpy as np

from dnnviz.nn import functional as F
from dnnviz.student.compare import matches
from dnnviz.student.spec import BY_NAME, part_text

FORMULAS = {
    "Z": "Z = np.dot(W, A) + b",
    "dW": "dW = np.dot(dZ, A_prev.T) / m",
    "db": "db = np.sum(dZ, axis=1, keepdims=True) / m",
    "dA_prev": "dA_prev = np.dot(W.T, dZ)",
    "dA": "dA_prev = np.dot(W.T, dZ)",
    "cost": "cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m",
    "relu_backward": "dZ = np.array(dA, copy=True); dZ[Z <= 0] = 0",
    "sigmoid_backward": "s = 1 / (1 + np.exp(-Z)); dZ = dA * s * (1 - s)",
    "update_parameters": "W = W - learning_rate * dW, b = b - learning_rate * db",
    "initialize": "W = np.random.randn(n_l, n_prev) * 0.01 layer by layer, b = np.zeros((n_l, 1))",
}
INIT = ("initialize_parameters", "initialize_parameters_deep")


def leaf(where: str) -> str:
    """"caches[1] → linear_cache → W" -> "W"; "dW2" -> "dW"; "db" -> "db"."""
    name = where.split(" → ")[-1].split("[")[0]
    return name.rstrip("0123456789") or name


def formula(name: str, where: str) -> str:
    if name in INIT:
        return FORMULAS["initialize"]
    if name in ("update_parameters", "relu_backward", "sigmoid_backward"):
        return FORMULAS[name]
    return FORMULAS.get(leaf(where), "")


def hint_for(name, case, *, problem=None, error=None, got=None, changed: str = "") -> str:
    """The named hint for what went wrong, or ""."""
    if changed:
        return _changed_input(name, changed)
    if error is not None:
        return _error_hint(name, error)
    if problem is None:
        return ""
    for check in (_known_alternative, _cache_hint, _shape_hint, _init_hint, _cost_hint,
                  _structure_hint, _ratio_hint):
        text = check(name, case, problem, got)
        if text:
            return text
    return ""


def _changed_input(name, changed) -> str:
    if name == "relu_backward":
        return (f"it changed its input {changed} in place: `dZ = dA` makes no copy, so "
                "dZ[Z <= 0] = 0 writes into dA too. Copy first: dZ = np.array(dA, copy=True).")
    return (f"it changed its input {changed} in place; the lesson's {name} leaves its inputs "
            "as they were (write W = W - ..., not W -= ..., or copy first).")


def _error_hint(name, error) -> str:
    exc = error.exception
    if error.kind == "timeout":
        return "an endless loop? Check that the loop's counter changes and its condition ends."
    if error.kind == "memory":
        return ("far more memory than the lesson needs: an array made of the wrong shape "
                "(a product of two long vectors?) or one kept growing in a loop.")
    squeezed = _squeezed_db(getattr(error, "facts", {}) or {})
    if squeezed:
        return squeezed
    if isinstance(exc, NameError) and getattr(exc, "name", None):
        if exc.name in ("z", "Z") and "backward" in name:
            return (f"{name} reads `{exc.name}`, which it never defines: the Z it needs comes "
                    "in the cache (Z = cache; in linear_activation_backward: linear_cache, "
                    "activation_cache = cache). Python names are case-sensitive.")
        return (f"`{exc.name}` is not defined where {name} uses it: a typo, a variable of "
                "another function, or a name from a cell that did not run?")
    text = str(exc)
    if isinstance(exc, ValueError) and ("aligned" in text or "matmul" in text
                                        or "broadcast" in text):
        wanted = formula(name, "") or "the lesson's formula"
        return (f"a product or sum of arrays whose shapes do not fit: check the order of the "
                f"factors and the transposes ({wanted}).")
    return ""


def _squeezed_db(facts: dict) -> str:
    """Their own assert stopped a squeezed db: the frame that raised had db (n,)."""
    db = facts.get("db")
    if db is None or len(db) != 1:
        return ""
    n = db[0]
    return (f"db has shape ({n},): np.sum(dZ, axis=1) drops the column (your own assert "
            f"stopped it; b is ({n}, 1)). Then b - learning_rate * db would broadcast into a "
            f"({n}, {n}) matrix. Keep the column: np.sum(dZ, axis=1, keepdims=True).")


def _cache_hint(name, case, problem, got) -> str:
    """The activation cache holds A (the output) where the lesson keeps Z (the input)."""
    cache = "cache" if name in ("sigmoid", "relu") else "activation_cache"
    if name not in ("sigmoid", "relu", "linear_activation_forward", "L_model_forward") or \
            not problem.where.endswith(cache) or problem.kind != "values":
        return ""
    expected = problem.expected
    outputs = _outputs(name, case.expected)
    if any(np.shape(A) == np.shape(problem.got) and np.allclose(A, problem.got)
           for A in outputs) and not np.allclose(expected, problem.got):
        return (f"the {cache.replace('_', ' ')} holds A, the activation's output; the lesson "
                "keeps Z, its input (sigmoid(Z) and relu(Z) return (A, Z)), which the backward "
                "pass needs: sigmoid_backward and relu_backward read Z from it.")
    return ""


def _outputs(name, expected) -> list:
    """Every layer's output A in the reference's result."""
    if name in ("sigmoid", "relu", "linear_activation_forward"):
        return [expected[0]]
    AL, caches = expected
    return [cache[0][0] for cache in caches[1:]] + [AL]


def _shape_hint(name, case, problem, got) -> str:
    if problem.kind != "shape":
        return ""
    exp, arr = problem.expected, problem.got
    what = problem.where or "the result"
    if exp.ndim == 2 and exp.shape[1] == 1 and arr.shape == exp.shape[:1]:
        if leaf(problem.where) in ("db", "b"):
            n = exp.shape[0]
            return (f"{what} has shape ({n},): np.sum(dZ, axis=1) drops the column. Then "
                    f"b - learning_rate * db broadcasts b ({n}, 1) against ({n},) into a "
                    f"({n}, {n}) matrix. Keep the column: np.sum(dZ, axis=1, keepdims=True).")
        return f"{what} lost its second axis: keep the column (keepdims=True or reshape)."
    if exp.ndim == 2 and exp.shape[1] == 1 and arr.shape == (exp.shape[0],) * 2:
        return (f"{what} became ({exp.shape[0]}, {exp.shape[0]}): a db of shape "
                f"({exp.shape[0]},) was broadcast against b ({exp.shape[0]}, 1). "
                "db must keep its column (keepdims=True).")
    if exp.shape == () and arr.size == 1:
        return "the cost must be a number: np.squeeze(cost) gives shape () as in the course."
    if arr.shape == exp.shape[::-1]:
        wanted = formula(name, problem.where)
        return (f"{what} is transposed: a product in the wrong order or a missing .T"
                + (f" ({wanted})." if wanted else "."))
    return ""


def _init_hint(name, case, problem, got) -> str:
    if name not in INIT or problem.kind != "values":
        return ""
    arr, key = problem.got, leaf(problem.where)
    if key == "W" and arr.size >= 4 and (arr > 0).all():
        return ("np.random.rand draws from [0, 1): every weight is positive (yours average "
                f"{float(arr.mean()):.4f}; 0.005 for rand * 0.01). The lesson draws "
                "np.random.randn: normal, around 0.")
    if key == "b":
        return "the biases start at zero: b = np.zeros((n_l, 1))."
    return ("not the lesson's draws: " + ("np.random.seed(1)" if name == INIT[0]
                                          else "np.random.seed(3)")
            + ", then " + FORMULAS["initialize"] + ", in that order.")


def _cost_hint(name, case, problem, got) -> str:
    if name == "compute_cost" and case.saturated and problem.kind == "nonfinite":
        return ("log(0): for an example the network is sure about (AL exactly 0 or 1), "
                "log(AL) or log(1 - AL) is -inf, and the cost inf (or nan: 0 * log(0)). "
                "Clip first: AL = np.clip(AL, 1e-15, 1 - 1e-15).")
    return ""


def _structure_hint(name, case, problem, got) -> str:
    returns = BY_NAME[name].returns
    shown = part_text(returns)
    if problem.kind == "order":
        what = "a cache" if "cache" in problem.where else "the values it returns"
        return (f"{what} in the wrong order: the backward pass unpacks it in the lesson's "
                f"order, so {name} must return {shown}.")
    expected, theirs = _leaves(problem.expected), _leaves(got)
    if problem.kind != "structure" or not theirs or len(theirs) != len(expected) or \
            not all(matches(e, g) for e, g in zip(expected, theirs)):
        return ""
    count = ""
    if isinstance(got, (tuple, list)) and len(got) != len(problem.expected):
        count = f" {len(problem.expected)} values, not {len(got)}:"
    return (f"the values are right but packed differently: the lesson's {name} returns"
            f"{count} {shown}.")


def _leaves(value) -> list:
    if isinstance(value, (tuple, list)):
        return [x for item in value for x in _leaves(item)]
    return [value] if isinstance(value, np.ndarray) else []


def _ratio_hint(name, case, problem, got) -> str:
    if problem.kind != "values":
        return ""
    exp, arr = problem.expected, problem.got
    wanted = formula(name, problem.where)
    also = f" ({wanted})" if wanted else ""
    what = problem.where or "the result"
    if exp.ndim == 2 and exp.shape[0] == exp.shape[1] and np.allclose(arr, exp.T):
        return f"{what} is transposed: a product in the wrong order or a missing .T{also}."
    ratio = _constant_ratio(exp, arr)
    if ratio is None:
        return ""
    m = case.m
    if m and np.isclose(ratio, m):
        return f"missing 1/m: {what} is m = {m} times the lesson's{also}."
    if m and np.isclose(ratio, 1 / m):
        return f"divided by m twice: {what} is 1/m = 1/{m} of the lesson's{also}."
    if np.isclose(ratio, -1):
        return f"the sign is flipped: {what} is minus the lesson's{also}."
    return f"{what} is {ratio:.4g} times the lesson's{also}."


def _constant_ratio(exp, arr) -> float | None:
    mask = np.abs(exp) > 1e-12
    if not mask.any():
        return None
    ratios = arr[mask] / exp[mask]
    r = float(ratios[0])
    constant = np.allclose(ratios, r, rtol=1e-6)
    return r if constant and not np.isclose(r, 1) and not np.isclose(r, 0) else None


def _known_alternative(name, case, problem, got) -> str:
    for text, compute in _ALTERNATIVES.get(name, ()):
        with np.errstate(all="ignore"):
            wrong = compute(case.fresh_args())
        if matches(wrong, got, BY_NAME[name].returns):
            return text.format(**{k: v for k, v in case.args.items() if isinstance(v, str)})
    return ""


def _other(activation: str) -> str:
    return "relu" if activation == "sigmoid" else "sigmoid"


def _forward(X, parameters, hidden, output):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = F.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                               output if l == L else hidden)
        caches.append(cache)
    return A, caches


def _backward(AL, Y, caches, hidden, output, sign=1):
    grads, L = {}, len(caches)
    Y = np.reshape(Y, AL.shape)
    dA = sign * -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        dA_prev, dW, db = F.linear_activation_backward(dA, caches[l - 1],
                                                       output if l == L else hidden)
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
        dA = dA_prev
    return grads


def _update(parameters, grads, learning_rate, layers=None, sign=-1):
    L = len(parameters) // 2
    new = dict(parameters)
    for l in range(1, L + 1) if layers is None else layers:
        for p in "Wb":
            new[f"{p}{l}"] = parameters[f"{p}{l}"] + sign * learning_rate * grads[f"d{p}{l}"]
    return new


_ALTERNATIVES = {
    "linear_activation_forward": [
        ("it applies the other activation: for activation {activation!r} use {activation}(Z).",
         lambda a: F.linear_activation_forward(**{**a, "activation": _other(a["activation"])}))],
    "linear_activation_backward": [
        ("it goes back through the other activation: for activation {activation!r} use "
         "{activation}_backward(dA, activation_cache).",
         lambda a: F.linear_activation_backward(**{**a, "activation": _other(a["activation"])}))],
    "L_model_forward": [
        ("the output layer must use sigmoid (LINEAR -> SIGMOID); yours uses relu.",
         lambda a: _forward(a["X"], a["parameters"], "relu", "relu")),
        ("the hidden layers use relu; only the output layer uses sigmoid.",
         lambda a: _forward(a["X"], a["parameters"], "sigmoid", "sigmoid")),
        ("the activations are swapped: relu for the L-1 hidden layers, sigmoid for the output.",
         lambda a: _forward(a["X"], a["parameters"], "sigmoid", "relu"))],
    "L_model_backward": [
        ("dAL has the wrong sign: dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)).",
         lambda a: _backward(a["AL"], a["Y"], a["caches"], "relu", "sigmoid", sign=-1)),
        ("the activations are swapped: the last layer goes back through sigmoid, the "
         "others through relu.",
         lambda a: _backward(a["AL"], a["Y"], a["caches"], "sigmoid", "relu"))],
    "update_parameters": [
        ("it adds the gradient: gradient descent subtracts it, W = W - learning_rate * dW.",
         lambda a: _update(**a, sign=1)),
        ("the learning rate is missing: W = W - learning_rate * dW.",
         lambda a: _update(a["parameters"], a["grads"], 1.0)),
        ("the last layer is not updated: the loop must run over l = 1..L "
         "(for l in range(L): ... str(l + 1)).",
         lambda a: _update(**a, layers=range(1, len(a["parameters"]) // 2))),
    ],
    "sigmoid_backward": [
        ("dA is missing: dZ = dA * s * (1 - s).",
         lambda a: F.sigmoid_backward(np.ones_like(a["dA"]), a["cache"]))],
}
