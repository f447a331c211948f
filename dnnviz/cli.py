"""Command line: `dnnviz` opens the window, `dnnviz train` trains headless. Shared options.

Every bad option or file gets one line on stderr and exit code 2, never a traceback.
Outputs are checked (and their folders tried) before anything is loaded or trained.
"""

from __future__ import annotations

import argparse
import math
import sys

from dnnviz import starting  # first: Ctrl+C while the rest loads is one line
from dnnviz.data import DataError, default_data_dir
from dnnviz.files import (
    STDOUT,
    Input,
    SaveError,
    check_can_write,
    check_distinct,
    check_not_inputs,
    expand_user,
)
from dnnviz.lessons import list_lessons, load_lesson
from dnnviz.options import HEADLESS_SIZE, Parser, UsageError, converter, option_type, parse_size
from dnnviz.picture_reading import picture_decoder
from dnnviz.record_options import add_record_options, check_record_options
from dnnviz.training.config import (
    DATA_KEYS,
    FILE_NAME,
    SETTINGS,
    ConfigError,
    RunConfig,
    config_with_defaults,
    override,
    watch_speed,
)
from dnnviz.training.config_file import data_inputs, read_config
from dnnviz.training.pacing import parse_speed
from dnnviz.training.persist import ModelFileError, read_model
from dnnviz.training.session import load_data
from dnnviz.training.settings import (
    LIVE,
    REBUILD,
    Number,
    Setting,
    Text,
    ViewOptions,
    Whole,
    check_value,
)
from dnnviz.training.threads import AUTO, parse_threads
from dnnviz.ui.views.names import view_names

RUN_OPTIONS = tuple(name for name, s in SETTINGS.items() if s.flag)
NETWORK_OPTIONS = tuple(name for name in RUN_OPTIONS if SETTINGS[name].change == REBUILD)
LIVE_OPTIONS = tuple(name for name in RUN_OPTIONS if SETTINGS[name].change == LIVE)
OUTPUT_OPTIONS = ("save_model", "export_costs", "report", "screenshot", "save_config", "record")
STDOUT_OPTIONS = ("export_costs", "report")  # text: "-" writes it to standard output


def _setting_value(entry: Setting):
    """An option's value of a run setting, checked as the settings table says."""
    return converter(lambda text: check_value(entry, entry.kind.parse(text)))


FILE, WHOLE = option_type(FILE_NAME), option_type(Whole())


def _help(entry: Setting) -> str:
    """The setting's help and its default (for images and 2-D data if it follows them)."""
    show = entry.kind.text
    if entry.follows_data:
        default = (f"default {show(entry.image)} for images, {show(entry.default)} for "
                   "2-D data")
    elif entry.default is not None:
        default = f"default {show(entry.default)}"
    else:
        return entry.help
    return f"{entry.help}; {default}"


def add_run_options(p: argparse.ArgumentParser) -> None:
    """An option for every setting of the table that has one, then --config and friends."""
    for name in RUN_OPTIONS:
        entry = SETTINGS[name]
        flags = (entry.flag, entry.alias) if entry.alias else (entry.flag,)
        value = {"choices": entry.choices} if entry.choices else {"type": _setting_value(entry)}
        p.add_argument(*flags, dest=name, help=_help(entry).replace("%", "%%"), **value)
    p.add_argument("--config", metavar="JSON", type=FILE,
                   help="settings from a config file; options given here override it")
    p.add_argument("--load-model", metavar="H5", type=FILE,
                   help="continue a saved model (data options here pick other data)")
    p.add_argument("--report", metavar="FILE", type=FILE,
                   help="write a JSON report of the run ('-': to standard output)")
    p.add_argument("--save-config", metavar="JSON", type=FILE,
                   help="write the run's settings as a config file (for --config, or File > "
                   "Open config)")
    p.add_argument("--threads", type=converter(parse_threads), default=AUTO,
                   metavar="{auto,N}",
                   help="BLAS threads of the training steps (default auto: one on a busy "
                   "machine, more where they make steps faster, measured as it trains); a "
                   "number makes a run repeat to the last bit")


def config_from_args(args) -> RunConfig:
    """Build the RunConfig (raising ConfigError): --config's values, then the options given.

    Network settings given nowhere follow the kind of data (config_with_defaults).
    Sets args.view_options (the config file's, else the defaults) and args.loaded_session
    (a Session restored from --load-model, else None).
    """
    if args.data_dir:
        expand_user(args.data_dir, "--data-dir", UsageError)
    default_data_dir()  # a bad $DNNVIZ_DATA_DIR: one line, before any window
    given = {k: getattr(args, k) for k in RUN_OPTIONS if getattr(args, k) is not None}
    args.view_options = ViewOptions().as_dict()
    args.loaded_session = None
    if args.load_model:
        return _load(args, given)
    values = {}
    if args.config:
        values, args.view_options = read_config(args.config)
    return config_with_defaults(override(values, given))


