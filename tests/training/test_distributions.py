"""Distributions over time: percentiles and norms recorded every few iterations against NumPy
on the weights of those iterations, bounded memory (thinned evenly), the history kept by a
session, its state and its model file, and cut back with an undone step."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training.distributions import (
    MAX_SAMPLE,
    PERCENTILES,
    DistributionHistory,
    first_every,
    summarise,
)
from dnnviz.training.persist import ModelFileError, read_model, save_model
from dnnviz.training.snapshot import FrameRequest
from dnnviz.training.summaries import make_snapshot

CIRCLES = RunConfig(dataset="circles", hidden=(10, 10, 5), learning_rate=0.1, iterations=200)


def test_percentiles_norms_and_histograms_are_numpys_on_the_recorded_weights():
    session = Session(CIRCLES)
    history = session.distributions
    seen = {0: ([W.copy() for W in session.net.Ws], None)}
    while session.iteration < 40:
        session.step()
        if session.iteration % history.every == 0:
            seen[session.iteration] = ([W.copy() for W in session.net.Ws],
                                       [dW.copy() for dW in session.net.dWs])
    assert list(history.iterations) == sorted(seen)
    for k, iteration in enumerate(history.iterations):
        Ws, dWs = seen[int(iteration)]
        for l, W in enumerate(Ws):
            np.testing.assert_allclose(history.pct("W")[k, l], np.percentile(W, PERCENTILES),
                                       rtol=0, atol=1e-15)
            assert history.norm("W")[k, l] == pytest.approx(np.linalg.norm(W), rel=1e-12)
            counts, _ = np.histogram(W, bins=history.counts("W").shape[2],
                                     range=tuple(history.ranges("W")[k, l]))
            np.testing.assert_array_equal(history.counts("W")[k, l], counts)
            if dWs is None:
                assert np.isnan(history.pct("dW")[k, l]).all()
                continue
            np.testing.assert_allclose(history.pct("dW")[k, l],
                                       np.percentile(dWs[l], PERCENTILES), rtol=0, atol=1e-18)
            assert history.ratio()[k, l] == pytest.approx(
                np.linalg.norm(dWs[l]) / np.linalg.norm(W), rel=1e-12)


def test_a_big_layer_keeps_its_true_ends_and_close_inner_percentiles():
    values = np.random.default_rng(3).normal(size=(20, 12288))
    pct, norm, counts, (low, high) = summarise(values)
    assert values.size > MAX_SAMPLE
    assert pct[0] == values.min() and pct[-1] == values.max() == high and low == pct[0]
    # read from a stride of MAX_SAMPLE values: a standard error of about 0.015 here
    np.testing.assert_allclose(pct[1:-1], np.percentile(values, PERCENTILES[1:-1]), atol=0.05)
    assert norm == pytest.approx(np.linalg.norm(values))
    assert counts.sum() == pytest.approx(values.size / np.ceil(values.size / MAX_SAMPLE), rel=0.01)


def test_a_long_run_stays_within_capacity_spread_evenly_from_the_start():
    history = DistributionHistory(layers=1, every=1, capacity=16)
    W = [np.ones((2, 2))]
    for iteration in range(0, 1000):
        if history.due(iteration):
            history.record(iteration, W, W)
        assert history.size <= 16
    iterations = history.iterations
    assert iterations[0] == 0 and iterations[-1] >= 1000 - history.every
    assert np.all(np.diff(iterations) == history.every)  # evenly spaced
    assert history.every == 64


def test_the_first_interval_spreads_the_target_over_the_capacity():
    assert first_every(100) == 1 and first_every(256) == 1
    assert first_every(2500) == 16 and first_every(3000) == 16
    assert Session(CIRCLES.with_changes(iterations=3000)).distributions.every == 16


def test_the_history_travels_with_the_state_and_a_model_file(tmp_path):
    session = Session(CIRCLES)
    session.run(iterations=30)
    state = session.state()
    other = Session(CIRCLES)
    other.set_state(state)
    np.testing.assert_array_equal(other.distributions.iterations, session.distributions.iterations)
    np.testing.assert_array_equal(other.distributions.pct("dW"), session.distributions.pct("dW"))
    path = tmp_path / "run.h5"
    save_model(path, session)
    saved = read_model(path)
    loaded = saved.session_on(session.data)
    for kind in ("W", "dW"):
        np.testing.assert_array_equal(loaded.distributions.pct(kind),
                                      session.distributions.pct(kind))
        np.testing.assert_array_equal(loaded.distributions.counts(kind),
                                      session.distributions.counts(kind))
    loaded.run(iterations=10)  # and it carries on recording
    assert loaded.distributions.iterations[-1] == 40


def test_an_old_model_file_without_distributions_starts_a_history_at_its_iteration(tmp_path):
    session = Session(CIRCLES)
    session.run(iterations=12)
    path = tmp_path / "old.h5"
    save_model(path, session)
    with h5py.File(path, "a") as f:  # a version-2 file, from before checksums
        del f["distributions"], f.attrs["checksum"], f.attrs["contents"]
        f.attrs["version"] = 2
    loaded = read_model(path).session_on(session.data)
    assert list(loaded.distributions.iterations) == [12]
    np.testing.assert_allclose(loaded.distributions.pct("W")[0, 0],
                               np.percentile(session.net.Ws[0], PERCENTILES))


@pytest.mark.parametrize("damage, words", [
    (lambda g: g.__delitem__("W_pct"), "lack W_pct"),
    (lambda g: (g.__delitem__("W_norm"), g.create_dataset("W_norm", data=np.zeros((2, 9))))[1],
     "'W_norm' has shape"),
    (lambda g: (g.__delitem__("iterations"),
                g.create_dataset("iterations", data=np.array([5, 3])))[1], "should rise"),
])
def test_a_damaged_distributions_group_is_one_line(tmp_path, damage, words):
    session = Session(CIRCLES)
    session.run(iterations=2)
    path = tmp_path / "bad.h5"
    save_model(path, session)
    with h5py.File(path, "a") as f:
        damage(f["distributions"])
    with pytest.raises(ModelFileError, match=words) as caught:
        read_model(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_an_undone_step_takes_its_record_back():
    config = RunConfig(dataset="moons", hidden=(8, 4), learning_rate=10, iterations=64)
    session = Session(config)
    session.distributions = DistributionHistory(session.net.L, every=1)
    session.distributions.record(0, session.net.Ws)
    session.run()
    assert session.diverged
    assert session.distributions.iterations[-1] == session.iteration


def test_a_frame_carries_one_kind_and_at_most_a_few_stacked_histograms():
    session = Session(CIRCLES.with_changes(iterations=200))
    session.run(iterations=200)
    request = FrameRequest(parts=frozenset({"distributions"}), gradients=True)
    frame = make_snapshot(session, request).distributions
    history = session.distributions
    assert frame.kind == "dW" and frame.layers == 4
    np.testing.assert_array_equal(frame.percentiles, history.pct("dW"))
    np.testing.assert_array_equal(frame.iterations, history.iterations)
    assert len(frame.stacked_iterations) == 32
    assert frame.stacked_iterations[0] == 0 and frame.stacked_iterations[-1] == 200
    assert make_snapshot(session, FrameRequest()).distributions is None


def test_the_small_start_vanishes_by_orders_of_magnitude_against_he():
    """The initialisation lesson's net: ||dW|| / ||W|| of every layer, small against He."""
    ratios = {}
    for init in ("small", "he"):
        session = Session(CIRCLES.with_changes(init=init, iterations=300))
        session.run()
        ratios[init] = np.nanmedian(session.distributions.ratio()[1:], axis=0)
    assert np.all(ratios["he"] / ratios["small"] > 100)
