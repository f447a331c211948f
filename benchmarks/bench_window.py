"""How live the window is, and what watching costs: measured side by side in one run.

For the flower data set and the course's cat L-layer net (when the course files are found):
1. At the default speed, one window run (offscreen, --report): each visible view's
   refreshes per second while training, the GUI thread's CPU per frame (p50, p95), the
   iterations per second and how long the run took.
2. At --speed max, rounds of a headless run (Session.run in this process) and a window run
   back to back; the median of the rounds' window/headless ratios (each round's two runs
   share the machine's mood, so the ratio cancels a shared machine's slow drifts), with the
   views' refresh rates at max.

  python benchmarks/bench_window.py [--data-dir DIR] [--rounds 5] [--only flower|cat]
                                    [--view network|distributions|histograms|...]

Targets (issue "watch it learn", 2-core machine): at the default speed the readout and the
cost plot >= 20 refreshes/s, every visible view >= 5/s, frame_ms p95 <= 15; at max, every
view >= 2/s and training >= 0.8x headless.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_step import find_data  # noqa: E402

from dnnviz.training import Session  # noqa: E402
from dnnviz.training.config import config_with_defaults  # noqa: E402

# data set -> (its options, iterations at the default speed, iterations at max)
CASES = {
    "flower": (["--dataset", "flower"], 1200, 20000),
    "cat": (["--dataset", "cat", "--hidden", "20,7,5", "--init", "scaled",
             "--learning-rate", "0.0075", "--seed", "1"], 600, 500),
}


def window_run(options, iterations, speed=None, data_dir=None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "dnnviz", *options, "--autostart",
               "--exit-after", str(iterations), "--report", str(report)]
        if speed is not None:  # a run as long as the headless one, at that speed
            cmd += ["--speed", speed, "--iterations", str(iterations)]
        if data_dir is not None:
            cmd += ["--data-dir", str(data_dir)]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=REPO)
        return json.loads(report.read_text())


def headless(name, iterations, data_dir) -> float:
    values = {"dataset": name, "iterations": iterations}
    if name == "cat":
        values.update(data_dir=str(data_dir), hidden=(20, 7, 5), init="scaled",
                      learning_rate=0.0075, seed=1)
    session = Session(config_with_defaults(values))
    start = time.perf_counter()
    session.run()
    return iterations / (time.perf_counter() - start)


def rates(report) -> str:
    return "  ".join(f"{k} {v:5.1f}" for k, v in sorted(report["refresh_hz"].items()))


def default_speed(name, data_dir) -> None:
    options, iterations, _ = CASES[name]
    r = window_run(options, iterations, data_dir=data_dir if name == "cat" else None)
    print(f"{name}, default speed ({r['speed']:g} it/s), {iterations} iterations:")
    print(f"  refreshes per second   {rates(r)}")
    print(f"  GUI CPU per frame      p50 {r['frame_ms_p50']:.1f} ms   p95 "
          f"{r['frame_ms_p95']:.1f} ms")
    print(f"  training               {r['iterations_per_second']:.1f} it/s, "
          f"run {r['run_seconds']:.1f} s", flush=True)


def at_max(name, data_dir, rounds) -> None:
    options, _, iterations = CASES[name]
    ratios, reports = [], []
    for r in range(rounds):
        head = headless(name, iterations, data_dir)
        report = window_run(options, iterations, "max", data_dir if name == "cat" else None)
        win = report["iterations_per_second"]
        ratios.append(win / head)
        reports.append(report)
        print(f"  round {r + 1}: headless {head:8.1f} it/s   window {win:8.1f} it/s   "
              f"{rates(report)}", flush=True)
    views = sorted(reports[0]["refresh_hz"])
    median_rates = {v: statistics.median(rep["refresh_hz"].get(v, 0.0) for rep in reports)
                    for v in views}
    print(f"{name} at max: window / headless {statistics.median(ratios):.2f}x "
          f"(median of {rounds} rounds; target >= 0.8); refreshes per second (median) "
          + "  ".join(f"{k} {v:.1f}" for k, v in median_rates.items()), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=tuple(CASES))
    parser.add_argument("--view", help="the view in front (dnnviz --view)")
    args = parser.parse_args()
    names = [args.only] if args.only else list(CASES)
    if args.view:  # that view in front, instead of the kind of data's first
        for name, (options, *rest) in CASES.items():
            CASES[name] = ([*options, "--view", args.view], *rest)
    data_dir = None
    if "cat" in names:
        try:
            data_dir = find_data(args.data_dir)
        except SystemExit:
            print("course files not found: the cat net is left out")
            names.remove("cat")
    for name in names:
        default_speed(name, data_dir)
        print(f"{name} at --speed max, {CASES[name][2]} iterations a run:")
        at_max(name, data_dir, args.rounds)
        print()


if __name__ == "__main__":
    main()
