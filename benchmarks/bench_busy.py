"""dnnviz on a busy machine, as a classroom laptop is: quiet and with N busy processes
beside it, measured side by side in one run.

  python benchmarks/bench_busy.py [--load 2] [--data-dir DIR] [--only window|train]
                                  [--iterations 600] [--timeout 90]

Every run is a process of its own with OpenBLAS left at its defaults (OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE, which these development machines set and a user's does not, are unset).
The busy processes are `python3 -c 'while True: pass'`, started by this script: a window run
"own session" is started in a session of its own (as a desktop launcher starts it; Linux
schedules each session's group fairly against the others), "same session" from this
script's session, beside the busy processes (a terminal beside a running job, or Linux
without autogroup scheduling).

Rows:
- window cat: the course's cat L-layer net, the window's default run (offscreen, --report):
  iterations per second and the slowest view's refreshes per second;
- window flower: the same for the flower;
- train cat: `dnnviz train` on the course's L-layer net (--threads auto, the default), and
  the quiet one-thread run it is measured against (--threads 1), and a plain NumPy loop of
  the same network (the lesson's functions, BLAS at its defaults).

Targets (issue "smooth on a busy laptop", 2 cores, --load 2): the window's cat run >= 75
it/s with every view >= 15 Hz, either way it is started; the flower's 150 it/s and 25 Hz;
`dnnviz train` >= 0.55x of the quiet one-thread run; quiet, dnnviz train at least as fast as
the plain loop and the window's runs at their pace with views at 25 Hz or more.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_step import find_data  # noqa: E402

CAT = ["--dataset", "cat", "--hidden", "20,7,5", "--init", "scaled",
       "--learning-rate", "0.0075", "--seed", "1"]
PLAIN_LOOP = """
import sys, time
from dnnviz.data import load_course_h5
from dnnviz.nn import functional as F
data = load_course_h5(sys.argv[1] + "/train_catvnoncat.h5", sys.argv[1] + "/test_catvnoncat.h5")
X, Y, n = data.X_train, data.Y_train, int(sys.argv[2])
params = F.initialize_parameters_deep([X.shape[0], 20, 7, 5, 1], seed=1, init="scaled")
start = time.perf_counter()
for _ in range(n):
    AL, caches = F.L_model_forward(X, params)
    F.compute_cost(AL, Y)
    params = F.update_parameters(params, F.L_model_backward(AL, Y, caches), 0.0075)
print(n / (time.perf_counter() - start))
"""


def user_env() -> dict:
    """The environment of a user's machine: OpenBLAS at its defaults."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(cmd, timeout, own_session=False) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(cmd, env=user_env(), capture_output=True, text=True, cwd=REPO,
                              timeout=timeout, start_new_session=own_session)
    except subprocess.TimeoutExpired:
        return None


def window(options, iterations, timeout, own_session) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        done = run([sys.executable, "-m", "dnnviz", *options, "--autostart", "--exit-after",
                    str(iterations), "--report", str(report)], timeout, own_session)
        if done is None or not report.exists():
            why = "not done" if done is None else f"exit {done.returncode}"
            return f"{why} in {timeout} s"
        r = json.loads(report.read_text())
    hz = r["refresh_hz"]
    slowest = min(hz, key=hz.get)
    used = r.get("threads") or {}
    return (f"{r['iterations_per_second']:6.1f} it/s (pace {r['speed']:g}), views >= "
            f"{hz[slowest]:4.1f} Hz ({slowest}), p95 frame {r['frame_ms_p95']:.1f} ms, "
            f"steps per BLAS thread count {used.get('steps_on')}")


def train(data_dir, iterations, timeout, threads) -> tuple[float | None, str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        done = run([sys.executable, "-m", "dnnviz", "train", *CAT, "--data-dir", str(data_dir),
                    "--iterations", str(iterations), "--print-every", "0", "--threads",
                    threads, "--report", str(report)], timeout)
        if done is None or not report.exists():
            return None, f"not done in {timeout} s"
        r = json.loads(report.read_text())
    rate = r["iterations"] / r["train_seconds"]
    return rate, f"{rate:6.1f} it/s, steps per BLAS thread count {r['threads']['steps_on']}"


def plain_loop(data_dir, iterations, timeout) -> float | None:
    done = run([sys.executable, "-c", PLAIN_LOOP, str(data_dir), str(iterations)], timeout)
    return float(done.stdout) if done is not None and done.returncode == 0 else None


def measure(label, args, data_dir, quiet_one_thread) -> float | None:
    print(f"--- {label}", flush=True)
    if args.only in (None, "window"):
        for name, options, iterations in (("cat", [*CAT, "--data-dir", str(data_dir)],
                                           args.iterations),
                                          ("flower", ["--dataset", "flower"], 1200)):
            for own in (True, False):
                where = "own session " if own else "same session"
                result = window(options, iterations, args.timeout, own)
                print(f"window {name:6} {where}  {result}", flush=True)
    if args.only in (None, "train"):
        rate, text = train(data_dir, args.iterations, args.timeout, "auto")
        print(f"train cat, auto threads    {text}", flush=True)
        if quiet_one_thread is None:  # the quiet round: the references
            quiet_one_thread, text = train(data_dir, args.iterations, args.timeout, "1")
            print(f"train cat, one thread      {text}", flush=True)
            plain = plain_loop(data_dir, args.iterations, args.timeout)
            if plain and rate:
                print(f"plain NumPy loop           {plain:6.1f} it/s: dnnviz train / plain "
                      f"{rate / plain:.2f}x (target >= 1)", flush=True)
        elif rate and quiet_one_thread:
            print(f"train cat / quiet one-thread run: {rate / quiet_one_thread:.2f}x "
                  "(target >= 0.55)", flush=True)
    return quiet_one_thread


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", type=int, default=2, help="busy processes beside dnnviz")
    parser.add_argument("--data-dir")
    parser.add_argument("--only", choices=("window", "train"))
    parser.add_argument("--iterations", type=int, default=600)
    parser.add_argument("--timeout", type=float, default=90.0)
    args = parser.parse_args()
    data_dir = find_data(args.data_dir)
    print(f"{os.cpu_count()} cores; OpenBLAS at its defaults; autogroup scheduling "
          f"{Path('/proc/sys/kernel/sched_autogroup_enabled').read_text().strip()}")
    reference = measure("quiet", args, data_dir, None)
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(args.load)]
    try:
        time.sleep(1.0)
        measure(f"{args.load} busy processes beside it", args, data_dir, reference)
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
