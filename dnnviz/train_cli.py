"""`dnnviz train`: a headless run that prints progress and writes a JSON report."""

from __future__ import annotations

import json
import signal
import sys
import time

from dnnviz.atomic import SaveError, write_text
from dnnviz.training import RunConfig, Session


def run_train(config: RunConfig, args) -> int:
    session = Session(config)
    dims = " -> ".join(str(n) for n in session.layer_dims)
    print(f"training {dims} on {session.data.name} ({session.data.m_train} train, "
          f"{session.data.m_test} test examples), learning rate {config.learning_rate:g}",
          flush=True)
    interrupted = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    start = time.perf_counter()
    every = max(0, args.print_every)

    def on_step(i, cost):
        if every and (i % every == 0 or i == config.iterations - 1):
            rate = (i + 1) / max(time.perf_counter() - start, 1e-9)
            print(f"iteration {i:>7}  cost {cost:.6f}  {rate:8.1f} it/s", flush=True)

    try:
        session.run(should_stop=lambda: bool(interrupted), on_step=on_step)
    finally:
        signal.signal(signal.SIGINT, previous)
    seconds = time.perf_counter() - start
    report = session.report(seconds)
    print(f"{session.stopped_reason}: {session.iteration} iterations in {seconds:.2f} s, "
          f"train accuracy {report['train_accuracy']:.4f}, "
          f"test accuracy {report['test_accuracy']:.4f}", flush=True)
    if args.report:
        try:
            write_text(args.report, json.dumps(report, indent=1) + "\n")
        except SaveError as exc:
            print(f"dnnviz train: error: {exc}", file=sys.stderr)
            return 2
    if session.diverged:
        return 1
    return 130 if interrupted else 0
