"""Config files: one run's settings and the window's view options, as JSON.

    {"dnnviz_config": 1, "dataset": "cat", "train_file": null, "test_file": null,
     "n_samples": null, "noise": null, "hidden": [20, 7, 5], "learning_rate": 0.0075,
     "iterations": 2500, "init": "scaled", "seed": 1, "dtype": "float64", ...,
     "view": {"gradients": false, "log_scale": false, "split": "test", "index": 0}}

The keys are the settings table's (config.SETTINGS: those kept in config files) and
ViewOptions' fields, each checked as the table says. Every key may be left out: network
settings then follow the kind of data, as on the command line
(config.config_with_defaults). data_dir is never saved: it belongs to the machine, not
the run. A relative train_file, test_file, points_file or image_folder is relative to the
config file's folder (a saved config holds absolute ones). Every problem is a ConfigError
of one line naming the file and key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dnnviz.data import COURSE_DATASET, course_files, default_data_dir
from dnnviz.files import Input, expand_user, read_text, write_text
from dnnviz.training.config import SETTINGS, ConfigError, RunConfig, config_with_defaults
from dnnviz.training.settings import VIEW_KEYS, ViewOptions, WrongValue, check_value, short

FORMAT_KEY = "dnnviz_config"
VERSION = 1
MAX_FILE_BYTES = 1 << 20
RUN_KEYS = tuple(name for name, s in SETTINGS.items() if s.in_config)
FILE_KEYS = ("train_file", "test_file", "points_file", "image_folder")  # relative to the file


def load_config(path) -> tuple[RunConfig, dict]:
    """(RunConfig, view options) from a config file; ConfigError for any problem."""
    values, view = read_config(path)
    return _build(values, str(path)), view


def read_config(path) -> tuple[dict, dict]:
    """(the run settings the file gives, view options with defaults filled in).

    train_file and test_file come back relative to the current folder, as options are.
    """
    values, view = values_from_dict(_read_json(Path(path)), str(path))
    for key in FILE_KEYS:
        if key in values:
            where = f"{path}: key {key!r}"
            file = expand_user(values[key], where, ConfigError)
            values[key] = os.path.join(os.path.dirname(os.fspath(path)), file)
    return values, view


def save_config(path, config: RunConfig, view_options: dict | None = None) -> None:
    """Write config and view options atomically; SaveError if the file cannot be written.

    Data files are written as absolute paths, so the config works from any folder.
    """
    write_text(path, json.dumps(portable_config(config, view_options), indent=1) + "\n")


def portable_config(config: RunConfig, view_options: dict | None = None) -> dict:
    """What a config file holds: config_to_dict with data files as absolute paths, so that
    it works from any folder (a report's "config" is one: --config takes it back)."""
    files = {k: os.path.abspath(v) for k in FILE_KEYS if (v := getattr(config, k))}
    return config_to_dict(config.with_changes(**files), view_options)


def data_inputs(config: RunConfig) -> list[Input]:
    """The files and folders the config's data set is read from (for outputs to keep off)."""
    out = [Input(what, path) for key, what in (
        ("train_file", "the train file"), ("test_file", "the test file"),
        ("points_file", "the points file"), ("image_folder", "the picture folder"))
        if (path := getattr(config, key))]
    if config.dataset == COURSE_DATASET and not config.train_file:
        try:
            pair = course_files(config.data_dir or default_data_dir())
        except ValueError:  # an unknown ~user: the data's own loading says so
            pair = None
        out += [Input("the course file", str(p)) for p in pair or ()]
    return out


def config_to_dict(config: RunConfig, view_options: dict | None = None) -> dict:
    out = {FORMAT_KEY: VERSION}
    out.update({k: v for k, v in config.to_dict().items() if k in RUN_KEYS})
    out["view"] = check_view(view_options or {}, "view options")
    return out


def config_from_dict(d, where: str = "config") -> RunConfig:
    """The RunConfig a config dict describes (view options are checked, then ignored)."""
    return _build(values_from_dict(d, where)[0], where)


def values_from_dict(d, where: str = "config") -> tuple[dict, dict]:
    """Check every key of a config dict: (run settings given, view options)."""
    if not isinstance(d, dict):
        raise ConfigError(f"{where}: expected a JSON object {{...}}, not {_kind(d)}")
    unknown = [str(k) for k in d if k not in (*RUN_KEYS, FORMAT_KEY, "view")]
    if unknown:
        known = ", ".join((*RUN_KEYS, "view", FORMAT_KEY))
        raise ConfigError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(map(repr, unknown))}; known: {known}")
    version = d.get(FORMAT_KEY, VERSION)
    if _not_int(version) or version < 1:
        raise ConfigError(f"{where}: key {FORMAT_KEY!r} must be {VERSION}, not {version!r}")
    if version > VERSION:
        raise ConfigError(f"{where}: written by a newer dnnviz (format {version}); "
                          f"this one reads format {VERSION}")
    values = {key: _check_value(key, d[key], d, where)
              for key in RUN_KEYS if d.get(key) is not None}
    return values, check_view(d.get("view", {}), where)


def check_view(view, where: str) -> dict:
    """View options (ViewOptions' fields) with defaults for those not given; ConfigError
    for anything else."""
    if not isinstance(view, dict):
        raise ConfigError(f"{where}: key 'view' must be an object {{...}}, not {_kind(view)}")
    for key in view:
        if key not in VIEW_KEYS:
            raise ConfigError(f"{where}: unknown key 'view.{key}'; known: {', '.join(VIEW_KEYS)}")
    try:
        return ViewOptions(**view).as_dict()
    except WrongValue as exc:  # exc.label: 'view.<key>'
        raise ConfigError(f"{where}: key {exc.label!r} must be {exc.what}, "
                          f"not {_show(exc.value)}") from None


def _check_value(key: str, value, others: dict, where: str):
    """The value of one run setting, checked as the settings table says (strings stripped)."""
    if isinstance(value, str):
        value = value.strip()
    try:
        return check_value(SETTINGS[key], value, others)
    except WrongValue as exc:
        raise ConfigError(f"{where}: key {key!r} must be {exc.what}, "
                          f"not {_show(exc.value)}") from None
    except ConfigError as exc:
        raise ConfigError(f"{where}: key {key!r}: {exc}") from None


def _build(values: dict, where: str) -> RunConfig:
    try:
        return config_with_defaults(values)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _read_json(path: Path):
    text = read_text(path, MAX_FILE_BYTES, "a config file", ConfigError)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                          f"{exc.msg})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of over 4300 digits
        raise ConfigError(f"{path}: not valid JSON ({' '.join(str(exc).split())})") from None


def _not_int(value) -> bool:
    return isinstance(value, bool) or not isinstance(value, int)


def _kind(value) -> str:
    names = {list: "a list", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _show(value) -> str:
    return short(json.dumps(value) if _jsonable(value) else repr(value))


def _jsonable(value) -> bool:
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError, RecursionError):
        return False
