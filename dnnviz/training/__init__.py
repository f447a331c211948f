"""Training runs: config, the pure Session and Engine, snapshots; the Qt bridge is worker.py."""

from dnnviz.training.config import ConfigError, RunConfig, parse_hidden
from dnnviz.training.config_file import config_from_dict, load_config, save_config
from dnnviz.training.persist import ModelFileError, load_model, load_model_on, save_model
from dnnviz.training.session import EvalPoint, Session, load_data

__all__ = [
    "ConfigError", "EvalPoint", "ModelFileError", "RunConfig", "Session", "config_from_dict",
    "load_config", "load_data", "load_model", "load_model_on", "parse_hidden", "save_config",
    "save_model",
]
