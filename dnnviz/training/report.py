"""What a run writes for people and scripts: the JSON report (`--report`, shared by
`dnnviz train` and the window) and the cost history as CSV (`--export-costs`)."""

from __future__ import annotations

from dnnviz.training.config_file import portable_config


def run_report(session, train_seconds: float) -> dict:
    """costs of every iteration, final train and test accuracy (at the final weights),
    iterations, train_seconds, layer_dims, stopped_reason and the run's config (as a config
    file holds it: `--config` takes it back)."""
    final = session.evaluate()
    return {
        "costs": [float(c) for c in session.costs],
        "train_accuracy": final.train_accuracy,
        "test_accuracy": final.test_accuracy,
        "iterations": session.iteration,
        "train_seconds": train_seconds,
        "layer_dims": list(session.layer_dims),
        "stopped_reason": _text(session.stopped_reason),
        "config": portable_config(session.config),
    }


def costs_csv(costs) -> str:
    """'iteration,cost' and one line per iteration, each cost exact (repr of the float)."""
    lines = ["iteration,cost", *(f"{i},{float(c)!r}" for i, c in enumerate(costs))]
    return "\n".join(lines) + "\n"


def _text(reason) -> str | None:
    return None if reason is None else str(reason)
