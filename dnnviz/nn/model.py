"""DeepNeuralNetwork: the lesson's network behind one small class, on a fast path.

The maths is the lesson's: [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID, cross-entropy,
batch gradient descent; and course 2's options, each off by default: another hidden
activation, L2 regularisation, dropout, momentum or Adam (mini-batches are the caller's:
see batches.py); for K classes, K output units with a softmax (or one sigmoid a class: see
output.py), labels (1, m) of 0..K-1 made one-hot inside.
The fast path differs only in how it computes the same numbers: the cost comes straight from
Z_L (stable for saturated outputs), dZ_L = A_L - Y, g'(Z) is read from A = g(Z), the input
layer's dA0 (never used) is not computed, and with gradient descent the update α·dW is made
in one pass into an array reused from step to step.
Shapes: X (n_x, m), Y (1, m) (or one-hot (K, m)), W_l (n_l, n_{l-1}), b_l (n_l, 1),
A_l (n_l, m).
"""

from __future__ import annotations

import math

import numpy as np

from dnnviz.nn.activations import check_activation
from dnnviz.nn.divergence import DivergedError, LastStep
from dnnviz.nn.first_layer import FirstLayer
from dnnviz.nn.init import INIT_SCHEMES, init_weights
from dnnviz.nn.kernel import backprop_activation, forward
from dnnviz.nn.optimizers import Optimizer
from dnnviz.nn.output import activate_output, check_output, label_row, losses, predictions, targets
from dnnviz.nn.regularization import dropout_masks, l2_cost

__all__ = ["DTYPES", "DeepNeuralNetwork", "DivergedError"]

DTYPES = ("float64", "float32")