def _load(args, given: dict) -> RunConfig:
    """Restore --load-model; --iterations means that many more, --learning-rate, --l2 and
    --keep-prob replace the saved values."""
    fixed = [k for k in NETWORK_OPTIONS if k in given]
    if args.config or fixed:
        other = "--config" if args.config else SETTINGS[fixed[0]].flag
        raise UsageError(f"{other} cannot be used with --load-model: the model file fixes "
                         "the network and its settings")
    data = {k: given[k] for k in DATA_KEYS if k in given}
    saved = read_model(args.load_model)
    if saved.warning:
        print(f"{args.prog}: warning: {saved.warning}", file=sys.stderr)
    config = saved.config_for(args.data_dir, data)
    session = saved.session_on(load_data(config, picture_decoder(config)), config)
    for name in LIVE_OPTIONS:
        if name in given:
            more = session.iteration if name == "iterations" else 0  # that many more
            session.set_live(name, given[name] + more)
    session.config = session.config.with_changes(
        learning_rate=session.learning_rate, iterations=session.target_iterations,
        l2=session.l2, keep_prob=session.keep_prob)
    args.loaded_session = session
    return session.config


def check_outputs(args) -> None:
    """Refuse, before anything is loaded or trained, an output that could not be written.

    A leading ~ is the home folder, as in inputs. Each is tried (files.check_can_write);
    two outputs may not be one file; "-" (standard output) is for the text outputs only.
    Raises SaveError or UsageError.
    """
    given = {name: getattr(args, name) for name in OUTPUT_OPTIONS if getattr(args, name, None)}
    for name, path in given.items():
        if path != STDOUT:  # '~/r.json' quoted in a shell or a launcher: the home folder's
            path = given[name] = expand_user(path, _option(name), UsageError)
            setattr(args, name, path)
            check_can_write(path)
        elif name not in STDOUT_OPTIONS:
            raise UsageError(f"{_option(name)}: only --report and --export-costs can write to "
                             "standard output ('-'); give a file name")
    check_distinct({_option(name): path for name, path in given.items()})


def check_outputs_apart(args, config: RunConfig) -> None:
    """Refuse (SaveError) an output that is one of the run's inputs, or inside an input
    folder, by file identity (files.check_not_inputs): before anything is written.

    One pair is allowed: --save-model over --load-model updates the model it continues (a
    checkpoint), atomically, with a file of the same kind.
    """
    given = {_option(name): getattr(args, name) for name in OUTPUT_OPTIONS
             if getattr(args, name, None)}
    inputs = [Input(_option(name), path) for name in ("config", "load_model", "student")
              if (path := getattr(args, name, None))]
    inputs += data_inputs(config)
    for label, path in given.items():
        kept = [i for i in inputs if (label, i.what) != ("--save-model", "--load-model")]
        check_not_inputs({label: path}, kept)


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def build_parser(train: bool) -> argparse.ArgumentParser:
    if train:
        p = Parser(prog="dnnviz train", description="Train without a window.")
        p.add_argument("--print-every", type=WHOLE, default=100,
                       help="print progress every N iterations (0: only the summary)")
        p.add_argument("--save-model", metavar="H5", type=FILE, help="save the model at the "
                       "end (also after Ctrl+C, SIGTERM or divergence), to continue with "
                       "--load-model")
        p.add_argument("--export-costs", metavar="CSV", type=FILE,
                       help="write the cost of every iteration as CSV ('-': to standard output)")
    else:
        p = Parser(prog="dnnviz", description="Watch a NumPy deep network learn. Other "
                   "commands: `dnnviz train` (without a window), `dnnviz check` and `dnnviz "
                   "template` (your own implementation of the lesson), `dnnviz "
                   "install-desktop` (a menu entry); each has --help.")
        p.add_argument("--autostart", action="store_true", help="start training at once")
        p.add_argument("--exit-after", type=WHOLE, metavar="N",
                       help="quit after N iterations")
        p.add_argument("--screenshot", metavar="PNG", type=FILE,
                       help="save the window as PNG on quit")
        p.add_argument("--lesson", metavar="NAME", type=option_type(Text("a lesson name")),
                       help="open a lesson preset: "
                       + ", ".join(name for name, _ in list_lessons()))
        p.add_argument("--window-size", type=converter(parse_size), metavar="WxH",
                       help="the window's size in pixels, whatever the screen (e.g. 1280x720 "
                       f"for a headless screenshot; offscreen the default is "
                       f"{HEADLESS_SIZE[0]}x{HEADLESS_SIZE[1]})")
        p.add_argument("--play-all", action="store_true",
                       help="with --lesson: play every run of the lesson in turn, then quit "
                       "(after --screenshot and --report, whose \"runs\" lists each run)")
        p.add_argument("--together", action="store_true",
                       help="with --play-all: train the lesson's runs side by side, each in "
                       "a process of its own, at one pace")
        p.add_argument("--presentation", action="store_true",
                       help="presentation mode: large text, thick lines, full screen (F11)")
        p.add_argument("--theme", choices=("light", "dark"), default="light",
                       help="colours of the window (default light)")
        p.add_argument("--view", choices=view_names(),
                       help="the view in front when the window opens (View > Show)")
        p.add_argument("--speed", type=converter(parse_speed), default=argparse.SUPPRESS,
                       metavar="{N,max}",
                       help="iterations per second while training, or 'max' (default: "
                       f"{watch_speed(False):g} for 2-D data, {watch_speed(True):g} for "
                       "pictures, so that a default run lasts about 20 s); changes "
                       "when things happen, never the numbers")
        add_student_options(p)
        add_record_options(p)
    add_run_options(p)
    return p


