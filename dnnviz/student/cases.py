"""The cases each lesson function is checked on: the course notebook's own test cases and
random shapes and seeds. dnnviz's reference (dnnviz.nn.functional) makes every input (a
backward function gets the caches the reference forward made) and the expected result.

Random cases use sizes that differ from each other, so a transposed result has the wrong
shape, and fixed seeds, so a report is the same every time.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from dnnviz.nn import functional as F

RANDOM_SEEDS = (1, 2)
LESSON_CASE = "the lesson's test case"


@dataclass
class Case:
    label: str  # "the lesson's test case", "a random case (seed 1)"
    args: dict  # the lesson's parameter names -> values
    m: int | None = None  # examples, for the 1/m hint
    global_seed: int | None = None  # np.random.seed(...) just before the call
    also_accepted: tuple = ()  # (description, expected) pairs, besides the reference's
    saturated: bool = False  # a confident example: the cost must stay finite
    advice: str = ""  # set: a problem on this case is this note, never a failure
    expected: object = field(default=None, repr=False)

    def fresh_args(self) -> dict:
        return copy.deepcopy(self.args)


def cases_for(name: str) -> list[Case]:
    """Every case of the lesson function `name`, its expected result filled in."""
    cases = _BUILDERS[name]()
    reference = getattr(F, name)
    for case in cases:
        if case.expected is None:
            with np.errstate(all="ignore"):
                case.expected = reference(**case.fresh_args())
    return cases


def _sizes(rng, k=3):
    return [int(n) for n in rng.choice(np.arange(2, 9), k, replace=False)]


def _random(label_seed):
    return f"a random case (seed {label_seed})"


def _activation_cases():
    cases = []
    for s in RANDOM_SEEDS:
        rng = np.random.RandomState(s)
        cases.append(Case(_random(s), {"Z": rng.randn(*_sizes(rng, 2)) * 2}))
    return cases


def _sigmoid_cases():
    """The random cases, and outputs far from 0, where only a sound formula stays right
    (the course's 1/(1+np.exp(-Z)) does; np.exp(Z)/(1+np.exp(Z)) is nan at Z = 800)."""
    far = Case("Z far from 0 (Z = -800 ... 800)",
               {"Z": np.array([[-800.0, -40.0, 0.0, 40.0, 800.0]])},
               advice="for Z far from 0 (Z = 800) it does not give the sigmoid: "
               "np.exp(Z) overflows; 1 / (1 + np.exp(-Z)), as the course writes it, stays "
               "right (advice, not a mistake: the lesson's networks rarely go there)")
    return [*_activation_cases(), far]


def _activation_backward_cases():
    cases = []
    for s in RANDOM_SEEDS:
        rng = np.random.RandomState(s)
        shape = _sizes(rng, 2)
        cases.append(Case(_random(s), {"dA": rng.randn(*shape), "cache": rng.randn(*shape)}))
    return cases


def _init_two_layer():
    cases = [Case(LESSON_CASE, {"n_x": 3, "n_h": 2, "n_y": 1}, global_seed=1)]
    for s in RANDOM_SEEDS:
        n_x, n_h, n_y = _sizes(np.random.RandomState(s))
        cases.append(Case(_random(s), {"n_x": n_x, "n_h": n_h, "n_y": n_y}, global_seed=1))
    return cases


def _init_deep():
    """The step-by-step notebook seeds 3 and scales by 0.01; its application notebook
    seeds 1 and divides by sqrt(n_prev). Either is the lesson's."""
    dims_list = [[5, 4, 3]] + [[*_sizes(np.random.RandomState(s), 3), 1] for s in RANDOM_SEEDS]
    cases = []
    for dims, label in zip(dims_list, [LESSON_CASE, *map(_random, RANDOM_SEEDS)]):
        others = tuple(
            (f"{init} weights, seed {seed}",
             F.initialize_parameters_deep(dims, seed=seed, init=init))
            for init in ("small", "scaled", "he") for seed in (3, 1)
            if (init, seed) != ("small", 3))
        cases.append(Case(label, {"layer_dims": dims}, global_seed=3, also_accepted=others))
    return cases


def _linear_forward():
    state = np.random.RandomState(1)  # the notebook's np.random.seed(1) and its draws
    cases = [Case(LESSON_CASE, {"A": state.randn(3, 2), "W": state.randn(1, 3),
                                "b": state.randn(1, 1)}, m=2)]
    for s in RANDOM_SEEDS:
        rng = np.random.RandomState(s)
        n_prev, n, m = _sizes(rng)
        cases.append(Case(_random(s), {"A": rng.randn(n_prev, m), "W": rng.randn(n, n_prev),
                                       "b": rng.randn(n, 1)}, m=m))
    return cases


def _linear_activation_forward():
    cases = []
    for activation in ("sigmoid", "relu"):
        rng = np.random.RandomState(2)
        args = {"A_prev": rng.randn(3, 2), "W": rng.randn(1, 3), "b": rng.randn(1, 1)}
        cases.append(Case(f"{LESSON_CASE} with {activation}", {**args, "activation": activation},
                          m=2))
    for s, activation in zip(RANDOM_SEEDS, ("relu", "sigmoid")):
        case = _linear_forward()[RANDOM_SEEDS.index(s) + 1]
        args = {"A_prev": case.args["A"], "W": case.args["W"], "b": case.args["b"]}
        cases.append(Case(f"{case.label} with {activation}", {**args, "activation": activation},
                          m=case.m))
    return cases


def _random_parameters(rng, dims):
    return {key: value for l in range(1, len(dims)) for key, value in (
        (f"W{l}", rng.randn(dims[l], dims[l - 1])), (f"b{l}", rng.randn(dims[l], 1)))}


def _L_model_forward():
    rng = np.random.RandomState(6)
    X = rng.randn(5, 4)
    params = _random_parameters(rng, [5, 4, 3, 1])
    cases = [Case(LESSON_CASE, {"X": X, "parameters": params}, m=4)]
    for s, L in zip(RANDOM_SEEDS, (2, 4)):
        rng = np.random.RandomState(s)
        dims = [*_sizes(rng, L), 1]
        m = int(rng.randint(2, 9))
        cases.append(Case(f"{_random(s)}, {L} layers",
                          {"X": rng.randn(dims[0], m),
                           "parameters": _random_parameters(rng, dims)}, m=m))
    return cases


def _compute_cost():
    cases = [Case(LESSON_CASE, {"AL": np.array([[0.8, 0.9, 0.4]]), "Y": np.array([[1, 1, 0]])},
                  m=3)]
    for s in RANDOM_SEEDS:
        rng = np.random.RandomState(s)
        m = int(rng.randint(4, 9))
        cases.append(Case(_random(s), {"AL": rng.uniform(0.05, 0.95, (1, m)),
                                       "Y": (rng.rand(1, m) > 0.5).astype(float)}, m=m))
    cases.append(Case("an output that is sure of itself (AL exactly 0 or 1)",
                      {"AL": np.array([[1.0, 0.3, 0.0, 1.0]]), "Y": np.array([[0, 1, 1, 1]])},
                      m=4, saturated=True))
    return cases


def _linear_backward():
    rng = np.random.RandomState(1)
    dZ, A = rng.randn(3, 4), rng.randn(5, 4)
    cases = [Case(LESSON_CASE, {"dZ": dZ, "cache": (A, rng.randn(3, 5), rng.randn(3, 1))}, m=4)]
    for s in RANDOM_SEEDS:
        rng = np.random.RandomState(s)
        n_prev, n, m = _sizes(rng)
        cache = (rng.randn(n_prev, m), rng.randn(n, n_prev), rng.randn(n, 1))
        cases.append(Case(_random(s), {"dZ": rng.randn(n, m), "cache": cache}, m=m))
    return cases


def _linear_activation_backward():
    cases = []
    for activation in ("sigmoid", "relu"):
        rng = np.random.RandomState(2)
        dA, A = rng.randn(1, 2), rng.randn(3, 2)
        cache = ((A, rng.randn(1, 3), rng.randn(1, 1)), rng.randn(1, 2))
        cases.append(Case(f"{LESSON_CASE} with {activation}",
                          {"dA": dA, "cache": cache, "activation": activation}, m=2))
    for s, activation in zip(RANDOM_SEEDS, ("relu", "sigmoid")):
        forward = _linear_activation_forward()[RANDOM_SEEDS.index(s) + 2]
        _, cache = F.linear_activation_forward(**{**forward.args, "activation": activation})
        dA = np.random.RandomState(s + 10).randn(*cache[1].shape)
        cases.append(Case(f"{_random(s)} with {activation}",
                          {"dA": dA, "cache": cache, "activation": activation}, m=forward.m))
    return cases


def _L_model_backward():
    rng = np.random.RandomState(3)
    AL, Y = rng.randn(1, 2), np.array([[1, 0]])
    A1, W1, b1, Z1 = rng.randn(4, 2), rng.randn(3, 4), rng.randn(3, 1), rng.randn(3, 2)
    A2, W2, b2, Z2 = rng.randn(3, 2), rng.randn(1, 3), rng.randn(1, 1), rng.randn(1, 2)
    caches = [((A1, W1, b1), Z1), ((A2, W2, b2), Z2)]
    cases = [Case(LESSON_CASE, {"AL": AL, "Y": Y, "caches": caches}, m=2)]
    for forward in _L_model_forward()[1:]:
        AL, caches = F.L_model_forward(**forward.args)
        Y = (np.random.RandomState(forward.m).rand(1, forward.m) > 0.5).astype(float)
        cases.append(Case(forward.label, {"AL": AL, "Y": Y, "caches": caches}, m=forward.m))
    return cases


def _update_parameters():
    rng = np.random.RandomState(2)
    params = _random_parameters(rng, [4, 3, 1])
    rng = np.random.RandomState(3)
    grads = {"d" + key: rng.randn(*value.shape) for key, value in params.items()}
    cases = [Case(LESSON_CASE, {"parameters": params, "grads": grads, "learning_rate": 0.1})]
    for s in RANDOM_SEEDS:
        rng = np.random.RandomState(s)
        dims = [*_sizes(rng, 3), 1]
        params = _random_parameters(rng, dims)
        grads = {"d" + key: value for key, value in _random_parameters(rng, dims).items()}
        cases.append(Case(_random(s), {"parameters": params, "grads": grads,
                                       "learning_rate": float(rng.uniform(0.01, 1))}))
    return cases


_BUILDERS = {
    "sigmoid": _sigmoid_cases,
    "relu": _activation_cases,
    "relu_backward": _activation_backward_cases,
    "sigmoid_backward": _activation_backward_cases,
    "initialize_parameters": _init_two_layer,
    "initialize_parameters_deep": _init_deep,
    "linear_forward": _linear_forward,
    "linear_activation_forward": _linear_activation_forward,
    "L_model_forward": _L_model_forward,
    "compute_cost": _compute_cost,
    "linear_backward": _linear_backward,
    "linear_activation_backward": _linear_activation_backward,
    "L_model_backward": _L_model_backward,
    "update_parameters": _update_parameters,
}
