"""`dnnviz train`: a headless run that prints progress and writes a report, model, costs."""

from __future__ import annotations

import json
import signal
import sys
import time

from dnnviz.files import STDOUT, SaveError, write_output
from dnnviz.training import RunConfig, Session
from dnnviz.training.persist import costs_csv, save_model
from dnnviz.training.report import run_report


def run_train(config: RunConfig, args) -> int:
    session = getattr(args, "loaded_session", None) or Session(config)
    # progress goes to stderr when an output takes stdout, so that stays clean JSON or CSV
    out = sys.stderr if STDOUT in (args.report, getattr(args, "export_costs", None)) \
        else sys.stdout
    dims = " -> ".join(str(n) for n in session.layer_dims)
    start_at = f", from iteration {session.iteration}" if session.iteration else ""
    print(f"training {dims} on {session.data.name} ({session.data.m_train} train, "
          f"{session.data.m_test} test examples), learning rate "
          f"{session.learning_rate:g}{start_at}", file=out, flush=True)
    interrupted = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    start = time.perf_counter()
    first = session.iteration
    every = max(0, args.print_every)
    last = session.target_iterations - 1

    def on_step(i, cost):
        if every and (i % every == 0 or i == last):
            rate = (i + 1 - first) / max(time.perf_counter() - start, 1e-9)
            print(f"iteration {i:>7}  cost {cost:.6f}  {rate:8.1f} it/s", file=out,
                  flush=True)

    try:
        session.run(should_stop=lambda: bool(interrupted), on_step=on_step)
    finally:
        signal.signal(signal.SIGINT, previous)
    seconds = time.perf_counter() - start
    report = run_report(session, seconds)
    print(f"{session.stopped_reason}: {session.iteration} iterations in {seconds:.2f} s, "
          f"train accuracy {report['train_accuracy']:.4f}, "
          f"test accuracy {report['test_accuracy']:.4f}", file=out, flush=True)
    try:
        write_outputs(session, report, args)
    except SaveError as exc:
        print(f"dnnviz train: error: {exc}", file=sys.stderr)
        return 2
    if session.diverged:
        return 1
    return 130 if interrupted else 0


def write_outputs(session: Session, report: dict, args) -> None:
    """--save-model, --export-costs and --report, each written atomically ("-": stdout)."""
    if getattr(args, "save_model", None):
        save_model(args.save_model, session)
    if getattr(args, "export_costs", None):
        write_output(args.export_costs, costs_csv(session.costs))
    if args.report:
        write_output(args.report, json.dumps(report, indent=1) + "\n")
