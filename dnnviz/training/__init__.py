"""Training runs: config, the pure Session and Engine, snapshots; the Qt bridge is worker.py."""

from dnnviz.training.config import ConfigError, RunConfig, parse_hidden
from dnnviz.training.session import EvalPoint, Session, load_data

__all__ = ["ConfigError", "EvalPoint", "RunConfig", "Session", "load_data", "parse_hidden"]
