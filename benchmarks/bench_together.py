"""Runs side by side: two cat-net runs training together at the default pace, each in a
training process of its own, and how live their page stays.

  python benchmarks/bench_together.py [--data-dir DIR] [--size 1280x720] [--repeat 1]
                                      [--presentation] [--timeout 240]

The run is the window's own: `dnnviz --lesson two-layer-vs-deep --play-all --together
--report` on Qt's offscreen platform (OpenBLAS at its defaults, as bench_busy.py), whose
report has the page's refreshes a second (together_refresh_hz: each run's picture and
numbers, and the cost plot, which redraws at every run's frame) and the GUI thread's CPU
per frame (together_frame_ms). Printed beside them: each run's iterations, the wall time
of the whole command, and the machine's load average before and after, since a shared
machine's other work weighs on every figure.

Target (issue 20): every view of the page at 15 Hz or more on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_busy import run  # noqa: E402
from bench_step import find_data  # noqa: E402

LESSON = "two-layer-vs-deep"  # the course's two cat nets, 2,500 iterations each
TARGET_HZ = 15.0


def together(data_dir: Path, size: str, presentation: bool, timeout: float) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        start = time.perf_counter()
        done = run([sys.executable, "-m", "dnnviz", "--lesson", LESSON, "--play-all",
                    "--together", "--data-dir", str(data_dir), "--window-size", size,
                    *(["--presentation"] if presentation else []),
                    "--report", str(report)], timeout)
        wall = time.perf_counter() - start
        if done is None or not report.exists():
            why = "not done" if done is None else f"exit {done.returncode}"
            return f"{why} in {timeout:g} s"
        r = json.loads(report.read_text())
    hz = r.get("together_refresh_hz") or {}
    if not hz:
        return "no frames counted on the side-by-side page"
    slowest = min(hz, key=hz.get)
    runs = ", ".join(f"{row['name']}: {row['iterations']} it, {hz.get(row['name'], 0):.1f} Hz"
                     for row in r["runs"])
    verdict = "ok" if hz[slowest] >= TARGET_HZ else f"SHORT of {TARGET_HZ:g} Hz"
    return (f"views >= {hz[slowest]:4.1f} Hz ({slowest}; {verdict}), cost plot "
            f"{hz.get('cost', 0):.1f} Hz, GUI {r['together_frame_ms']:.1f} ms CPU a frame, "
            f"{wall:.0f} s in all (pace {r['speed']:g} it/s) | {runs}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--presentation", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=240.0)
    args = parser.parse_args()
    data_dir = find_data(args.data_dir)
    print(f"{os.cpu_count()} cores; {LESSON} --together at {args.size}"
          f"{' (presentation)' if args.presentation else ''}", flush=True)
    for i in range(args.repeat):
        before = os.getloadavg()[0]
        line = together(data_dir, args.size, args.presentation, args.timeout)
        print(f"run {i + 1}: {line} | load average {before:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after", flush=True)


if __name__ == "__main__":
    main()
