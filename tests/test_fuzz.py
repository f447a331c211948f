"""Fuzzing: the option parser, config dicts and the h5 loaders never fail but in one line."""

import contextlib
import io
import tempfile
from pathlib import Path

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dnnviz.app
import dnnviz.train_cli
from dnnviz.cli import main
from dnnviz.data import DataError, Dataset, load_course_h5
from dnnviz.training import ConfigError, RunConfig, Session, config_from_dict, save_model
from dnnviz.training.persist import ModelFileError, load_model

FUZZ = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Paths the option fuzzer may name: a model, a config, course files, junk, nothing."""
    d = tmp_path_factory.mktemp("fuzz")
    s = Session(RunConfig(dataset="xor", n_samples=40, hidden=(3,), iterations=10))
    s.run(iterations=4)
    save_model(d / "model.h5", s)
    (d / "run.json").write_text('{"dataset": "xor", "n_samples": 40, "hidden": [2]}')
    (d / "bad.json").write_text('{"hidden": "abc"}')
    (d / "junk.h5").write_bytes(b"junk")
    images = np.random.default_rng(0).integers(0, 256, (6, 4, 4, 3), dtype=np.uint8)
    for split in ("train", "test"):
        with h5py.File(d / f"{split}.h5", "w") as f:
            f[f"{split}_set_x"], f[f"{split}_set_y"] = images, np.arange(6) % 2
    return d


# --- the option parser -------------------------------------------------------------------

NUMBERS = ["0", "1", "3", "-1", "nan", "inf", "-inf", "1e3", "0.5", "4294967296", "x", "",
           "99999999999999999999", "1" * 5000]
VALUES = {
    "--dataset": ["xor", "moons", "shapes", "cat", "mnist", ""],
    "--hidden": ["3", "2,2", "none", "", "0", "-3", "x", "10000000", "3,,4", " 3 ", "1" * 60],
    "--learning-rate": NUMBERS, "--lr": NUMBERS, "--iterations": NUMBERS, "--seed": NUMBERS,
    "--samples": ["40", "2", "-1", "x", "99999999"], "--noise": ["0.1", "-1", "nan", "11"],
    "--init": ["he", "zeros", "glorot"], "--dtype": ["float32", "float64", "float16"],
    "--print-every": ["0", "-5", "x"], "--exit-after": ["0", "5", "x"],
}
PATH_OPTIONS = ["--train-file", "--test-file", "--data-dir", "--config", "--load-model",
                "--report", "--save-model", "--export-costs", "--screenshot"]
PATH_NAMES = ["model.h5", "run.json", "bad.json", "junk.h5", "train.h5", "test.h5", "none",
              "no/where.h5", "", "."]


@st.composite
def argv(draw):
    words = []
    for _ in range(draw(st.integers(0, 6))):
        option = draw(st.sampled_from([*VALUES, *PATH_OPTIONS, "--autostart", "--bogus"]))
        words.append(option)
        if option in VALUES:
            words.append(draw(st.sampled_from(VALUES[option]) | st.text(max_size=6).filter(
                lambda t: not t.startswith("-"))))
        elif option in PATH_OPTIONS:
            words.append("@" + draw(st.sampled_from(PATH_NAMES)))  # a path in `files`
    return words


@FUZZ
@given(words=argv(), train=st.booleans())
def test_the_option_parser_answers_in_one_line(files, words, train):
    words = [str(files / w[1:]) if w.startswith("@") else w for w in words]
    seen = []

    def fake(config, args):
        assert isinstance(config, RunConfig)
        assert args.loaded_session is None or isinstance(args.loaded_session, Session)
        assert isinstance(args.view_options, dict)
        seen.append(config)
        return 0

    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stderr(err), \
            contextlib.redirect_stdout(io.StringIO()):
        mp.setattr(dnnviz.train_cli, "run_train", fake)
        mp.setattr(dnnviz.app, "run_app", fake)
        code = main((["train"] if train else []) + words)
    prog = "dnnviz train" if train else "dnnviz"
    event(f"exit code {code}")
    if code == 0:
        assert len(seen) == 1 and err.getvalue() == ""
    else:
        assert code == 2 and not seen
        text = err.getvalue()
        assert text.startswith(f"{prog}: error: ") and text.count("\n") == 1, text
    assert sorted(p.name for p in files.iterdir()) == sorted(
        ["model.h5", "run.json", "bad.json", "junk.h5", "train.h5", "test.h5"])


# --- config dicts ------------------------------------------------------------------------

KEYS = ["dataset", "train_file", "test_file", "n_samples", "noise", "hidden", "learning_rate",
        "iterations", "init", "seed", "dtype", "view", "dnnviz_config", "title"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=10)
plausible = st.sampled_from([None, "xor", "cat", "he", "float32", 1, 40, 0.5, [3, 2], [],
                             {"split": "train"}, {"gradients": True, "index": 2}, 10**400])


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), plausible | json_values,
                       max_size=6))
def test_config_from_dict_gives_a_config_or_one_line(d):
    try:
        config = config_from_dict(d, where="fuzz.json")
    except ConfigError as exc:
        event("ConfigError")
        assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
    else:
        event("RunConfig")
        assert isinstance(config, RunConfig)


# --- h5 loaders --------------------------------------------------------------------------

DTYPES = [np.uint8, np.int8, np.int64, np.float16, np.float32, np.float64, np.bool_,
          np.complex64, "S3"]


@st.composite
def h5_arrays(draw, max_dims=5):
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4))
    if dtype.kind == "f":
        elements = st.floats(width=8 * dtype.itemsize if dtype.itemsize < 8 else 64,
                             allow_nan=True, allow_infinity=True)
    elif dtype.kind in "iu":
        elements = st.sampled_from([0, 1, 2, 3, 100]).map(
            lambda v: -v if dtype.kind == "i" and v == 3 else v)
    else:
        elements = None
    return draw(hnp.arrays(dtype, shape, elements=elements))


COURSE_KEYS = ["train_set_x", "train_set_y", "list_classes", "test_set_x", "a_set_y", "x"]


def _write(path, arrays: dict):
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f.create_dataset(key, data=value)


VALID_TRAIN = {"train_set_x": np.full((4, 4, 4, 3), 7, np.uint8),
               "train_set_y": np.array([0, 1, 1, 0])}


@FUZZ
@given(st.dictionaries(st.sampled_from(COURSE_KEYS), h5_arrays(), max_size=3),
       st.booleans(), st.sampled_from([None, None, 0.3, 0.7]))
def test_course_loader_gives_data_or_one_line(files, arrays, from_valid, cut):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "train.h5"
        _write(path, {**VALID_TRAIN, **arrays} if from_valid else arrays)
        if cut is not None:
            data = path.read_bytes()
            path.write_bytes(data[: int(len(data) * cut)])
        try:
            data = load_course_h5(path, files / "test.h5")
        except DataError as exc:
            event("DataError")
            assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        else:
            event("Dataset")
            assert isinstance(data, Dataset) and np.isfinite(data.X_train).all()


MODEL_NAMES = ["format", "version", "dataset", "n_samples", "noise", "init", "seed", "dtype",
               "learning_rate", "iteration", "target_iterations", "n_x", "image_shape",
               "train_file", "layer_dims", "costs", "evals", "parameters/W1", "parameters/b2",
               "parameters/W3", "parameters", "last_step", "last_step/dW1"]
attr_values = (st.integers(-2**63, 2**63 - 1) | st.floats() | st.text(max_size=6)
               | st.binary(max_size=4) | st.booleans() | h5_arrays(max_dims=2))
change = st.tuples(st.sampled_from(["attr", "delete", "array"]), st.sampled_from(MODEL_NAMES),
                   attr_values)


def _apply(f, kind, name, value):
    if kind == "delete":
        if name in f.attrs:
            del f.attrs[name]
        elif name in f:
            del f[name]
    elif kind == "attr":
        f.attrs[name] = value
    else:
        if name in f:
            del f[name]
        f.create_dataset(name, data=value if isinstance(value, np.ndarray) else np.asarray(
            value if not isinstance(value, str) else value.encode()))


@FUZZ
@given(st.lists(change, min_size=1, max_size=4))
def test_model_loader_gives_a_session_or_one_line(files, changes):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "model.h5"
        path.write_bytes((files / "model.h5").read_bytes())
        with h5py.File(path, "r+") as f:
            for kind, name, value in changes:
                with contextlib.suppress(ValueError, TypeError):  # h5py cannot store it
                    _apply(f, kind, name, value)
        try:
            session = load_model(path)
        except (ModelFileError, DataError) as exc:
            event(type(exc).__name__)
            assert "\n" not in str(exc) and str(path) in str(exc), str(exc)
        else:
            event("Session")
            assert isinstance(session, Session)
            session.run(iterations=2)
