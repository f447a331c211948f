"""The network diagram's summary: drawn units, links against the weights, the selected
example's activations, unit maps over the plane, a picture's links."""

from __future__ import annotations

import numpy as np
import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training.diagram import (
    HEAD,
    MAP_STEP,
    STRONGEST,
    TAIL,
    WIDE,
    drawn_units,
    strongest_links,
)
from dnnviz.training.snapshot import GRID_SIZE, FrameRequest
from dnnviz.training.summaries import make_snapshot

NETWORK = FrameRequest(parts=frozenset({"network"}))


def frame_of(session, **changes):
    return make_snapshot(session, NETWORK.__class__(parts=NETWORK.parts, **changes)).network


@pytest.mark.parametrize("n", [1, 4, 10])
def test_a_small_layer_is_drawn_whole(n):
    assert list(drawn_units(n)) == list(range(n))


@pytest.mark.parametrize("n", [11, 20, 12288])
def test_a_big_layer_is_drawn_as_its_first_and_last_units(n):
    assert list(drawn_units(n)) == [*range(HEAD), *range(n - TAIL, n)]


def test_every_link_of_narrow_layers_is_its_weight():
    session = Session(RunConfig(dataset="flower", hidden=(8, 4)))
    session.run(iterations=5)
    frame = frame_of(session)
    assert frame.layer_dims == (2, 8, 4, 1) and not frame.picture
    for l, (links, W) in enumerate(zip(frame.links, session.net.Ws), start=1):
        assert len(links.weight) == W.size  # 2 -> 8, 8 -> 4, 4 -> 1: all of them
        src_units, dst_units = frame.units[l - 1], frame.units[l]
        np.testing.assert_array_equal(links.weight,
                                      W[dst_units[links.dst], src_units[links.src]])
        assert {(int(d), int(s)) for d, s in zip(links.dst, links.src)} == {
            (d, s) for d in range(W.shape[0]) for s in range(W.shape[1])}


def test_a_wide_layer_sends_only_its_strongest_links_into_each_unit():
    rng = np.random.default_rng(5)
    W = rng.normal(size=(12, 20))
    src, dst = drawn_units(20), drawn_units(12)
    links = strongest_links(W, src, dst)
    assert len(src) > WIDE
    for k, unit in enumerate(dst):
        mine = links.dst == k
        assert mine.sum() == STRONGEST
        drawn = np.abs(W[unit, src])
        assert sorted(np.abs(links.weight[mine])) == sorted(np.sort(drawn)[-STRONGEST:])
    np.testing.assert_array_equal(links.weight, W[dst[links.dst], src[links.src]])


def test_units_show_the_selected_examples_activations():
    session = Session(RunConfig(dataset="circles", hidden=(10, 12, 5), iterations=10))
    session.run()
    frame = frame_of(session, split="train", index=7)
    x = session.X[:, 7:8]
    _, acts = session.net.forward(x, keep_activations=True)
    assert frame.selected == ("train", 7)
    np.testing.assert_array_equal(frame.values[0], x.ravel())
    for l, a in enumerate(acts, start=1):
        np.testing.assert_array_equal(frame.values[l], a.ravel()[frame.units[l]])
    assert len(frame.units[2]) == HEAD + TAIL  # 12 units: 6 and 3 drawn
    assert frame.point == (float(x[0, 0]), float(x[1, 0]))


def test_each_unit_of_2d_data_is_its_map_over_the_plane():
    session = Session(RunConfig(dataset="moons", hidden=(6, 3), iterations=10))
    session.run()
    frame = frame_of(session)
    _, acts = session.net.forward(session.grid, keep_activations=True)
    layers = [session.grid, *acts]
    side = len(range(0, GRID_SIZE, MAP_STEP))
    for l, (maps, a) in enumerate(zip(frame.maps, layers)):
        assert maps.shape == (len(frame.units[l]), side, side)
        want = a.reshape(-1, GRID_SIZE, GRID_SIZE)[:, ::MAP_STEP, ::MAP_STEP]
        np.testing.assert_allclose(maps, want, rtol=1e-6)  # float32 pictures
    assert frame.extent == session.extent


def test_a_picture_input_links_by_the_size_of_each_units_weights():
    session = Session(RunConfig(dataset="shapes").with_suggested(True))
    frame = frame_of(session, index=3)
    assert frame.picture and frame.maps is None and len(frame.units[0]) == 0
    links = frame.links[0]
    assert links.kind == "rms" and set(links.src) == {0}
    W1 = session.net.Ws[0]
    np.testing.assert_allclose(links.weight, np.sqrt(np.mean(W1[frame.units[1]] ** 2, axis=1)))
    assert frame.selected == ("test", 3)


def test_input_features_are_the_inputs_and_the_point_stays_on_the_plane():
    session = Session(RunConfig(dataset="circles", hidden=(4,), iterations=5,
                                features=("x1", "x2", "x1^2", "sin x2")))
    frame = frame_of(session, index=2)
    assert frame.input_names == ("x1", "x2", "x1^2", "sin x2")
    x1, x2 = session.data.X_test[:, 2]
    assert frame.point == (x1, x2)
    np.testing.assert_allclose(frame.values[0], [x1, x2, x1 * x1, np.sin(x2)])
    assert frame.maps[0].shape[0] == 4  # each feature over the plane
    np.testing.assert_allclose(frame.maps[0][2], frame.maps[0][0] ** 2, rtol=1e-5)
