"""What a setting is: its kind of value, its entry in the settings table, and its check.

The settings table is RunConfig (config.py): the metadata of each of its fields is a
Setting, that setting's one entry. From the table follow the options of `dnnviz` and
`dnnviz train` (cli.py), the keys of config files (config_file.py), the attributes of
model files (persist.py), DATA_KEYS and same_data. check_value checks a value of a
setting, whoever gives it: the window, an option, a config file or a model file.

ViewOptions does the same for what the window shows: one definition for the "view" object
of config files, the window, and the frames the window asks for (FrameRequest).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

# How a change of a setting takes effect.
DATA = "data"  # new data, and a new network
REBUILD = "rebuild"  # a new network
LIVE = "live"  # the running session takes it


class ConfigError(ValueError):
    """A setting is out of range; the message is one line, fit to show a user."""


class WrongValue(ConfigError):
    """A value not of the kind its setting takes: '<label> must be <what>, not <value>'.

    A config file says the same of its key, showing the value as JSON (.what, .value)."""

    def __init__(self, label: str, what: str, value):
        super().__init__(f"{label} must be {what}, not {short(repr(value))}")
        self.label, self.what, self.value = label, what, value


# --- kinds of values -------------------------------------------------------------------------

class Kind:
    """What values a setting takes: `what` (for messages), accepts(value), normal(value)
    (the form RunConfig keeps), parse(text) (an option's text; ValueError saying why not),
    text(value) (for --help), and `attr`: how a model file keeps it (str, int, float; None:
    not as an attribute)."""

    what, attr = "", None

    def accepts(self, value) -> bool:
        raise NotImplementedError

    def normal(self, value):
        return value

    def to_attr(self, value):
        """The value as a model file's attribute keeps it."""
        return value

    def from_attr(self, value):
        """A model file's attribute (read as `attr`) as a value of the setting."""
        return value

    def parse(self, text: str):
        return text

    def text(self, value) -> str:
        return str(value)


class Text(Kind):
    """A non-empty string: a name, a file, a folder."""

    what, attr = "a non-empty string", str

    def __init__(self, noun: str = "a value"):
        self.noun = noun  # what an empty option should have been: "a file name"

    def accepts(self, value) -> bool:
        return isinstance(value, str) and bool(value.strip())

    def parse(self, text: str) -> str:
        if not text.strip():
            raise ValueError(f"empty value; give {self.noun}")
        return text


class FileName(Text):
    """A file or folder name: a non-empty string the system can spell, so without a NUL
    character and without a lone surrogate (as a config file's JSON escapes may give)."""

    def __init__(self, noun: str = "a file name"):
        super().__init__(noun)
        self.what = f"{noun} without NUL characters or lone surrogates"

    def accepts(self, value) -> bool:
        return super().accepts(value) and _spellable(value)

    def parse(self, text: str) -> str:
        text = super().parse(text)
        if not _spellable(text):
            raise ValueError(f"{short(ascii(text))}: not {self.what}")
        return text


def _spellable(name: str) -> bool:
    if "\0" in name:
        return False
    try:
        os.fsencode(name)
    except UnicodeError:
        return False
    return True


class Whole(Kind):
    """A whole number (not a bool), from low to high when they are given."""

    attr = int

    def __init__(self, low: int | None = None, high: int | None = None):
        self.low, self.high = low, high
        self.what = "a whole number" + ("" if low is None else f" from {low:,} to {high:,}")

    def accepts(self, value) -> bool:
        return (isinstance(value, int) and not isinstance(value, bool)
                and (self.low is None or self.low <= value <= self.high))

    def parse(self, text: str) -> int:
        try:
            return int(text)
        except ValueError:
            # "a int": the words the command line has always used (tests pin them)
            raise ValueError(f"{short(repr(text))} is not a int") from None


class Number(Kind):
    """A number, int or float (not a bool); finite and from low to high when they are given."""

    attr = float

    def __init__(self, low: float | None = None, high: float | None = None):
        self.low, self.high = low, high
        self.what = "a number" + ("" if low is None else f" from {low:g} to {high:g}")

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        try:
            return self.low is None or (math.isfinite(value) and self.low <= value <= self.high)
        except OverflowError:  # an int too big for a float
            return False

    def parse(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{short(repr(text))} is not a float") from None

    def text(self, value) -> str:
        return f"{value:g}"


class Sizes(Kind):
    """Hidden layer sizes: a list (or tuple) of whole numbers, kept as a tuple."""

    what, attr = "a list of whole numbers like [20, 7, 5]", None

    def __init__(self, parse: Callable[[str], tuple]):
        self.parse = parse  # '20,7,5' -> (20, 7, 5), raising ConfigError

    def accepts(self, value) -> bool:
        return isinstance(value, (list, tuple)) and all(
            isinstance(n, int) and not isinstance(n, bool) for n in value)

    def normal(self, value) -> tuple:
        return tuple(value)

    def text(self, value) -> str:
        return ",".join(map(str, value)) or "none"


class Names(Kind):
    """A few names from a fixed set (input features), kept as a tuple in the set's order; a
    model file keeps them as one text, comma-separated."""

    what, attr = "a list of names like [\"x1\", \"x2\"]", str

    def __init__(self, parse: Callable[[str], tuple], order: Callable[[tuple], tuple]):
        self.parse = parse  # 'x1,x2' -> ('x1', 'x2'), raising ValueError saying why not
        self.order = order  # names -> the same names in the set's order (ValueError if bad)

    def accepts(self, value) -> bool:
        return isinstance(value, (list, tuple)) and all(isinstance(n, str) for n in value)

    def normal(self, value) -> tuple:
        try:
            return self.order(tuple(value))
        except ValueError:
            return tuple(value)  # the setting's rule says what is wrong

    def text(self, value) -> str:
        return ",".join(value)

    def to_attr(self, value) -> str:
        return ",".join(value)

    def from_attr(self, value: str) -> tuple:
        return tuple(value.split(","))


class Points(Kind):
    """Rows [x1, x2, label] of finite numbers, label 0 or 1: points drawn on the plane."""

    what, attr = "a list of [x1, x2, label] rows (label 0 or 1)", None

    def __init__(self, limit: int):
        self.limit = limit

    def accepts(self, value) -> bool:
        return isinstance(value, (list, tuple)) and len(value) <= self.limit and all(
            isinstance(row, (list, tuple)) and len(row) == 3
            and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                    and math.isfinite(v) for v in row)
            and row[2] in (0, 1) for row in value)

    def normal(self, value) -> tuple:
        return tuple((float(x1), float(x2), int(label)) for x1, x2, label in value)

    def text(self, value) -> str:
        return f"{len(value)} points"


class Flag(Kind):
    what, attr = "true or false", None

    def accepts(self, value) -> bool:
        return isinstance(value, bool)


class OneOf(Kind):
    """One of a few strings."""

    def __init__(self, *options: str):
        self.options = options
        self.what = " or ".join(map(repr, options))

    def accepts(self, value) -> bool:
        return isinstance(value, str) and value in self.options


# --- the table's entries ---------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """One entry of the settings table: the metadata of one RunConfig field."""

    kind: Kind  # Text, Whole, Number, Sizes: what values it takes
    change: str  # DATA, REBUILD or LIVE: how a change takes effect
    help: str = ""  # for --help (the default is added there)
    flag: str | None = None  # its option in `dnnviz` and `dnnviz train`; None: none
    alias: str | None = None  # a second, short option
    choices: tuple = ()  # the values it may take (an option's choices); checked unless rule
    rule: Callable | None = None  # rule(value, others): raises ConfigError if value is not
    #                               allowed (others: the run's other settings, by name)
    label: str = ""  # its name in messages ("learning rate"); default: its name
    image: Any = None  # with follows_data, its default for image data (default: 2-D data)
    follows_data: bool = False  # its default follows the kind of data
    in_config: bool = True  # config files keep it
    model: str | None = None  # the model file attribute that keeps it; None: none
    model_optional: bool = False  # a model file may lack it (a setting newer than the file):
    #                               then its default. Settings whose default is None are
    #                               always optional: a model file leaves them out when unset.
    name: str = ""  # these two come from the field
    default: Any = None

    @property
    def optional(self) -> bool:
        """None is a value of it: "not given" (data settings like n_samples)."""
        return self.default is None


def setting(default, kind, change: str, **meta) -> Any:
    """A RunConfig field: its default and its entry of the table (see Setting).

    image=... gives a default for image data: the field's default is then the one for the
    2-D sets, and the setting follows the kind of data."""
    if "image" in meta:
        meta["follows_data"] = True
    return field(default=default, metadata={"setting": Setting(kind, change, **meta)})


def settings_of(cls) -> dict[str, Setting]:
    """The table of a dataclass made with setting(): name -> Setting, in field order."""
    out = {}
    for f in fields(cls):
        entry = f.metadata["setting"]
        label = entry.label or f.name
        out[f.name] = Setting(**{**entry.__dict__, "name": f.name, "default": f.default,
                                 "label": label})
    return out


def check_value(entry: Setting, value, others: dict | None = None):
    """value in the form RunConfig keeps it, if it is one the setting takes; ConfigError
    (one line) if not. others: the run's other settings, for rules that depend on them."""
    if value is None and entry.optional:
        return None
    if not entry.kind.accepts(value):
        raise WrongValue(entry.label, entry.kind.what, value)
    value = entry.kind.normal(value)
    if entry.rule is not None:
        entry.rule(value, others or {})
    elif entry.choices and value not in entry.choices:
        raise ConfigError(f"{entry.label} must be one of {', '.join(entry.choices)}, "
                          f"not {short(repr(value))}")
    return value


def between(name: str, low: int, high: int) -> Callable:
    """A rule: a whole number from low to high."""
    def rule(value, _others):
        if not low <= value <= high:
            raise ConfigError(f"{name} must be between {low:,} and {high:,}, not {show_int(value)}")
    return rule


# --- what the window shows -------------------------------------------------------------------

def _view(default, kind) -> Any:
    return field(default=default, metadata={"kind": kind})


@dataclass(frozen=True)
class ViewOptions:
    """What the window shows, kept in config files' "view" object.

    FrameRequest is a ViewOptions too: the window asks for frames with these choices.
    ConfigError (WrongValue, naming 'view.<key>') for a value that is not one of them."""

    gradients: bool = _view(False, Flag())  # histograms of dW instead of W
    log_scale: bool = _view(False, Flag())  # a logarithmic cost axis
    data_cost: bool = _view(False, Flag())  # the training cost without the L2 penalty
    split: str = _view("test", OneOf("train", "test"))  # the selected example's split
    index: int = _view(0, Whole(0, 10**9))  # and its index
    hist_log: bool = _view(False, Flag())  # histograms of log10|value| instead of the values
    test_points: bool = _view(True, Flag())  # the test points drawn on the plane

    def __post_init__(self):
        for f in fields(ViewOptions):
            value = getattr(self, f.name)
            if not f.metadata["kind"].accepts(value):
                raise WrongValue(f"view.{f.name}", f.metadata["kind"].what, value)

    def as_dict(self) -> dict:
        """The view options alone (of a FrameRequest too), as config files keep them."""
        return {f.name: getattr(self, f.name) for f in fields(ViewOptions)}


VIEW_KEYS = tuple(f.name for f in fields(ViewOptions))


# --- how values are shown --------------------------------------------------------------------

def show_int(n: int) -> str:
    """n with thousands separators; ints too long to print in full are only described."""
    return f"{n:,}" if abs(n) < 10**30 else "a number of over 30 digits"


def short(text: str, limit: int = 40) -> str:
    """text on one line, cut to about limit characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
