"""RunConfig: every setting of one training run, and the settings table.

RunConfig's fields are the table: each field's setting(...) says its kind of value,
default, range or choices, help, option, how a change takes effect (DATA: new data and a
new network; REBUILD: a new network; LIVE: the running session takes it) and where it is
kept (config files, model files). Everything else follows from SETTINGS. To add a
setting: one field here, and its rule (below) if its kind and choices do not say it all.

The window and `dnnviz train` both build a RunConfig; its error text is shown verbatim.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

from dnnviz.data import BUILTIN_DATASETS, COURSE_DATASET, DATA_DIR_ENV
from dnnviz.data.builtin import MAX_NOISE, MAX_SAMPLES, MIN_SAMPLES
from dnnviz.nn import DTYPES, INIT_SCHEMES
from dnnviz.training.pacing import default_speed
from dnnviz.training.settings import (
    DATA,
    LIVE,
    REBUILD,
    ConfigError,
    Number,
    Setting,
    Sizes,
    Text,
    Whole,
    WrongValue,
    between,
    check_value,
    setting,
    settings_of,
    show_int,
)

MAX_UNITS = 100_000
MAX_LAYERS = 50
MAX_ITERATIONS = 10_000_000
MAX_LEARNING_RATE = 1000.0
MAX_SEED = 2**32 - 1
MEMORY_LIMIT_BYTES = 4 * 2**30

DATASETS = (*BUILTIN_DATASETS, COURSE_DATASET)
IMAGE_DATASETS = (COURSE_DATASET, "shapes")
SOURCE_KEYS = ("dataset", "train_file", "test_file")  # the data settings naming a source


def is_image_data(dataset: str | None, train_file: str | None) -> bool:
    """Whether these data settings give images (course files or the generated shapes)."""
    return bool(train_file) or dataset in IMAGE_DATASETS


def parse_hidden(text: str) -> tuple[int, ...]:
    """'20,7,5' -> (20, 7, 5); 'none' -> () (no hidden layer: logistic regression)."""
    text = text.strip()
    if text.lower() == "none":
        return ()
    if not text:
        raise ConfigError("hidden layers: empty; give sizes like 20,7,5 (or 'none')")
    sizes = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        try:
            sizes.append(int(part))
        except ValueError:
            raise ConfigError(f"hidden layers: {part!r} is not a whole number") from None
    _check_hidden(tuple(sizes), {})
    return tuple(sizes)


# --- the rules that a setting's kind and choices do not say -----------------------------------

def _check_dataset(dataset: str, others: dict) -> None:
    if others.get("train_file") is None and dataset not in DATASETS:
        raise WrongValue("dataset", f"one of {', '.join(DATASETS)} (or a label for "
                         "train_file)", dataset)


def _check_hidden(hidden: tuple, _others) -> None:
    if len(hidden) > MAX_LAYERS:
        raise ConfigError(f"at most {MAX_LAYERS} hidden layers, not {len(hidden)}")
    for i, n in enumerate(hidden, start=1):
        if n < 1:
            raise ConfigError(f"hidden layer {i}: units must be at least 1, not {show_int(n)}")
        if n > MAX_UNITS:
            per_example = 3 * n * 8  # estimate_bytes' activations of this layer, float64
            raise ConfigError(
                f"hidden layer {i}: {show_int(n)} units is too many (at most {MAX_UNITS:,}); "
                f"training would need about {_size(per_example)} of memory per example "
                "for that layer alone"
            )


def _check_learning_rate(value, _others) -> None:
    if (isinstance(value, float) and not math.isfinite(value)) or value <= 0:
        shown = value if isinstance(value, float) else show_int(value)
        raise ConfigError(f"learning rate must be a positive finite number, not {shown}")
    if value > MAX_LEARNING_RATE:  # an int too big for a float: no :g
        shown = f"{value:g}" if isinstance(value, float) else show_int(value)
        raise ConfigError(f"learning rate must be at most {MAX_LEARNING_RATE:g}, not {shown}")


def _check_files(others: dict) -> None:
    if (others["train_file"] is None) != (others["test_file"] is None):
        raise ConfigError("give both a train file and a test file, or neither")


FILE_NAME = Text("a file name")


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
    data_dir: str | None = setting(
        None, Text("a folder"), DATA, flag="--data-dir",
        in_config=False,  # the machine's, not the run's
        help="folder holding the course's cat h5 files (default: $DNNVIZ_DATA_DIR); "
        "naming one makes cat the default data set")
    n_samples: int | None = setting(
        None, Whole(MIN_SAMPLES, MAX_SAMPLES), DATA, flag="--samples", model="n_samples",
        help="number of points (or pictures) of a built-in data set; default: the set's own")
    noise: float | None = setting(
        None, Number(0.0, MAX_NOISE), DATA, flag="--noise", model="noise",
        help="noise of a built-in data set; default: the set's own")
    hidden: tuple[int, ...] = setting(
        (8, 4), Sizes(parse_hidden), REBUILD, image=(20, 7, 5), flag="--hidden",
        rule=_check_hidden,  # model files keep it as layer_dims
        help="hidden layer sizes, e.g. 20,7,5 ('none' for no hidden layer)")
    learning_rate: float = setting(
        0.3, Number(), LIVE, image=0.0075, flag="--learning-rate", alias="--lr",
        rule=_check_learning_rate, label="learning rate", model="learning_rate",
        help="the step size of gradient descent")
    iterations: int = setting(
        3000, Whole(), LIVE, image=2500, flag="--iterations",
        rule=between("iterations", 1, MAX_ITERATIONS), model="target_iterations",
        help="iterations to train (with --load-model: how many more)")
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
        _check_files(values)

    def with_suggested(self, is_image: bool) -> RunConfig:
        """This config with the network settings that suit image or 2-D data."""
        return replace(self, **(IMAGE_SETTINGS if is_image else PLANAR_SETTINGS))

    def with_changes(self, **changes) -> RunConfig:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Every setting, as JSON keeps it (hidden as a list)."""
        out = {name: getattr(self, name) for name in SETTINGS}
        out["hidden"] = list(self.hidden)
        return out

    @property
    def data_label(self) -> str:
        return Path(self.train_file).stem if self.train_file else self.dataset


