"""Helpers of the student-check tests: correct.py, the broken implementations made from it
(MISTAKES, broken), the real command."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

IMPLS = Path(__file__).resolve().parent / "impls"
CORRECT = IMPLS / "correct.py"

# The broken implementations: each mistake once, as its description and the (old, new)
# replacements that make it in correct.py's text; broken() writes the student's whole file.
MISTAKES = {
    "activation_first.py": (
        "linear_activation_forward takes `activation` first and returns three values, not\n"
        "(A, cache); the student's L_model_forward calls it that way, consistently.", [
            ("def linear_activation_forward(A_prev, W, b, activation):",
             "def linear_activation_forward(activation, A_prev, W, b):"),
            ("    cache = (linear_cache, activation_cache)\n    return A, cache\n",
             "    return A, linear_cache, activation_cache\n"),
            ('        A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)],\n'
             '                                             parameters["b" + str(l)], "relu")\n'
             "        caches.append(cache)\n",
             "        A, linear_cache, activation_cache = linear_activation_forward(\n"
             '            "relu", A_prev, parameters["W" + str(l)], parameters["b" + str(l)])\n'
             "        caches.append((linear_cache, activation_cache))\n"),
            ('    AL, cache = linear_activation_forward(A, parameters["W" + str(L)],\n'
             '                                          parameters["b" + str(L)], "sigmoid")\n'
             "    caches.append(cache)\n",
             "    AL, linear_cache, activation_cache = linear_activation_forward(\n"
             '        "sigmoid", A, parameters["W" + str(L)], parameters["b" + str(L)])\n'
             "    caches.append((linear_cache, activation_cache))\n")]),
    "cache_order.py": (
        "linear_forward caches (W, A, b), but linear_backward unpacks (A_prev, W, b).",
        [("    cache = (A, W, b)\n", "    cache = (W, A, b)\n")]),
    "exits.py": (
        "Debugging left in: L_model_backward prints the gradients and calls exit().",
        [('        grads["db" + str(l + 1)] = db_temp\n    return grads\n',
          '        grads["db" + str(l + 1)] = db_temp\n'
          '    print("grads:", sorted(grads))\n    exit()\n    return grads\n')]),
    "log_zero_cost.py": (
        "The cost without a guard: log(0) for an example the network is sure about.",
        [("    AL = np.clip(AL, 1e-15, 1 - 1e-15)  # log(0) would make the cost inf\n", "")]),
    "output_relu.py": (
        "The output layer through relu instead of sigmoid.",
        [('parameters["b" + str(L)], "sigmoid")', 'parameters["b" + str(L)], "relu")')]),
    "rand_init.py": (
        "np.random.rand (uniform on [0, 1), every weight positive) where the lesson says randn.",
        [("np.random.randn(layer_dims[l], layer_dims[l - 1])",
          "np.random.rand(layer_dims[l], layer_dims[l - 1])")]),
    "relu_backward_in_place.py": (
        "relu_backward without the copy: `dZ = dA` then writes zeros into the caller's dA.",
        [("    dZ = np.array(dA, copy=True)\n", "    dZ = dA\n")]),
    "transposed_product.py": (
        "dW as a transposed product: np.dot(A_prev, dZ.T) has the shape of W.T.",
        [("dW = np.dot(dZ, A_prev.T) / m", "dW = np.dot(A_prev, dZ.T) / m")]),
    "endless_loop.py": (
        "An update loop whose counter never moves.",
        [("    for l in range(L):\n", "    l = 0\n    while l < L:\n")]),
    "missing_one_over_m.py": (
        "dW without the 1/m.",
        [("    dW = np.dot(dZ, A_prev.T) / m\n", "    dW = np.dot(dZ, A_prev.T)\n")]),
    "squeezed_db.py": (
        "db squeezed to shape (n,): `b - learning_rate * db` then broadcasts b to (n, n).",
        [("    db = np.sum(dZ, axis=1, keepdims=True) / m\n",
          "    db = np.sum(dZ, axis=1) / m\n")]),
    "undefined_z.py": (
        "The write-up's sigmoid backward: it reads a `z` it never defines.",
        [("    s = 1 / (1 + np.exp(-Z))\n", "    s = 1 / (1 + np.exp(-z))\n")]),
    "update_adds.py": (
        "Gradient ascent: the update adds the gradient.",
        [('parameters["W" + str(l + 1)] - \\\n', 'parameters["W" + str(l + 1)] + \\\n'),
         ('parameters["b" + str(l + 1)] - \\\n', 'parameters["b" + str(l + 1)] + \\\n')]),
    "update_skips_last_layer.py": (
        "The update loop starts at layer 1 of 0..L-1: the output layer is never updated.",
        [("    for l in range(L):\n"
          '        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - \\\n'
          '            learning_rate * grads["dW" + str(l + 1)]\n'
          '        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - \\\n'
          '            learning_rate * grads["db" + str(l + 1)]\n',
          "    for l in range(1, L):\n"
          '        parameters["W" + str(l)] = parameters["W" + str(l)] - \\\n'
          '            learning_rate * grads["dW" + str(l)]\n'
          '        parameters["b" + str(l)] = parameters["b" + str(l)] - \\\n'
          '            learning_rate * grads["db" + str(l)]\n')]),
}


def run_dnnviz(*args, cwd=None) -> subprocess.CompletedProcess:
    """`python -m dnnviz ARGS` in a subprocess, as a student would run it."""
    return subprocess.run([sys.executable, "-m", "dnnviz", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def check_report(tmp_path, file, *options):
    """Run `dnnviz check FILE --report`; return (process, report dict or None)."""
    report = tmp_path / "report.json"
    done = run_dnnviz("check", file, "--report", report, *options)
    return done, json.loads(report.read_text()) if report.exists() else None


def variant(tmp_path, extra: str, name: str = "variant.py", replace=()) -> Path:
    """correct.py with `extra` appended (a later def replaces the earlier one) and the given
    (old, new) replacements made, written to tmp_path/name."""
    text = CORRECT.read_text()
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text + "\n\n" + extra)
    return path


def broken(tmp_path, name: str) -> Path:
    """The broken implementation NAME (a key of MISTAKES) as a student's whole file:
    correct.py with its description as the docstring and its replacements made (each once),
    written to tmp_path/NAME."""
    description, replacements = MISTAKES[name]
    text = CORRECT.read_text()
    docstring = f'"""{ast.get_docstring(ast.parse(text))}"""\n'
    for old, new in [(docstring, f'"""{description}"""\n\n'), *replacements]:
        assert text.count(old) == 1, f"{name}: not once in correct.py: {old!r}"
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path
