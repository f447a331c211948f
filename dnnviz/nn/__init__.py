"""Pure NumPy: the lesson's functions and the DeepNeuralNetwork built from them. No Qt."""

from dnnviz.nn.activations import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    LEAKY_SLOPE,
    Activation,
    leaky_relu,
    leaky_relu_backward,
    tanh,
    tanh_backward,
)
from dnnviz.nn.batches import batch_columns, batches_per_epoch, random_mini_batches
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
from dnnviz.nn.optimizers import (
    OPTIMIZERS,
    initialize_adam,
    initialize_velocity,
    update_parameters_with_adam,
    update_parameters_with_momentum,
)
from dnnviz.nn.regularization import (
    backward_propagation_with_dropout,
    backward_propagation_with_regularization,
    compute_cost_with_regularization,
    dropout_masks,
    forward_propagation_with_dropout,
)

__all__ = [
    "ACTIVATIONS", "DTYPES", "HIDDEN_ACTIVATIONS", "INIT_HELP", "INIT_SCHEMES", "LEAKY_SLOPE",
    "OPTIMIZERS", "Activation", "DeepNeuralNetwork", "DivergedError",
    "L_model_backward", "L_model_forward", "compute_cost", "initialize_parameters",
    "initialize_parameters_deep", "linear_activation_backward", "linear_activation_forward",
    "linear_backward", "linear_forward", "relu", "relu_backward", "sigmoid", "sigmoid_backward",
    "update_parameters",
    "leaky_relu", "leaky_relu_backward", "tanh", "tanh_backward",
    "batch_columns", "batches_per_epoch", "random_mini_batches",
    "backward_propagation_with_dropout", "backward_propagation_with_regularization",
    "compute_cost_with_regularization", "dropout_masks", "forward_propagation_with_dropout",
    "initialize_adam", "initialize_velocity", "update_parameters_with_adam",
    "update_parameters_with_momentum",
]
