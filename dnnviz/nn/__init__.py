"""Pure NumPy: the lesson's functions and the DeepNeuralNetwork built from them. No Qt."""

from dnnviz.nn.functional import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    update_parameters,
)
from dnnviz.nn.init import INIT_HELP, INIT_SCHEMES
from dnnviz.nn.model import DTYPES, DeepNeuralNetwork, DivergedError

__all__ = [
    "DTYPES", "INIT_HELP", "INIT_SCHEMES", "DeepNeuralNetwork", "DivergedError",
    "L_model_backward", "L_model_forward", "compute_cost", "initialize_parameters",
    "initialize_parameters_deep", "linear_activation_backward", "linear_activation_forward",
    "linear_backward", "linear_forward", "relu", "relu_backward", "sigmoid", "sigmoid_backward",
    "update_parameters",
]
