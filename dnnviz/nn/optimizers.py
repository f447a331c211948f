"""Course 2's optimisers: gradient descent with momentum, and Adam. (Plain gradient descent is
the lesson's update_parameters, in functional.py.)

    momentum:  v = β·v + (1 − β)·dW,   W = W − α·v                                  (β = 0.9)
    Adam:      v = β1·v + (1 − β1)·dW,   s = β2·s + (1 − β2)·dW²,   t = 1, 2, ... the updates
               v̂ = v / (1 − β1^t),   ŝ = s / (1 − β2^t),   W = W − α·v̂ / (√ŝ + ε)
               (β1 = 0.9, β2 = 0.999, ε = 1e-8); the same for every b, with db.

The lesson's functions take and return the course's dicts ({"dW1": .., "db1": .., ...} for
v and s) and change none of their arguments. Optimizer is what DeepNeuralNetwork uses: the
same formulas in the same order, written into arrays it keeps, on lists [W1..WL, b1..bL].
It keeps the state from before the last update too (two sets of arrays that swap roles, so
nothing is copied), so that a diverging update is undone exactly.
"""

from __future__ import annotations

import numpy as np

OPTIMIZERS = ("gd", "momentum", "adam")
STATE_KEYS = ("v", "s", "v_before", "s_before")


def initialize_velocity(parameters):
    """v = {"dW1": zeros like W1, "db1": zeros like b1, ...}."""
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        v[f"db{l}"] = np.zeros_like(parameters[f"b{l}"])
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One momentum update. Returns (parameters, v), both new dicts."""
    new_parameters, new_v = {}, {}
    for key in parameters:  # "W1", "b1", ...
        d = "d" + key
        new_v[d] = beta * v[d] + (1 - beta) * grads[d]
        new_parameters[key] = parameters[key] - learning_rate * new_v[d]
    return new_parameters, new_v


def initialize_adam(parameters):
    """(v, s): two dicts of zeros shaped like the parameters, keys "dW1", "db1", ..."""
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                beta2=0.999, epsilon=1e-8):
    """One Adam update; t is its number, counting from 1. Returns (parameters, v, s), new."""
    new_parameters, new_v, new_s = {}, {}, {}
    for key in parameters:
        d = "d" + key
        new_v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
        v_corrected = new_v[d] / (1 - np.power(beta1, t))
        new_s[d] = beta2 * s[d] + (1 - beta2) * np.power(grads[d], 2)
        s_corrected = new_s[d] / (1 - np.power(beta2, t))
        new_parameters[key] = (parameters[key]
                               - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon))
    return new_parameters, new_v, new_s


class _Moment:
    """A quantity kept from update to update (v or s), and its value before the last update."""

    def __init__(self, now=None, before=None):
        self.now = now  # None: zeros, no update yet
        self.before = before  # None: no update to undo
        self._spare = None

    def advance(self, like):
        """(old value, arrays for the new one): the caller fills the new one in."""
        if self.now is None:
            self.now = [np.zeros_like(a) for a in like]
        new = self.before if self.before is not None else self._spare
        if new is None or [a.shape for a in new] != [a.shape for a in like]:
            new = [np.empty_like(a) for a in like]
        self.before, self.now, self._spare = self.now, new, None
        return self.before, self.now

    def undo(self) -> None:
        if self.before is not None:
            self._spare, self.now, self.before = self.now, self.before, None


class Optimizer:
    """The update rule DeepNeuralNetwork applies, and its state: t updates taken, v, s."""

    def __init__(self, name="gd", beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8):
        if name not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {name!r}")
        self.name = name
        self.beta, self.beta1, self.beta2, self.epsilon = beta, beta1, beta2, epsilon
        self.t = 0
        self.v, self.s = _Moment(), _Moment()
        self._out: list = []

    def step(self, grads: list, learning_rate: float) -> list:
        """The arrays to subtract from [W1..WL, b1..bL]; the state moves on by one update.

        For "gd" the network passes learning_rate * gradients already (its fast path makes
        them in one pass): they are the update as they are.
        """
        self.t += 1
        if self.name == "gd":
            return grads
        if [a.shape for a in self._out] != [g.shape for g in grads]:
            self._out = [np.empty_like(g) for g in grads]
        if self.name == "momentum":
            self._momentum(grads, learning_rate)
        else:
            self._adam(grads, learning_rate)
        return self._out

    def _momentum(self, grads, learning_rate):
        old, new = self.v.advance(grads)
        for g, v_old, v, out in zip(grads, old, new, self._out):
            np.multiply(v_old, self.beta, out=v)
            v += (1 - self.beta) * g
            np.multiply(v, learning_rate, out=out)

    def _adam(self, grads, learning_rate):
        (v_old, v_new), (s_old, s_new) = self.v.advance(grads), self.s.advance(grads)
        c1, c2 = 1 - np.power(self.beta1, self.t), 1 - np.power(self.beta2, self.t)
        for g, vo, v, so, s, out in zip(grads, v_old, v_new, s_old, s_new, self._out):
            np.multiply(vo, self.beta1, out=v)
            v += (1 - self.beta1) * g
            np.multiply(so, self.beta2, out=s)
            s += (1 - self.beta2) * np.square(g)
            np.divide(v, c1, out=out)  # v̂
            out *= learning_rate
            denominator = np.sqrt(s / c2)
            denominator += self.epsilon
            out /= denominator

    def undo(self) -> None:
        """Back to the state before the last update (once)."""
        self.t -= 1
        self.v.undo()
        self.s.undo()

    def state(self, names) -> dict:
        """{"optimizer", "t", "v", "s", "v_before", "s_before"}: copies; each moment a dict
        {names[k]: array} (the course's "dW1", "db1", ...), {} where there is none."""
        moments = (self.v.now, self.s.now, self.v.before, self.s.before)
        out = {"optimizer": self.name, "t": int(self.t)}
        for key, arrays in zip(STATE_KEYS, moments):
            out[key] = {} if arrays is None else {n: a.copy() for n, a in zip(names, arrays)}
        return out

    def load(self, state: dict, like: list, names) -> None:
        """Take back what state() returned, for parameters shaped like `like`; a state saved
        before optimisers existed (no "optimizer" key) is a fresh one. ValueError, and
        nothing changed, if it does not fit."""
        name = state.get("optimizer", self.name)
        if name != self.name:
            raise ValueError(f"the saved optimiser state is for {name!r}, "
                             f"this network uses {self.name!r}")
        t = state.get("t", 0)
        try:
            whole = not isinstance(t, bool) and int(t) == float(t) and int(t) >= 0
        except (TypeError, ValueError, OverflowError):
            whole = False
        if not whole:
            raise ValueError(f"the optimiser's update count t must be a whole number >= 0, "
                             f"not {t!r}")
        moments = [named_arrays(state.get(key) or {}, like, names, key) for key in STATE_KEYS]
        self.t = int(t)
        self.v, self.s = _Moment(moments[0], moments[2]), _Moment(moments[1], moments[3])


def named_arrays(named: dict, like: list, names, key: str):
    """named {"dW1": ..} as a list of arrays in the dtype of `like`; None when empty."""
    if not named:
        return None
    if set(named) != set(names):
        raise ValueError(f"the optimiser's {key} has {', '.join(sorted(named))}, "
                         f"expected {', '.join(names)}")
    arrays = [np.array(named[n], dtype=a.dtype) for n, a in zip(names, like)]
    for n, array, a in zip(names, arrays, like):
        if array.shape != a.shape:
            raise ValueError(f"the optimiser's {key}[{n!r}] has shape {array.shape}, "
                             f"expected {a.shape}")
    return arrays
