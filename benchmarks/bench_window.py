"""The window against headless training, measured side by side in one run.

Trains the cat L-layer net (12288, 20, 7, 5, 1) for 500 iterations headless (Session.run in
this process) and in the window (a subprocess: offscreen, every view live, --report), in
alternating rounds; prints the median of the rounds' iterations-per-second ratios, the UI
latency p99 (how late a 10 ms QTimer fired while training) and the time to the first
painted window.

  python benchmarks/bench_window.py [--data-dir DIR] [--rounds 15] [--iterations 500]
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

from dnnviz.training import RunConfig, Session  # noqa: E402

NET = dict(hidden=(20, 7, 5), init="scaled", learning_rate=0.0075, seed=1)


def headless(data_dir, iterations):
    session = Session(RunConfig(dataset="cat", data_dir=str(data_dir), iterations=iterations,
                                **NET))
    start = time.perf_counter()
    session.run()
    return iterations / (time.perf_counter() - start)


def windowed(data_dir, iterations):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "dnnviz", "--dataset", "cat", "--data-dir", str(data_dir),
               "--hidden", "20,7,5", "--init", "scaled", "--learning-rate", "0.0075",
               "--seed", "1", "--iterations", str(iterations), "--autostart",
               "--exit-after", str(iterations), "--report", str(report)]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=REPO)
        return json.loads(report.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--iterations", type=int, default=500)
    args = parser.parse_args()
    folder = find_data(args.data_dir)
    head, win, lat, paint = [], [], [], []
    for r in range(args.rounds):
        head.append(headless(folder, args.iterations))
        report = windowed(folder, args.iterations)
        win.append(report["iterations_per_second"])
        lat.append(report["ui_latency_ms_p99"])
        paint.append(report["first_paint_seconds"])
        print(f"round {r + 1}: headless {head[-1]:7.1f} it/s   window {win[-1]:7.1f} it/s   "
              f"latency p99 {lat[-1]:5.1f} ms   first paint {paint[-1]:.2f} s", flush=True)
    # each round's two runs are back to back, so their ratio cancels the slow drifts of a
    # shared machine; the median of those ratios is the figure
    ratio = statistics.median(w / h for w, h in zip(win, head))
    print(f"\nwindow / headless iterations per second  {ratio:5.2f}x  (target >= 0.9; "
          f"median of the {len(win)} rounds' ratios)")
    print(f"UI latency p99 (median of rounds)         {statistics.median(lat):5.1f} ms "
          "(target < 50)")
    print(f"first window painted after                {statistics.median(paint):5.2f} s "
          "(target < 1.5)")


if __name__ == "__main__":
    main()