def add_student_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--student", metavar="FILE", type=FILE,
                   help="train with your own L_model_forward, compute_cost, L_model_backward "
                   "and update_parameters from a .py or .ipynb, beside dnnviz's own run "
                   "(`dnnviz check FILE` checks them one by one)")
    p.add_argument("--name", action="append", default=[], metavar="COURSE=THEIRS",
                   help="your name for a lesson function, e.g. L_model_forward=L_model_fp "
                   "(repeat for more)")
    p.add_argument("--time-limit", type=option_type(Number()), metavar="SECONDS",
                   help="stop a function of yours that runs longer than this while it "
                   "trains (default 30)")


def check_play_all(args) -> None:
    if args.together and not args.play_all:
        raise UsageError("--together goes with --play-all: --lesson NAME --play-all --together")
    if not args.lesson:
        raise UsageError("--play-all plays a lesson's runs: give the lesson with --lesson NAME")
    if args.exit_after is not None:
        raise UsageError("--play-all plays each run to its end: it cannot be used with "
                         "--exit-after")


def check_student(args) -> None:
    """--student, --name and --time-limit, each mistake one line, before any window; sets
    args.names. Nothing of the student's file runs here (it runs in the training process)."""
    from dnnviz.student import NameMappingError, StudentFileError, parse_names
    from dnnviz.student.loader import parse_student_file
    try:
        args.names = parse_names(args.name)
        if args.student:
            parse_student_file(args.student)  # missing, not .py/.ipynb, a syntax error
    except (NameMappingError, StudentFileError) as exc:
        raise UsageError(str(exc)) from None
    if args.time_limit is not None and not 0 < args.time_limit < math.inf:
        raise UsageError(f"--time-limit must be a number of seconds above 0, not "
                         f"{args.time_limit:g}")
    if args.student and args.load_model:
        raise UsageError("--student cannot be used with --load-model: a saved model goes on "
                         "with dnnviz's own functions")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv and argv[0] in ("check", "template", "install-desktop",
                                               "train") else None
    try:
        return _run(argv, command)
    except KeyboardInterrupt:  # Ctrl+C while loading, before training took over the signal
        print(f"dnnviz{' ' + command if command else ''}: interrupted", file=sys.stderr)
        return 130


def _run(argv: list, command: str | None) -> int:
    if command in ("check", "template"):
        from dnnviz.student.cli import main as student_main
        return student_main(argv)
    if command == "install-desktop":
        from dnnviz.desktop import main as desktop_main
        return desktop_main(argv[1:])
    train = command == "train"
    prog = "dnnviz train" if train else "dnnviz"
    try:
        args = build_parser(train).parse_args(argv[1:] if train else argv)
        args.prog = prog
        check_outputs(args)
        if not train:
            check_student(args)
            check_record_options(args)
        config = config_from_args(args)
        check_outputs_apart(args, config)
        if getattr(args, "lesson", None):
            load_lesson(args.lesson, args.data_dir)  # a bad name: one line, no window
        if getattr(args, "play_all", False) or getattr(args, "together", False):
            check_play_all(args)
        if train:
            from dnnviz.train_cli import run_train
            return run_train(config, args)
        from dnnviz.display import window_problem
        problem = window_problem()  # Qt would abort: say why in one line instead
        if problem:
            raise UsageError(problem)
        from dnnviz.app import run_app
        return run_app(config, args)
    except (UsageError, ConfigError, DataError, ModelFileError, SaveError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2


starting.settled()  # the imports above are done: main() handles Ctrl+C from here
