"""One iteration, stage by stage: the forward pass (the kernel every pass uses), the cost, the
backward pass built from the lesson's own functions, and, given a learning rate, the update.

`walk(net_or_parameters, X, Y)` returns the list of Stages a student meets in the lesson:
Z[l] and A[l] for l = 1..L (with dropout, its mask D[l] before A[l]), the cost J, dA[L], then
dZ[l], dW[l], db[l], dA[l−1] for l = L..1; with learning_rate, then W[l] and b[l] for l = 1..L
after the optimiser's update. A network's own settings are followed: hidden activation, L2
term, dropout, optimiser (and its state). Every array is float64 and keeps its shape: Z, A,
D, dZ, dA (n_l, m), dW and W (n_l, n_{l-1}), db and b (n_l, 1), J (1, 1). Pure NumPy: no Qt.
With K output units (K classes) the output is the network's softmax (or one sigmoid a
class), the cost the categorical cross-entropy, and backprop starts at dZ[L] = A[L] − Y with
Y one-hot: there is no dA[L] stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dnnviz.nn.activations import get_activation
from dnnviz.nn.functional import compute_cost, linear_backward, update_parameters
from dnnviz.nn.kernel import forward
from dnnviz.nn.optimizers import (
    initialize_velocity,
    update_parameters_with_adam,
    update_parameters_with_momentum,
)
from dnnviz.nn.output import activate_output, losses, one_hot
from dnnviz.nn.regularization import (
    dropout_masks,
    l2_cost,
    layer_backward_with_regularization,
)

MAX_EXAMPLES = 8  # a few columns: every number of a stage stays readable

@dataclass(frozen=True, eq=False)
class Stage:
    """One step of the pass: its name ("dW[2]"), phase, layer, equation, explanation, array."""

    name: str
    phase: str  # "forward", "cost", "backward" or "update"
    layer: int  # the l of the equation; L for the cost
    equation: str
    explanation: str
    array: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape)


@dataclass(frozen=True)
class _Settings:
    """What the pass follows: a network's settings, or the lesson's for a dict."""

    activation: str = "relu"
    l2: float = 0.0
    keep_prob: float = 1.0
    seed: int = 1
    iteration: int = 0
    optimizer: str = "gd"
    output: str = "sigmoid"


def as_parameters(net_or_parameters) -> dict:
    """The course's dict {"W1", "b1", ...} as float64 copies, from a network or a dict."""
    params = getattr(net_or_parameters, "parameters", net_or_parameters)
    return {key: np.array(value, dtype=np.float64) for key, value in params.items()}