def _number(name: str, value, ok, rule: str) -> float:
    """float(value) if ok(it); else ValueError saying `name` must be `rule`."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(value, bool) or not math.isfinite(x) or not ok(x):
        raise ValueError(f"{name} must be {rule}, not {value!r}")
    return x


class DeepNeuralNetwork:
    """An L-layer classifier, trained by gradient descent.

    activation: the hidden layers' ("relu", "tanh", "sigmoid", "leaky_relu"). output:
    "sigmoid" (the lesson's, one unit a class) or "softmax" (K >= 2 units). l2: λ of the L2
    term; keep_prob: dropout's (1: none); both may change between steps. optimizer: "gd",
    "momentum" (beta) or "adam" (beta1, beta2, epsilon).
    """

    course2_options = True  # L2 and dropout change live; momentum, Adam, mini-batches
    reference = None  # no other run beside this one (a student's network has dnnviz's)

    def __init__(self, layer_dims, *, init="scaled", seed=1, dtype="float64", activation="relu",
                 l2=0.0, keep_prob=1.0, optimizer="gd", beta=0.9, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, output="sigmoid"):
        layer_dims = tuple(int(n) for n in layer_dims)
        if len(layer_dims) < 2 or min(layer_dims) < 1:
            raise ValueError(f"layer dims must be at least two positive sizes, not {layer_dims}")
        if init not in INIT_SCHEMES:
            raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INIT_SCHEMES)}")
        if str(dtype) not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")
        self.activation = check_activation(activation)
        self.output = check_output(output, layer_dims[-1])
        betas = [_number(name, value, lambda x: 0 <= x < 1, "at least 0 and below 1")
                 for name, value in (("beta", beta), ("beta1", beta1), ("beta2", beta2))]
        epsilon = _number("epsilon", epsilon, lambda x: x > 0, "a number above 0")
        self._optimizer_settings = (optimizer, *betas, epsilon)
        self._opt = Optimizer(*self._optimizer_settings)
        self.l2, self.keep_prob = l2, keep_prob
        self.layer_dims = layer_dims
        self.init = init
        self.seed = int(seed)
        self.dtype = np.dtype(str(dtype))
        self.Ws, self.bs = init_weights(layer_dims, init=init, seed=self.seed, dtype=self.dtype)
        self._buffers: list[np.ndarray] = []  # reused for the gradients (times lr with gd)
        self._last = LastStep()
        self.last_accuracy = float("nan")  # train accuracy seen by the last step's forward
        self.last_ZL: np.ndarray | None = None
        self._first = FirstLayer()  # W1·X kept from step to step (gradient descent)
        self._dZ1: np.ndarray | None = None  # the last backward pass's dZ1, scaled as dW1's

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value) -> None:
        self._l2 = _number("l2", value, lambda x: x >= 0, "a number >= 0")

    @property
    def keep_prob(self) -> float:
        return self._keep_prob

    @keep_prob.setter
    def keep_prob(self, value) -> None:
        self._keep_prob = _number("keep_prob", value, lambda x: 0 < x <= 1,
                                  "above 0 and at most 1")

    # the optimiser's settings, fixed at construction
    optimizer = property(lambda self: self._opt.name)
    beta = property(lambda self: self._opt.beta)
    beta1 = property(lambda self: self._opt.beta1)
    beta2 = property(lambda self: self._opt.beta2)
    epsilon = property(lambda self: self._opt.epsilon)

    @property
    def updates(self) -> int:
        """Updates taken (less those undone): Adam's t after the last step."""
        return self._opt.t

    @property
    def L(self) -> int:
        return len(self.Ws)

    @property
    def parameter_count(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.Ws, self.bs))

    @property
    def parameters(self) -> dict:
        """The course's dict {"W1", "b1", ...}; copies, so the caller may keep them."""
        out = {}
        for l, (W, b) in enumerate(zip(self.Ws, self.bs), start=1):
            out[f"W{l}"], out[f"b{l}"] = W.copy(), b.copy()
        return out

    def set_parameters(self, parameters: dict) -> None:
        """Load {"W1", "b1", ...}, checking every shape against the layer dims. The optimiser
        starts afresh (its state was for other parameters): set_step_state() restores it."""
        Ws, bs = [], []
        for l in range(1, self.L + 1):
            W = np.array(parameters[f"W{l}"], dtype=self.dtype)
            b = np.array(parameters[f"b{l}"], dtype=self.dtype).reshape(-1, 1)
            if W.shape != self.Ws[l - 1].shape or b.shape != self.bs[l - 1].shape:
                raise ValueError(f"layer {l}: shape {W.shape} does not fit dims {self.layer_dims}")
            Ws.append(W)
            bs.append(b)
        self.Ws, self.bs = Ws, bs
        self._last.forget()
        self._first.forget()
        self._opt = Optimizer(*self._optimizer_settings)

    def as_input(self, X):
        """X in this network's dtype; no copy when it already is."""
        return np.asarray(X, dtype=self.dtype)

    def forward(self, X, keep_activations=False):
        """A_L (1, m); with keep_activations, also the list [A1, ..., A_L]. No dropout."""
        X = self.as_input(X)
        with np.errstate(all="ignore"):
            run = forward(self.Ws, self.bs, X, self.activation)
            AL = activate_output(run.ZL, self.output)
        if keep_activations:
            return AL, run.As[1:] + [AL]
        return AL

    def predict_proba(self, X):
        return self.forward(X)

    @property
    def units(self) -> int:
        """Output units: 1 (the lesson's sigmoid, two classes) or K."""
        return self.layer_dims[-1]

    def predict(self, X):
        """Labels of shape (1, m): 1 where p > 0.5 (one unit), else the likeliest class."""
        if self.units == 1:
            return (self.forward(X) > 0.5).astype(np.int64)
        return np.argmax(self.forward(X), axis=0).reshape(1, -1)

    def accuracy(self, X, Y) -> float:
        return float(np.mean(self.predict(X) == (Y if self.units == 1 else label_row(Y))))

    def _targets(self, Y):
        """Y as the output layer compares it with A[L] (one-hot for K units)."""
        return targets(Y, self.units, self.dtype)

    def _losses(self, ZL, Y):
        """Each example's cross-entropy from Z (finite for any finite Z): log(1 + e^Z) - Y Z
        for the lesson's one sigmoid; see output.losses for K units."""
        if self.units == 1:
            return np.logaddexp(0, ZL) - Y * ZL
        return losses(ZL, Y, self.output)

    def _cost(self, ZL, Y, losses=None, regularized=True) -> float:
        """Cross-entropy, plus the L2 term when regularized and l2 > 0."""
        m = ZL.shape[1]
        cost = float(np.sum(self._losses(ZL, Y) if losses is None else losses) / m)
        if regularized and self._l2:
            cost += l2_cost(self.Ws, self._l2, m)
        return cost

    def cost(self, X, Y, *, regularized=True) -> float:
        """The cost J on X, Y without dropout: cross-entropy, plus the L2 term (with its m
        the number of columns of X) unless regularized=False."""
        X = self.as_input(X)
        with np.errstate(all="ignore"):
            run = forward(self.Ws, self.bs, X, self.activation)
            return self._cost(run.ZL, self._targets(Y), regularized=regularized)

    def gradients(self, X, Y):
        """(cost, dWs, dbs) at the current parameters, without changing them: the cost J
        (with its L2 term) and its gradients, dropout off (as the course checks gradients)."""
        X, Y = self.as_input(X), self._targets(Y)
        with np.errstate(all="ignore"):
            run = forward(self.Ws, self.bs, X, self.activation)
            cost = self._cost(run.ZL, Y)
            dWs, dbs = self._backward(run, Y)
        return cost, dWs, dbs

    def _backward(self, run, Y, masks=None, scale=1.0, out=None):
        """scale * (dW_l, db_l) for every layer; dW_l written into out[l] when given."""
        m = run.ZL.shape[1]
        AL = activate_output(run.ZL, self.output)
        dZ = (AL - Y) * (scale / m)
        dWs, dbs = [None] * self.L, [None] * self.L
        for l in range(self.L - 1, -1, -1):
            dWs[l] = np.matmul(dZ, run.As[l].T, out=None if out is None else out[l])
            if self._l2:
                dWs[l] += (scale * self._l2 / m) * self.Ws[l]
            dbs[l] = np.sum(dZ, axis=1, keepdims=True)
            self._dZ1 = dZ  # the first layer's (scaled) dZ: first_layer.py's update
            if l > 0:  # the input layer needs no dA0
                dA = self.Ws[l].T @ dZ
                if masks is not None:  # the units dropout shut down pass nothing back
                    dA *= masks[l - 1]
                    dA /= self._keep_prob
                dZ = backprop_activation(dA, run.Gs[l - 1], self.activation)
        return dWs, dbs

    def step(self, X, Y, learning_rate, *, iteration=None, full_batch=True) -> float:
        """One iteration: forward, cost, backward, update. Returns the cost before the update.

        X, Y: this iteration's examples (all, or a mini-batch: then full_batch=False, as the
        dead-layer check needs the same examples and network at every step: no dropout
        either). iteration: for the dropout masks (default: the updates so far). Raises
        DivergedError when the cost is infinite or a hidden layer has just died; the previous
        step, which did it, is then undone, and this one not taken. With gradient descent the
        update (learning_rate * dZ)·A_prevᵀ goes straight into an array reused every step.
        """
        labels = Y
        X, Y = self.as_input(X), self._targets(Y)
        masks = self._dropout_masks(X.shape[1], iteration)
        gd = self._opt.name == "gd"
        if len(self._buffers) != self.L:
            self._buffers = [np.empty_like(W) for W in self.Ws]
        kept = gd and full_batch and self.L > 1 and FirstLayer.fits(X)
        with np.errstate(all="ignore"):
            first = self._first.of(self.Ws[0], X, self._opt.t) if kept else None
            run = forward(self.Ws, self.bs, X, self.activation, masks=masks,
                          keep_prob=self._keep_prob, first=first)
            losses = self._losses(run.ZL, Y)
            cost = self._cost(run.ZL, Y, losses)
            self._check_divergence(cost, run.ZL, Y, run.Gs, full_batch)
            dWs, dbs = self._backward(run, Y, masks, scale=learning_rate if gd else 1.0,
                                      out=self._buffers)
            steps = self._opt.step(dWs + dbs, learning_rate)
            if kept:
                self._first.advance(self._dZ1, learning_rate * self._l2 / X.shape[1])
            else:
                self._first.forget()
        for P, S in zip(self.Ws + self.bs, steps):
            P -= S
        last = self._last
        last.steps, last.bsteps, last.lr = steps[:self.L], steps[self.L:], learning_rate
        last.grads = None if gd else (dWs, dbs)
        self.last_ZL = run.ZL  # the outputs this step saw, before its update (for display)
        self.last_accuracy = float(np.mean((run.ZL > 0) == (Y > 0.5))) if self.units == 1 \
            else float(np.mean(predictions(run.ZL) == label_row(labels)))
        return cost

    def _dropout_masks(self, m: int, iteration):
        if self._keep_prob == 1 or self.L == 1:
            return None
        iteration = self._opt.t if iteration is None else iteration
        return dropout_masks(self.layer_dims[1:-1], m, self._keep_prob, self.seed, iteration)

    def _check_divergence(self, cost, ZL, Y, Gs, full_batch) -> None:
        """Raise DivergedError, after undoing the last step, if this step's cost is infinite
        or it finds a ReLU layer that the last step killed."""
        watch = self.activation == "relu" and full_batch and self._keep_prob == 1
        alive = [bool(G.any()) for G in Gs] if watch else []
        error = self._last.diverged(cost, ZL, Y, alive, self.dtype)
        if error is not None:
            error.undone = self._undo_last_step()
            raise error

    def _undo_last_step(self) -> bool:
        """Add back the last update (the parameters before it, to rounding) and take the
        optimiser back to its state before it (exactly). False: there was none."""
        last = self._last
        undone = bool(last.steps)
        if undone:
            with np.errstate(all="ignore"):
                for P, S in zip(self.Ws + self.bs, last.steps + last.bsteps):
                    P += S
            self._opt.undo()
        last.forget()
        self._first.forget()
        return undone

    @property
    def _names(self) -> list[str]:
        """The course's gradient names, in the order of Ws + bs: dW1..dWL, db1..dbL."""
        return [f"d{p}{l}" for p in "Wb" for l in range(1, self.L + 1)]

    def step_state(self) -> dict:
        """What carries over from one step to the next besides W and b, as plain copies:
        steps, bsteps (the last update, [] if none), grads (with momentum or Adam), step_lr,
        alive (hidden ReLU layers), last_cost; the optimiser's name, t, v, s and v_before,
        s_before (before the last update, to undo it exactly; {} when unused); first_product,
        W1·X as the next step will read it (first_layer.py; only where it is kept)."""
        names = self._names
        state = {**self._last.state(names), **self._opt.state(names)}
        product = self._first.state()
        if product is not None:
            state["first_product"] = product
        return state

    def set_step_state(self, state: dict) -> None:
        """Take back what step_state() returned; from here the network steps exactly as the
        one that returned it would. A state without the optimiser's keys (saved before
        there were optimisers) is a fresh one's. ValueError, changing nothing, if it does
        not fit this network (shapes, layer count, optimiser): see check_step_state."""
        self._last, self._opt = self._read_step_state(state)
        self._first.restore(state.get("first_product"))

    def check_step_state(self, state: dict) -> None:
        """Raise ValueError (one line) if set_step_state would refuse `state`; change nothing.
        (set_parameters starts the optimiser afresh, so restore parameters first, then the
        state: check the state before either.)"""
        self._read_step_state(state)

    def _read_step_state(self, state: dict):
        like, names = self.Ws + self.bs, self._names
        last = LastStep.from_state(state, like, names, self.L - 1)
        optimizer = Optimizer(*self._optimizer_settings)
        optimizer.load(state, like, names)
        return last, optimizer

    @property
    def dWs(self) -> list:
        """The gradients dW_l of the last step (fresh arrays)."""
        if self._last.grads is not None:
            return [dW.copy() for dW in self._last.grads[0]]
        return [dW / self._last.lr for dW in self._last.steps]

    @property
    def dbs(self) -> list:
        if self._last.grads is not None:
            return [db.copy() for db in self._last.grads[1]]
        return [db / self._last.lr for db in self._last.bsteps]

    @property
    def has_gradients(self) -> bool:
        last = self._last
        return bool(last.steps) and (self.optimizer == "gd" or last.grads is not None)

    def fit(self, X, Y, learning_rate, num_iterations, callback=None):
        """Train; returns the list of costs. callback(i, cost) returning False stops early.
        At divergence DivergedError propagates, the costs so far in its .costs."""
        X = self.as_input(X)
        Y = self._targets(Y) if self.units > 1 else self.as_input(Y)
        costs = []
        for i in range(num_iterations):
            try:
                cost = self.step(X, Y, learning_rate)
            except DivergedError as exc:
                exc.costs = costs
                raise
            costs.append(cost)
            if callback is not None and callback(i, cost) is False:
                break
        return costs
