"""Does a real window visibly move? Dumps of an X11 screen, several a second, compared.

Starts Xvfb (its own display), runs the window on it (default speed, --autostart), dumps the
whole screen with `xwd` DUMPS_PER_SECOND times a second while it trains, and reports, for a
grid of regions over the window, the share of consecutive dumps in which the region changed,
and how many regions changed in a typical dump. A class watching the run sees what these
dumps see. Needs Debian's xvfb and x11-apps (xwd).

  python benchmarks/bench_x11_liveness.py [--data-dir DIR] [--size 1280x720]
                                          [--only flower|cat] [--seconds 12]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_step import find_data  # noqa: E402

DUMPS_PER_SECOND = 4
GRID = (4, 4)  # rows, columns of regions
RUNS = {
    "flower": ["--dataset", "flower"],
    "cat": ["--dataset", "cat", "--hidden", "20,7,5", "--init", "scaled",
            "--learning-rate", "0.0075", "--seed", "1"],
}


def read_xwd(data: bytes) -> np.ndarray:
    """The pixels of an xwd dump (ZPixmap, 32 bits per pixel) as (height, width) uint32."""
    header = np.frombuffer(data[:100], dtype=">u4")
    header_size, width, height = int(header[0]), int(header[4]), int(header[5])
    bytes_per_line, ncolors = int(header[12]), int(header[19])
    start = header_size + 12 * ncolors
    rows = np.frombuffer(data[start:start + bytes_per_line * height], dtype=np.uint32)
    return rows.reshape(height, bytes_per_line // 4)[:, :width]


def start_xvfb(size: str) -> tuple[subprocess.Popen, str]:
    for n in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            display = f":{n}"
            proc = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten",
                                     "tcp"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{n}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            return proc, display
    sys.exit("bench_x11_liveness: error: no free X display number")


def watch(name: str, size: str, seconds: float, data_dir) -> None:
    xvfb, display = start_xvfb(size)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = display
    cmd = [sys.executable, "-m", "dnnviz", *RUNS[name], "--autostart"]
    if name == "cat":
        cmd += ["--data-dir", str(data_dir)]
    app = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        time.sleep(3.0)  # the window is up and training
        dumps = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            tick = time.monotonic()
            out = subprocess.run(["xwd", "-root", "-silent", "-display", display],
                                 capture_output=True, check=True).stdout
            dumps.append(read_xwd(out))
            time.sleep(max(0.0, 1.0 / DUMPS_PER_SECOND - (time.monotonic() - tick)))
    finally:
        app.terminate()
        app.wait(timeout=30)
        xvfb.terminate()
        xvfb.wait(timeout=10)
    report(name, size, dumps)


def report(name: str, size: str, dumps: list[np.ndarray]) -> None:
    rows, cols = GRID
    h, w = dumps[0].shape
    changed = np.zeros((len(dumps) - 1, rows, cols), dtype=bool)
    for k, (a, b) in enumerate(zip(dumps, dumps[1:])):
        diff = a != b
        for r in range(rows):
            for c in range(cols):
                block = diff[r * h // rows:(r + 1) * h // rows, c * w // cols:(c + 1) * w // cols]
                changed[k, r, c] = block.mean() > 0.0005
    share = changed.mean(axis=0)
    per_dump = changed.reshape(len(changed), -1).sum(axis=1)
    print(f"{name} at {size}: {len(dumps)} dumps ({DUMPS_PER_SECOND}/s); share of dumps in "
          f"which each region changed (rows top to bottom):")
    for r in range(rows):
        print("   " + "  ".join(f"{share[r, c]:4.0%}" for c in range(cols)))
    print(f"   regions changed per dump: median {statistics.median(per_dump):.0f} of "
          f"{rows * cols}, fewest {per_dump.min()}; dumps with no change: "
          f"{int((per_dump == 0).sum())}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--only", choices=tuple(RUNS))
    args = parser.parse_args()
    for tool in ("Xvfb", "xwd"):
        if shutil.which(tool) is None:
            sys.exit(f"bench_x11_liveness: error: {tool} not found (Debian: xvfb, x11-apps)")
    names = [args.only] if args.only else list(RUNS)
    data_dir = find_data(args.data_dir) if "cat" in names else None
    with tempfile.TemporaryDirectory():
        for name in names:
            watch(name, args.size, args.seconds, data_dir)


if __name__ == "__main__":
    main()
