"""One training iteration of the cat L-layer net (12288, 20, 7, 5, 1; 209 examples).

Measured side by side in one run, interleaved round by round so that machine noise hits
every candidate alike; prints the best round of each and their ratios, never a lone
absolute time as a verdict.

  python benchmarks/bench_step.py [--data-dir DIR] [--rounds 60]

Candidates: dnnviz's DeepNeuralNetwork.step (float64 and float32), the floor of a direct
step (its two layer-1 products W1·X and dZ1·Xᵀ; dnnviz keeps W1·X from step to step,
nn/first_layer.py, and goes below it: about 0.55x), the lesson's functional loop, and PyTorch
CPU float64 autograd on the same net when torch is installed. And what `dnnviz train`
runs: Session.run on the course's L-layer run (2500 iterations, so test metrics every 10th
iteration), against the floor of its own work: W1·X and dZ1·Xᵀ on the training set every
iteration, plus W1·X on the test set at every evaluation. A round is a whole number of
evaluation periods, so every round holds the same share of evaluations.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dnnviz.data import load_course_h5
from dnnviz.nn import DeepNeuralNetwork
from dnnviz.nn import functional as F
from dnnviz.training import RunConfig, Session

DIMS = (12288, 20, 7, 5, 1)
LR = 0.0075
COURSE_RUN = RunConfig(dataset="cat", hidden=DIMS[1:-1], init="scaled", learning_rate=LR,
                       iterations=2500, seed=1)  # the course's L-layer run
LESSON = "lesson's functional loop"
FLOOR = "floor float64 (W1·X + dZ1·Xᵀ)"
STEP = "dnnviz step float64"
TRAIN = "dnnviz train (Session.run)"
TRAIN_FLOOR = "floor of dnnviz train (+ W1·X_test)"


def find_data(arg):
    for folder in (arg, os.environ.get("DNNVIZ_DATA_DIR"),
                   Path(__file__).resolve().parents[2] / "shared" / "datasets"):
        if folder and (Path(folder) / "train_catvnoncat.h5").is_file():
            return Path(folder)
    sys.exit("bench_step: error: course files not found; pass --data-dir or set DNNVIZ_DATA_DIR")


def make_candidates(X, Y, session):
    """name -> fn(n): n training iterations of that candidate."""
    net64 = DeepNeuralNetwork(DIMS, init="scaled", seed=1)
    net32 = DeepNeuralNetwork(DIMS, init="scaled", seed=1, dtype="float32")
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    W1 = net64.Ws[0].copy()
    dZ1 = np.random.RandomState(0).randn(DIMS[1], X.shape[1])
    W1_32, dZ1_32 = W1.astype(np.float32), dZ1.astype(np.float32)
    params = [F.initialize_parameters_deep(list(DIMS), seed=1, init="scaled")]
    X_test, every = session.X_test, session.eval_every

    def functional(n):
        for _ in range(n):
            AL, caches = F.L_model_forward(X, params[0])
            F.compute_cost(AL, Y)
            params[0] = F.update_parameters(params[0], F.L_model_backward(AL, Y, caches), LR)

    def floor(W, dZ, X, out, n):  # the two products into reused outputs: no allocation counted
        for _ in range(n):
            np.matmul(W, X, out=out[0])
            np.matmul(dZ, X.T, out=out[1])

    def train_floor(n):  # and the test set's first layer once per evaluation
        floor(W1, dZ1, X, out64, n)
        for _ in range(n // every):
            np.matmul(W1, X_test, out=out_test)

    def steps(net, X, Y, n):
        for _ in range(n):
            net.step(X, Y, LR)

    def train(n):  # as dnnviz train runs it: a stop check and a progress callback each step
        session.run(iterations=n, should_stop=lambda: False, on_step=lambda i, cost: None)

    out64 = (np.empty((DIMS[1], X.shape[1])), np.empty_like(W1))
    out32 = (np.empty((DIMS[1], X.shape[1]), np.float32), np.empty_like(W1_32))
    out_test = np.empty((DIMS[1], X_test.shape[1]))
    candidates = {
        FLOOR: lambda n: floor(W1, dZ1, X, out64, n),
        STEP: lambda n: steps(net64, X, Y, n),
        TRAIN_FLOOR: train_floor,
        TRAIN: train,
        "floor float32": lambda n: floor(W1_32, dZ1_32, X32, out32, n),
        "dnnviz step float32": lambda n: steps(net32, X32, Y32, n),
        LESSON: functional,
    }
    torch_step = make_torch(X, Y)
    if torch_step is not None:
        candidates["torch float64 autograd"] = lambda n: [torch_step() for _ in range(n)]
    return candidates


def make_torch(X, Y):
    try:
        import torch
    except ImportError:
        print("torch not installed: skipping it (pip install torch==2.13.0)")
        return None
    Xt, Yt = torch.from_numpy(np.ascontiguousarray(X)), torch.from_numpy(Y)
    net = DeepNeuralNetwork(DIMS, init="scaled", seed=1)
    Ws = [torch.tensor(W, requires_grad=True) for W in net.Ws]
    bs = [torch.tensor(b, requires_grad=True) for b in net.bs]

    def step():
        A = Xt
        for W, b in zip(Ws[:-1], bs[:-1]):
            A = torch.relu(W @ A + b)
        Z = Ws[-1] @ A + bs[-1]
        cost = torch.nn.functional.binary_cross_entropy_with_logits(Z, Yt)
        for p in (*Ws, *bs):
            p.grad = None
        cost.backward()
        with torch.no_grad():
            for p in (*Ws, *bs):
                p -= LR * p.grad

    return step


def measure(candidates, rounds, per_round):
    """Seconds per iteration of each candidate: the best of `rounds` rounds of per_round."""
    times = {name: [] for name in candidates}
    for fn in candidates.values():  # warm up
        fn(per_round)
    for _ in range(rounds):
        for name, fn in candidates.items():
            time.sleep(0.1)  # let the previous candidate's spinning BLAS/OpenMP threads sleep
            start = time.perf_counter()
            fn(per_round)
            times[name].append((time.perf_counter() - start) / per_round)
    # the best round of each: on a shared machine noise only ever adds time
    return {name: min(t) for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--per-round", type=int, default=10,
                        help="iterations per round, a multiple of 10 (the evaluation period)")
    args = parser.parse_args()
    folder = find_data(args.data_dir)
    data = load_course_h5(folder / "train_catvnoncat.h5", folder / "test_catvnoncat.h5")
    session = Session(COURSE_RUN.with_changes(data_dir=str(folder)), data=data)
    if args.per_round % session.eval_every:
        parser.error(f"--per-round must be a multiple of {session.eval_every}")
    X, Y = data.X_train, data.Y_train
    best = measure(make_candidates(X, Y, session), args.rounds, args.per_round)
    for name, t in best.items():
        print(f"{name:<38} {t * 1000:8.3f} ms")
    floor, step64 = best[FLOOR], best[STEP]
    print(f"\nstep float64 / floor float64            {step64 / floor:6.2f}x  (target <= 1.2)")
    print(f"dnnviz train / its floor                {best[TRAIN] / best[TRAIN_FLOOR]:6.2f}x"
          "  (target <= 1.2)")
    print(f"step float32 / step float64             {best['dnnviz step float32'] / step64:6.2f}x"
          "  (target about 0.5)")
    print(f"step float64 / lesson's loop            {step64 / best[LESSON]:6.2f}x")
    if "torch float64 autograd" in best:
        print(f"step float64 / torch float64            "
              f"{step64 / best['torch float64 autograd']:6.2f}x  (target <= 0.8)")


if __name__ == "__main__":
    main()
