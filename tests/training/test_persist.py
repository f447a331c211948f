"""Model files: a saved run continues bit for bit; every bad file is one clear error."""

import errno
import os
import re

import h5py
import numpy as np
import pytest

from dnnviz.files import SaveError
from dnnviz.training import RunConfig, Session, persist
from dnnviz.training.persist import (
    VERSION,
    ModelFileError,
    load_model,
    load_model_on,
    read_model,
    save_model,
)
from dnnviz.training.stops import COMPLETED

BASE = dict(dataset="moons", hidden=(6, 4), learning_rate=0.5, seed=3, n_samples=80)
SHAPES = dict(dataset="shapes", n_samples=8, hidden=(3,), iterations=5, learning_rate=0.01,
              init="scaled")


def _session(**changes):
    return Session(RunConfig(**{**BASE, "iterations": 100, **changes}))


@pytest.fixture
def saved(tmp_path):
    """A model saved after 30 iterations of a 60-iteration run, and that session."""
    s = _session(iterations=60)
    s.run(iterations=30)
    path = tmp_path / "model.h5"
    save_model(path, s)
    return path, s


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_continuing_a_saved_run_gives_exactly_the_costs_of_one_run(tmp_path, dtype):
    whole = _session(iterations=151, dtype=dtype)
    whole.run()
    first = _session(iterations=100, dtype=dtype)
    first.run()
    save_model(tmp_path / "m.h5", first)
    resumed = load_model(tmp_path / "m.h5")
    assert resumed.iteration == 100 and resumed.target_iterations == 100
    resumed.target_iterations = 151
    resumed.run()
    assert resumed.iteration == 151
    assert resumed.costs.tobytes() == whole.costs.tobytes()
    for W, V in zip(resumed.net.Ws, whole.net.Ws):
        assert W.dtype == np.dtype(dtype) and W.tobytes() == V.tobytes()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_picture_run_continues_exactly_through_the_model_file(tmp_path, dtype):
    """A picture run keeps W1·X from step to step (nn/first_layer.py): the model file holds
    it, so the resumed run is the unbroken one to the last bit; a file whose product was
    changed is refused in one line (its checksum; a product that does not agree with W1·X
    is not used anyway: tests/nn/test_first_layer.py)."""
    config = dict(dataset="shapes", hidden=(6, 3), iterations=300, learning_rate=0.02, seed=2,
                  dtype=dtype)
    whole = Session(RunConfig(**config))
    whole.run()
    part = Session(RunConfig(**config))
    part.run(iterations=137)
    assert "first_product" in part.step_state()
    save_model(tmp_path / "m.h5", part)
    resumed = load_model(tmp_path / "m.h5")
    resumed.run()
    assert resumed.costs.tobytes() == whole.costs.tobytes()
    assert all(W.tobytes() == V.tobytes() for W, V in zip(resumed.net.Ws, whole.net.Ws))
    with h5py.File(tmp_path / "m.h5", "r+") as f:
        f["first_product"][...] = f["first_product"][()] * 3.0
    with pytest.raises(ModelFileError, match="'first_product' does not match") as info:
        load_model(tmp_path / "m.h5")  # the file's checksum covers it
    assert "\n" not in str(info.value)


def test_a_run_split_at_any_point_keeps_its_evaluations(tmp_path):
    whole = _session(iterations=300)
    whole.run()
    part = _session(iterations=300)
    part.run(iterations=137)
    save_model(tmp_path / "m.h5", part)
    resumed = load_model(tmp_path / "m.h5")
    resumed.run()
    np.testing.assert_array_equal(resumed.costs, whole.costs)
    np.testing.assert_array_equal(resumed.eval_array(), whole.eval_array())
    assert resumed.stopped_reason == COMPLETED


