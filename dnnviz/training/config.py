"""RunConfig: every setting of one training run, validated in one place.

The window and `dnnviz train` both build one; its error text is shown verbatim.
Each field is tagged by how a change takes effect: "live" (the running session picks it
up), "rebuild" (a new network), or "data" (new data and a new network).
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from dnnviz.data import BUILTIN_DATASETS, COURSE_DATASET, DATA_DIR_ENV
from dnnviz.nn import DTYPES, INIT_SCHEMES
from dnnviz.training.pacing import default_speed

MAX_UNITS = 100_000
MAX_LAYERS = 50
MAX_ITERATIONS = 10_000_000
MAX_LEARNING_RATE = 1000.0
MAX_SEED = 2**32 - 1
MEMORY_LIMIT_BYTES = 4 * 2**30


# Settings that train well, by kind of data: the course's L-layer net for images, a small
# He-initialised net for the 2-D sets. The window switches to them when the kind changes.
IMAGE_SETTINGS = dict(hidden=(20, 7, 5), learning_rate=0.0075, iterations=2500, init="scaled")
PLANAR_SETTINGS = dict(hidden=(8, 4), learning_rate=0.3, iterations=3000, init="he")


def watch_speed(is_image: bool) -> float:
    """The default speed (iterations per second) for the kind of data: the kind's default
    run then lasts about pacing.WATCH_SECONDS on screen."""
    return default_speed((IMAGE_SETTINGS if is_image else PLANAR_SETTINGS)["iterations"])


class ConfigError(ValueError):
    """A setting is out of range; the message is one line, fit to show a user."""


DATASETS = (*BUILTIN_DATASETS, COURSE_DATASET)
IMAGE_DATASETS = (COURSE_DATASET, "shapes")


def is_image_data(dataset: str | None, train_file: str | None) -> bool:
    """Whether these data settings give images (course files or the generated shapes)."""
    return bool(train_file) or dataset in IMAGE_DATASETS


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


@dataclass(frozen=True)
class RunConfig:
    dataset: str = field(default="flower", metadata={"change": "data"})
    train_file: str | None = field(default=None, metadata={"change": "data"})
    test_file: str | None = field(default=None, metadata={"change": "data"})
    data_dir: str | None = field(default=None, metadata={"change": "data"})
    n_samples: int | None = field(default=None, metadata={"change": "data"})
    noise: float | None = field(default=None, metadata={"change": "data"})
    hidden: tuple[int, ...] = field(default=(8, 4), metadata={"change": "rebuild"})
    learning_rate: float = field(default=0.3, metadata={"change": "live"})
    iterations: int = field(default=3000, metadata={"change": "live"})
    init: str = field(default="he", metadata={"change": "rebuild"})
    seed: int = field(default=1, metadata={"change": "rebuild"})
    dtype: str = field(default="float64", metadata={"change": "rebuild"})

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(self.hidden))
        _check_hidden(self.hidden)
        _check_learning_rate(self.learning_rate)
        _check_int("iterations", self.iterations, 1, MAX_ITERATIONS)
        _check_int("seed", self.seed, 0, MAX_SEED)
        if self.init not in INIT_SCHEMES:
            raise ConfigError(f"init must be one of {', '.join(INIT_SCHEMES)}, not {self.init!r}")
        if self.dtype not in DTYPES:
            raise ConfigError(f"dtype must be one of {', '.join(DTYPES)}, not {self.dtype!r}")
        if (self.train_file is None) != (self.test_file is None):
            raise ConfigError("give both a train file and a test file, or neither")

    def with_suggested(self, is_image: bool) -> RunConfig:
        """This config with the network settings that suit image or 2-D data."""
        return replace(self, **(IMAGE_SETTINGS if is_image else PLANAR_SETTINGS))

    def with_changes(self, **changes) -> RunConfig:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["hidden"] = list(self.hidden)
        return out

    @property
    def data_label(self) -> str:
        return Path(self.train_file).stem if self.train_file else self.dataset

    @classmethod
    def change_kind(cls, name: str) -> str:
        return {f.name: f.metadata["change"] for f in fields(cls)}[name]


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:,} and {high:,}, not {_int(value)}")


def _check_learning_rate(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"learning rate must be a number, not {value!r}")
    if (isinstance(value, float) and not math.isfinite(value)) or value <= 0:
        raise ConfigError(f"learning rate must be a positive finite number, not {value}")
    if value > MAX_LEARNING_RATE:  # an int too big for a float: no :g
        shown = f"{value:g}" if isinstance(value, float) else _int(value)
        raise ConfigError(f"learning rate must be at most {MAX_LEARNING_RATE:g}, not {shown}")


def _check_hidden(hidden):
    if len(hidden) > MAX_LAYERS:
        raise ConfigError(f"at most {MAX_LAYERS} hidden layers, not {len(hidden)}")
    for i, n in enumerate(hidden, start=1):
        if isinstance(n, bool) or not isinstance(n, int):
            raise ConfigError(f"hidden layer {i}: units must be a whole number, not {n!r}")
        if n < 1:
            raise ConfigError(f"hidden layer {i}: units must be at least 1, not {_int(n)}")
        if n > MAX_UNITS:
            per_example = 3 * n * 8  # estimate_bytes' activations of this layer, float64
            raise ConfigError(
                f"hidden layer {i}: {_int(n)} units is too many (at most {MAX_UNITS:,}); "
                f"training would need about {_size(per_example)} of memory per example "
                "for that layer alone"
            )


def _int(n: int) -> str:
    """n with thousands separators; ints too long to print in full are only described."""
    return f"{n:,}" if abs(n) < 10**30 else "a number of over 30 digits"


def _size(n_bytes: float) -> str:
    if n_bytes >= 2**50:
        return "over a million GiB"
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return f"{n_bytes:,.0f} {unit}"
        n_bytes /= 1024


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
    _check_hidden(tuple(sizes))
    return tuple(sizes)


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


DATA_KEYS = ("dataset", "train_file", "test_file", "n_samples", "noise")
SOURCE_KEYS = ("dataset", "train_file", "test_file")


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
