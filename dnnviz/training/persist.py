"""Model files: a run kept in HDF5, to continue later exactly where it stopped.

Plain HDF5 only (datasets and attributes, never pickles):
  attrs       format="dnnviz-model", version=3; the run's settings, named by the settings
              table (config.SETTINGS, its `model` attributes): dataset, train_file,
              test_file, points_file, image_folder, n_samples, noise, test_fraction (each
              left out when unset), data_seed, features ("x1,x2"), activation,
              learning_rate, l2, keep_prob (the current ones), target_iterations,
              batch_size (left out: all), optimizer, beta, beta1, beta2, epsilon, init, seed,
              dtype; iteration; the input: n_x (the network's), image_shape (images only);
              stopped_reason (if any). Settings newer than a file take their defaults.
  layer_dims  (L+1,) int64: n_x, hidden sizes..., output units (1, or K for K classes)
  parameters/ W1..WL (n_l, n_{l-1}) and b1..bL (n_l, 1), in the run's dtype
  costs       (iteration,) float64: the cost of every iteration so far
  evals       (k, 5) float64: iteration, train cost, test cost, train accuracy, test accuracy
  drawn_points (optional) (m, 3) float64: x1, x2, label of points drawn in the window
  last_step/  (optional) dW1..dWL, db1..dbL: the last update, learning rate times the
              gradients; attrs step_lr, last_cost, alive (per hidden layer, int8). With it a
              continued run undoes a diverging step and spots a dying layer as unbroken.
  optimizer/  (optional; version 2) attrs name, t (updates taken); groups grads, v, s,
              v_before, s_before (each dW1.., db1..; left out when empty): momentum's
              velocity or Adam's moments, now and before the last update, and the last
              gradients, so that a continued momentum or Adam run goes on exactly.
  distributions/  (optional) the run's DistributionHistory.arrays(): iterations (k,),
              every, and for W and dW: _pct (k, L, 9), _norm (k, L), _counts (k, L, bins),
              _ranges (k, L, 2). Without it (older files) the history starts at the load.
  contents, checksum (attrs; version 3): every part's SHA-256 and the SHA-256 of that list
              (model_checksum.py): a part missing, added or changed is refused, named.
              Older files load without it, with a warning (SavedModel.warning).
Every problem with a file is a ModelFileError (or DataError for its data) of one line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import h5py
import numpy as np

from dnnviz.data import Dataset
from dnnviz.data.dataset import MAX_CLASSES
from dnnviz.files import atomic_path, check_readable
from dnnviz.files.h5 import open_h5
from dnnviz.nn.first_layer import MAX_EXAMPLES
from dnnviz.training.config import (
    DATA_KEYS,
    MAX_ITERATIONS,
    MAX_LAYERS,
    SETTINGS,
    ConfigError,
    RunConfig,
    check_memory,
    override,
    source_label,
)
from dnnviz.training.config_file import config_from_dict
from dnnviz.training.distributions import arrays_from
from dnnviz.training.model_checksum import parts, verify, write_checksum
from dnnviz.training.model_fields import (
    ModelFileError,
    read_array,
    read_attr,
    read_image_shape,
    show,
    size_text,
)
from dnnviz.training.session import EVAL_FIELDS, Session, eval_column, input_size, load_data
from dnnviz.training.stops import Stop

FORMAT = "dnnviz-model"
VERSION = 3  # 2: the optimiser's state, the new settings and drawn points; 3: a checksum
CHECKSUM_VERSION = 3  # from this version on a file without its checksum is refused
OPTIMIZER_GROUPS = ("grads", "v", "s", "v_before", "s_before")
MAX_DRAWN_POINTS = 100_000


# The settings a model file keeps as attributes (hidden is kept as layer_dims).
MODEL_SETTINGS = {name: s for name, s in SETTINGS.items() if s.model}


@dataclass(frozen=True, eq=False)
class SavedModel:
    """The checked contents of a model file."""

    path: Path
    config: RunConfig  # the run's settings; iterations is the target, data_dir unset
    layer_dims: tuple[int, ...]
    parameters: dict
    costs: np.ndarray
    evals: np.ndarray
    image_shape: tuple[int, int, int] | None
    stopped_reason: Stop | None
    step_state: dict | None = None  # Session.step_state() when saved
    distributions: dict | None = None  # DistributionHistory.arrays() when saved
    warning: str | None = None  # a file from before checksums: one line to show the user

    @property
    def n_x(self) -> int:
        return self.layer_dims[0]

    @property
    def iteration(self) -> int:
        return len(self.costs)

    def config_for(self, data_dir=None, data_changes: dict | None = None) -> RunConfig:
        """The saved config, with another data folder or data set if given."""
        saved = {k: getattr(self.config, k) for k in DATA_KEYS}
        data = override(saved, data_changes or {})
        data.setdefault("dataset", source_label(data) or "file")  # own data named anew
        return self.config.with_changes(**{k: data.get(k, SETTINGS[k].default)
                                           for k in DATA_KEYS},
                                        data_dir=data_dir)

    def session_on(self, data: Dataset, config: RunConfig | None = None) -> Session:
        """A Session training this model on `data`, in the state it was saved in."""
        n_x = input_size(data, self.config if config is None else config)
        if n_x != self.n_x:
            raise ModelFileError(f"{self.path} was saved for {self.n_x:,} inputs, but the "
                                 f"data set {data.name!r} has {n_x:,}")
        if self.image_shape and data.image_shape and self.image_shape != data.image_shape:
            raise ModelFileError(
                f"{self.path} was saved for {size_text(self.image_shape)} images, but the "
                f"data set {data.name!r} has {size_text(data.image_shape)}")
        try:
            session = Session(self.config if config is None else config, data)
        except ConfigError as exc:  # too big to train on this many examples
            raise ModelFileError(f"{self.path}: {exc}") from None
        if session.layer_dims[-1] != self.layer_dims[-1]:
            raise ModelFileError(
                f"{self.path} was saved with {self.layer_dims[-1]} output unit(s), but "
                f"{data.n_classes} classes of {data.name!r} need {session.layer_dims[-1]}")
        session.restore(self.parameters, self.costs, self.evals,
                        self.config.learning_rate, self.config.iterations, self.step_state,
                        distributions=self.distributions)
        return session


def save_model(path, session: Session) -> None:
    """Write the session's network and history to `path` atomically; SaveError on failure.

    Call it between steps, never while another thread steps the session.
    """
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            _write(f, session)
            write_checksum(path, f)


def load_model(path, data_dir=None, data_changes: dict | None = None,
               decode=None) -> Session:
    """A Session in the state saved at `path`, on its data set (loaded again).

    data_dir: where the course's cat files are; data_changes: data settings replacing the
    saved ones (RunConfig field names); decode: reads pictures (a picture folder).
    Raises ModelFileError, DataError or ConfigError.
    """
    saved = read_model(path)
    config = saved.config_for(data_dir, data_changes)
    return saved.session_on(load_data(config, decode), config)


def load_model_on(path, session: Session) -> Session:
    """A new Session: the model at `path` on the data `session` uses; `session` is unchanged."""
    saved = read_model(path)
    config = saved.config.with_changes(
        **{k: getattr(session.config, k) for k in (*DATA_KEYS, "data_dir")})
    return saved.session_on(session.data, config)


def _write(f: h5py.File, session: Session) -> None:
    f.attrs["format"], f.attrs["version"] = FORMAT, VERSION
    config = session.config.with_changes(learning_rate=session.learning_rate,
                                         iterations=session.target_iterations,
                                         l2=session.l2, keep_prob=session.keep_prob)
    for name, entry in MODEL_SETTINGS.items():
        value = getattr(config, name)
        if value is not None:
            f.attrs[entry.model] = entry.kind.to_attr(value)
    f.attrs["iteration"] = session.iteration
    f.attrs["n_x"] = session.layer_dims[0]
    if session.data.image_shape is not None:
        f.attrs["image_shape"] = np.array(session.data.image_shape, dtype=np.int64)
    if session.stopped_reason:
        f.attrs["stopped_reason"] = str(session.stopped_reason)
    f.create_dataset("layer_dims", data=np.array(session.layer_dims, dtype=np.int64))
    group = f.create_group("parameters")
    for name, value in session.net.parameters.items():
        group.create_dataset(name, data=value)
    f.create_dataset("costs", data=np.asarray(session.costs, dtype=np.float64))
    f.create_dataset("evals", data=session.eval_array())
    if config.drawn_points is not None:
        f.create_dataset("drawn_points", data=np.array(config.drawn_points, dtype=np.float64))
    state = session.step_state()
    _write_optimizer(f, state)
    last = f.create_group("last_step")
    last.attrs["step_lr"], last.attrs["last_cost"] = state["step_lr"], state["last_cost"]
    last.attrs["alive"] = np.array(state["alive"], dtype=np.int8)
    for l, (dW, db) in enumerate(zip(state["steps"], state["bsteps"]), start=1):
        last.create_dataset(f"dW{l}", data=dW)
        last.create_dataset(f"db{l}", data=db)
    for name, value in session.distributions.arrays().items():
        f.create_dataset(f"distributions/{name}", data=value)
    if "first_product" in state:  # W1·X as the next step reads it (nn/first_layer.py)
        f.create_dataset("first_product", data=state["first_product"])


def _write_optimizer(f: h5py.File, state: dict) -> None:
    group = f.create_group("optimizer")
    group.attrs["name"], group.attrs["t"] = state["optimizer"], state["t"]
    for key in OPTIMIZER_GROUPS:
        if state[key]:
            named = group.create_group(key)
            for name, value in state[key].items():
                named.create_dataset(name, data=value)


def read_model(path) -> SavedModel:
    """Read and check a model file; ModelFileError (one line, naming it) for any problem."""
    path = check_readable(path, "a model file", ModelFileError)
    try:
        if not h5py.is_hdf5(path):
            raise ModelFileError(f"{path}: not an HDF5 file")
        with open_h5(path, "a model file", ModelFileError) as f:  # no links out
            found = parts(path, f)  # every part's size bounded before anything is read
            saved = _read(path, f)
            version = read_attr(path, f, "version", int)
            if verify(path, f, found, required=version >= CHECKSUM_VERSION):
                return saved
            return replace(saved, warning=f"{path} has no checksum (model format version "
                           f"{version}, from before checksums): its contents are not "
                           "verified; save it again to add one")
    except ModelFileError:
        raise
    except ConfigError as exc:
        raise ModelFileError(str(exc)) from None
    except Exception as exc:  # h5py raises OSError, KeyError, TypeError... for broken files
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ModelFileError(f"{path}: damaged or truncated model file ({detail})") from None


def _read(path: Path, f: h5py.File) -> SavedModel:
    def fail(message):
        raise ModelFileError(f"{path}: {message}")

    if read_attr(path, f, "format", str, required=False) != FORMAT:
        fail(f"not a dnnviz model file (no format attribute {FORMAT!r})")
    version = read_attr(path, f, "version", int)
    if not 1 <= version <= VERSION:
        fail(f"model format version {version}; this dnnviz reads version {VERSION}")
    dims = read_array(path, f, "layer_dims", "iu", (None,), max_rows=MAX_LAYERS + 2)
    dims = tuple(int(n) for n in dims)
    if not 2 <= len(dims) <= MAX_LAYERS + 2 or min(dims) < 1 or dims[-1] > MAX_CLASSES:
        fail(f"layer_dims {dims} should be n_x, hidden sizes..., output units (1, or one a "
             f"class: at most {MAX_CLASSES})")
    if read_attr(path, f, "n_x", int) != dims[0]:
        fail(f"n_x {f.attrs['n_x']} differs from layer_dims[0] = {dims[0]}")
    image_shape = read_image_shape(path, f, dims[0])
    iteration = read_attr(path, f, "iteration", int)
    if not 0 <= iteration <= MAX_ITERATIONS:
        fail(f"iteration {iteration:,} is out of range")
    values = {name: read_attr(path, f, entry.model, entry.kind.attr,
                          required=not (entry.optional or entry.model_optional))
              for name, entry in MODEL_SETTINGS.items()}
    values = {name: None if value is None else MODEL_SETTINGS[name].kind.from_attr(value)
              for name, value in values.items()}
    if "drawn_points" in f:
        points = read_array(path, f, "drawn_points", "f", (None, 3), max_rows=MAX_DRAWN_POINTS)
        values["drawn_points"] = points.tolist()
    config = config_from_dict({**values, "hidden": list(dims[1:-1])}, where=str(path))
    try:
        check_memory(dims, 1, np.dtype(config.dtype).itemsize)
    except ConfigError as exc:
        fail(str(exc))
    parameters = _read_parameters(path, f, dims, config.dtype)
    costs = read_array(path, f, "costs", "f", (iteration,))
    if not np.isfinite(costs).all():
        fail("'costs' holds NaN or infinite values")
    evals = read_array(path, f, "evals", "f", (None, len(EVAL_FIELDS)), max_rows=iteration)
    steps = eval_column(evals, "iteration")
    if not np.all((steps >= 0) & (steps < iteration) & (steps == np.round(steps))):
        fail(f"'evals' iterations should be whole numbers below {iteration}")
    reason = read_attr(path, f, "stopped_reason", str, required=False)
    reason = None if reason is None else Stop.read(reason)
    state = _read_last_step(path, f, dims, config.dtype)
    optimizer = _read_optimizer(path, f, dims, config)
    if optimizer is not None:
        state = {**(state or _no_last_step()), **optimizer}
    if state is not None and "first_product" in f:  # a picture run's W1·X: the network
        # takes it only if it agrees with W1·X (a wrong one is left unused, not trusted)
        node = f["first_product"]
        columns = node.shape[1] if isinstance(node, h5py.Dataset) and node.ndim == 2 else 0
        if not 0 < columns <= MAX_EXAMPLES:
            raise ModelFileError(f"{path}: 'first_product' has shape "
                                 f"{getattr(node, 'shape', None)}, expected {dims[1]}xm "
                                 f"with m from 1 to {MAX_EXAMPLES}")
        product = read_array(path, f, "first_product", "f", (dims[1], columns))
        if np.isfinite(product).all():
            state = {**state, "first_product": product.astype(np.float64)}
    return SavedModel(path, config, dims, parameters, costs.astype(np.float64),
                      evals.astype(np.float64), image_shape, reason, state,
                      _read_distributions(path, f, dims, iteration))


def _optional_group(path: Path, f: h5py.File, name: str) -> h5py.Group | None:
    group = f.get(name)
    if group is not None and not isinstance(group, h5py.Group):
        raise ModelFileError(f"{path}: {name!r} is not a group")
    return group


def _no_last_step() -> dict:
    return {"alive": [], "steps": [], "bsteps": [], "step_lr": 1.0, "last_cost": float("inf")}


def _read_optimizer(path: Path, f: h5py.File, dims, config: RunConfig) -> dict | None:
    """The optimiser's part of the step state (name, t, grads, v, s, ...), if saved."""
    group = _optional_group(path, f, "optimizer")
    if group is None:
        return None
    name = read_attr(path, group, "name", str)
    if name != config.optimizer:
        raise ModelFileError(f"{path}: the optimiser state is for {name!r}, but the run's "
                             f"optimizer is {config.optimizer!r}")
    t = read_attr(path, group, "t", int)
    if not 0 <= t <= MAX_ITERATIONS:
        raise ModelFileError(f"{path}: the optimiser's update count t = {t:,} is out of range")
    state = {"optimizer": name, "t": t}
    unknown = set(group.keys()) - set(OPTIMIZER_GROUPS)
    if unknown:
        raise ModelFileError(f"{path}: unknown optimizer group {sorted(unknown)[0]!r}")
    for key in OPTIMIZER_GROUPS:
        state[key] = _read_parameters(path, f, dims, config.dtype, prefix="d",
                                      where=f"optimizer/{key}") if key in group else {}
    return state