@pytest.mark.parametrize("dataset, lr, stop", [("xor", 3, 11), ("moons", 20, 3)])
def test_a_continued_run_diverges_exactly_where_the_unbroken_one_does(tmp_path, dataset, lr,
                                                                       stop):
    """A dying layer (xor) or an infinite cost (moons) at the first step after loading."""
    config = RunConfig(**{**BASE, "dataset": dataset, "learning_rate": lr, "iterations": 300})
    whole = Session(config)
    whole.run()
    part = Session(config)
    part.run(iterations=stop)
    save_model(tmp_path / "m.h5", part)
    resumed = load_model(tmp_path / "m.h5")
    resumed.run()
    assert whole.iteration == resumed.iteration == stop - 1  # the step before was undone
    assert str(whole.stopped_reason).startswith(f"diverged at iteration {stop}")
    assert resumed.stopped_reason == whole.stopped_reason
    assert resumed.costs.tobytes() == whole.costs.tobytes()
    for W, V in zip(resumed.net.parameters.values(), whole.net.parameters.values()):
        assert W.tobytes() == V.tobytes()  # the step before was undone in both


def test_the_state_comes_back(saved):
    path, s = saved
    s.learning_rate = 0.25
    s.target_iterations = 90
    save_model(path, s)
    r = load_model(path)
    assert r.learning_rate == 0.25 and r.target_iterations == 90 and r.iteration == 30
    assert r.config == s.config.with_changes(learning_rate=0.25, iterations=90)
    assert r.layer_dims == (2, 6, 4, 1)
    np.testing.assert_array_equal(r.eval_array(), s.eval_array())
    np.testing.assert_array_equal(r.data.X_train, s.data.X_train)
    assert r.stopped_reason is None and read_model(path).stopped_reason is None


def test_the_file_is_plain_hdf5_in_the_documented_layout(saved):
    path, s = saved
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == "dnnviz-model" and f.attrs["version"] == VERSION
        assert f.attrs["dataset"] == "moons" and f.attrs["n_samples"] == 80
        assert f.attrs["iteration"] == 30 and f.attrs["target_iterations"] == 60
        assert f.attrs["n_x"] == 2 and "image_shape" not in f.attrs
        assert "train_file" not in f.attrs and "noise" not in f.attrs
        assert list(f["layer_dims"][()]) == [2, 6, 4, 1]
        assert sorted(f["parameters"]) == ["W1", "W2", "W3", "b1", "b2", "b3"]
        np.testing.assert_array_equal(f["parameters/W2"][()], s.net.Ws[1])
        assert f["parameters/b1"].shape == (6, 1)
        np.testing.assert_array_equal(f["costs"][()], s.costs)
        assert f["evals"].shape == (len(s.evals), 5)


def test_image_models_keep_their_image_shape(tmp_path):
    s = Session(RunConfig(**SHAPES))
    s.run()
    save_model(tmp_path / "img.h5", s)
    saved = read_model(tmp_path / "img.h5")
    assert saved.image_shape == (64, 64, 3) and saved.n_x == 12288
    assert load_model(tmp_path / "img.h5").data.image_shape == (64, 64, 3)


def test_a_model_for_other_inputs_is_refused_and_the_session_is_untouched(saved, tmp_path):
    path, _ = saved
    other = Session(RunConfig(**SHAPES))
    other.run()
    before = [W.copy() for W in other.net.Ws]
    with pytest.raises(ModelFileError) as info:
        load_model_on(path, other)
    assert str(info.value) == (f"{path} was saved for 2 inputs, but the data set 'shapes' "
                               "has 12,288")
    assert other.iteration == 5 and other.layer_dims == (12288, 3, 1)
    for W, B in zip(other.net.Ws, before):
        np.testing.assert_array_equal(W, B)


def test_a_model_goes_onto_other_data_of_the_same_size(saved):
    path, s = saved
    window = Session(RunConfig(dataset="xor", n_samples=40, hidden=(2,), iterations=9))
    moved = load_model_on(path, window)
    assert moved.data is window.data and moved.config.dataset == "xor"
    assert moved.layer_dims == s.layer_dims and moved.iteration == 30
    np.testing.assert_array_equal(moved.net.Ws[0], s.net.Ws[0])
    assert window.layer_dims == (2, 2, 1) and window.iteration == 0


