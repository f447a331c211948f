"""What the window shows, without Qt: its settings, its run's status, the compared runs and
what is selected, each with change signals (state.py, runs.py, signal.py)."""

from dnnviz.window_model.runs import RunRecord, Runs
from dnnviz.window_model.signal import Signal
from dnnviz.window_model.state import Selection, Status, WindowModel

__all__ = ["RunRecord", "Runs", "Selection", "Signal", "Status", "WindowModel"]
