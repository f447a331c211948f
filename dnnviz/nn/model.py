"""DeepNeuralNetwork: the lesson's network behind one small class, on a fast path.

The maths is the lesson's: [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID, cross-entropy,
batch gradient descent. The fast path differs only in how it computes the same numbers:
the cost comes straight from Z_L (stable for saturated outputs), dZ_L = A_L - Y, the ReLU
mask is read from A, and the input layer's dA0 (never used) is not computed.
Shapes: X (n_x, m), Y (1, m), W_l (n_l, n_{l-1}), b_l (n_l, 1), A_l (n_l, m).
"""

from __future__ import annotations

import numpy as np

from dnnviz.nn.init import INIT_SCHEMES, init_weights

DTYPES = ("float64", "float32")


class DivergedError(ArithmeticError):
    """A step went too far: the cost became infinite, or a hidden layer died.

    "Infinite" as the lesson computes it: -log(a) of a probability that rounds to 0 in
    the network's dtype (an example confidently wrong), or a cost that overflows.
    "Died": a step that raised the cost left every ReLU unit of a layer that was alive
    outputting 0 for every example, so no gradient reaches the layers below it again.
    The step that did it is undone (to rounding): the parameters are the last good ones.
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


def sigmoid(Z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-Z))


class DeepNeuralNetwork:
    """An L-layer network for binary classification, trained by batch gradient descent."""

    def __init__(self, layer_dims, *, init="scaled", seed=1, dtype="float64"):
        layer_dims = tuple(int(n) for n in layer_dims)
        if len(layer_dims) < 2 or min(layer_dims) < 1:
            raise ValueError(f"layer dims must be at least two positive sizes, not {layer_dims}")
        if init not in INIT_SCHEMES:
            raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INIT_SCHEMES)}")
        if str(dtype) not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")
        self.layer_dims = layer_dims
        self.init = init
        self.seed = int(seed)
        self.dtype = np.dtype(str(dtype))
        self.Ws, self.bs = init_weights(layer_dims, init=init, seed=self.seed, dtype=self.dtype)
        self._buffers: list[np.ndarray] = []  # reused for the updates lr * dW_l
        self._steps: list[np.ndarray] = []  # the last step's lr * dW_l, lr * db_l
        self._bsteps: list[np.ndarray] = []
        self._step_lr = 1.0
        self.last_accuracy = float("nan")  # train accuracy seen by the last step's forward
        self.last_ZL: np.ndarray | None = None
        self._alive: list[bool] = []  # per hidden layer: some unit fired at the last step
        self._last_cost = float("inf")

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
        """Load {"W1", "b1", ...}, checking every shape against the layer dims."""
        Ws, bs = [], []
        for l in range(1, self.L + 1):
            W = np.array(parameters[f"W{l}"], dtype=self.dtype)
            b = np.array(parameters[f"b{l}"], dtype=self.dtype).reshape(-1, 1)
            if W.shape != self.Ws[l - 1].shape or b.shape != self.bs[l - 1].shape:
                raise ValueError(f"layer {l}: shape {W.shape} does not fit dims {self.layer_dims}")
            Ws.append(W)
            bs.append(b)
        self.Ws, self.bs = Ws, bs
        self._steps, self._bsteps, self._alive = [], [], []  # the last step was for others
        self._last_cost = float("inf")

    def as_input(self, X):
        """X in this network's dtype; no copy when it already is."""
        return np.asarray(X, dtype=self.dtype)

    def _forward(self, X):
        """Return [A0 = X, A1, ..., A_{L-1}] and Z_L (1, m)."""
        As = [X]
        A = X
        for W, b in zip(self.Ws[:-1], self.bs[:-1]):
            Z = W @ A
            Z += b
            A = np.maximum(Z, 0, out=Z)
            As.append(A)
        ZL = self.Ws[-1] @ A
        ZL += self.bs[-1]
        return As, ZL

    def forward(self, X, keep_activations=False):
        """A_L (1, m); with keep_activations, also the list [A1, ..., A_L]."""
        X = self.as_input(X)
        with np.errstate(all="ignore"):
            As, ZL = self._forward(X)
            AL = sigmoid(ZL)
        if keep_activations:
            return AL, As[1:] + [AL]
        return AL

    def predict_proba(self, X):
        return self.forward(X)

    def predict(self, X):
        """Labels 0/1 of shape (1, m): 1 where p > 0.5."""
        return (self.forward(X) > 0.5).astype(np.int64)

    def accuracy(self, X, Y) -> float:
        return float(np.mean(self.predict(X) == Y))

    @staticmethod
    def _losses(ZL, Y):
        """Each example's cross-entropy from Z: log(1 + e^Z) - Y Z; finite for any finite Z."""
        return np.logaddexp(0, ZL) - Y * ZL

    @classmethod
    def _cost_from_z(cls, ZL, Y) -> float:
        return float(np.sum(cls._losses(ZL, Y)) / ZL.shape[1])

    def _lesson_cost_is_inf(self, losses) -> bool:
        """Would the lesson's cost be inf? An example's loss -log(p) past -log(eps) means its
        probability p of the true label rounds to 0 in this dtype, and log(0) = -inf."""
        return not float(np.max(losses)) < -np.log(np.finfo(self.dtype).eps)

    def cost(self, X, Y) -> float:
        X = self.as_input(X)
        with np.errstate(all="ignore"):
            _, ZL = self._forward(X)
            return self._cost_from_z(ZL, self.as_input(Y))

    def gradients(self, X, Y):
        """Return (cost, dWs, dbs) at the current parameters, without changing them."""
        cost, _, dWs, dbs = self._train_pass(self.as_input(X), self.as_input(Y))
        return cost, dWs, dbs

    def _train_pass(self, X, Y):
        with np.errstate(all="ignore"):
            As, ZL = self._forward(X)
            cost = self._cost_from_z(ZL, Y)
            dWs, dbs = self._backward(As, ZL, Y)
        return cost, ZL, dWs, dbs

    def _backward(self, As, ZL, Y, scale=1.0, out=None):
        """scale * (dW_l, db_l) for every layer; dW_l written into out[l] when given."""
        m = ZL.shape[1]
        dZ = (sigmoid(ZL) - Y) * (scale / m)
        dWs, dbs = [None] * self.L, [None] * self.L
        for l in range(self.L - 1, -1, -1):
            A_prev = As[l]
            dWs[l] = np.matmul(dZ, A_prev.T, out=None if out is None else out[l])
            dbs[l] = np.sum(dZ, axis=1, keepdims=True)
            if l > 0:  # the input layer needs no dA0
                dA = self.Ws[l].T @ dZ
                dZ = np.multiply(dA, A_prev > 0, out=dA)
        return dWs, dbs

    def step(self, X, Y, learning_rate) -> float:
        """One iteration: forward, cost, backward, update. Returns the cost before the update.

        Raises DivergedError when the cost is infinite or a hidden layer has just died; the
        previous step, which did it, is then undone, and this one is not taken.
        The update is computed as (learning_rate * dZ) · A_prevᵀ straight into a buffer
        reused from step to step, so the big layer-1 gradient costs one pass, no temporaries.
        """
        X, Y = self.as_input(X), self.as_input(Y)
        if len(self._buffers) != self.L:
            self._buffers = [np.empty_like(W) for W in self.Ws]
        with np.errstate(all="ignore"):
            As, ZL = self._forward(X)
            losses = self._losses(ZL, Y)
            cost = float(np.sum(losses) / ZL.shape[1])
            alive = [bool(A.any()) for A in As[1:]]
            dead = [l for l, (was, now) in enumerate(zip(self._alive, alive), 1) if was > now]
            dead = dead if cost > self._last_cost else []  # killed by an overshooting step
            inf = not np.isfinite(cost) or self._lesson_cost_is_inf(losses)
            if inf or dead:
                undone = self._undo_last_step()
                if inf:  # the lesson's own symptom comes first
                    error = DivergedError(float("inf") if cost == cost else cost)
                else:
                    error = DivergedError(cost, dead[0])
                error.undone = undone
                raise error
            self._alive, self._last_cost = alive, cost
            steps, bsteps = self._backward(As, ZL, Y, scale=learning_rate, out=self._buffers)
        for W, b, dW, db in zip(self.Ws, self.bs, steps, bsteps):
            W -= dW
            b -= db
        self._steps, self._bsteps, self._step_lr = steps, bsteps, learning_rate
        self.last_ZL = ZL  # the outputs this step saw, before its update (for display)
        self.last_accuracy = float(np.mean((ZL > 0) == (Y > 0.5)))
        return cost

    def _undo_last_step(self) -> bool:
        """Add back the last update: the parameters before it, to rounding. False: none."""
        undone = bool(self._steps)
        with np.errstate(all="ignore"):
            for W, b, dW, db in zip(self.Ws, self.bs, self._steps, self._bsteps):
                W += dW
                b += db
        self._steps, self._bsteps, self._alive = [], [], []
        self._last_cost = float("inf")
        return undone

    def step_state(self) -> dict:
        """What carries over from one step to the next besides W and b: the last update
        (undone if the next step diverges), its learning rate, which hidden layers were
        alive, and the last cost. Copies, in plain types and arrays."""
        return {"steps": [a.copy() for a in self._steps],
                "bsteps": [a.copy() for a in self._bsteps], "step_lr": float(self._step_lr),
                "alive": [bool(a) for a in self._alive], "last_cost": float(self._last_cost)}

    def set_step_state(self, state: dict) -> None:
        """Take back what step_state() returned (shapes checked by the caller)."""
        steps, bsteps = list(state["steps"]), list(state["bsteps"])
        if steps:
            self._buffers = [np.array(a, dtype=self.dtype) for a in steps]
            self._steps = self._buffers
            self._bsteps = [np.array(a, dtype=self.dtype) for a in bsteps]
        self._step_lr = float(state["step_lr"])
        self._alive = [bool(a) for a in state["alive"]]
        self._last_cost = float(state["last_cost"])

    @property
    def dWs(self) -> list:
        """The gradients dW_l of the last step (fresh arrays)."""
        return [dW / self._step_lr for dW in self._steps]

    @property
    def dbs(self) -> list:
        return [db / self._step_lr for db in self._bsteps]

    @property
    def has_gradients(self) -> bool:
        return bool(self._steps)

    def fit(self, X, Y, learning_rate, num_iterations, callback=None):
        """Train; returns the list of costs. callback(i, cost) returning False stops early.

        Stops at divergence (DivergedError propagates after the costs so far are recorded
        in its .costs attribute).
        """
        X, Y = self.as_input(X), self.as_input(Y)
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
