"""What the Teach tools compute, in the training process, on the network as it is there now:
each is asked for as a protocol.Call (fn(session), with functools.partial for the rest of
its arguments) and answered by signal, so the window never computes nor waits. Pure NumPy.
(The drawn digit's reading is drawing.read_drawing; the compared runs' pictures are
summaries.run_pictures.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dnnviz.nn.gradcheck import GradCheckResult, gradient_check
from dnnviz.nn.stepthrough import Stage, as_parameters, walk
from dnnviz.training.summaries import as_probs

EXAMPLES = 8  # columns shown in the step-through and used by the gradient check


def examples(session, count: int = EXAMPLES):
    """The first `count` training examples: X, Y and each one's class name."""
    X, Y = session.X[:, :count], session.Y[:, :count]
    classes = session.data.classes
    return X, Y, [classes[k] for k in class_indices(Y, len(classes))]


def class_indices(Y, k: int) -> list[int]:
    """Each example's class as a number: its label for K classes, y > 0.5 for two."""
    values = np.asarray(Y).ravel()
    return [int(round(y)) for y in values] if k > 2 else [int(y > 0.5) for y in values]


@dataclass(frozen=True)
class StepThrough:
    """One iteration of the network, stage by stage (nn.stepthrough.walk), with what the
    step-through dialog says beside it."""

    stages: list[Stage]
    before: dict  # the parameters before the update {"W1": ..., "b1": ...}
    labels: list[str]  # the examples' class names
    ys: list[int]  # and their labels as numbers (the names' short form: y=1)
    learning_rate: float
    iteration: int
    gradient_descent: bool  # the update is W - α·dW (else another optimiser's)

    @property
    def m(self) -> int:
        return len(self.labels)


def step_through(session, count: int = EXAMPLES) -> StepThrough:
    net = session.net
    X, Y, labels = examples(session, count)
    stages = walk(net, X, Y, learning_rate=session.learning_rate,
                  iteration=session.iteration)  # its update, its dropout masks
    ys = class_indices(Y, len(session.data.classes))
    return StepThrough(stages, as_parameters(net), labels, ys, float(session.learning_rate),
                       int(session.iteration), getattr(net, "optimizer", "gd") == "gd")


def check_gradients(session, seed: int = 0, count: int = EXAMPLES) -> GradCheckResult:
    """The lesson's gradient check of the network on the first `count` examples."""
    X, Y, _ = examples(session, count)
    return gradient_check(session.net, X, Y, seed=seed)


def probabilities_on_test_set(session) -> np.ndarray:
    """The network's output on the test set, as the gallery reads it (as_probs)."""
    return as_probs(session.net.forward(session.X_test))


def output(x: np.ndarray, session) -> np.ndarray:
    """The network's output for the input columns x, flat: (K·m,)."""
    return np.asarray(session.net.forward(np.asarray(x, dtype=np.float64))).ravel()