def few_examples(X, Y, max_examples: int | None = MAX_EXAMPLES):
    """The first max_examples columns of X and Y as float64 (all when max_examples is None)."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    if max_examples is not None:
        X, Y = X[:, :max_examples], Y[:, :max_examples]
    return X, Y


def _forward(params, X, L, settings):
    """Stages Z[l], (D[l],) A[l] for l = 1..L; returns (stages, caches, masks)."""
    Ws = [params[f"W{l}"] for l in range(1, L + 1)]
    bs = [params[f"b{l}"] for l in range(1, L + 1)]
    s = settings
    masks = None
    if s.keep_prob < 1 and L > 1:
        masks = dropout_masks([W.shape[0] for W in Ws[:-1]], X.shape[1], s.keep_prob, s.seed,
                              s.iteration)
    run = forward(Ws, bs, X, s.activation, masks=masks, keep_prob=s.keep_prob, keep_Z=True)
    AL = activate_output(run.ZL, s.output)
    Zs, As = run.Zs + [run.ZL], run.As[1:] + [AL]
    stages = []
    for l in range(1, L + 1):
        stages.append(Stage(
            f"Z[{l}]", "forward", l, f"Z[{l}] = W[{l}]·A[{l - 1}] + b[{l}]",
            f"Linear forward: each of the {Zs[l - 1].shape[0]} units of layer {l} takes a "
            "weighted sum of the previous layer's activations, plus its bias; one column per "
            "example.", Zs[l - 1]))
        if l == L:
            stages.append(_output_stage(l, As[l - 1], s.output))
            continue
        g = get_activation(s.activation)
        formula, text = g.formula.format(l=l), g.forward_text.format(l=l)
        if masks is not None:
            stages.append(Stage(
                f"D[{l}]", "forward", l, f"D[{l}] = ( rand < keep_prob )",
                f"Dropout mask of hidden layer {l} for this iteration: 1 keeps a unit for an "
                f"example (with probability keep_prob = {s.keep_prob:g}), 0 shuts it down.",
                masks[l - 1].astype(np.float64)))
            formula = f"{formula.split(' = ')[0]} * D[{l}] / keep_prob"
            text += (f" Then dropout: the units where D[{l}] = 0 output 0, the others are "
                     f"divided by keep_prob = {s.keep_prob:g}, so the expected value stays.")
        A = As[l - 1] if masks is None else As[l - 1] + 0.0  # a dropped −x·0 reads 0, not −0
        stages.append(Stage(f"A[{l}]", "forward", l, f"A[{l}] = {formula}", text, A))
    caches = [((run.As[l - 1], Ws[l - 1], bs[l - 1]), Zs[l - 1]) for l in range(1, L + 1)]
    return stages, caches, masks


def _output_stage(l, AL, output) -> Stage:
    if AL.shape[0] == 1:
        return Stage(f"A[{l}]", "forward", l, f"A[{l}] = σ(Z[{l}]) = 1 / (1 + e^(−Z[{l}]))",
                     f"Sigmoid output: A[{l}] is the predicted probability that y = 1 "
                     "for each example.", AL)
    if output == "softmax":
        return Stage(f"A[{l}]", "forward", l,
                     f"A[{l}] = softmax(Z[{l}]) = e^Z[{l}] / Σ_k e^Z[{l}]_k   (per column)",
                     f"Softmax output: each column of A[{l}] holds the {AL.shape[0]} class "
                     "probabilities of one example; they add up to 1. (Computed after "
                     "subtracting the column's largest z, so no e^z overflows.)", AL)
    return Stage(f"A[{l}]", "forward", l, f"A[{l}] = σ(Z[{l}])   (one sigmoid a class)",
                 f"One sigmoid per class: row k of A[{l}] is the probability that the "
                 "example is of class k, each decided on its own (they need not add to 1).",
                 AL)


def _cost_stages(AL, Y, L, params, l2, output="sigmoid"):
    if AL.shape[0] > 1:
        return _class_cost_stages(AL, Y, L, params, l2, output)
    cost = compute_cost(AL, Y)
    equation = f"J = −1/m Σ ( Y·log A[{L}] + (1 − Y)·log(1 − A[{L}]) )"
    text = (f"Cross-entropy cost: the average over the m = {Y.shape[1]} examples of how "
            "wrong each predicted probability is; small when A is close to Y.")
    if l2:
        cost += l2_cost([params[f"W{l}"] for l in range(1, L + 1)], l2, Y.shape[1])
        equation += "  +  λ/(2m) Σ ‖W[l]‖²"
        text += (f" Plus the L2 term: λ/(2m) times the sum of every squared weight "
                 f"(λ = {l2:g}), which keeps the weights small.")
    with np.errstate(divide="ignore", invalid="ignore"):
        dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    return [
        Stage("J", "cost", L, equation, text, np.array([[cost]])),
        Stage(f"dA[{L}]", "backward", L,
              f"dA[{L}] = −( Y / A[{L}] − (1 − Y) / (1 − A[{L}]) )",
              "Initialising backpropagation: the derivative of the cost with respect to "
              f"the output A[{L}].", dAL),
    ]


def _class_cost_stages(AL, Y, L, params, l2, output):
    """J for K output units (Y one-hot (K, m)), and Y itself where the lesson has dA[L]."""
    m = Y.shape[1]
    with np.errstate(divide="ignore"):
        logs = np.log(AL)
    if output == "softmax":
        cost = float(-np.sum(Y * logs) / m)
        equation = f"J = −1/m Σ_examples Σ_k Y_k·log A[{L}]_k"
        text = (f"Categorical cross-entropy: the average over the m = {m} examples of −log of "
                "the probability given to the right class (Y is one-hot: a 1 in the row of "
                "the example's class).")
    else:
        cost = float(np.sum(losses(np.log(AL) - np.log1p(-AL), Y, "sigmoid")) / m)
        equation = f"J = −1/m Σ_examples Σ_k ( Y_k·log A[{L}]_k + (1 − Y_k)·log(1 − A[{L}]_k) )"
        text = (f"One cross-entropy per class, added up: the average over the m = {m} "
                "examples (Y is one-hot: a 1 in the row of the example's class).")
    if l2:
        cost += l2_cost([params[f"W{l}"] for l in range(1, L + 1)], l2, m)
        equation += "  +  λ/(2m) Σ ‖W[l]‖²"
        text += f" Plus the L2 term (λ = {l2:g})."
    return [Stage("J", "cost", L, equation, text, np.array([[cost]])),
            Stage("Y", "cost", L, "Y = one-hot(y)",
                  "The labels as the output layer compares them: one row per class, a 1 "
                  "in the row of each example's class, 0 elsewhere.", Y)]


def _backward_grads(dA, cache, l, L, settings, D_prev):
    """(dZ, dA_prev, dW, db, dZ's equation, its text) of layer l. With K output units
    dA is Y one-hot and dZ[L] = A[L] − Y, the same for a softmax and for K sigmoids."""
    s = settings
    linear_cache, Z = cache
    if l < L or Z.shape[0] == 1:
        activation = "sigmoid" if l == L else s.activation
        grads = layer_backward_with_regularization(dA, cache, activation, s.l2, s.keep_prob,
                                                   D_prev)
        g = get_activation(activation)
        return (*grads, g.backward_formula.format(l=l), g.backward_text.format(l=l))
    dZ = activate_output(Z, s.output) - dA
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    if s.l2:
        dW = dW + s.l2 / dZ.shape[1] * linear_cache[1]
    if D_prev is not None:
        dA_prev = dA_prev * D_prev / s.keep_prob
    return (dZ, dA_prev, dW, db, f"dZ[{l}] = A[{l}] − Y",
            f"Backpropagation starts here: the {s.output}'s and its cross-entropy's "
            "derivatives cancel out into A − Y, how far each class's probability is from "
            "the one-hot label.")


def _layer_backward(dA, cache, l, L, settings, masks):
    """Stages dZ[l], dW[l], db[l], dA[l−1]; returns (stages, dA_prev, dW, db)."""
    s = settings
    D_prev = masks[l - 2] if masks is not None and l > 1 else None
    dZ, dA_prev, dW, db, dz_eq, dz_text = _backward_grads(dA, cache, l, L, s, D_prev)
    dw_eq = f"dW[{l}] = 1/m · dZ[{l}]·A[{l - 1}]ᵀ"
    dw_text = (f"Gradient of the cost with respect to W[{l}]: same shape as W[{l}], "
               "averaged over the m examples.")
    if s.l2:
        dw_eq += f"  +  λ/m · W[{l}]"
        dw_text += f" Plus the L2 term's gradient λ/m · W[{l}] (λ = {s.l2:g})."
    da_eq = f"dA[{l - 1}] = W[{l}]ᵀ·dZ[{l}]"
    da_text = (f"The gradient passed on to layer {l - 1}, whose activations fed this layer."
               if l > 1 else "The gradient with respect to the input X: no parameter uses it, "
               "so the lesson computes it but never needs it.")
    if D_prev is not None:
        da_eq += f" * D[{l - 1}] / keep_prob"
        da_text += " The units dropout shut down going forward get no gradient."
        dA_prev = dA_prev + 0.0  # −0 reads 0
    stages = [
        Stage(f"dZ[{l}]", "backward", l, dz_eq, dz_text, dZ),
        Stage(f"dW[{l}]", "backward", l, dw_eq, dw_text, dW),
        Stage(f"db[{l}]", "backward", l, f"db[{l}] = 1/m · Σ dZ[{l}]   (sum over the examples)",
              f"Gradient of the cost with respect to b[{l}]: each row of dZ[{l}] "
              "summed over the examples, divided by m.", db),
        Stage(f"dA[{l - 1}]", "backward", l, da_eq, da_text, dA_prev),
    ]
    return stages, dA_prev, dW, db


def _settings(net_or_parameters, iteration) -> _Settings:
    """A network's settings (dropout masks for `iteration`, by default its next one's), or
    the lesson's for the course's dict."""
    net, lesson = net_or_parameters, _Settings()
    return _Settings(
        activation=getattr(net, "activation", lesson.activation),
        l2=getattr(net, "l2", lesson.l2), keep_prob=getattr(net, "keep_prob", lesson.keep_prob),
        seed=getattr(net, "seed", lesson.seed),
        iteration=getattr(net, "updates", 0) if iteration is None else int(iteration),
        optimizer=getattr(net, "optimizer", lesson.optimizer),
        output=getattr(net, "output", lesson.output))


def _as_float64(named: dict, params: dict) -> dict:
    """The optimiser's state {"dW1": ..} in float64; zeros like params when there is none."""
    if not named:
        return initialize_velocity(params)
    return {key: np.array(value, dtype=np.float64) for key, value in named.items()}


