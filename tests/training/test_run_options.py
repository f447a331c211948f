"""Course 2's options in a run: mini-batches, dropout, L2, optimisers, input features.

A run with every option at its default is the lesson's; --batch-size m is that run exactly;
mini-batch and dropout runs replay from their seed; a saved run continues exactly (the
optimiser's state too) through the model file and the command line; live changes of L2
and keep-prob reach the running session and what it saves.
"""

import json

import numpy as np
import pytest

from dnnviz.cli import main
from dnnviz.data import apply_features, make_dataset
from dnnviz.nn import DeepNeuralNetwork, batch_columns
from dnnviz.training import RunConfig, Session, load_model, save_model
from dnnviz.training.config import ConfigError
from dnnviz.training.persist import read_model

MOONS = dict(dataset="moons", n_samples=120, noise=0.25, hidden=(8, 4), learning_rate=0.05,
             iterations=80, seed=3)
ADAM = dict(optimizer="adam", batch_size=16, keep_prob=0.8, l2=0.05, activation="tanh")


def _run(iterations=None, **changes):
    s = Session(RunConfig(**{**MOONS, **changes}))
    s.run(iterations=iterations)
    return s


def test_a_batch_of_every_example_without_dropout_is_the_plain_run_exactly():
    plain = _run()
    m = plain.X.shape[1]
    for size in (m, m + 5):
        batch = _run(batch_size=size, keep_prob=1.0)
        assert batch.costs.tobytes() == plain.costs.tobytes()
        assert batch.eval_array().tobytes() == plain.eval_array().tobytes()
        assert all(W.tobytes() == V.tobytes() for W, V in zip(batch.net.Ws, plain.net.Ws))


@pytest.mark.parametrize("changes", [dict(batch_size=16), dict(keep_prob=0.7), ADAM,
                                     dict(optimizer="momentum", batch_size=50, beta=0.8)])
def test_mini_batch_and_dropout_runs_replay_exactly_from_their_seed(changes):
    first, again = _run(**changes), _run(**changes)
    assert first.costs.tobytes() == again.costs.tobytes()
    other_seed = _run(**{**changes, "seed": 4})
    assert other_seed.costs.tobytes() != first.costs.tobytes()
    assert first.costs.tobytes() != _run().costs.tobytes()


def test_a_session_trains_the_networks_own_mini_batch_and_dropout_loop():
    """What tests/nn/test_reference_torch.py holds to autograd: batch_columns of the
    iteration, seeded by the run's seed, and the masks of the iteration."""
    s = _run(**ADAM)
    config = s.config
    net = DeepNeuralNetwork(s.layer_dims, **config.network_options())
    costs = []
    for i in range(config.iterations):
        cols = batch_columns(s.X.shape[1], 16, config.seed, i)
        costs.append(net.step(s.X[:, cols], s.Y[:, cols], config.learning_rate, iteration=i,
                              full_batch=False))
    assert np.array(costs).tobytes() == s.costs.tobytes()


def test_each_step_of_a_mini_batch_run_sees_one_batch():
    s = _run(iterations=1, batch_size=16)
    assert s.net.last_ZL.shape == (1, 16)
    assert s.batch_size == 16 and not s.plain_steps
    assert _run(iterations=1, batch_size=10_000).batch_size is None


def test_evaluations_leave_out_the_l2_term_and_dropout():
    s = _run(l2=0.5, keep_prob=0.6)
    last = s.evals[-1]
    net = s.net
    assert last.test_cost == net.cost(s.X_test, s.Y_test, regularized=False)
    assert last.test_cost < net.cost(s.X_test, s.Y_test)  # the L2 term is left out
    assert last.train_cost == net.cost(s.X, s.Y, regularized=False)
    assert last.train_accuracy == net.accuracy(s.X, s.Y)
    final = s.evaluate()
    assert final.train_cost == net.cost(s.X, s.Y, regularized=False)


@pytest.mark.parametrize("changes", [ADAM, dict(optimizer="momentum", batch_size=32),
                                     dict(features=("x1", "x2", "x1^2", "sin x2"),
                                          optimizer="adam", keep_prob=0.9)])
def test_a_saved_run_continues_exactly_through_the_model_file(tmp_path, changes):
    whole = _run(iterations=None, **changes)
    part = _run(iterations=37, **changes)
    save_model(tmp_path / "m.h5", part)
    resumed = load_model(tmp_path / "m.h5")
    assert resumed.config == part.config
    assert resumed.net.updates == 37 and resumed.net.optimizer == part.net.optimizer
    resumed.run()
    assert resumed.costs.tobytes() == whole.costs.tobytes()
    assert resumed.eval_array().tobytes() == whole.eval_array().tobytes()
    assert all(W.tobytes() == V.tobytes() for W, V in zip(resumed.net.Ws, whole.net.Ws))


