"""What the network makes of one picture drawn in the window, computed in the training
process at its current weights (EngineClient.call(partial(read_drawing, x))): pure NumPy."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dnnviz.training.session import Session


@dataclass(frozen=True)
class DrawingReading:
    """The network's output for one drawn picture: the class it picks, every class's
    probability (K,) (two for the lesson's one sigmoid: 1 - p and p), each layer's
    activations A1..AL, and the iteration it was read at."""

    label: int
    probs: np.ndarray
    activations: tuple
    iteration: int


def read_drawing(x: np.ndarray, session) -> DrawingReading:
    """The session's network on the input column x (n_x, 1)."""
    out, acts = session.net.forward(np.asarray(x, dtype=np.float64), keep_activations=True)
    out = np.asarray(out, dtype=np.float64).ravel()
    probs = np.array([1.0 - out[0], out[0]]) if out.size == 1 else out
    return DrawingReading(int(np.argmax(probs)), probs,
                          tuple(np.asarray(a, dtype=np.float64).ravel() for a in acts),
                          int(session.iteration))


def with_example(session, x: np.ndarray, label: int):
    """A new Session on the session's data plus one training example (x (n_x, 1), label),
    where the session is now: the same network, history and optimiser state. The run goes
    on from there, a drawing among its training pictures."""
    data = session.data
    if not 0 <= int(label) < data.n_classes:
        raise ValueError(f"label {label} is not a class of {data.name!r} (0 to "
                         f"{data.n_classes - 1})")
    x = np.asarray(x, dtype=np.float64).reshape(data.n_x, 1)
    bigger = replace(data, X_train=np.hstack([data.X_train, x]),
                     Y_train=np.hstack([data.Y_train, [[float(label)]]]))
    out = Session(session.config, bigger)
    out.set_state(session.state())
    return out
