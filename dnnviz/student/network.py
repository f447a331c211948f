"""StudentNetwork: training with a student's own L_model_forward, compute_cost,
L_model_backward and update_parameters, beside dnnviz's reference, in lockstep.

It starts from the parameters of `DeepNeuralNetwork(layer_dims, init=..., seed=...)`, so
the comparison tests the training functions (the student's initialisation is judged by
`dnnviz check`). It offers what a Session uses of a DeepNeuralNetwork; every view is drawn
with the reference forward on the student's parameters. The student's code runs in a
process of its own (child.py), started on the first step() (or load()), never when
constructed: a StudentNetwork pickles without it and starts another after. Only AL, the
cost, the gradients' dW and db and the new parameters come back from it (the caches and
dA stay there), and the comparison with the reference is made here, where their code
cannot reach.

Each step also steps the reference network on the same data; `mismatch` is the first
iteration where any parameter differs from it by more than `tolerance` (1e-9 in float64),
naming the array. A student's exception, exit() or time-out (per call) raises StudentError
with their message and trimmed traceback, and leaves the network as it was; nothing else
of theirs escapes. A non-finite cost from non-finite outputs raises DivergedError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dnnviz.nn import DeepNeuralNetwork, DivergedError
from dnnviz.student.child import StudentProcess
from dnnviz.student.loader import StudentFileError, parse_student_file
from dnnviz.student.sandbox import StudentError
from dnnviz.student.spec import TRAINING
from dnnviz.student.wire import Keep, Kept
from dnnviz.training.config import ConfigError

TRAIN_SECONDS = 30.0  # per call of a student's function
# (attribute, the lesson's value, what another value is called): a network the lesson's
# functions can train
LESSON_NETWORK = (("activation", "relu", "another activation"), ("l2", 0.0, "L2"),
                  ("keep_prob", 1.0, "dropout"), ("optimizer", "gd", "another optimizer"),
                  ("units", 1, "an output unit a class"))
TOLERANCES = {"float64": 1e-9, "float32": 1e-4}


@dataclass(frozen=True)
class Mismatch:
    """The first iteration at which the student's parameters left the reference's."""

    iteration: int
    array: str  # "W2"
    difference: float  # the largest absolute difference in that array

    @property
    def layer(self) -> int:
        return int(self.array[1:])

    def __str__(self) -> str:
        return f"iteration {self.iteration}: {self.array} differs by {self.difference:.2g}"


def largest_difference(Ws, bs, reference: DeepNeuralNetwork) -> tuple[str, float]:
    """(name, difference) of the array farthest from the reference's, e.g. ("W2", 3.2e-3);
    the first array with a nan, if any has one."""
    differences = {}
    for l in range(reference.L):
        for name, mine, theirs in (("W", Ws[l], reference.Ws[l]), ("b", bs[l], reference.bs[l])):
            with np.errstate(invalid="ignore"):
                differences[f"{name}{l + 1}"] = float(np.max(np.abs(mine - theirs)))
    name = max(differences, key=lambda k: np.inf if np.isnan(differences[k]) else differences[k])
    return name, differences[name]


@dataclass(frozen=True)
class StudentSetup:
    """Which file trains, under which names, with which time limit per call: what a window
    keeps, to make a StudentNetwork for each new run. Nothing of the file runs here."""

    path: str
    names: dict = field(default_factory=dict)  # course name -> theirs (--name)
    seconds: float | None = TRAIN_SECONDS

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    def network(self, net: DeepNeuralNetwork, batch_size: int | None = None) -> StudentNetwork:
        """A StudentNetwork that starts where `net`, a new network, starts; ConfigError
        when `net` is not the lesson's or the steps are on mini-batches of `batch_size`
        (the student's functions train only the lesson's network, on every example)."""
        changed = [text for name, lesson, text in LESSON_NETWORK
                   if getattr(net, name, lesson) != lesson]
        changed += ["mini-batches"] if batch_size is not None else []
        if changed:
            raise ConfigError(f"your functions train the lesson's network, not one with "
                              f"{', '.join(changed)}: set it back to train with "
                              f"{self.file_name}")
        return StudentNetwork(self.path, net.layer_dims, init=net.init, seed=net.seed,
                              dtype=str(net.dtype), names=self.names, seconds=self.seconds)


class StudentNetwork:
    """Trains like DeepNeuralNetwork, with the student's functions from `path`: the lesson's
    own network, so no course 2 options (training.network.Network declares both)."""

    course2_options = False
    l2 = 0.0
    keep_prob = 1.0

    def __init__(self, path, layer_dims, *, init="scaled", seed=1, dtype="float64",
                 names: dict | None = None, seconds: float | None = TRAIN_SECONDS,
                 compare: bool = True, tolerance: float | None = None):
        self.path = str(Path(path).resolve())
        self.names = dict(names or {})
        self.seconds = seconds
        self._view = DeepNeuralNetwork(layer_dims, init=init, seed=seed, dtype=dtype)
        self.reference = DeepNeuralNetwork(layer_dims, init=init, seed=seed, dtype=dtype) \
            if compare else None
        self.tolerance = TOLERANCES[str(self.dtype)] if tolerance is None else tolerance
        self.iteration = 0
        self.reference_costs: list[float] = []
        self.reference_stopped: str | None = None  # why the reference stopped, if it did
        self.mismatch: Mismatch | None = None
        self.load_notes: list[str] = []
        self.last_accuracy = float("nan")
        self.last_ZL = None  # the student's caches are theirs: views recompute the outputs
        self._grads: tuple[list, list] | None = None
        self._step_lr = 1.0
        self._last_cost = float("inf")
        self._process: StudentProcess | None = None
        self._sent_X = None  # the X the process has kept

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_process"] = state["_sent_X"] = None  # their code stays in its process
        return state

    def __del__(self):
        self.close()

    def close(self) -> None:
        """End the process that runs their code (a new one starts at the next step)."""
        process, self._process = getattr(self, "_process", None), None
        self._sent_X = None
        if process is not None:
            process.close()

    # -- the student's code -------------------------------------------------------------

    def load(self) -> StudentProcess:
        """Start their process and load the file (once); StudentError when it cannot train."""
        if self._process is not None:
            return self._process
        process = StudentProcess(self.path, self.names)
        try:
            parse_student_file(self.path)
            loaded = process.load()
        except StudentFileError as exc:
            process.close()
            raise StudentError(str(exc), kind="file") from None
        missing = [self._their(c) for c in TRAINING if c not in loaded.functions]
        if missing:
            process.close()
            raise StudentError(f"{self.path}: no {', '.join(missing)}; training needs your "
                               f"{', '.join(TRAINING)}", kind="missing")
        self.load_notes = list(loaded.notes)
        self._process = process
        return process

    def _their(self, course: str) -> str:
        return self.names.get(course, course)

    def _call(self, course: str, keep=None, **values):
        process = self.load()
        info = process.loaded.functions[course]
        if not info.get("callable") or info.get("mismatch"):
            what = info.get("mismatch") or f"is {info.get('type')}, not a function"
            raise StudentError(f"your {self._their(course)}: {what}", kind="signature",
                               function=course)
        seconds = self.seconds if self.seconds and self.seconds < 3600 else 3600.0
        try:
            result, _, _ = process.call(course, self._their(course), values, seconds=seconds,
                                        keep=keep)
        except StudentError as exc:
            self._sent_X = None  # the process may be a new one, without it
            if exc.kind == "not implemented":
                exc.args = (f"your {self._their(course)} is not implemented yet",)
            exc.function = course
            raise
        return result

    def _wrong(self, course: str, text: str) -> StudentError:
        return StudentError(f"your {self._their(course)} {text}; `dnnviz check "
                            f"{Path(self.path).name}` finds which function is wrong",
                            kind="result", function=course)

    # -- one iteration ------------------------------------------------------------------

    def step(self, X, Y, learning_rate) -> float:
        """Forward, cost, backward, update, all theirs; returns the cost before the update."""
        X, Y = self.as_input(X), self.as_input(Y)
        params = self.parameters
        AL = self._forward(X, params)
        cost = self._cost(AL, Y)
        whole, grads = self._call("L_model_backward", keep=("backward", "gradients"), AL=AL,
                                  Y=Y, caches=Kept("forward", 1))
        dWs, dbs = self._gradients(grads if whole else None)
        _, new = self._call("update_parameters", keep=("update", "whole"), parameters=params,
                            grads=Kept("backward"), learning_rate=learning_rate)
        self._commit(new)
        self._grads, self._step_lr, self._last_cost = (dWs, dbs), float(learning_rate), cost
        self.last_accuracy = float(np.mean((AL > 0.5) == (Y > 0.5)))
        self._reference_step(X, Y, learning_rate)
        self.iteration += 1
        return cost

    def _forward(self, X, params):
        if X is self._sent_X:  # the same examples as the step before: not sent again
            sent = Kept("X", copy=True)
        else:
            sent, self._sent_X = Keep("X", X), X
        pair, AL = self._call("L_model_forward", keep=("forward", 0), X=sent,
                              parameters=params)
        if not pair:
            raise self._wrong("L_model_forward", "returned something other than (AL, caches)")
        if np.shape(AL) != (1, X.shape[1]):
            raise self._wrong("L_model_forward", f"returned AL of shape {np.shape(AL)}; "
                              f"expected (1, {X.shape[1]})")
        try:
            return np.asarray(AL, dtype=self.dtype)
        except (TypeError, ValueError):
            raise self._wrong("L_model_forward", "returned an AL that is not numbers") from None

    def _cost(self, AL, Y) -> float:
        cost = self._call("compute_cost", AL=AL, Y=Y)
        try:
            cost = float(np.asarray(cost, dtype=np.float64).reshape(()))
        except (TypeError, ValueError):
            raise self._wrong("compute_cost", "did not return a number") from None
        if np.isfinite(cost):
            return cost
        if np.all(np.isfinite(AL)):
            raise self._wrong("compute_cost", f"returned {cost} (log(0) for an output of "
                              "exactly 0 or 1?)")
        raise DivergedError(cost)

    def _gradients(self, grads):
        if not isinstance(grads, dict):
            raise self._wrong("L_model_backward", "did not return a dictionary of gradients")
        missing = [k for l in range(1, self.L + 1) for k in (f"dW{l}", f"db{l}")
                   if k not in grads]
        if missing:
            raise self._wrong("L_model_backward", f"returned no {', '.join(missing)}")
        try:
            return ([np.array(grads[f"dW{l}"], dtype=self.dtype) for l in range(1, self.L + 1)],
                    [np.array(grads[f"db{l}"], dtype=self.dtype) for l in range(1, self.L + 1)])
        except (TypeError, ValueError):
            raise self._wrong("L_model_backward", "returned gradients that are not arrays of "
                              "numbers") from None

    def _commit(self, new) -> None:
        """Take the student's updated parameters, after checking every shape."""
        if not isinstance(new, dict):
            raise self._wrong("update_parameters", "did not return the parameters dictionary")
        for l in range(1, self.L + 1):
            for key, wanted in ((f"W{l}", self.Ws[l - 1].shape), (f"b{l}", self.bs[l - 1].shape)):
                if key not in new:
                    raise self._wrong("update_parameters", f"returned no {key}")
                if np.shape(new[key]) != wanted:
                    raise self._wrong("update_parameters", f"returned {key} of shape "
                                      f"{np.shape(new[key])}; expected {wanted}")
        self._view.set_parameters(new)

    def _reference_step(self, X, Y, learning_rate) -> None:
        if self.reference is None or self.reference_stopped:
            return
        try:
            self.reference_costs.append(self.reference.step(X, Y, learning_rate))
        except DivergedError as exc:
            self.reference_stopped = f"the reference diverged at iteration {self.iteration}: {exc}"
            return
        if self.mismatch is None:
            name, difference = largest_difference(self.Ws, self.bs, self.reference)
            if not difference <= self.tolerance:
                self.mismatch = Mismatch(self.iteration, name, difference)

    # -- what a Session and its views use, as DeepNeuralNetwork offers it ----------------

    @property
    def layer_dims(self):
        return self._view.layer_dims

    @property
    def init(self):
        return self._view.init

    @property
    def seed(self):
        return self._view.seed

    @property
    def dtype(self):
        return self._view.dtype

    @property
    def L(self) -> int:
        return self._view.L

    # the lesson's network, as the teaching tools ask for it: ReLU units, plain gradient
    # descent. No l2 or keep_prob: a session takes their absence for "no L2, no dropout",
    # and refuses to set them.
    activation = property(lambda self: self._view.activation)
    optimizer = property(lambda self: self._view.optimizer)
    updates = property(lambda self: self.iteration)

    @property
    def parameter_count(self) -> int:
        return self._view.parameter_count

    @property
    def Ws(self) -> list:
        return self._view.Ws

    @property
    def bs(self) -> list:
        return self._view.bs

    @property
    def parameters(self) -> dict:
        """The student's parameters {"W1", "b1", ...}; copies."""
        return self._view.parameters

    def set_parameters(self, parameters: dict) -> None:
        """Load parameters into the student's network and the reference (a restored run
        goes on comparing from there); shapes checked as DeepNeuralNetwork does."""
        self._view.set_parameters(parameters)
        if self.reference is not None:
            self.reference.set_parameters(parameters)
        self._grads = None

    def as_input(self, X):
        return self._view.as_input(X)

    def forward(self, X, keep_activations=False):
        return self._view.forward(X, keep_activations)

    def predict_proba(self, X):
        return self._view.predict_proba(X)

    def predict(self, X):
        return self._view.predict(X)

    def accuracy(self, X, Y) -> float:
        return self._view.accuracy(X, Y)

    def cost(self, X, Y) -> float:
        """The reference's cost of the student's parameters (for test-set evaluations)."""
        return self._view.cost(X, Y)

    @property
    def dWs(self) -> list:
        return [dW.copy() for dW in self._grads[0]] if self._grads else []

    @property
    def dbs(self) -> list:
        return [db.copy() for db in self._grads[1]] if self._grads else []

    @property
    def has_gradients(self) -> bool:
        return self._grads is not None

    def step_state(self) -> dict:
        """As DeepNeuralNetwork's, without a step to undo: a student's step is not undone;
        the lesson's gradient descent has no optimiser state (a model file keeps it)."""
        return {"steps": [], "bsteps": [], "step_lr": self._step_lr, "alive": [],
                "last_cost": self._last_cost, "optimizer": "gd", "t": 0,
                **{key: {} for key in ("grads", "v", "s", "v_before", "s_before")}}

    def check_step_state(self, state: dict) -> None:
        """ValueError (one line) if set_step_state would refuse `state`; nothing changes."""
        for key in ("step_lr", "last_cost"):
            try:
                float(state[key])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"the last step's {key} is missing or not a number") from None

    def set_step_state(self, state: dict) -> None:
        self.check_step_state(state)
        self._step_lr = float(state["step_lr"])
        self._last_cost = float(state["last_cost"])
