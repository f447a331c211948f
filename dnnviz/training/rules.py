"""The rules of the settings that their kind and choices do not say, and the size of a
network: how many layers and units, and whether training it fits in memory. RunConfig's
fields name these rules (config.py); each raises ConfigError of one line.
"""

from __future__ import annotations

import math

from dnnviz.data import COURSE_DATASET, PLANE, DataError
from dnnviz.data.features import check_features
from dnnviz.training.settings import ConfigError, show_int

MAX_UNITS = 100_000
MAX_LAYERS = 50
MAX_LEARNING_RATE = 1000.0
MEMORY_LIMIT_BYTES = 4 * 2**30
IMAGE_DATASETS = (COURSE_DATASET, "shapes", "digits")


def is_image_data(dataset: str | None, train_file: str | None,
                  image_folder: str | None = None) -> bool:
    """Whether these data settings give images (course files, the generated shapes, the
    digits, or a folder of pictures)."""
    return bool(train_file) or bool(image_folder) or dataset in IMAGE_DATASETS


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
    check_hidden(tuple(sizes), {})
    return tuple(sizes)


def check_hidden(hidden: tuple, _others) -> None:
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


def check_learning_rate(value, _others) -> None:
    if (isinstance(value, float) and not math.isfinite(value)) or value <= 0:
        shown = value if isinstance(value, float) else show_int(value)
        raise ConfigError(f"learning rate must be a positive finite number, not {shown}")
    if value > MAX_LEARNING_RATE:  # an int too big for a float: no :g
        shown = f"{value:g}" if isinstance(value, float) else show_int(value)
        raise ConfigError(f"learning rate must be at most {MAX_LEARNING_RATE:g}, not {shown}")


def open_interval(name: str, low: float, high: float, low_open=False, high_open=True):
    """A rule: a number between low and high, either end left out as said."""
    def rule(value, _others):
        try:
            x = float(value)
        except OverflowError:  # an int too big for a float
            x = math.inf
        if not math.isfinite(x) or (x <= low if low_open else x < low) or \
                (x >= high if high_open else x > high):
            lower = "above" if low_open else "at least"
            upper = "below" if high_open else "at most"
            shown = f"{value:g}" if isinstance(value, float) else show_int(value)
            raise ConfigError(f"{name} must be {lower} {low:g} and {upper} {high:g}, "
                              f"not {shown}")
    return rule


def check_features_of(features: tuple, others: dict) -> None:
    try:
        check_features(features)
    except DataError as exc:
        raise ConfigError(str(exc)) from None
    if features != PLANE and is_image_data(others.get("dataset"), others.get("train_file"),
                                           others.get("image_folder")):
        raise ConfigError("input features are for 2-D points, not pictures; "
                          f"use {','.join(PLANE)}")


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


def _size(n_bytes: float) -> str:
    if n_bytes >= 2**50:
        return "over a million GiB"
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return f"{n_bytes:,.0f} {unit}"
        n_bytes /= 1024
