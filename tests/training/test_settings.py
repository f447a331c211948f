"""The settings table: options, config keys, model attributes and data keys all follow it."""

import json
import re

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnnviz.cli import RUN_OPTIONS, build_parser, config_from_args, main
from dnnviz.data import FEATURES
from dnnviz.nn import DTYPES, HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS
from dnnviz.training import ConfigError, RunConfig, Session, load_data
from dnnviz.training.config import (
    DATA_KEYS,
    DATASETS,
    IMAGE_SETTINGS,
    MAX_BATCH,
    MAX_ITERATIONS,
    MAX_SEED,
    PLANAR_SETTINGS,
    SETTINGS,
    config_with_defaults,
    same_data,
)
from dnnviz.training.config_file import RUN_KEYS, load_config, save_config, values_from_dict
from dnnviz.training.persist import MODEL_SETTINGS, read_model, save_model
from dnnviz.training.settings import DATA, VIEW_KEYS, ViewOptions
from dnnviz.training.snapshot import FrameRequest

PATHS = st.from_regex(r"/[a-z]{1,8}/[a-z0-9_]{1,8}\.h5", fullmatch=True)
FOLDERS = st.from_regex(r"/[a-z]{1,8}(/[a-z]{1,8})?", fullmatch=True)
COORDINATES = st.floats(-1e6, 1e6, allow_nan=False)
UNIT = dict(allow_nan=False, exclude_max=True)
# A valid value of every setting; a new setting needs one here (test_every_setting_...).
VALUES = {
    "dataset": st.sampled_from(DATASETS),
    "train_file": PATHS,
    "test_file": PATHS,
    "points_file": PATHS,
    "image_folder": FOLDERS,
    "drawn_points": st.lists(st.tuples(COORDINATES, COORDINATES, st.sampled_from([0, 1])),
                             max_size=20).map(tuple),
    "data_dir": FOLDERS,
    "n_samples": st.integers(4, 100_000),
    "noise": st.floats(0.0, 10.0),
    "test_fraction": st.floats(0.05, 0.9),
    "n_classes": st.integers(2, 50),
    "data_seed": st.integers(0, MAX_SEED),
    "features": st.sets(st.sampled_from(tuple(FEATURES)), min_size=1).map(
        lambda names: tuple(n for n in FEATURES if n in names)),
    "hidden": st.lists(st.integers(1, 100_000), max_size=50).map(tuple),
    "activation": st.sampled_from(HIDDEN_ACTIVATIONS),
    "output": st.sampled_from(("auto", "sigmoid", "softmax")),
    "learning_rate": st.floats(1e-9, 1000.0),
    "iterations": st.integers(1, MAX_ITERATIONS),
    "l2": st.floats(0.0, 1e6),
    "keep_prob": st.floats(0.0, 1.0, exclude_min=True),
    "batch_size": st.integers(1, MAX_BATCH),
    "optimizer": st.sampled_from(OPTIMIZERS),
    "beta": st.floats(0.0, 1.0, **UNIT),
    "beta1": st.floats(0.0, 1.0, **UNIT),
    "beta2": st.floats(0.0, 1.0, **UNIT),
    "epsilon": st.floats(0.0, 1.0, exclude_min=True, **UNIT),
    "init": st.sampled_from(INIT_SCHEMES),
    "seed": st.integers(0, MAX_SEED),
    "dtype": st.sampled_from(DTYPES),
}
PARTNER = {"train_file": "test_file", "test_file": "train_file"}  # given together or not
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def one_setting(draw, names=tuple(SETTINGS)):
    """(name, the changes that set it to a drawn value: its partner file too)."""
    name = draw(st.sampled_from(names))
    changes = {name: draw(VALUES[name])}
    if name in PARTNER:
        changes[PARTNER[name]] = draw(PATHS)
    return name, changes


def test_every_setting_has_test_values_and_a_complete_entry():
    assert set(VALUES) == set(SETTINGS)
    for name, entry in SETTINGS.items():
        assert entry.name == name and entry.change in ("data", "rebuild", "live")
        assert entry.help and entry.kind.what
        assert entry.default == getattr(RunConfig(), name)


def _option_text(entry, value) -> str:
    return repr(value) if isinstance(value, float) else entry.kind.text(value)


@FUZZ
@given(one_setting(names=RUN_OPTIONS))
def test_every_option_sets_its_setting(setting):
    name, changes = setting
    argv = [f"{SETTINGS[k].flag}={_option_text(SETTINGS[k], v)}" for k, v in changes.items()]
    args = build_parser(train=True).parse_args(argv)
    config = config_from_args(args)
    assert {k: getattr(config, k) for k in changes} == changes


