"""`dnnviz train`: a headless run that prints progress and writes a report, model, costs.

Ctrl+C (SIGINT), SIGTERM and SIGHUP stop the run after the current iteration; the model,
costs and report are still written, and the exit code is 128 + the signal's number (130,
143, 129). A signal during the save only prints that the save is being finished. A closed
standard output (`| head -2`) ends the printing, not the run, whose exit code stands.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from dnnviz.files import STDOUT, SaveError, write_output
from dnnviz.files.writing import silence
from dnnviz.picture_reading import picture_decoder
from dnnviz.training import RunConfig, Session, load_data, save_config
from dnnviz.training.persist import save_model
from dnnviz.training.report import costs_csv, run_report
from dnnviz.training.threads import AUTO, BlasThreads

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class Stop:
    """The signal handler: the first signal stops training; later ones only say why it waits."""

    def __init__(self):
        self.signum: int | None = None

    def __call__(self, signum, _frame):
        if self.signum is None:
            self.signum = signum
            return
        try:  # os.write: a handler may run in the middle of a print
            os.write(2, b"dnnviz train: already stopping; finishing the save first\n")
        except OSError:
            pass


class Printer:
    """Prints progress lines; once the reader has gone it prints no more.

    A broken pipe (`| head`), or EIO from a terminal that hung up (the SIGHUP case), ends
    the printing only: the run goes on and its files are still written.
    """

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            print(text, file=self.stream, flush=True)
        except OSError:
            silence(self.stream)
            self.stream = None


def run_train(config: RunConfig, args) -> int:
    session = getattr(args, "loaded_session", None)
    if session is None:
        session = Session(config, load_data(config, picture_decoder(config)))
    # progress goes to stderr when an output takes stdout, so that stays clean JSON or CSV
    to_stdout = STDOUT in (args.report, getattr(args, "export_costs", None))
    say = Printer(sys.stderr if to_stdout else sys.stdout)
    stop = Stop()
    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        first = session.iteration
        threads = BlasThreads(getattr(args, "threads", AUTO))
        seconds = _train(session, args, say, stop, threads)
        report = run_report(session, seconds)
        report["threads"] = threads.summary()
        say(summary(session, first, seconds, report))
        if not write_outputs(session, report, args, say):
            return 2
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if session.diverged:
        return 1
    return 128 + stop.signum if stop.signum else 0


def summary(session: Session, first: int, seconds: float, report: dict) -> str:
    """The last lines: why it stopped, then the iterations this command trained (a continued
    run's since its start; a diverged run's without the step it undid) and the accuracies."""
    done = session.iteration - first
    notes = [f"iterations {first:,} to {session.iteration:,}"] if first else []
    if session.diverged:
        notes.append("the step that diverged was undone")
    count = f"{done:,} iteration{'' if done == 1 else 's'} in {seconds:.2f} s"
    if notes:
        count += f" ({'; '.join(notes)})"
    return (f"{session.stopped_reason}\n{count}; train accuracy "
            f"{report['train_accuracy']:.4f}, test accuracy {report['test_accuracy']:.4f}")


def _train(session: Session, args, say: Printer, stop: Stop, threads: BlasThreads) -> float:
    """Train until the target, divergence or a stop signal, each step on the BLAS threads
    `threads` chooses; the seconds it took."""
    dims = " -> ".join(str(n) for n in session.layer_dims)
    start_at = f", from iteration {session.iteration}" if session.iteration else ""
    say(f"training {dims} on {session.data.name} ({session.data.m_train} train, "
        f"{session.data.m_test} test examples), learning rate "
        f"{session.learning_rate:g}{start_at}")
    start = time.perf_counter()
    first = session.iteration
    every = max(0, args.print_every)
    last = session.target_iterations - 1

    def on_step(i, cost):
        if every and (i % every == 0 or i == last):
            rate = (i + 1 - first) / max(time.perf_counter() - start, 1e-9)
            say(f"iteration {i:>7}  cost {cost:.6f}  {rate:8.1f} it/s")

    # the test curve every few iterations is for a saved model only: nothing else shows it
    session.keep_evals = bool(getattr(args, "save_model", None))
    try:
        session.run(should_stop=lambda: stop.signum is not None, on_step=on_step,
                    threads=threads)
    finally:
        threads.restore()
    return time.perf_counter() - start


def write_outputs(session: Session, report: dict, args, say=print) -> bool:
    """--save-model, --export-costs, --report and --save-config, each written atomically
    ("-": stdout).

    Each stands on its own: one that cannot be written (a full disk) is said in one line
    and the others are still written. True if every one was.
    """
    writes = []
    if getattr(args, "save_config", None):
        writes.append(lambda: save_config(args.save_config, session.config))
    if getattr(args, "save_model", None):
        def model():
            say(f"saving the model to {args.save_model}")
            save_model(args.save_model, session)
        writes.append(model)
    if getattr(args, "export_costs", None):
        writes.append(lambda: write_output(args.export_costs, costs_csv(session.costs)))
    if args.report:
        writes.append(lambda: write_output(args.report, json.dumps(report, indent=1) + "\n"))
    ok = True
    for write in writes:
        try:
            write()
        except SaveError as exc:
            print(f"dnnviz train: error: {exc}", file=sys.stderr)
            ok = False
    return ok
