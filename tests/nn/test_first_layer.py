"""The first layer's product W1·X kept from step to step (nn/first_layer.py): the same
numbers as the direct product to rounding, exactly the same run after a save, and the
direct product wherever the shortcut does not hold."""

from __future__ import annotations

import numpy as np
import pytest

from dnnviz.nn import DeepNeuralNetwork
from dnnviz.nn.first_layer import ANCHOR, FirstLayer

RNG = np.random.default_rng(7)
X = RNG.uniform(0, 1, (600, 40))  # pictures' shape: many more inputs than examples
Y = (RNG.uniform(0, 1, (1, 40)) > 0.5).astype(np.float64)
DIMS = (600, 6, 3, 1)


def steps(net, n, lr=0.05):
    return [net.step(X, Y, lr) for _ in range(n)]


@pytest.fixture
def direct(monkeypatch):
    """Networks made inside take W1·X directly at every step."""
    def use_direct():
        monkeypatch.setattr(FirstLayer, "fits", staticmethod(lambda X: False))
    return use_direct


@pytest.mark.parametrize("options", [{}, {"l2": 0.7}, {"keep_prob": 0.8},
                                     {"activation": "tanh", "l2": 0.1}])
def test_the_kept_product_gives_the_direct_products_numbers(options, direct):
    kept = DeepNeuralNetwork(DIMS, seed=3, **options)
    kept_costs = steps(kept, 2 * ANCHOR + 30)
    assert kept._first.product is not None  # the shortcut was taken
    direct()
    plain = DeepNeuralNetwork(DIMS, seed=3, **options)
    plain_costs = steps(plain, 2 * ANCHOR + 30)
    assert plain._first.product is None
    np.testing.assert_allclose(kept_costs, plain_costs, rtol=1e-12, atol=0)
    for W, V in zip(kept.Ws + kept.bs, plain.Ws + plain.bs):
        np.testing.assert_allclose(W, V, rtol=0, atol=1e-12 * np.abs(V).max())


def test_the_kept_product_stays_within_rounding_of_w1_x_and_is_taken_again_every_anchor():
    net = DeepNeuralNetwork(DIMS, seed=1)
    worst = 0.0
    for t in range(3 * ANCHOR):
        net.step(X, Y, 0.05)
        direct = net.Ws[0] @ X
        worst = max(worst, np.abs(net._first.product - direct).max() / np.abs(direct).max())
    assert worst < 1e-13
    assert net._opt.t == 3 * ANCHOR
    kept = net._first.product.copy()
    taken = net._first.of(net.Ws[0], X, net._opt.t)  # the next step's: taken directly
    assert taken.tobytes() == (net.Ws[0] @ X).tobytes() and taken.tobytes() != kept.tobytes()


def test_the_same_settings_give_the_same_numbers_to_the_last_bit():
    a, b = DeepNeuralNetwork(DIMS, seed=2), DeepNeuralNetwork(DIMS, seed=2)
    assert steps(a, 300) == steps(b, 300)
    assert all(W.tobytes() == V.tobytes() for W, V in zip(a.Ws, b.Ws))


def test_a_run_continued_from_its_state_is_exactly_the_unbroken_one():
    whole = DeepNeuralNetwork(DIMS, seed=4, l2=0.2)
    whole_costs = steps(whole, 200)
    part = DeepNeuralNetwork(DIMS, seed=4, l2=0.2)
    part_costs = steps(part, 137)
    state = part.step_state()
    assert "first_product" in state
    resumed = DeepNeuralNetwork(DIMS, seed=99, l2=0.2)
    resumed.set_parameters(part.parameters)
    resumed.set_step_state(state)
    assert part_costs + steps(resumed, 63) == whole_costs
    assert all(W.tobytes() == V.tobytes() for W, V in zip(resumed.Ws, whole.Ws))
    # a state without the product, or with a wrong one, still continues right (to rounding)
    for product in (None, state["first_product"] * 1.5):
        other = DeepNeuralNetwork(DIMS, seed=99, l2=0.2)
        other.set_parameters(part.parameters)
        changed = {k: v for k, v in state.items() if k != "first_product"}
        if product is not None:
            changed["first_product"] = product
        other.set_step_state(changed)
        np.testing.assert_allclose(steps(other, 63), whole_costs[137:], rtol=1e-12)