SETTINGS: dict[str, Setting] = settings_of(RunConfig)
DATA_KEYS = tuple(name for name, s in SETTINGS.items() if s.change == DATA and s.in_config)

# Settings that train well, by kind of data: the course's L-layer net for images, a small
# He-initialised net for the 2-D sets. The window switches to them when the kind changes.
IMAGE_SETTINGS = {name: s.image for name, s in SETTINGS.items() if s.follows_data}
PLANAR_SETTINGS = {name: s.default for name, s in SETTINGS.items() if s.follows_data}


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
    dataset = given.get("dataset")
    if dataset is None:
        folder = given.get("data_dir") or os.environ.get(DATA_DIR_ENV, "").strip()
        cat = folder and not given.get("train_file")
        dataset = COURSE_DATASET if cat else RunConfig.dataset
    suggested = IMAGE_SETTINGS if is_image_data(dataset, given.get("train_file")) \
        else PLANAR_SETTINGS
    return RunConfig(**{**suggested, **given, "dataset": dataset})


def _size(n_bytes: float) -> str:
    if n_bytes >= 2**50:
        return "over a million GiB"
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return f"{n_bytes:,.0f} {unit}"
        n_bytes /= 1024


def estimate_bytes(layer_dims, m: int, itemsize: int) -> int:
    """Rough peak memory of training: weights, gradients and one update temp; activations."""
    weights = sum(a * b + b for a, b in zip(layer_dims[:-1], layer_dims[1:]))
    activations = sum(layer_dims[1:]) * m
    return (3 * weights + 3 * activations) * itemsize


def check_memory(layer_dims, m: int, itemsize: int) -> None:
    need = estimate_bytes(layer_dims, m, itemsize)
    if need > MEMORY_LIMIT_BYTES:
        dims = " -> ".join(str(n) for n in layer_dims)
        raise ConfigError(
            f"network {dims} would need about {need / 2**30:,.1f} GiB of memory to train "
            f"on {m} examples (limit {MEMORY_LIMIT_BYTES / 2**30:.0f} GiB); use fewer units"
        )


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