def test_a_saved_model_goes_on_with_your_own_points(tmp_path):
    save_model(tmp_path / "m.h5", _run(iterations=5, features=("x1", "x2", "x1x2")))
    points = tmp_path / "mine.csv"
    points.write_text("".join(f"{i / 10},{-i / 10},{i % 2}\n" for i in range(12)))
    resumed = load_model(tmp_path / "m.h5", data_changes={"points_file": str(points)})
    assert resumed.config.dataset == resumed.data.name == "mine"
    assert resumed.config.n_samples is None and resumed.layer_dims[0] == 3
    resumed.run(iterations=2)
    assert resumed.iteration == 7


def test_an_old_model_without_the_optimisers_state_starts_it_afresh(tmp_path):
    """A version-1 file (before the optimiser's state, and before checksums) loads: a
    continued Adam run is then another run. A version-3 file without it is refused
    (tests/files/test_model_checksum.py)."""
    import h5py

    part = _run(iterations=20, optimizer="adam")
    save_model(tmp_path / "m.h5", part)
    with h5py.File(tmp_path / "m.h5", "r+") as f:
        assert f["optimizer"].attrs["t"] == 20 and "v" in f["optimizer"]
        del f["optimizer"], f.attrs["checksum"], f.attrs["contents"]
        f.attrs["version"] = 1
    assert load_model(tmp_path / "m.h5").net.updates == 0


@pytest.mark.parametrize("spoil, words", [
    (lambda f: f["optimizer"].attrs.__setitem__("name", "momentum"),
     "the optimiser state is for 'momentum', but the run's optimizer is 'adam'"),
    (lambda f: f["optimizer"].attrs.__setitem__("t", -3), "update count t = -3 is out of range"),
    (lambda f: f["optimizer"].create_group("w"), "unknown optimizer group 'w'"),
    (lambda f: f["optimizer/v"].__delitem__("dW1"),
     "optimizer/v dW2, dW3, db1, db2, db3 do not fit"),
    (lambda f: f["optimizer/s"].__delitem__("dW1") or f["optimizer/s"].create_dataset(
        "dW1", data=np.zeros((2, 2))), "'dW1' has shape (2, 2), expected 8x2"),
])
def test_a_bad_optimiser_state_in_a_model_file_is_one_line(tmp_path, spoil, words):
    import h5py

    from dnnviz.training import ModelFileError

    save_model(tmp_path / "m.h5", _run(iterations=5, optimizer="adam"))
    with h5py.File(tmp_path / "m.h5", "r+") as f:
        spoil(f)
    with pytest.raises(ModelFileError) as info:
        load_model(tmp_path / "m.h5")
    assert words in str(info.value) and "\n" not in str(info.value), str(info.value)


def test_live_l2_and_keep_prob_change_the_next_steps_and_what_is_saved(tmp_path):
    s = _run(iterations=10)
    s.set_live("l2", 0.3)
    s.set_live("keep_prob", 0.75)
    assert (s.net.l2, s.net.keep_prob) == (0.3, 0.75)
    s.run(iterations=5)
    fresh = _run(iterations=10, l2=0.3, keep_prob=0.75)  # the same numbers from the start
    assert s.costs[10] != _run(iterations=11).costs[10]
    state = s.state()
    assert (state.l2, state.keep_prob) == (0.3, 0.75)
    copy = _run(iterations=0)
    copy.set_state(state)
    assert (copy.net.l2, copy.net.keep_prob) == (0.3, 0.75)
    save_model(tmp_path / "m.h5", s)
    assert (read_model(tmp_path / "m.h5").config.l2, read_model(tmp_path / "m.h5")
            .config.keep_prob) == (0.3, 0.75)
    with pytest.raises(ConfigError, match="keep-prob must be above 0"):
        s.set_live("keep_prob", 0)
    with pytest.raises(ValueError, match="'batch_size' is not a setting that changes"):
        s.set_live("batch_size", 4)
    assert s.net.keep_prob == 0.75 and fresh.net.keep_prob == 0.75