def test_new_parameters_or_a_step_undone_forget_the_product():
    net = DeepNeuralNetwork(DIMS, seed=5)
    steps(net, 20)
    other = DeepNeuralNetwork(DIMS, seed=6)
    net.set_parameters(other.parameters)
    assert net._first.product is None
    fresh = DeepNeuralNetwork(DIMS, seed=6)
    assert steps(net, 5) == steps(fresh, 5)  # as if freshly loaded: the direct product


def test_the_shortcut_is_left_where_it_does_not_hold_or_pay():
    few_inputs = np.ones((10, 40))
    assert not FirstLayer.fits(few_inputs)  # 2-D points, the digits: more examples
    assert not FirstLayer.fits(X.astype(np.float16))
    assert FirstLayer.fits(X) and FirstLayer.fits(X.astype(np.float32))
    many = DeepNeuralNetwork(DIMS, seed=1, optimizer="momentum")
    steps(many, 3)
    assert many._first.product is None  # not gradient descent
    batch = DeepNeuralNetwork(DIMS, seed=1)
    batch.step(X[:, :20], Y[:, :20], 0.05, full_batch=False)
    assert batch._first.product is None  # a mini-batch


def test_a_view_of_the_same_inputs_is_the_same_inputs():
    """A batch of every example (X[:, :]) steps exactly as the plain run."""
    plain, viewed = DeepNeuralNetwork(DIMS, seed=8), DeepNeuralNetwork(DIMS, seed=8)
    assert steps(plain, 30) == [viewed.step(X[:, :], Y, 0.05) for _ in range(30)]
    copy = X.copy()
    net = DeepNeuralNetwork(DIMS, seed=8)
    net.step(X, Y, 0.05)
    net.step(copy, Y, 0.05)  # another array: its own Gram, the product taken directly
    assert net._first.X is copy


def test_on_the_course_pictures_the_network_is_the_lessons_to_1e_12(cat):
    """The course's L-layer net on the cat pictures, with the kept product, against the
    lesson's own functions step by step (a whole 2500-iteration run agreed to 1e-14)."""
    from dnnviz.nn import functional as F
    X, Y = cat
    dims = [12288, 20, 7, 5, 1]
    params = F.initialize_parameters_deep(dims, seed=1, init="scaled")
    net = DeepNeuralNetwork(dims, seed=1, init="scaled")
    for _ in range(300):
        AL, caches = F.L_model_forward(X, params)
        expected = F.compute_cost(AL, Y)
        params = F.update_parameters(params, F.L_model_backward(AL, Y, caches), 0.0075)
        assert net.step(X, Y, 0.0075) == pytest.approx(expected, rel=1e-12)
    assert net._first.product is not None
    for key, value in net.parameters.items():
        scale = np.abs(params[key]).max()
        np.testing.assert_allclose(value, params[key], rtol=0, atol=1e-12 * scale)


def test_in_float32_the_kept_product_stays_within_float32s_own_rounding(direct):
    """float32 takes the product directly every ANCHOR_FLOAT32 updates: the kept one stays
    as close to W1·X as float32 computes W1·X at all, and the run agrees with the direct
    float32 run as closely as float32 agrees with float64."""
    from dnnviz.nn.first_layer import ANCHOR_FLOAT32
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    net = DeepNeuralNetwork(DIMS, seed=3, dtype="float32")
    worst = 0.0
    costs = []
    for _ in range(4 * ANCHOR_FLOAT32 + 5):
        costs.append(net.step(X32, Y32, 0.05))
        exact = net.Ws[0].astype(np.float64) @ X.astype(np.float64)
        assert net._first.product.dtype == np.float32
        worst = max(worst, np.abs(net._first.product - exact).max() / np.abs(exact).max())
    own = np.abs((net.Ws[0] @ X32) - exact).max() / np.abs(exact).max()
    assert worst < 5 * own
    direct()
    plain = DeepNeuralNetwork(DIMS, seed=3, dtype="float32")
    plain_costs = [plain.step(X32, Y32, 0.05) for _ in range(len(costs))]
    wide = DeepNeuralNetwork(DIMS, seed=3)
    wide_costs = [wide.step(X, Y, 0.05) for _ in range(len(costs))]
    np.testing.assert_allclose(costs, plain_costs, rtol=1e-5)
    np.testing.assert_allclose(plain_costs, wide_costs, rtol=1e-5)