def _update_stages(params, grads, L, learning_rate, net, optimizer):
    """Stages W[l], b[l] for l = 1..L: the parameters after the optimiser's update, made with
    the lesson's functions from the network's optimiser state (which stays as it is)."""
    alpha = f"α = {learning_rate:g}"
    if optimizer == "gd":
        new = update_parameters(params, grads, learning_rate)
        rule, text = "− α·d{p}[{l}]", f"Gradient descent: a step of {alpha} against the gradient."
    elif optimizer == "momentum":
        v = _as_float64(net.step_state()["v"], params)
        new, _ = update_parameters_with_momentum(params, grads, v, net.beta, learning_rate)
        rule = "− α·v_d{p}[{l}]"
        text = (f"Momentum: a step of {alpha} along the velocity v_d{{p}} = β·v_d{{p}} + "
                f"(1 − β)·d{{p}}, a running average of the gradients (β = {net.beta:g}).")
    else:
        state = net.step_state()
        t = state["t"] + 1
        v, s = _as_float64(state["v"], params), _as_float64(state["s"], params)
        new, _, _ = update_parameters_with_adam(params, grads, v, s, t, learning_rate,
                                                net.beta1, net.beta2, net.epsilon)
        rule = "− α·v_corrected / (√s_corrected + ε)"
        text = (f"Adam, update t = {t}: v = β1·v + (1 − β1)·d{{p}} and s = β2·s + "
                f"(1 − β2)·d{{p}}² are running averages of the gradient and of its square; "
                f"v_corrected = v / (1 − β1^t) and s_corrected = s / (1 − β2^t) make up for "
                f"their start at 0; {alpha}, β1 = {net.beta1:g}, β2 = {net.beta2:g}, "
                f"ε = {net.epsilon:g}.")
    return [Stage(f"{p}[{l}]", "update", l, f"{p}[{l}] = {p}[{l}] " + rule.format(p=p, l=l),
                  text.format(p=p) + f" The new {p}[{l}], as the next iteration will use it.",
                  new[f"{p}{l}"])
            for l in range(1, L + 1) for p in "Wb"]


