"""RunConfig: every setting of one training run, and the settings table.

RunConfig's fields are the table: each field's setting(...) says its kind of value,
default, range or choices, help, option, how a change takes effect (DATA: new data and a
new network; REBUILD: a new network; LIVE: the running session takes it) and where it is
kept (config files, model files). Everything else follows from SETTINGS. To add a
setting: one field here, and its rule (below) if its kind and choices do not say it all.

The window and `dnnviz train` both build a RunConfig; its error text is shown verbatim.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from dnnviz.data import BUILTIN_DATASETS, COURSE_DATASET, DATA_DIR_ENV, DRAWN, PLANE
from dnnviz.data.builtin import (
    MAX_NOISE,
    MAX_SAMPLES,
    MAX_TEST_FRACTION,
    MIN_SAMPLES,
    MIN_TEST_FRACTION,
)
from dnnviz.data.dataset import MAX_CLASSES
from dnnviz.data.features import check_features, parse_features
from dnnviz.data.own import MAX_POINTS
from dnnviz.nn import DTYPES, HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS
from dnnviz.nn.output import OUTPUT_CHOICES
from dnnviz.training.pacing import default_speed
from dnnviz.training.rules import (  # noqa: F401 (MAX_UNITS, MAX_LAYERS: the table's limits)
    MAX_LAYERS,
    MAX_UNITS,
    check_features_of,
    check_hidden,
    check_learning_rate,
    check_memory,
    is_image_data,
    open_interval,
    parse_hidden,
)
from dnnviz.training.settings import (
    DATA,
    LIVE,
    REBUILD,
    ConfigError,
    FileName,
    Names,
    Number,
    Points,
    Setting,
    Sizes,
    Text,
    Whole,
    WrongValue,
    between,
    check_value,
    setting,
    settings_of,
)

MAX_ITERATIONS = 10_000_000
MAX_SEED = 2**32 - 1
MAX_L2 = 1e6
MAX_BATCH = 10_000_000

DATASETS = (*BUILTIN_DATASETS, COURSE_DATASET)
# the data settings naming a source; with one of OWN_SOURCES the dataset is only a label
SOURCE_KEYS = ("dataset", "train_file", "test_file", "points_file", "image_folder",
               "drawn_points")
OWN_SOURCES = ("train_file", "points_file", "image_folder", "drawn_points")


# --- the rules that a setting's kind and choices do not say -----------------------------------

def _check_dataset(dataset: str, others: dict) -> None:
    if all(others.get(k) is None for k in OWN_SOURCES) and dataset not in DATASETS:
        raise WrongValue("dataset", f"one of {', '.join(DATASETS)} (or a label for "
                         "your own data)", dataset)


def _check_sources(others: dict) -> None:
    if (others["train_file"] is None) != (others["test_file"] is None):
        raise ConfigError("give both a train file and a test file, or neither")
    given = [SETTINGS[k].flag or k for k in OWN_SOURCES if others[k] is not None]
    if len(given) > 1:
        raise ConfigError(f"give one source of data, not both {given[0]} and {given[1]}")


FILE_NAME = FileName("a file name")
FOLDER_NAME = FileName("a folder name")


@dataclass(frozen=True)
class RunConfig:
    """Every setting of one training run; the settings table (see the module's doc)."""

    dataset: str = setting(
        "flower", Text("a data set"), DATA, flag="--dataset", choices=DATASETS,
        rule=_check_dataset, model="dataset",
        help="built-in data set, or 'cat' for the course files")
    train_file: str | None = setting(
        None, FILE_NAME, DATA, flag="--train-file", model="train_file",
        help="a course-format h5 file of training examples")
    test_file: str | None = setting(
        None, FILE_NAME, DATA, flag="--test-file", model="test_file",
        help="the matching h5 file of test examples")
    points_file: str | None = setting(
        None, FILE_NAME, DATA, flag="--points-file", model="points_file",
        help="your own 2-D points: a CSV file of x1,x2,label lines (label 0 or 1)")
    image_folder: str | None = setting(
        None, FOLDER_NAME, DATA, flag="--image-folder", model="image_folder",
        help="your own pictures: a folder with one sub-folder per class (two), each "
        "picture read at 64x64")
    drawn_points: tuple | None = setting(
        None, Points(MAX_POINTS), DATA,  # model files keep them as an array
        help="points drawn in the window, as [x1, x2, label] rows")
    data_dir: str | None = setting(
        None, FOLDER_NAME, DATA, flag="--data-dir",
        in_config=False,  # the machine's, not the run's
        help="folder holding the course's cat h5 files (default: $DNNVIZ_DATA_DIR); "
        "naming one makes cat the default data set")
    n_samples: int | None = setting(
        None, Whole(MIN_SAMPLES, MAX_SAMPLES), DATA, flag="--samples", model="n_samples",
        help="number of points (or pictures) of a built-in data set; default: the set's own")
    noise: float | None = setting(
        None, Number(0.0, MAX_NOISE), DATA, flag="--noise", model="noise",
        help="noise of a built-in data set; default: the set's own")
    test_fraction: float | None = setting(
        None, Number(MIN_TEST_FRACTION, MAX_TEST_FRACTION), DATA, flag="--test-fraction",
        label="test fraction", model="test_fraction",
        help="the share of each class kept for testing, for built-in sets and your own "
        "points and pictures; default 0.25")
    n_classes: int | None = setting(
        None, Whole(2, MAX_CLASSES), DATA, flag="--classes", label="classes",
        model="n_classes", model_optional=True,
        help="number of classes of a generated blobs or spiral set (K blobs, K arms); "
        "default: the set's own (two)")
    data_seed: int = setting(
        0, Whole(), DATA, flag="--data-seed", rule=between("data seed", 0, MAX_SEED),
        label="data seed", model="data_seed", model_optional=True,
        help="the seed of the data: another value draws a new sample of a built-in set "
        "and splits your own data another way")
    features: tuple[str, ...] = setting(
        PLANE, Names(parse_features, check_features), REBUILD, flag="--features",
        rule=check_features_of, model="features", model_optional=True,
        help="what the network reads of a 2-D point, from x1, x2, x1^2, x2^2, x1x2, "
        "sin x1, sin x2")
    hidden: tuple[int, ...] = setting(
        (8, 4), Sizes(parse_hidden), REBUILD, image=(20, 7, 5), flag="--hidden",
        rule=check_hidden,  # model files keep it as layer_dims
        help="hidden layer sizes, e.g. 20,7,5 ('none' for no hidden layer)")
    activation: str = setting(
        "relu", Text("an activation"), REBUILD, flag="--activation",
        choices=HIDDEN_ACTIVATIONS, model="activation", model_optional=True,
        help="the hidden layers' activation")
    output: str = setting(
        "auto", Text("an output"), REBUILD, flag="--output", choices=OUTPUT_CHOICES,
        model="output", model_optional=True,
        help="the output layer: sigmoid (the lesson's: one unit for two classes, one a class "
        "for more), softmax (one unit a class), or auto (sigmoid for two classes, softmax "
        "for more)")
    learning_rate: float = setting(
        0.3, Number(), LIVE, image=0.0075, flag="--learning-rate", alias="--lr",
        rule=check_learning_rate, label="learning rate", model="learning_rate",
        help="the step size of gradient descent")
    iterations: int = setting(
        3000, Whole(), LIVE, image=2500, flag="--iterations",
        rule=between("iterations", 1, MAX_ITERATIONS), model="target_iterations",
        help="iterations to train (with --load-model: how many more)")
    l2: float = setting(
        0.0, Number(0.0, MAX_L2), LIVE, flag="--l2", label="L2 lambda", model="l2",
        model_optional=True,
        help="L2 regularisation: lambda/(2m) times the sum of every W squared joins the cost")
    keep_prob: float = setting(
        1.0, Number(), LIVE, flag="--keep-prob", label="keep-prob",
        rule=open_interval("keep-prob", 0, 1, low_open=True, high_open=False),
        model="keep_prob", model_optional=True,
        help="dropout: the chance that a hidden unit is kept at a training step (1: none)")
    batch_size: int | None = setting(
        None, Whole(1, MAX_BATCH), REBUILD, flag="--batch-size", label="batch size",
        model="batch_size",
        help="examples per update: mini-batches, reshuffled every epoch from the seed; "
        "default: all of them (batch gradient descent)")
    optimizer: str = setting(
        "gd", Text("an optimiser"), REBUILD, flag="--optimizer", choices=OPTIMIZERS,
        model="optimizer", model_optional=True,
        help="gd (gradient descent), momentum (with --beta) or adam (with --beta1, --beta2, "
        "--epsilon)")
    beta: float = setting(
        0.9, Number(), REBUILD, flag="--beta", rule=open_interval("beta", 0, 1),
        model="beta", model_optional=True, help="momentum's beta")
    beta1: float = setting(
        0.9, Number(), REBUILD, flag="--beta1", rule=open_interval("beta1", 0, 1),
        model="beta1", model_optional=True, help="Adam's beta1 (its momentum)")
    beta2: float = setting(
        0.999, Number(), REBUILD, flag="--beta2", rule=open_interval("beta2", 0, 1),
        model="beta2", model_optional=True, help="Adam's beta2 (its average of dW squared)")
    epsilon: float = setting(
        1e-8, Number(), REBUILD, flag="--epsilon",
        rule=open_interval("epsilon", 0, 1, low_open=True), model="epsilon",
        model_optional=True, help="Adam's epsilon, added to the root of s")
    init: str = setting(
        "he", Text("an init scheme"), REBUILD, image="scaled", flag="--init",
        choices=INIT_SCHEMES, model="init",
        help="how the weights start: randn times 0.01 (small), / sqrt(n_prev) (scaled), "
        "* sqrt(2 / n_prev) (he), or all 0 (zeros)")
    seed: int = setting(
        1, Whole(), REBUILD, flag="--seed", rule=between("seed", 0, MAX_SEED), model="seed",
        help="the random seed of the initial weights")
    dtype: str = setting(
        "float64", Text("a dtype"), REBUILD, flag="--dtype", choices=DTYPES, model="dtype",
        help="the float type of the network's arrays")

    def __post_init__(self):
        values = {name: getattr(self, name) for name in SETTINGS}
        for name, entry in SETTINGS.items():
            object.__setattr__(self, name, check_value(entry, values[name], values))
        _check_sources(values)

    def with_suggested(self, is_image: bool) -> RunConfig:
        """This config with the network settings that suit image or 2-D data (and its
        data set, for those in DATASET_SETTINGS)."""
        return replace(self, **suggested_settings(is_image, self.dataset))

    def with_changes(self, **changes) -> RunConfig:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Every setting, as JSON keeps it (tuples as lists)."""
        return {name: _as_lists(getattr(self, name)) for name in SETTINGS}

    @property
    def data_label(self) -> str:
        return Path(self.train_file).stem if self.train_file else self.dataset

    @property
    def is_image(self) -> bool:
        return is_image_data(self.dataset, self.train_file, self.image_folder)

    def options_text(self) -> str:
        """The options beyond the lesson's network, in a few words ('' when there are none):
        'tanh · adam · batch 64 · L2 0.7 · keep-prob 0.5 · x1,x2,x1^2'."""
        words = [self.activation if self.activation != "relu" else "",
                 self.optimizer if self.optimizer != "gd" else "",
                 f"batch {self.batch_size}" if self.batch_size else "",
                 f"L2 {self.l2:g}" if self.l2 else "",
                 f"keep-prob {self.keep_prob:g}" if self.keep_prob != 1 else "",
                 ",".join(self.features) if self.features != PLANE else ""]
        return " · ".join(word for word in words if word)

    def network_options(self) -> dict:
        """DeepNeuralNetwork's keyword arguments for this run's network."""
        return {name: getattr(self, name) for name in NETWORK_KEYWORDS}


SETTINGS: dict[str, Setting] = settings_of(RunConfig)
NETWORK_KEYWORDS = ("init", "seed", "dtype", "activation", "l2", "keep_prob", "optimizer",
                    "beta", "beta1", "beta2", "epsilon")
DATA_KEYS = tuple(name for name, s in SETTINGS.items() if s.change == DATA and s.in_config)

# Settings that train well, by kind of data: the course's L-layer net for images, a small
# He-initialised net for the 2-D sets. The window switches to them when the kind changes.
IMAGE_SETTINGS = {name: s.image for name, s in SETTINGS.items() if s.follows_data}
PLANAR_SETTINGS = {name: s.default for name, s in SETTINGS.items() if s.follows_data}


# Settings that suit one built-in set better than its kind's (the digits: 8x8 pictures, ten
# classes, learn in seconds with one hidden layer and a larger rate).
DATASET_SETTINGS = {
    "digits": {"hidden": (32,), "learning_rate": 0.1, "iterations": 2000, "init": "he"},
}


def suggested_settings(is_image: bool, dataset: str | None = None) -> dict:
    """The network settings that suit the kind of data, and this data set."""
    kind = IMAGE_SETTINGS if is_image else PLANAR_SETTINGS
    return {**kind, **DATASET_SETTINGS.get(dataset, {})}


def source_of(config: RunConfig) -> dict:
    """The settings naming the config's own data ({} for a built-in set or the cat files)."""
    return {k: getattr(config, k) for k in (*OWN_SOURCES, "test_file")
            if getattr(config, k) is not None}


def with_source(config: RunConfig, **source) -> RunConfig:
    """config on other data: the source given (dataset=..., or own data such as
    points_file=...); every other source, and a sample count, noise or class count of the
    old data, dropped. The test fraction and the data seed stay."""
    cleared = {k: None for k in (*OWN_SOURCES, "test_file", "n_samples", "noise",
                                 "n_classes")}
    source = {**cleared, **source}
    if is_image_data(source.get("dataset", config.dataset), source["train_file"],
                     source["image_folder"]):
        source["features"] = PLANE  # pictures are read as they are
    return config.with_changes(**source)


def check_setting(name: str, value):
    """value, checked as the setting `name` takes it (ConfigError if not)."""
    return check_value(SETTINGS[name], value)


def same_data(a: RunConfig, b: RunConfig) -> bool:
    """Whether a and b train on the same data (every DATA setting equal, data_dir too)."""
    return all(getattr(a, name) == getattr(b, name)
               for name, s in SETTINGS.items() if s.change == DATA)


def watch_speed(is_image: bool) -> float:
    """The default speed (iterations per second) for the kind of data: the kind's default
    run then lasts about pacing.WATCH_SECONDS on screen."""
    return default_speed((IMAGE_SETTINGS if is_image else PLANAR_SETTINGS)["iterations"])


def config_with_defaults(values: dict) -> RunConfig:
    """A RunConfig from the settings given; None or missing means "not given".

    The data set defaults to the course's cat files when a course-data folder is named,
    as data_dir or in $DNNVIZ_DATA_DIR, and no data set or files are given; whether the
    folder holds the files is the loader's business. Network settings not given follow the
    kind of data: IMAGE_SETTINGS for images, PLANAR_SETTINGS for the 2-D sets.
    Raises ConfigError.
    """
    given = {k: v for k, v in values.items() if v is not None}
    dataset = given.get("dataset") or source_label(given)
    if dataset is None:
        folder = given.get("data_dir") or os.environ.get(DATA_DIR_ENV, "").strip()
        cat = folder and not given.get("train_file")
        dataset = COURSE_DATASET if cat else RunConfig.dataset
    own = any(given.get(k) is not None for k in OWN_SOURCES)
    suggested = suggested_settings(
        is_image_data(dataset, given.get("train_file"), given.get("image_folder")),
        None if own else dataset)
    return RunConfig(**{**suggested, **given, "dataset": dataset})


def _as_lists(value):
    return [_as_lists(v) for v in value] if isinstance(value, tuple) else value


def source_label(values: dict) -> str | None:
    """The name of the own data (points, pictures or drawn) these settings give, if any;
    an h5 pair is named by its loader."""
    own = [k for k in OWN_SOURCES[1:] if values.get(k) is not None]
    return own_label(own[0], values[own[0]]) if own else None


def own_label(source: str, value) -> str:
    """The name of your own data set: the file's or folder's, or "drawn"."""
    if source == "drawn_points":
        return DRAWN
    return Path(os.path.expanduser(str(value))).resolve().name or str(value) \
        if source == "image_folder" else Path(str(value)).stem or str(value)


def override(base: dict, changes: dict) -> dict:
    """base updated by the changes that are not None.

    Naming another data source (dataset or files) drops all of base's data settings, so
    a file's noise or sample count never carries over to a different data set.
    """
    out = dict(base)
    if any(changes.get(k) is not None for k in SOURCE_KEYS):
        for key in DATA_KEYS:
            out.pop(key, None)
    out.update({k: v for k, v in changes.items() if v is not None})
    return out
