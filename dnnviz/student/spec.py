"""The lesson's functions as a student writes them: names, parameters, docstrings, results.

One table, LESSON, owns what `dnnviz check` looks for and what `dnnviz template` writes.
`Parts` names the pieces of a function's result, so a problem can say where it is
("cache → linear_cache → W"). The order of LESSON is the order of the check: helpers
before the functions that call them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parts:
    """A tuple the function returns, its pieces named; `each`: a list, items[0] per element."""

    name: str
    items: tuple = ()
    each: bool = False

    def text(self) -> str:
        """How the lesson writes it: "(A, ((A_prev, W, b), Z))"."""
        if self.each:
            return f"[{part_text(self.items[0])}, ...]"
        return "(" + ", ".join(part_text(p) for p in self.items) + ")"


def part_text(part) -> str:
    return part if isinstance(part, str) else part.text()


def part_name(part) -> str:
    return part if isinstance(part, str) else part.name


LINEAR_CACHE = Parts("linear_cache", ("A_prev", "W", "b"))
LAYER_CACHE = Parts("cache", (LINEAR_CACHE, "activation_cache"))


@dataclass(frozen=True)
class LessonFunction:
    name: str
    params: tuple[str, ...]
    doc: str
    returns: object  # a Parts, or the name of the one thing returned


def _f(name, params, returns, doc):
    return LessonFunction(name, tuple(params.split(", ")), doc.strip("\n").rstrip(), returns)


LESSON = (
    _f("sigmoid", "Z", Parts("", ("A", "cache")), """
    Sigmoid activation.

    Arguments:
    Z -- numpy array of any shape

    Returns:
    A -- 1 / (1 + np.exp(-Z)), same shape as Z
    cache -- Z, kept for the backward pass
    """),
    _f("relu", "Z", Parts("", ("A", "cache")), """
    ReLU activation.

    Arguments:
    Z -- numpy array of any shape

    Returns:
    A -- np.maximum(0, Z), same shape as Z
    cache -- Z, kept for the backward pass
    """),
    _f("relu_backward", "dA, cache", "dZ", """
    Backward pass of a single ReLU unit.

    Arguments:
    dA -- post-activation gradient, of any shape
    cache -- Z, stored by relu

    Returns:
    dZ -- gradient of the cost with respect to Z: dA where Z > 0, else 0
          (a new array: dA itself stays as it was)
    """),
    _f("sigmoid_backward", "dA, cache", "dZ", """
    Backward pass of a single sigmoid unit.

    Arguments:
    dA -- post-activation gradient, of any shape
    cache -- Z, stored by sigmoid

    Returns:
    dZ -- gradient of the cost with respect to Z: dA * s * (1 - s) with s = sigmoid(Z)
    """),
    _f("initialize_parameters", "n_x, n_h, n_y", "parameters", """
    The 2-layer model's parameters (np.random.seed(1), then randn * 0.01, biases zero).

    Arguments:
    n_x -- size of the input layer
    n_h -- size of the hidden layer
    n_y -- size of the output layer

    Returns:
    parameters -- python dictionary containing:
                    W1 -- weight matrix of shape (n_h, n_x)
                    b1 -- bias vector of shape (n_h, 1)
                    W2 -- weight matrix of shape (n_y, n_h)
                    b2 -- bias vector of shape (n_y, 1)
    """),
    _f("initialize_parameters_deep", "layer_dims", "parameters", """
    The L-layer model's parameters (np.random.seed(3), then randn * 0.01, biases zero).

    Arguments:
    layer_dims -- python list containing the dimensions of each layer in our network

    Returns:
    parameters -- python dictionary containing "W1", "b1", ..., "WL", "bL":
                    Wl -- weight matrix of shape (layer_dims[l], layer_dims[l-1])
                    bl -- bias vector of shape (layer_dims[l], 1)
    """),
    _f("linear_forward", "A, W, b", Parts("", ("Z", Parts("cache", ("A", "W", "b")))), """
    The linear part of a layer's forward propagation.

    Arguments:
    A -- activations from previous layer (or input data):
         (size of previous layer, number of examples)
    W -- weights matrix: numpy array of shape (size of current layer, size of previous layer)
    b -- bias vector, numpy array of shape (size of the current layer, 1)

    Returns:
    Z -- the input of the activation function, also called pre-activation parameter
    cache -- a python tuple containing "A", "W" and "b";
             stored for computing the backward pass efficiently
    """),
    _f("linear_activation_forward", "A_prev, W, b, activation", Parts("", ("A", LAYER_CACHE)), """
    The forward propagation for the LINEAR->ACTIVATION layer.

    Arguments:
    A_prev -- activations from previous layer (or input data):
              (size of previous layer, number of examples)
    W -- weights matrix: numpy array of shape (size of current layer, size of previous layer)
    b -- bias vector, numpy array of shape (size of the current layer, 1)
    activation -- the activation to be used in this layer, stored as a text string:
                  "sigmoid" or "relu"

    Returns:
    A -- the output of the activation function, also called the post-activation value
    cache -- a python tuple containing "linear_cache" and "activation_cache";
             stored for computing the backward pass efficiently
    """),
    _f("L_model_forward", "X, parameters",
       Parts("", ("AL", Parts("caches", (LAYER_CACHE,), each=True))), """
    Forward propagation for the [LINEAR->RELU]*(L-1)->LINEAR->SIGMOID computation.

    Arguments:
    X -- data, numpy array of shape (input size, number of examples)
    parameters -- output of initialize_parameters_deep()

    Returns:
    AL -- activation value from the output (last) layer
    caches -- list of caches containing:
                every cache of linear_activation_forward()
                (there are L of them, indexed from 0 to L-1)
    """),
    _f("compute_cost", "AL, Y", "cost", """
    The cross-entropy cost -1/m * sum(Y log(AL) + (1 - Y) log(1 - AL)).

    Arguments:
    AL -- probability vector corresponding to your label predictions, shape (1, number of examples)
    Y -- true "label" vector (for example: containing 0 if non-cat, 1 if cat),
         shape (1, number of examples)

    Returns:
    cost -- cross-entropy cost, a number (np.squeeze it to shape ())
    """),
    _f("linear_backward", "dZ, cache", Parts("", ("dA_prev", "dW", "db")), """
    The linear portion of backward propagation for a single layer (layer l).

    Arguments:
    dZ -- Gradient of the cost with respect to the linear output (of current layer l)
    cache -- tuple of values (A_prev, W, b) coming from the forward propagation in the current layer

    Returns:
    dA_prev -- Gradient of the cost with respect to the activation (of the previous layer l-1),
               same shape as A_prev
    dW -- Gradient of the cost with respect to W (current layer l), same shape as W
    db -- Gradient of the cost with respect to b (current layer l), same shape as b
    """),
    _f("linear_activation_backward", "dA, cache, activation",
       Parts("", ("dA_prev", "dW", "db")), """
    The backward propagation for the LINEAR->ACTIVATION layer.

    Arguments:
    dA -- post-activation gradient for current layer l
    cache -- tuple of values (linear_cache, activation_cache) we store for computing
             backward propagation efficiently
    activation -- the activation to be used in this layer, stored as a text string:
                  "sigmoid" or "relu"

    Returns:
    dA_prev -- Gradient of the cost with respect to the activation (of the previous layer l-1),
               same shape as A_prev
    dW -- Gradient of the cost with respect to W (current layer l), same shape as W
    db -- Gradient of the cost with respect to b (current layer l), same shape as b
    """),
    _f("L_model_backward", "AL, Y, caches", "grads", """
    Backward propagation for the [LINEAR->RELU] * (L-1) -> LINEAR -> SIGMOID group.

    Arguments:
    AL -- probability vector, output of the forward propagation (L_model_forward())
    Y -- true "label" vector (containing 0 if non-cat, 1 if cat)
    caches -- list of caches containing:
                every cache of linear_activation_forward() with "relu"
                (it's caches[l], for l in range(L-1) i.e l = 0...L-2)
                the cache of linear_activation_forward() with "sigmoid" (it's caches[L-1])

    Returns:
    grads -- A dictionary with the gradients
             grads["dA" + str(l)] = ...
             grads["dW" + str(l)] = ...
             grads["db" + str(l)] = ...
    """),
    _f("update_parameters", "parameters, grads, learning_rate", "parameters", """
    Update parameters using gradient descent.

    Arguments:
    parameters -- python dictionary containing your parameters
    grads -- python dictionary containing your gradients, output of L_model_backward
    learning_rate -- the step size

    Returns:
    parameters -- python dictionary containing your updated parameters
                  parameters["W" + str(l)] = ...
                  parameters["b" + str(l)] = ...
    """),
)

BY_NAME = {f.name: f for f in LESSON}
NAMES = tuple(BY_NAME)
TRAINING = ("L_model_forward", "compute_cost", "L_model_backward", "update_parameters")