def test_load_model_with_other_data(saved):
    path, _ = saved
    r = load_model(path, data_changes={"dataset": "circles"})
    assert r.data.name == "circles" and r.config.n_samples is None and r.iteration == 30
    with pytest.raises(ModelFileError, match="saved for 2 inputs, but the data set 'shapes'"):
        load_model(path, data_changes={"dataset": "shapes", "n_samples": 8})


# --- bad files -------------------------------------------------------------------------

def _set_attr(name, value):
    def change(f):
        f.attrs[name] = value
    return change


def _del(name):
    def change(f):
        if name in f.attrs:
            del f.attrs[name]
        else:
            del f[name]
    return change


def _replace(name, value):
    def change(f):
        del f[name]
        f.create_dataset(name, data=value)
    return change


def _add(name, value):
    def change(f):
        f[name][...] = f[name][()] + value
    return change


BAD_CHANGES = [
    pytest.param(_del("format"), r"not a dnnviz model file", id="no format"),
    pytest.param(_set_attr("format", "keras"), r"not a dnnviz model file", id="other format"),
    pytest.param(_set_attr("version", VERSION + 1),
                 rf"format version {VERSION + 1}; this dnnviz reads version {VERSION}",
                 id="newer version"),
    pytest.param(_set_attr("version", "one"), r"attribute 'version' should be a whole number",
                 id="text version"),
    pytest.param(_del("iteration"), r"missing attribute 'iteration'", id="no iteration"),
    pytest.param(_del("dataset"), r"missing attribute 'dataset'", id="no dataset"),
    pytest.param(_del("seed"), r"missing attribute 'seed'", id="no seed"),
    pytest.param(_del("learning_rate"), r"missing attribute 'learning_rate'", id="no lr"),
    pytest.param(_del("costs"), r"missing array 'costs'", id="no costs"),
    pytest.param(_del("evals"), r"missing array 'evals'", id="no evals"),
    pytest.param(_del("layer_dims"), r"missing array 'layer_dims'", id="no dims"),
    pytest.param(_del("parameters"), r"missing group 'parameters'", id="no parameters"),
    pytest.param(_del("parameters/W2"), r"parameters W1, W3, b1, b2, b3 do not fit",
                 id="no W2"),
    pytest.param(_replace("parameters/W2", np.zeros((6, 4))),
                 r"'W2' has shape \(6, 4\), expected 4x6", id="W2 transposed"),
    pytest.param(_replace("parameters/b1", np.zeros(6)), r"'b1' has shape \(6,\), expected 6x1",
                 id="b1 flat"),
    pytest.param(_replace("parameters/W1", np.array([[np.nan, 0]] * 6)),
                 r"parameter W1 holds NaN or infinite values", id="NaN weights"),
    pytest.param(_add("parameters/b2", np.inf), r"parameter b2 holds NaN or infinite",
                 id="inf bias"),
    pytest.param(_replace("parameters/W3", np.array([[b"a"] * 4])),
                 r"'W3' holds \|S1 values, expected numbers", id="text weights"),
    pytest.param(_replace("layer_dims", np.array([2, 5, 4, 1])),
                 r"'W1' has shape \(6, 2\), expected 5x2", id="dims do not chain"),
    pytest.param(_replace("layer_dims", np.array([2, 6, 4, 3])),
                 r"'W3' has shape \(1, 4\), expected 3x4", id="three outputs"),
    pytest.param(_replace("layer_dims", np.array([2, 6, 4, 51])),
                 r"layer_dims \(2, 6, 4, 51\) should be .*at most 50", id="51 outputs"),
    pytest.param(_replace("layer_dims", np.array([2.0, 6, 4, 1])),
                 r"'layer_dims' holds float64 values", id="float dims"),
    pytest.param(_set_attr("n_x", 3), r"n_x 3 differs from layer_dims\[0\] = 2", id="n_x"),
    pytest.param(_set_attr("dtype", "float16"), r"key 'dtype': dtype must be one of",
                 id="unknown dtype"),
    pytest.param(_set_attr("init", "glorot"), r"key 'init': init must be one of",
                 id="unknown init"),
    pytest.param(_set_attr("learning_rate", 0.0), r"learning rate must be a positive",
                 id="zero lr"),
    pytest.param(_set_attr("learning_rate", "fast"), r"'learning_rate' should be a number",
                 id="text lr"),
    pytest.param(_set_attr("seed", -1), r"seed must be between", id="negative seed"),
    pytest.param(_set_attr("dataset", "mnist"), r"key 'dataset' must be one of", id="dataset"),
    pytest.param(_set_attr("iteration", 29), r"'costs' has shape \(30,\), expected 29",
                 id="costs length"),
    pytest.param(_add("costs", np.nan), r"'costs' holds NaN", id="NaN costs"),
    pytest.param(_replace("evals", np.zeros((2, 4))), r"'evals' has shape \(2, 4\)",
                 id="evals shape"),
    pytest.param(_replace("evals", np.array([[30.0, 0, 0, 0, 0]])),
                 r"'evals' iterations should be whole numbers below 30", id="evals future"),
    pytest.param(_set_attr("image_shape", np.array([1, 1, 3])), r"image_shape .* does not fit",
                 id="image shape"),
]


