"""Divergence: noticing a step that went too far, and what the network keeps to undo it.

A step diverged when its cost is infinite, or when it finds a ReLU layer dead that the step
before left alive (see DivergedError). The network then undoes the step before, which did it:
LastStep is what it keeps of that step from one step to the next, and what step_state() saves.
"""

from __future__ import annotations

import numpy as np

from dnnviz.nn.optimizers import named_arrays


class DivergedError(ArithmeticError):
    """A step went too far: the cost became infinite, or a hidden layer died.

    "Infinite" as the lesson computes it (lesson_cost): log(0) of a probability that
    rounds to 0 in the network's dtype through the lesson's own sigmoid (an example
    confidently wrong), 0 * log(0) (nan), or a cost that overflows.
    "Died": a step that raised the cost left every ReLU unit of a layer that was alive
    outputting 0 for every example, so no gradient reaches the layers below it again. Only
    ReLU layers die so: leaky ReLU always passes a gradient, and tanh and sigmoid saturate
    gradually (their gradients vanish, they do not drop to 0 in one step), so for them only
    the cost is checked. Checked on full batches without dropout only: a mini-batch has
    other examples at every step, dropout thins the network anew at every step, and either
    way a small layer may output 0 at one step without being dead.
    The step that did it is undone: the parameters to rounding, the optimiser's state exactly.
    """

    def __init__(self, cost: float, dead_layer: int | None = None):
        if dead_layer is None:
            reason = f"the cost became {cost}"
        else:
            reason = (f"every unit of hidden layer {dead_layer} died (its ReLUs output 0 "
                      "for every example), so it and the layers before it stopped learning")
        super().__init__(reason)
        self.cost = cost
        self.dead_layer = dead_layer
        self.undone = False  # whether the step before was undone (set by the network)


def lesson_cost(ZL, Y, dtype) -> float:
    """The cost as the lesson computes it, in `dtype`: AL = 1 / (1 + np.exp(-ZL)), then
    -1/m * sum(Y * log(AL) + (1 - Y) * log(1 - AL)), unclipped, each term taken only for
    the label it belongs to (0 * log(0) counts 0, as the maths has it, not nan). inf when an
    example's probability of its own label rounds to 0: log(0)."""
    Z, Y = np.asarray(ZL, dtype=dtype), np.asarray(Y, dtype=dtype)
    with np.errstate(all="ignore"):
        AL = 1 / (1 + np.exp(-Z))
        terms = (np.where(Y > 0, Y * np.log(AL), 0)
                 + np.where(Y < 1, (1 - Y) * np.log(1 - AL), 0))
        return float(-np.sum(terms) / Z.shape[-1])


def lesson_cost_is_inf(ZL, Y, dtype) -> bool:
    """Would the lesson's cost of the outputs ZL (before the sigmoid) be inf (or nan)?

    For y = 0 it is inf once 1 / (1 + e^-z) rounds to 1 (z above about 36.7 in float64,
    16.6 in float32); for y = 1 only once e^-z overflows and AL is 0 (z below about -709.8,
    -88.7): at z = -40 the lesson's cost is 40.0, finite. Below |z| = -log(eps) neither
    happens, so only outputs past it are worked out the lesson's way."""
    Z = np.asarray(ZL, dtype=dtype)
    with np.errstate(invalid="ignore"):
        if Z.size and float(np.max(np.abs(Z))) < -np.log(np.finfo(dtype).eps):
            return False
    return not np.isfinite(lesson_cost(ZL, Y, dtype))


class LastStep:
    """The network's last step: its update of each W_l and b_l (added back to undo it), its
    gradients when the update is not learning rate × gradients (momentum, Adam), its learning
    rate, which hidden ReLU layers were alive, and its cost."""

    def __init__(self):
        self.lr = 1.0
        self.forget()

    def forget(self) -> None:
        self.steps: list = []
        self.bsteps: list = []
        self.grads: tuple | None = None  # (dWs, dbs)
        self.alive: list[bool] = []
        self.cost = float("inf")

    def diverged(self, cost: float, ZL, Y, alive: list, dtype) -> DivergedError | None:
        """The error if a step with this cost, these outputs ZL (before the sigmoid) for the
        labels Y and these live layers diverged; else None, and the step is remembered as the
        last good one."""
        dead = [l for l, (was, now) in enumerate(zip(self.alive, alive), 1) if was > now]
        dead = dead if cost > self.cost else []  # killed by an overshooting step
        if not np.isfinite(cost) or lesson_cost_is_inf(ZL, Y, dtype):
            return DivergedError(float("inf") if cost == cost else cost)  # the lesson's first
        if dead:
            return DivergedError(cost, dead[0])
        self.alive, self.cost = alive, cost
        return None

    def state(self, names) -> dict:
        """Copies, in plain types: steps, bsteps (lists), grads ({} or {"dW1": ..}), step_lr,
        alive, last_cost."""
        grads = {} if self.grads is None else {
            name: a.copy() for name, a in zip(names, [*self.grads[0], *self.grads[1]])}
        return {"steps": [a.copy() for a in self.steps],
                "bsteps": [a.copy() for a in self.bsteps], "grads": grads,
                "step_lr": float(self.lr), "alive": [bool(a) for a in self.alive],
                "last_cost": float(self.cost)}

    @classmethod
    def from_state(cls, state: dict, like: list, names, hidden: int) -> LastStep:
        """A LastStep from state(), for parameters like `like` ([W1..WL, b1..bL]) with
        `hidden` hidden layers. ValueError if it does not fit."""
        last = cls()
        steps = [*state["steps"], *state["bsteps"]]
        if steps:
            if len(steps) != len(like):
                raise ValueError(f"the last step has {len(steps)} arrays, expected {len(like)}")
            last_update = named_arrays(dict(zip(names, steps)), like, names, "last step")
            L = len(like) // 2
            last.steps, last.bsteps = last_update[:L], last_update[L:]
        grads = named_arrays(state.get("grads") or {}, like, names, "last gradients")
        if grads is not None:
            last.grads = (grads[:len(like) // 2], grads[len(like) // 2:])
        last.alive = [bool(a) for a in state["alive"]]
        if len(last.alive) not in (0, hidden):
            raise ValueError(f"alive has {len(last.alive)} layers, expected {hidden}")
        last.lr, last.cost = float(state["step_lr"]), float(state["last_cost"])
        return last
