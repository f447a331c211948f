"""Gradient checking, as in the lesson: backprop's dW, db against central differences.

    gradapprox = (J(θ + ε) − J(θ − ε)) / 2ε
    difference = ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖)

J is the cost the network trains on: cross-entropy, plus λ/(2m) Σ‖W‖² when it has an L2
term, through its hidden activation; dropout is off while checking, as the course says.
The net is never touched: its parameters are copied to float64 (a float32 net is checked
through a float64 copy). J(θ ± ε) is recomputed in extended precision (np.longdouble where
the platform has it), with the forward kernel every other pass uses, and only from the
perturbed layer on: changing W[l][i, j] changes only row i of Z[l], by ±ε·A[l−1][j, :], and
the L2 term only by λ/(2m)·((w + ε)² − (w − ε)²). That keeps rounding far below the 2e-7
threshold even for ε = 1e-7, and a 12288-input first layer costs no more than a small one.
A big layer is checked on a seeded random subset of its entries (max_per_layer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dnnviz.nn.activations import get_activation
from dnnviz.nn.kernel import forward
from dnnviz.nn.model import DeepNeuralNetwork
from dnnviz.nn.output import losses, targets
from dnnviz.nn.stepthrough import MAX_EXAMPLES, few_examples

GOOD = 2e-7  # the lesson: "difference < 2e-7: backward propagation works perfectly fine"
SUSPECT = 1e-3
EXTENDED = np.longdouble


@dataclass(frozen=True)
class LayerCheck:
    """Layer l: relative differences of dW[l] and db[l] on the entries checked."""

    layer: int
    diff_W: float
    diff_b: float
    checked_W: int  # entries of W[l] checked
    size_W: int
    checked_b: int
    size_b: int
    kinks: int = 0  # entries left out: ±ε crossed a (leaky) ReLU's kink there

    @property
    def difference(self) -> float:
        return max(self.diff_W, self.diff_b)

    @property
    def verdict(self) -> str:
        return verdict(self.difference)


@dataclass(frozen=True)
class GradCheckResult:
    """Per-layer checks, the overall difference (all entries as one vector), the verdict."""

    layers: tuple[LayerCheck, ...]
    difference: float
    epsilon: float
    m: int

    @property
    def worst(self) -> float:
        """The larger of the overall difference and every layer's dW, db difference."""
        return max([self.difference] + [layer.difference for layer in self.layers])

    @property
    def verdict(self) -> str:
        """"pass" (< 2e-7), "warn" (< 1e-3) or "fail"."""
        return verdict(self.worst)

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    @property
    def kinks(self) -> int:
        return sum(layer.kinks for layer in self.layers)

    @property
    def message(self) -> str:
        worst = self.worst
        if worst < GOOD:
            return f"difference {worst:.1e} < 2e-7: backpropagation is correct"
        where = self._worst_name()
        if worst < SUSPECT:
            return (f"difference {worst:.1e} > 2e-7 (in {where}): probably right, but look "
                    "closer (a ReLU kink?)")
        return f"difference {worst:.1e} > 1e-3 (in {where}): there is a mistake in backpropagation"

    def _worst_name(self) -> str:
        parts = [(layer.diff_W, f"dW[{layer.layer}]") for layer in self.layers]
        parts += [(layer.diff_b, f"db[{layer.layer}]") for layer in self.layers]
        return max(parts)[1] if parts else "the gradients"


def verdict(difference: float) -> str:
    if difference < GOOD:
        return "pass"
    return "warn" if difference < SUSPECT else "fail"


def relative_difference(grad, approx) -> float:
    """‖grad − approx‖ / (‖grad‖ + ‖approx‖); 0 when both are 0, inf when either is not finite."""
    grad = np.ravel(np.asarray(grad, dtype=np.float64))
    approx = np.ravel(np.asarray(approx, dtype=np.float64))
    if not (np.all(np.isfinite(grad)) and np.all(np.isfinite(approx))):
        return float("inf")
    denominator = np.linalg.norm(grad) + np.linalg.norm(approx)
    return 0.0 if denominator == 0 else float(np.linalg.norm(grad - approx) / denominator)


def float64_copy(net) -> DeepNeuralNetwork:
    """A float64 network with the same dims, activation, L2 term and parameters, and no
    dropout; the original stays as it is. A network with only the lesson's interface (a
    student's) is the lesson's: ReLU, no L2."""
    copy = DeepNeuralNetwork(net.layer_dims, init="zeros", dtype="float64",
                             activation=getattr(net, "activation", "relu"),
                             l2=getattr(net, "l2", 0.0),
                             output=getattr(net, "output", "sigmoid"))
    copy.set_parameters(net.parameters)
    return copy


