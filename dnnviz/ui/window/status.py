"""The status line: one glance at where the run is, from the frame's own snapshot."""

from __future__ import annotations

import math

from dnnviz.training.stops import Why


def dims_text(layer_dims) -> str:
    return " → ".join(str(n) for n in layer_dims)


def status_text(snap, session) -> str:
    """Iteration, cost, train and test accuracy (the readout's, of the same moment), whether
    a student's run follows dnnviz's, speed, parameters, dims, and why the run stopped when
    it did not complete."""
    parts = [f"iteration {snap.iteration:,} / {snap.target_iterations:,}"]
    if not math.isnan(snap.cost):
        parts.append(f"cost {snap.cost:.4f}")
    if not math.isnan(snap.train_accuracy):
        parts.append(f"train acc {snap.train_accuracy:.1%}  test acc {snap.test_accuracy:.1%}")
    if snap.reference is not None:  # a student's run: does it follow dnnviz's?
        parts.append(snap.reference.summary())
    if snap.running:
        parts.append(f"{snap.iterations_per_second:,.0f} it/s")
    parts.append(f"{session.net.parameter_count:,} parameters")
    parts.append(dims_text(snap.layer_dims))
    reason = snap.stopped_reason
    if reason is not None and not snap.running and reason.why is not Why.COMPLETED:
        parts.append(str(reason))
    return "   ·   ".join(parts)