def walk(net_or_parameters, X, Y, max_examples: int | None = MAX_EXAMPLES, *,
         learning_rate: float | None = None, iteration: int | None = None) -> list[Stage]:
    """Every stage of one iteration on the first max_examples examples.

    X (n_x, m) and Y (1, m); net_or_parameters is a DeepNeuralNetwork or the course's dict.
    learning_rate: also the update stages W[l], b[l], after dA[0]. iteration: whose dropout
    masks (a network with keep_prob < 1; default: its next iteration, net.updates).
    Nothing is changed: the parameters are copied to float64 first.
    """
    params = as_parameters(net_or_parameters)
    X, Y = few_examples(X, Y, max_examples)
    L = len(params) // 2
    settings = _settings(net_or_parameters, iteration)
    stages, caches, masks = _forward(params, X, L, settings)
    units = params[f"W{L}"].shape[0]
    if units > 1:
        Y = one_hot(Y, units)
    cost_stages = _cost_stages(stages[-1].array, Y, L, params, settings.l2, settings.output)
    stages += cost_stages
    dA, grads = cost_stages[-1].array, {}
    for l in range(L, 0, -1):
        layer_stages, dA, grads[f"dW{l}"], grads[f"db{l}"] = _layer_backward(
            dA, caches[l - 1], l, L, settings, masks)
        stages += layer_stages
    if learning_rate is not None:
        stages += _update_stages(params, grads, L, float(learning_rate), net_or_parameters,
                                 settings.optimizer)
    return stages