class _Perturbed:
    """The cost J with one entry of W[l] or b[l] moved, recomputed from layer l onwards.

    Each approximation also says whether ±ε moved a hidden Z across 0, where a (leaky) ReLU
    has its kink: there the cost has no derivative and the central difference means nothing.
    """

    def __init__(self, net64, X, Y):
        self.Ws = [W.astype(EXTENDED) for W in net64.Ws]
        self.bs = [b.astype(EXTENDED) for b in net64.bs]
        self.Y = targets(Y, net64.units, EXTENDED)  # one-hot for K output units
        self.activation, self.l2, self.m = get_activation(net64.activation), net64.l2, X.shape[1]
        self.output = net64.output
        run = forward(self.Ws, self.bs, X.astype(EXTENDED), net64.activation, keep_Z=True)
        self.As, self.Zs = run.As, run.Zs + [run.ZL]

    def cost(self, l: int, row: int, change: np.ndarray):
        """(J less its L2 term, kink) after adding `change` (m,) to row `row` of Z[l]; l
        counts from 0."""
        Z = self.Zs[l].copy()
        Z[row] += change
        hidden = []  # the hidden layers' Z from layer l on, through their activation
        if l < len(self.Ws) - 1:
            run = forward(self.Ws[l + 1:], self.bs[l + 1:], self.activation.forward(Z),
                          self.activation.name, keep_Z=True)
            hidden, Z = [Z, *run.Zs], run.ZL
        kink = self.activation.kinked and any(
            np.any((new > 0) != (old > 0)) for new, old in zip(hidden, self.Zs[l:-1]))
        return np.sum(losses(Z, self.Y, self.output)) / Z.shape[1], kink

    def approx(self, l, rows, steps, epsilon, l2_changes=None):
        """Central differences for the changes steps[k] of rows[k] (plus the L2 term's change
        l2_changes[k], if any); and which met a kink."""
        out, kinks = np.empty(len(rows)), np.zeros(len(rows), dtype=bool)
        for k, (i, step) in enumerate(zip(rows, steps)):
            plus, kink_plus = self.cost(l, i, step)
            minus, kink_minus = self.cost(l, i, -step)
            change = plus - minus
            if l2_changes is not None:
                change += l2_changes[k]
            out[k] = change / (2 * epsilon)
            kinks[k] = kink_plus or kink_minus
        return out, kinks

    def approx_W(self, l, flat, epsilon):
        rows, cols = np.unravel_index(flat, self.Ws[l].shape)
        w = self.Ws[l][rows, cols]
        l2_changes = self.l2 / (2 * self.m) * ((w + epsilon) ** 2 - (w - epsilon) ** 2)
        return self.approx(l, rows, (epsilon * self.As[l][j] for j in cols), epsilon,
                           l2_changes)

    def approx_b(self, l, rows, epsilon):
        step = np.full(self.Zs[l].shape[1], epsilon, dtype=EXTENDED)
        return self.approx(l, rows, (step for _ in rows), epsilon)


def _subset(size: int, limit: int | None, rng) -> np.ndarray:
    if limit is None or size <= limit:
        return np.arange(size)
    return np.sort(rng.choice(size, limit, replace=False))


def gradient_check(net, X, Y, epsilon: float = 1e-7, max_per_layer: int | None = 200,
                   max_examples: int | None = MAX_EXAMPLES, seed: int = 0,
                   gradients=DeepNeuralNetwork.gradients) -> GradCheckResult:
    """Compare gradients(net64, X, Y) -> (cost, dWs, dbs) with central differences.

    Checks up to max_per_layer entries of every W[l] and b[l] (a seeded random subset when
    there are more) on the first max_examples examples. `gradients` is the backprop under
    test: by default the network's own; pass another to check it (the check can fail).
    Entries whose ±ε crosses a (leaky) ReLU's kink are left out, counted in LayerCheck.kinks.
    """
    X, Y = few_examples(X, Y, max_examples)
    net64 = float64_copy(net)
    _, dWs, dbs = gradients(net64, X, Y)
    perturbed = _Perturbed(net64, X, Y)
    rng = np.random.default_rng(seed)
    layers, all_grad, all_approx = [], [], []
    for l, (W, b) in enumerate(zip(net64.Ws, net64.bs)):
        flat_W, rows_b = _subset(W.size, max_per_layer, rng), _subset(b.size, max_per_layer, rng)
        approx_W, kinks_W = perturbed.approx_W(l, flat_W, epsilon)
        approx_b, kinks_b = perturbed.approx_b(l, rows_b, epsilon)
        grad_W = _entries(dWs[l], flat_W)[~kinks_W]
        grad_b = _entries(dbs[l], rows_b)[~kinks_b]
        approx_W, approx_b = approx_W[~kinks_W], approx_b[~kinks_b]
        layers.append(LayerCheck(l + 1, relative_difference(grad_W, approx_W),
                                 relative_difference(grad_b, approx_b),
                                 len(grad_W), W.size, len(grad_b), b.size,
                                 int(kinks_W.sum() + kinks_b.sum())))
        all_grad += [grad_W, grad_b]
        all_approx += [approx_W, approx_b]
    overall = relative_difference(np.concatenate(all_grad), np.concatenate(all_approx))
    return GradCheckResult(tuple(layers), overall, epsilon, X.shape[1])


def _entries(grad, flat) -> np.ndarray:
    return np.ravel(np.asarray(grad, dtype=np.float64))[flat]