@pytest.mark.parametrize("change, problem", BAD_CHANGES)
def test_a_damaged_model_file_is_one_clear_error(saved, change, problem):
    path, _ = saved
    with h5py.File(path, "r+") as f:
        change(f)
    assert_model_error(path, problem)


def test_a_missing_file(tmp_path):
    assert_model_error(tmp_path / "none.h5", r"no such file")


def test_a_directory(tmp_path):
    assert_model_error(tmp_path, r"is a folder, not a model file")


@pytest.mark.parametrize("content", [b"", b"W1 = [[1, 2]]\n", b"\x89HDF\r\n"])
def test_not_hdf5(tmp_path, content):
    path = tmp_path / "model.h5"
    path.write_bytes(content)
    assert_model_error(path, r"not an HDF5 file")


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.95])
def test_a_truncated_file(saved, fraction):
    path, _ = saved
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    assert_model_error(path, r"(damaged or truncated model file|not an HDF5 file)")


def test_a_course_data_file_is_not_a_model(tmp_path):
    path = tmp_path / "train.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", data=np.zeros((2, 4, 4, 3), np.uint8))
    assert_model_error(path, r"not a dnnviz model file")


def assert_model_error(path, problem):
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: "), message
    assert re.search(problem, message), message


# --- saving that fails -----------------------------------------------------------------

def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["fsync", "replace", "write"])
def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(saved, monkeypatch, where):
    path, s = saved
    old = path.read_bytes()
    s.run(iterations=5)
    if where == "write":
        def half_write(f, session):
            f.create_dataset("costs", data=np.zeros(10**5))
            _no_space()
        monkeypatch.setattr(persist, "_write", half_write)
    else:
        monkeypatch.setattr(os, where, _no_space)
    with pytest.raises(SaveError) as info:
        save_model(path, s)
    monkeypatch.undo()
    assert "the disk is full" in str(info.value) and "\n" not in str(info.value)
    assert str(path) in str(info.value)
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.h5"]
    assert path.read_bytes() == old and load_model(path).iteration == 30


def test_saving_into_a_missing_folder(saved, tmp_path):
    _, s = saved
    with pytest.raises(SaveError, match=r"the folder .*nowhere does not exist"):
        save_model(tmp_path / "nowhere" / "m.h5", s)
    assert not (tmp_path / "nowhere").exists()
