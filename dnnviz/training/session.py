"""Session: one training run, pure Python + NumPy (no Qt), driven step by step.

The engine (engine.py, in the training process) or `dnnviz train` calls step(), in the one
thread that owns the session; the window changes it only through the engine's commands.
Everything a view needs is read out through summaries.make_snapshot, which copies.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from dnnviz.data import PLANE, Dataset, Decode, apply_features, load_dataset
from dnnviz.nn import DeepNeuralNetwork, DivergedError, batch_columns
from dnnviz.nn.output import output_layer
from dnnviz.training.config import ConfigError, RunConfig, check_memory, check_setting
from dnnviz.training.distributions import DistributionHistory, first_every
from dnnviz.training.network import Network
from dnnviz.training.stops import COMPLETED, INTERRUPTED, Stop, Why
from dnnviz.training.summaries import grid_points, label_sorted_subset, plane_extent

EVALS_PER_RUN = 250  # test metrics about this many times over a run, for the cost plot
LIVE_NETWORK = ("l2", "keep_prob")  # live settings the network itself keeps


@dataclass(frozen=True, eq=False)
class RunState:
    """A run without its data: what continues it exactly (Session.state / set_state).

    What the training process sends the window, so that a window whose training process
    died can start a new one where the run was, and what a fetch answers with (small:
    the data sets stay where they are)."""

    iteration: int
    parameters: dict  # {"W1", "b1", ...}
    step_state: dict  # DeepNeuralNetwork.step_state()
    costs: np.ndarray  # (iteration,)
    evals: np.ndarray  # (k, 5), eval_array()
    learning_rate: float
    target_iterations: int
    stopped_reason: Stop | None
    l2: float = 0.0
    keep_prob: float = 1.0
    distributions: dict | None = None  # DistributionHistory.arrays()


@dataclass(frozen=True)
class EvalPoint:
    """One evaluation of a run: a row of eval_array(), of Snapshot.evals and of a model
    file's evals, its fields the columns in this order (eval_column reads one by name).

    The costs are cross-entropy without the L2 term, train on every training example without
    dropout (the lesson's run, on full batches without L2: the cost its step saw)."""

    iteration: int
    train_cost: float
    test_cost: float
    train_accuracy: float
    test_accuracy: float

    def row(self) -> tuple:
        """The point as a row of eval_array(): its fields in EVAL_FIELDS' order."""
        return tuple(getattr(self, name) for name in EVAL_FIELDS)

    @classmethod
    def from_row(cls, row) -> EvalPoint:
        return cls(int(row[0]), *(float(v) for v in row[1:len(EVAL_FIELDS)]))


EVAL_FIELDS = tuple(f.name for f in fields(EvalPoint))


def eval_column(evals: np.ndarray, name: str) -> np.ndarray:
    """The column `name` (an EvalPoint field) of evals, an eval_array(): a view."""
    return np.asarray(evals)[:, EVAL_FIELDS.index(name)]


def load_data(config: RunConfig, decode: Decode | None = None) -> Dataset:
    """The data set the config names; decode(path, shape) reads pictures (a picture folder)."""
    return load_dataset(
        config.dataset, data_dir=config.data_dir, train_file=config.train_file,
        test_file=config.test_file, n_samples=config.n_samples, noise=config.noise,
        seed=config.data_seed, test_fraction=config.test_fraction,
        points_file=config.points_file, image_folder=config.image_folder,
        drawn_points=config.drawn_points, decode=decode, n_classes=config.n_classes,
    )


def input_size(data: Dataset, config: RunConfig) -> int:
    """n_x: the numbers the network reads of an example (its input features for points)."""
    return len(config.features) if data.is_planar else data.n_x


class Session:
    """Trains `DeepNeuralNetwork((n_x, *hidden, units))` on a Dataset, one iteration per
    step(): one output unit for two classes (the lesson's), K for K classes (output_layer).

    The network reads the config's input features of 2-D points (self.X), the plane's points
    stay in self.data; with a batch size, each step trains on one mini-batch (batch_columns
    of the iteration: a run replays, and a saved one continues, from the seed)."""

    def __init__(self, config: RunConfig, data: Dataset | None = None):
        data = load_data(config) if data is None else data
        if config.features != PLANE and not data.is_planar:
            raise ConfigError(f"input features are for 2-D points; {data.name!r} has "
                              f"{data.n_x:,} numbers per example")
        units, output = output_layer(config.output, data.n_classes)
        dims = (input_size(data, config), *config.hidden, units)
        check_memory(dims, max(data.m_train, data.m_test), np.dtype(config.dtype).itemsize)
        self.config = config
        self.data = data
        self.net: Network = DeepNeuralNetwork(dims, output=output,
                                              **config.network_options())
        features = config.features if data.is_planar else PLANE
        self.X = self.net.as_input(apply_features(data.X_train, features))
        self.X_test = self.net.as_input(apply_features(data.X_test, features))
        self.Y, self.Y_test = self.net.as_input(data.Y_train), self.net.as_input(data.Y_test)
        self._learning_rate = float(config.learning_rate)
        self._target = int(config.iterations)
        self._costs = np.empty(max(16, min(self._target, 1 << 20)))
        self.iteration = 0
        self.stopped_reason: Stop | None = None
        self.evals: list[EvalPoint] = []
        self._eval_rows: tuple[list, np.ndarray] = ([], np.empty((0, len(EVAL_FIELDS))))
        self.keep_evals = True  # False: no one shows or saves the test curve: not evaluated
        self.map_subset = label_sorted_subset(data.Y_test)
        self.distributions = self._new_distributions()
        self.extent = self.grid = None
        if data.is_planar:
            self.extent = plane_extent(np.hstack([data.X_train, data.X_test]))
            self.grid = self.net.as_input(apply_features(grid_points(self.extent), features))

    @property
    def layer_dims(self) -> tuple[int, ...]:
        return self.net.layer_dims

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        """A new rate also lifts a divergence: training carries on from the last good step."""
        check_setting("learning_rate", value)  # raises ConfigError
        if float(value) != self._learning_rate and self.diverged:
            self.stopped_reason = None
        self._learning_rate = float(value)

    def set_live(self, name: str, value) -> None:
        """Change a live setting (learning_rate, iterations, l2, keep_prob) from the next
        step on; ConfigError (the old value kept) if the value is not one it takes."""
        if name == "learning_rate":
            self.learning_rate = value
        elif name == "iterations":
            self.target_iterations = value
        elif name in LIVE_NETWORK:
            check_setting(name, value)
            if not self.net.course2_options:
                raise ConfigError(f"this network trains the lesson's way only: no {name}")
            setattr(self.net, name, value)
        else:
            raise ValueError(f"{name!r} is not a setting that changes while training")

    # A network with only the lesson's interface (a student's) has l2 0 and keep_prob 1.
    l2 = property(lambda self: self.net.l2)
    keep_prob = property(lambda self: self.net.keep_prob)

    @property
    def plain_steps(self) -> bool:
        """Whether each step sees every training example through the whole network (no
        mini-batches, no dropout): then what a step saw is the training set's, and the step
        is the lesson's, which any network takes."""
        return self.batch_size is None and self.keep_prob == 1

    @property
    def batch_size(self) -> int | None:
        """Examples per step; None: all of them."""
        size = self.config.batch_size
        return None if size is None or size >= self.X.shape[1] else size

    @property
    def target_iterations(self) -> int:
        return self._target

    @target_iterations.setter
    def target_iterations(self, value: int) -> None:
        check_setting("iterations", value)
        self._target = int(value)

    @property
    def costs(self) -> np.ndarray:
        """The cost of every iteration so far (a view: copy it to keep it)."""
        return self._costs[: self.iteration]

    @property
    def diverged(self) -> bool:
        return self.stopped_reason is not None and self.stopped_reason.diverged

    @property
    def done(self) -> bool:
        return self.diverged or self.iteration >= self.target_iterations

    def step(self) -> float | None:
        """One iteration of gradient descent; returns its cost, or None once diverged."""
        if self.diverged:
            return None
        try:
            cost = self._step()
        except DivergedError as exc:
            self.stopped_reason = Stop(Why.DIVERGED, self.iteration, str(exc))
            if exc.undone:  # the network is back before the last step: so is the history
                self.iteration -= 1
                if self.evals and self.evals[-1].iteration == self.iteration:
                    self.evals.pop()
                self.distributions.cut(self.iteration)
            return None
        self._record(cost)
        if self.distributions.due(self.iteration):
            self.distributions.record(self.iteration, self.net.Ws, self.net.dWs)
        if self.keep_evals and (self.iteration - 1) % self.eval_every == 0:
            self._quick_eval(cost)
        return cost

    def _step(self) -> float:
        if self.plain_steps:
            return self.net.step(self.X, self.Y, self.learning_rate)
        X, Y = self.X, self.Y
        if self.batch_size is not None:
            cols = batch_columns(X.shape[1], self.batch_size, self.config.seed, self.iteration)
            X, Y = X[:, cols], Y[:, cols]
        return self.net.step(X, Y, self.learning_rate, iteration=self.iteration,
                             full_batch=self.batch_size is None)

    def _cost(self, X, Y) -> float:
        """Cross-entropy without the L2 term, no dropout."""
        return self.net.cost(X, Y, regularized=False) if self.l2 else self.net.cost(X, Y)

    @property
    def eval_every(self) -> int:
        return max(1, self.target_iterations // EVALS_PER_RUN)

    def _quick_eval(self, train_cost: float) -> None:
        """Test metrics now; train metrics as the step just saw them when it saw the whole
        training set as it is (no extra train pass), else now, on every example."""
        net = self.net
        plain = self.plain_steps
        if not plain or self.l2:
            train_cost = self._cost(self.X, self.Y)
        self.evals.append(EvalPoint(
            self.iteration - 1, train_cost, self._cost(self.X_test, self.Y_test),
            net.last_accuracy if plain else net.accuracy(self.X, self.Y),
            net.accuracy(self.X_test, self.Y_test),
        ))

    def eval_array(self) -> np.ndarray:
        """(k, 5): iteration, train cost, test cost, train accuracy, test accuracy."""
        evals, (kept, array) = self.evals, self._eval_rows
        if len(kept) != len(evals) or any(a is not b for a, b in zip(kept, evals)):
            array = np.array([e.row() for e in evals], dtype=np.float64).reshape(
                len(evals), len(EVAL_FIELDS))
            array.flags.writeable = False
            self._eval_rows = (list(evals), array)
        return array  # kept from frame to frame (astuple on every point cost 2 ms a frame
        # late in a picture run): the same points, the same array

    def _new_distributions(self) -> DistributionHistory:
        """A history of the weights' distributions whose first record is now."""
        history = DistributionHistory(self.net.L, first_every(self.target_iterations))
        history.record(self.iteration, self.net.Ws,
                       self.net.dWs if self.iteration and self.net.has_gradients else None)
        return history

    def step_state(self) -> dict:
        """What the network carries from one step to the next besides W and b (saved with a
        model, so a continued run goes on exactly as the unbroken one would)."""
        return self.net.step_state()

    def restore(self, parameters: dict, costs, evals, learning_rate: float,
                target_iterations: int, step_state: dict | None = None, *,
                l2: float | None = None, keep_prob: float | None = None,
                distributions: dict | None = None) -> None:
        """Continue a saved run: from here, step() gives the costs the unbroken run would.

        parameters: {"W1", "b1", ...} fitting layer_dims; costs: the history so far (its
        length is the iteration count); evals: EvalPoints or rows of eval_array();
        step_state: what step_state() returned, for a run that goes on exactly as it would
        have (divergence checks and the optimiser's state included); None: as if freshly
        loaded parameters. l2, keep_prob: their values now, if they changed while training.
        distributions: DistributionHistory.arrays() of the run so far; None: a history
        that starts now. Raises ValueError or ConfigError, leaving the session unchanged.
        """
        costs = np.array(costs, dtype=np.float64).reshape(-1)
        history = None if distributions is None else \
            DistributionHistory.from_arrays(distributions, self.net.L)
        points = [e if isinstance(e, EvalPoint) else EvalPoint.from_row(e) for e in evals]
        check_setting("learning_rate", learning_rate)
        check_setting("iterations", target_iterations)
        live = {k: v for k, v in (("l2", l2), ("keep_prob", keep_prob))
                if v is not None and v != getattr(self, k)}
        for name, value in live.items():
            check_setting(name, value)
        if step_state and step_state["steps"] and (
                [np.shape(a) for a in (*step_state["steps"], *step_state["bsteps"])]
                != [a.shape for a in (*self.net.Ws, *self.net.bs)]):
            raise ValueError("the last step's shapes do not fit the network")
        if step_state is not None:
            self.net.check_step_state(step_state)  # the optimiser's too
        try:
            self.net.set_parameters(parameters)  # checks every shape before changing any
        except KeyError as exc:
            raise ValueError(f"missing parameter {exc}") from None
        if step_state is not None:
            self.net.set_step_state(step_state)
        for name, value in live.items():
            setattr(self.net, name, value)
        self.learning_rate = learning_rate
        self.target_iterations = target_iterations
        self._costs = np.empty(max(16, min(self._target, 1 << 20), costs.size))
        self._costs[: costs.size] = costs
        self.iteration = costs.size
        self.evals = points
        self.stopped_reason = None
        if history is None:
            self.distributions = self._new_distributions()
        else:
            history.cut(self.iteration)
            self.distributions = history

    def state(self) -> RunState:
        """The run as it is now, without its data (copies)."""
        return RunState(self.iteration, self.net.parameters, self.step_state(),
                        self.costs.copy(), self.eval_array(), self.learning_rate,
                        self.target_iterations, self.stopped_reason, self.l2, self.keep_prob,
                        self.distributions.arrays())

    def set_state(self, state: RunState) -> None:
        """Continue from a state() of this run, or of one with the same network and data."""
        self.restore(state.parameters, state.costs, state.evals, state.learning_rate,
                     state.target_iterations, state.step_state, l2=state.l2,
                     keep_prob=state.keep_prob, distributions=state.distributions)
        self.stopped_reason = state.stopped_reason

    def _record(self, cost: float) -> None:
        if self.iteration == len(self._costs):
            self._costs = np.concatenate([self._costs, np.empty_like(self._costs)])
        self._costs[self.iteration] = cost
        self.iteration += 1

    def run(self, iterations: int | None = None, should_stop=None, on_step=None,
            threads=None) -> None:
        """Step until the target (or `iterations` more), divergence, or should_stop().
        threads: a threads.BlasThreads that runs each step (None: BLAS as it is)."""
        end = self.target_iterations if iterations is None else self.iteration + iterations
        step = self.step if threads is None else (lambda: threads.call(self.step))
        while self.iteration < end and not self.diverged:
            if should_stop is not None and should_stop():
                self.stopped_reason = INTERRUPTED
                return
            cost = step()
            if on_step is not None and cost is not None:
                on_step(self.iteration - 1, cost)
        if not self.diverged and self.iteration >= self.target_iterations:
            self.stopped_reason = COMPLETED

    def evaluate(self) -> EvalPoint:
        """Cost (without the L2 term) and accuracy on train and test at the current
        parameters, every example, no dropout."""
        net = self.net
        point = EvalPoint(
            self.iteration, self._cost(self.X, self.Y), self._cost(self.X_test, self.Y_test),
            net.accuracy(self.X, self.Y), net.accuracy(self.X_test, self.Y_test),
        )
        return point