def test_every_setting_with_an_option_has_one_and_its_help_says_its_default(capsys):
    assert set(RUN_OPTIONS) == {n for n, s in SETTINGS.items() if s.flag}
    with pytest.raises(SystemExit):
        build_parser(train=True).parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name in RUN_OPTIONS:
        entry = SETTINGS[name]
        assert entry.flag in text and " ".join(entry.help.split()) in text
        if entry.follows_data:
            show = entry.kind.text
            assert (f"default {show(IMAGE_SETTINGS[name])} for images, "
                    f"{show(PLANAR_SETTINGS[name])} for 2-D data") in text


@pytest.mark.parametrize("name", RUN_OPTIONS)
def test_an_empty_option_is_one_line_naming_it(capsys, name):
    assert main(["train", f"{SETTINGS[name].flag}="]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"argument {SETTINGS[name].flag}" in err, err


@FUZZ
@given(one_setting(names=RUN_KEYS))
def test_every_config_key_round_trips(tmp_path_factory, setting):
    name, changes = setting
    config = RunConfig(**changes)
    path = tmp_path_factory.mktemp("config") / "run.json"
    save_config(path, config)
    assert json.loads(path.read_text())[name] == config.to_dict()[name]
    loaded, _ = load_config(path)
    assert {k: getattr(loaded, k) for k in changes} == changes


def test_config_files_keep_exactly_the_settings_marked_so():
    assert RUN_KEYS == tuple(n for n, s in SETTINGS.items() if s.in_config)
    assert "data_dir" not in RUN_KEYS  # the machine's folder, not the run's


@pytest.mark.parametrize("name", RUN_KEYS)
def test_a_config_value_of_another_kind_is_one_line_naming_the_key(tmp_path, name):
    path = tmp_path / "run.json"
    path.write_text(json.dumps({name: {"a": 1}}))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message == (f"{path}: key {name!r} must be {SETTINGS[name].kind.what}, "
                       'not {"a": 1}')


@FUZZ
@given(one_setting())
def test_the_window_and_the_config_file_refuse_the_same_values(setting):
    """One check: RunConfig and a config dict agree on every value, good or bad."""
    name, changes = setting
    bad = {**changes, name: {"hidden": "x", "dataset": "mnist"}.get(name, -1)}
    for values in (changes, bad):
        try:
            RunConfig(**values)
            ok = True
        except ConfigError:
            ok = False
        if name in RUN_KEYS:
            try:
                values_from_dict(values)
                assert ok, values
            except ConfigError:
                assert not ok, values


@FUZZ
@given(one_setting())
def test_same_data_means_every_data_setting_is_the_same(setting):
    name, changes = setting
    base = RunConfig(dataset="moons")
    changed = base.with_changes(**changes)
    differs = any(getattr(base, k) != getattr(changed, k) for k in changes)
    is_data = SETTINGS[name].change == DATA
    assert same_data(base, changed) == (not (differs and is_data))


def test_data_keys_are_the_data_settings_a_run_keeps():
    assert DATA_KEYS == ("dataset", "train_file", "test_file", "points_file", "image_folder",
                         "drawn_points", "n_samples", "noise", "test_fraction", "n_classes",
                         "data_seed")
    assert all(SETTINGS[k].change == DATA for k in DATA_KEYS)


# --- model files -------------------------------------------------------------------------

# The attributes model files of format version 1 have always had: still read as they were.
V1_SETTING_ATTRS = {"dataset", "train_file", "test_file", "n_samples", "noise", "init", "seed",
                    "dtype", "learning_rate", "target_iterations"}
V1_OTHER_ATTRS = {"format", "version", "iteration", "n_x", "image_shape", "stopped_reason"}
V1_ARRAYS = {"layer_dims", "parameters", "costs", "evals", "last_step"}


def _pictures(folder):
    rng = np.random.default_rng(0)
    paths = []
    for split in ("train", "test"):
        path = folder / f"{split}.h5"
        with h5py.File(path, "w") as f:
            f[f"{split}_set_x"] = rng.integers(0, 256, (6, 4, 4, 3), dtype=np.uint8)
            f[f"{split}_set_y"] = np.arange(6) % 2
        paths.append(str(path))
    return paths


def grey(path, shape):
    """A stand-in for the window's picture decoder: a grey as light as the name is long."""
    return np.full(shape, 10 * len(str(path)) % 256, dtype=np.uint8)


def _picture_folder(folder):
    for name in ("cats", "dogs"):
        (folder / name).mkdir(parents=True)
        for i in range(3):
            (folder / name / f"{name}{'x' * i}.png").write_bytes(b"")
    return str(folder)


@pytest.fixture
def model_configs(tmp_path):
    """Runs that, between them, give every model setting a value not its default."""
    train, test = _pictures(tmp_path)
    points = tmp_path / "points.csv"
    points.write_text("x1,x2,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(9)))
    return [
        RunConfig(dataset="xor", n_samples=40, noise=0.3, test_fraction=0.4, data_seed=5,
                  features=("x1", "x2", "x1x2"), hidden=(3,), activation="tanh",
                  learning_rate=0.05, iterations=9, l2=0.1, keep_prob=0.8, batch_size=8,
                  optimizer="adam", beta1=0.8, beta2=0.99, epsilon=1e-6, init="small", seed=7,
                  dtype="float32"),
        RunConfig(dataset="mine", train_file=train, test_file=test, hidden=(2,),
                  iterations=4, optimizer="momentum", beta=0.5),
        RunConfig(dataset="points", points_file=str(points), hidden=(2,), iterations=4),
        RunConfig(dataset="pets", image_folder=_picture_folder(tmp_path / "pets"),
                  hidden=(2,), iterations=4, init="scaled", learning_rate=0.01),
        RunConfig(dataset="spiral", n_classes=3, n_samples=60, output="sigmoid", hidden=(3,),
                  iterations=4),
    ]


def test_every_model_setting_round_trips_through_its_attribute(tmp_path, model_configs):
    assert set(MODEL_SETTINGS) == {n for n, s in SETTINGS.items() if s.model}
    for name, entry in MODEL_SETTINGS.items():
        assert any(getattr(c, name) != entry.default for c in model_configs), name
    for i, config in enumerate(model_configs):
        session = Session(config, load_data(config, decode=grey))
        session.run(iterations=2)
        path = tmp_path / f"m{i}.h5"
        save_model(path, session)
        with h5py.File(path, "r") as f:
            for name, entry in MODEL_SETTINGS.items():
                assert (entry.model in f.attrs) == (getattr(config, name) is not None)
        assert read_model(path).config == config


def test_a_file_with_only_the_version_1_attributes_still_loads(tmp_path, model_configs):
    """A setting added to the table later is missing from older files: they still load."""
    assert {s.model for s in MODEL_SETTINGS.values()} >= V1_SETTING_ATTRS
    session = Session(model_configs[0])
    session.run(iterations=2)
    path = tmp_path / "m.h5"
    save_model(path, session)
    with h5py.File(path, "r+") as f:
        assert V1_SETTING_ATTRS - {"train_file", "test_file"} <= set(f.attrs)
        for name in set(f.attrs) - V1_SETTING_ATTRS - V1_OTHER_ATTRS:
            del f.attrs[name]
        for name in set(f) - V1_ARRAYS:
            del f[name]
        f.attrs["version"] = 1
    kept = {name: getattr(model_configs[0], name) for name, entry in SETTINGS.items()
            if entry.model in V1_SETTING_ATTRS or name == "hidden"}
    assert read_model(path).config == config_with_defaults(kept)  # newer ones: defaults


def test_a_required_model_attribute_is_named_when_missing(tmp_path, model_configs):
    session = Session(model_configs[0])
    path = tmp_path / "m.h5"
    save_model(path, session)
    required = [s.model for s in MODEL_SETTINGS.values()
                if not (s.optional or s.model_optional)]
    assert "seed" in required
    for attr in required:
        copy = tmp_path / f"no-{attr}.h5"
        copy.write_bytes(path.read_bytes())
        with h5py.File(copy, "r+") as f:
            del f.attrs[attr]
        with pytest.raises(ValueError, match=re.escape(f"missing attribute {attr!r}")):
            read_model(copy)


# --- view options ------------------------------------------------------------------------

VIEWS = st.fixed_dictionaries({}, optional={
    "gradients": st.booleans(), "log_scale": st.booleans(),
    "split": st.sampled_from(["train", "test"]), "index": st.integers(0, 10**9),
    "hist_log": st.booleans(), "test_points": st.booleans()})


@FUZZ
@given(VIEWS)
def test_view_options_round_trip_with_defaults_for_the_rest(tmp_path_factory, view):
    path = tmp_path_factory.mktemp("view") / "run.json"
    save_config(path, RunConfig(), view)
    _, loaded = load_config(path)
    assert loaded == {**ViewOptions().as_dict(), **view}
    assert tuple(loaded) == VIEW_KEYS


def test_a_frame_request_carries_the_view_options():
    request = FrameRequest(parts={"hists"}, gradients=True, split="train", index=3)
    assert request.as_dict() == {"gradients": True, "log_scale": False, "data_cost": False,
                                 "split": "train", "index": 3, "hist_log": False,
                                 "test_points": True}
    with pytest.raises(ConfigError, match=r"view\.split must be 'train' or 'test'"):
        FrameRequest(split="validation")
