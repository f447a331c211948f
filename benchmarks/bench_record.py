"""Recording a run: the same frames on a loaded machine, and what recording costs the window.

1. The same frames however loaded: the flower run's decision boundary recorded as a GIF
   (--exit-after 300 --record-every 10 --record-view boundary) once on the machine as it
   is and once beside BUSY processes that each spin a core; the two recordings must have
   31 frames each and be the same pixel for pixel (the boundary view shows nothing that
   depends on time), and the run beside the busy processes takes longer.
2. The cost, side by side: the flower at the default speed (150 it/s) for ITERATIONS
   iterations in the window (offscreen, --report), without recording and recording the
   whole window as a GIF and as an MP4 at the default pace (3000 / 250: every 12th
   iteration); each view's refreshes per second, the GUI thread's CPU per frame (p50,
   p95) and the iterations per second, the median of the rounds.

  python benchmarks/bench_record.py [--rounds 3] [--busy 2]
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

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
ITERATIONS = 1200
SPIN = "while True: pass"


def dnnviz(*args, cwd) -> float:
    """Run the window offscreen; the seconds it took."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dnnviz", "--autostart", *args], check=True,
                   env=env, cwd=cwd, capture_output=True)
    return time.perf_counter() - start


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as im:
        frames = []
        for i in range(im.n_frames):
            im.seek(i)
            frames.append(np.asarray(im.convert("RGB")))
        return frames


def same_frames_under_load(busy: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        args = ("--exit-after", "300", "--record-every", "10", "--record-view", "boundary")
        quiet = dnnviz(*args, "--record", "quiet.gif", cwd=tmp)
        spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(busy)]
        try:
            loaded = dnnviz(*args, "--record", "loaded.gif", cwd=tmp)
        finally:
            for p in spinners:
                p.kill()
                p.wait()
        a, b = gif_frames(Path(tmp) / "quiet.gif"), gif_frames(Path(tmp) / "loaded.gif")
        same = len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))
        print(f"boundary, iterations 0..300 every 10: {len(a)} frames in {quiet:.1f} s; "
              f"beside {busy} busy processes {len(b)} frames in {loaded:.1f} s; "
              f"the same pixel for pixel: {'yes' if same else 'NO'}")


def cost_of_recording(rounds: int) -> None:
    cases = {"not recording": (), "recording a GIF": ("--record", "run.gif"),
             "recording an MP4": ("--record", "run.mp4")}
    results: dict[str, list[dict]] = {name: [] for name in cases}
    for _ in range(rounds):  # interleaved: each round's runs share the machine's mood
        for name, extra in cases.items():
            with tempfile.TemporaryDirectory() as tmp:
                dnnviz("--dataset", "flower", "--exit-after", str(ITERATIONS),
                       "--report", "report.json", *extra, cwd=tmp)
                results[name].append(json.loads((Path(tmp) / "report.json").read_text()))
    print(f"flower at the default speed, {ITERATIONS} iterations, median of {rounds} rounds:")
    print("| run | refreshes per second (readout, cost, boundary) | GUI CPU per frame "
          "p50 / p95 | training |")
    print("|---|---|---|---|")
    for name, reports in results.items():
        hz = {view: statistics.median(r["refresh_hz"].get(view, 0.0) for r in reports)
              for view in ("readout", "cost", "boundary")}
        p50 = statistics.median(r["frame_ms_p50"] for r in reports)
        p95 = statistics.median(r["frame_ms_p95"] for r in reports)
        ips = statistics.median(r["iterations_per_second"] for r in reports)
        print(f"| {name} | {hz['readout']:.1f}, {hz['cost']:.1f}, {hz['boundary']:.1f} | "
              f"{p50:.1f} / {p95:.1f} ms | {ips:.0f} it/s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--busy", type=int, default=2)
    args = parser.parse_args()
    same_frames_under_load(args.busy)
    cost_of_recording(args.rounds)


if __name__ == "__main__":
    main()