def test_input_features_feed_the_network_and_leave_the_plane_as_it_is():
    features = ("x1", "x2", "x1x2", "sin x1")
    s = _run(iterations=5, features=features)
    data = make_dataset("moons", n_samples=120, noise=0.25)
    assert s.layer_dims[0] == 4
    np.testing.assert_array_equal(s.data.X_train, data.X_train)  # the plane's points
    np.testing.assert_array_equal(s.X[2], data.X_train[0] * data.X_train[1])
    np.testing.assert_array_equal(s.X[3], np.sin(data.X_train[0]))
    assert s.grid.shape[0] == 4
    plain = _run(iterations=0)
    assert plain.X is plain.data.X_train or np.shares_memory(plain.X, plain.data.X_train)
    assert apply_features(data.X_train) is data.X_train


def test_features_of_pictures_are_refused():
    with pytest.raises(ConfigError, match="input features are for 2-D points"):
        RunConfig(dataset="shapes", features=("x1", "x1^2"))


def test_the_data_seed_draws_a_new_sample_and_the_split_follows_the_fraction():
    base = _run(iterations=0)
    other = _run(iterations=0, data_seed=1)
    assert base.data.X_train.tobytes() != other.data.X_train.tobytes()
    assert base.data.m_test == 30  # 0.25 of each class of 120
    half = _run(iterations=0, test_fraction=0.5)
    assert half.data.m_test == 60 and half.data.m_train == 60


def _cli_costs(path):
    return path.read_text().splitlines()[1:]


def test_a_saved_adam_mini_batch_run_continues_exactly_on_the_command_line(tmp_path):
    options = ["--dataset", "moons", "--samples", "120", "--hidden", "6,3", "--print-every",
               "0", "--optimizer", "adam", "--batch-size", "16", "--keep-prob", "0.9",
               "--l2", "0.01", "--activation", "leaky_relu", "--learning-rate", "0.01"]
    m, part, whole = tmp_path / "m.h5", tmp_path / "part.csv", tmp_path / "whole.csv"
    assert main(["train", *options, "--iterations", "40", "--save-model", str(m)]) == 0
    assert main(["train", "--load-model", str(m), "--iterations", "25", "--print-every", "0",
                 "--export-costs", str(part)]) == 0
    assert main(["train", *options, "--iterations", "65", "--export-costs", str(whole)]) == 0
    assert part.read_bytes() == whole.read_bytes()
    assert len(_cli_costs(whole)) == 65


def test_live_options_given_with_a_model_replace_the_saved_ones(tmp_path):
    m, report = tmp_path / "m.h5", tmp_path / "r.json"
    assert main(["train", "--dataset", "xor", "--samples", "40", "--hidden", "3",
                 "--iterations", "10", "--print-every", "0", "--save-model", str(m)]) == 0
    assert main(["train", "--load-model", str(m), "--l2", "0.2", "--keep-prob", "0.5",
                 "--iterations", "5", "--print-every", "0", "--report", str(report)]) == 0
    config = json.loads(report.read_text())["config"]
    assert (config["l2"], config["keep_prob"], config["iterations"]) == (0.2, 0.5, 15)
    assert main(["train", "--load-model", str(m), "--optimizer", "adam"]) == 2


@pytest.mark.parametrize("option, value, words", [
    ("--activation", "softplus", "--activation: invalid choice: 'softplus'"),
    ("--optimizer", "sgd", "--optimizer: invalid choice: 'sgd'"),
    ("--keep-prob", "0", "--keep-prob: keep-prob must be above 0 and at most 1, not 0"),
    ("--keep-prob", "1.5", "--keep-prob: keep-prob must be above 0 and at most 1, not 1.5"),
    ("--l2", "-1", "--l2: L2 lambda must be a number from 0 to 1e+06, not -1.0"),
    ("--batch-size", "0", "--batch-size: batch size must be a whole number from 1 to"),
    ("--beta", "1", "--beta: beta must be at least 0 and below 1, not 1"),
    ("--beta2", "nan", "--beta2: beta2 must be at least 0 and below 1, not nan"),
    ("--epsilon", "0", "--epsilon: epsilon must be above 0 and below 1, not 0"),
    ("--features", "x1,x3", "--features: unknown input feature 'x3'; choose from: x1, x2"),
    ("--features", "x1,x1", "--features: input feature 'x1' is named twice"),
    ("--test-fraction", "0.99", "--test-fraction: test fraction must be a number from 0.05"),
    ("--data-seed", "-2", "--data-seed: data seed must be between 0 and"),
])
def test_a_bad_option_value_is_one_line_naming_the_option(capsys, option, value, words):
    assert main(["train", option, value, "--iterations", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