def _read_distributions(path: Path, f: h5py.File, dims, iteration: int) -> dict | None:
    """The run's distributions history, if saved (checked as the history takes it)."""
    group = _optional_group(path, f, "distributions")
    if group is None:
        return None
    try:
        return arrays_from(group, len(dims) - 1, iteration)
    except ValueError as exc:
        raise ModelFileError(f"{path}: {exc}") from None


def _read_last_step(path: Path, f: h5py.File, dims, dtype: str) -> dict | None:
    """The net's step-to-step state, if saved (Session.step_state's dict)."""
    group = _optional_group(path, f, "last_step")
    if group is None:
        return None
    alive = np.asarray(group.attrs.get("alive", np.zeros(0, np.int8)))
    if alive.ndim != 1 or alive.size not in (0, len(dims) - 2) or alive.dtype.kind not in "iub":
        raise ModelFileError(f"{path}: last_step alive {show(alive)} does not fit {dims}")
    state = {"alive": [bool(a) for a in alive], "steps": [], "bsteps": [],
             "step_lr": read_attr(path, group, "step_lr", float),
             "last_cost": read_attr(path, group, "last_cost", float)}
    if len(group.keys()):
        grads = _read_parameters(path, group, dims, dtype, prefix="d", where="last_step")
        L = len(dims) - 1
        state["steps"] = [grads[f"dW{l}"] for l in range(1, L + 1)]
        state["bsteps"] = [grads[f"db{l}"] for l in range(1, L + 1)]
    return state


def _read_parameters(path: Path, f: h5py.File, dims, dtype: str, prefix: str = "",
                     where: str = "parameters") -> dict:
    group = f if where == "last_step" else f.get(where)
    if not isinstance(group, h5py.Group):
        raise ModelFileError(f"{path}: missing group {where!r}")
    L = len(dims) - 1
    W, b = prefix + "W", prefix + "b"
    expected = {f"{k}{l}" for l in range(1, L + 1) for k in (W, b)}
    if set(group.keys()) != expected:
        found = ", ".join(sorted(group.keys())) or "none"
        raise ModelFileError(f"{path}: {where} {found} do not fit layer_dims {dims} "
                             f"(expected {W}1, {b}1 .. {W}{L}, {b}{L})")
    out = {}
    for l in range(1, L + 1):
        for name, shape in ((f"{W}{l}", (dims[l], dims[l - 1])), (f"{b}{l}", (dims[l], 1))):
            value = read_array(path, group, name, "f", shape)
            if not np.isfinite(value).all():
                raise ModelFileError(f"{path}: parameter {name} holds NaN or infinite values")
            out[name] = value.astype(dtype)
    return out
