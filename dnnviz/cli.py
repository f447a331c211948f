"""Command line: `dnnviz` opens the window, `dnnviz train` trains headless. Shared options.

Every bad option or file gets one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from dnnviz.data import BUILTIN_DATASETS, DataError
from dnnviz.nn import DTYPES, INIT_SCHEMES
from dnnviz.training.config import (
    IMAGE_SETTINGS,
    PLANAR_SETTINGS,
    ConfigError,
    RunConfig,
    parse_hidden,
)

DATASET_CHOICES = (*BUILTIN_DATASETS, "cat")


class UsageError(Exception):
    """A bad option: reported as one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _hidden(text):
    try:
        return parse_hidden(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _number(kind):
    def convert(text):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind.__name__}") from None
    convert.__name__ = kind.__name__
    return convert


def add_run_options(p: argparse.ArgumentParser) -> None:
    d = RunConfig()
    p.add_argument("--dataset", choices=DATASET_CHOICES, default=None,
                   help=f"built-in data set, or 'cat' for the course files (default {d.dataset})")
    p.add_argument("--train-file", help="a course-format h5 file of training examples")
    p.add_argument("--test-file", help="the matching h5 file of test examples")
    p.add_argument("--data-dir", help="folder holding the course's cat h5 files "
                   "(default: $DNNVIZ_DATA_DIR)")
    p.add_argument("--samples", type=_number(int), dest="n_samples",
                   help="number of points of a built-in data set")
    p.add_argument("--noise", type=_number(float), help="noise of a built-in 2-D data set")
    p.add_argument("--hidden", type=_hidden,
                   help="hidden layer sizes, e.g. 20,7,5 ('none' for no hidden layer); "
                   f"default {_fmt(IMAGE_SETTINGS['hidden'])} for images, "
                   f"{_fmt(PLANAR_SETTINGS['hidden'])} for 2-D data")
    p.add_argument("--learning-rate", "--lr", type=_number(float),
                   help=f"default {IMAGE_SETTINGS['learning_rate']} for images, "
                   f"{PLANAR_SETTINGS['learning_rate']} for 2-D data")
    p.add_argument("--iterations", type=_number(int))
    p.add_argument("--init", choices=INIT_SCHEMES)
    p.add_argument("--seed", type=_number(int), default=d.seed)
    p.add_argument("--dtype", choices=DTYPES, default=d.dtype)
    p.add_argument("--report", metavar="FILE", help="write a JSON report of the run")


def _fmt(hidden) -> str:
    return ",".join(map(str, hidden))


def config_from_args(args) -> RunConfig:
    """Build the RunConfig (raising ConfigError); the cat files when a data dir is given.

    Network settings not given follow the kind of data: the course's L-layer net for
    images, a small He-initialised net for the 2-D sets.
    """
    dataset = args.dataset
    if dataset is None:
        dataset = "cat" if args.data_dir and not args.train_file else RunConfig.dataset
    image = bool(args.train_file) or dataset in ("cat", "shapes")
    suggested = IMAGE_SETTINGS if image else PLANAR_SETTINGS
    given = {k: getattr(args, k) for k in suggested if getattr(args, k) is not None}
    return RunConfig(
        dataset=dataset, train_file=args.train_file, test_file=args.test_file,
        data_dir=args.data_dir, n_samples=args.n_samples, noise=args.noise,
        seed=args.seed, dtype=args.dtype, **{**suggested, **given},
    )


def build_parser(train: bool) -> argparse.ArgumentParser:
    if train:
        p = _Parser(prog="dnnviz train", description="Train without a window.")
        p.add_argument("--print-every", type=_number(int), default=100,
                       help="print progress every N iterations (0: only the summary)")
    else:
        p = _Parser(prog="dnnviz", description="Watch a NumPy deep network learn. "
                    "`dnnviz train --help` for the headless trainer.")
        p.add_argument("--autostart", action="store_true", help="start training at once")
        p.add_argument("--exit-after", type=_number(int), metavar="N",
                       help="quit after N iterations")
        p.add_argument("--screenshot", metavar="PNG", help="save the window as PNG on quit")
    add_run_options(p)
    return p


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    train = bool(argv) and argv[0] == "train"
    prog = "dnnviz train" if train else "dnnviz"
    try:
        args = build_parser(train).parse_args(argv[1:] if train else argv)
        config = config_from_args(args)
        if train:
            from dnnviz.train_cli import run_train
            return run_train(config, args)
        from dnnviz.app import run_app
        return run_app(config, args)
    except (UsageError, ConfigError, DataError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
