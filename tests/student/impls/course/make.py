"""Correct work as students hand it in: the lesson written exactly as the course writes it
(unclipped cost, the course's sigmoid), as a .py and as whole notebooks of each version of
the course (v3, v4/v5, v8a, W4A1, and one from Colab), with their markdown, their imports
of modules that are not here, their test cells and magics. Written for dnnviz's tests, from
the course's published structure; no student's code.

Run it to write them beside it; tests/student/test_course_files.py checks them.
"""

from __future__ import annotations

import json

SIGMOID = '''def sigmoid(Z):
    A = 1/(1+np.exp(-Z))
    cache = Z
    return A, cache'''

RELU = '''def relu(Z):
    A = np.maximum(0,Z)
    assert(A.shape == Z.shape)
    cache = Z
    return A, cache'''

RELU_BACKWARD = '''def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    assert (dZ.shape == Z.shape)
    return dZ'''

SIGMOID_BACKWARD = '''def sigmoid_backward(dA, cache):
    Z = cache
    s = 1/(1+np.exp(-Z))
    dZ = dA * s * (1-s)
    assert (dZ.shape == Z.shape)
    return dZ'''

INIT_2 = '''def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    assert(W1.shape == (n_h, n_x))
    assert(b1.shape == (n_h, 1))
    parameters = {"W1": W1,
                  "b1": b1,
                  "W2": W2,
                  "b2": b2}
    return parameters'''

INIT_DEEP = '''def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)            # number of layers in the network

    for l in range(1, L):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l-1]) * 0.01
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))
        assert(parameters['W' + str(l)].shape == (layer_dims[l], layer_dims[l-1]))
        assert(parameters['b' + str(l)].shape == (layer_dims[l], 1))

    return parameters'''

LINEAR_FORWARD = '''def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    assert(Z.shape == (W.shape[0], A.shape[1]))
    cache = (A, W, b)
    return Z, cache'''

LINEAR_ACTIVATION_FORWARD = '''def linear_activation_forward(A_prev, W, b, activation):
    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = relu(Z)
    assert (A.shape == (W.shape[0], A_prev.shape[1]))
    cache = (linear_cache, activation_cache)
    return A, cache'''

L_MODEL_FORWARD = '''def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2                  # number of layers in the neural network

    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters['W' + str(l)], parameters['b' + str(l)], activation = "relu")
        caches.append(cache)

    AL, cache = linear_activation_forward(A, parameters['W' + str(L)], parameters['b' + str(L)], activation = "sigmoid")
    caches.append(cache)

    assert(AL.shape == (1,X.shape[1]))
    return AL, caches'''

COMPUTE_COST = '''def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -1/m * np.sum(Y*np.log(AL) + (1-Y)*np.log(1-AL))
    cost = np.squeeze(cost)      # To make sure your cost's shape is what we expect (e.g. this turns [[17]] into 17).
    assert(cost.shape == ())
    return cost'''

LINEAR_BACKWARD = '''def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]

    dW = 1./m * np.dot(dZ, A_prev.T)
    db = 1./m * np.sum(dZ, axis = 1, keepdims = True)
    dA_prev = np.dot(W.T, dZ)

    assert (dA_prev.shape == A_prev.shape)
    assert (dW.shape == W.shape)
    assert (db.shape == b.shape)
    return dA_prev, dW, db'''

LINEAR_ACTIVATION_BACKWARD = '''def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache

    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)

    return dA_prev, dW, db'''

# v4 and later: dA0 .. dA(L-1)
L_MODEL_BACKWARD = '''def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches) # the number of layers
    m = AL.shape[1]
    Y = Y.reshape(AL.shape) # after this line, Y is the same shape as AL

    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))

    current_cache = caches[L-1]
    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, current_cache, activation = "sigmoid")
    grads["dA" + str(L-1)] = dA_prev_temp
    grads["dW" + str(L)] = dW_temp
    grads["db" + str(L)] = db_temp

    for l in reversed(range(L-1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], current_cache, activation = "relu")
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp

    return grads'''

# v3: dA1 .. dAL, the gradient of a layer's input stored one up
L_MODEL_BACKWARD_V3 = '''def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches) # the number of layers
    m = AL.shape[1]
    Y = Y.reshape(AL.shape) # after this line, Y is the same shape as AL

    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))

    current_cache = caches[L-1]
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, current_cache, activation = "sigmoid")

    for l in reversed(range(L-1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 2)], current_cache, activation = "relu")
        grads["dA" + str(l + 1)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp

    return grads'''

UPDATE = '''def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2 # number of layers in the neural network

    for l in range(L):
        parameters["W" + str(l+1)] = parameters["W" + str(l+1)] - learning_rate * grads["dW" + str(l+1)]
        parameters["b" + str(l+1)] = parameters["b" + str(l+1)] - learning_rate * grads["db" + str(l+1)]
    return parameters'''

# W4A1: params, copied first
UPDATE_W4A1 = '''def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    L = len(parameters) // 2 # number of layers in the neural network

    for l in range(L):
        parameters["W" + str(l+1)] = parameters["W" + str(l+1)] - learning_rate * grads["dW" + str(l+1)]
        parameters["b" + str(l+1)] = parameters["b" + str(l+1)] - learning_rate * grads["db" + str(l+1)]
    return parameters'''

HELPERS = (SIGMOID, RELU, RELU_BACKWARD, SIGMOID_BACKWARD)


def course_py() -> str:
    """The lesson in one .py: the course's dnn_utils functions, then the notebook's."""
    functions = (*HELPERS, INIT_2, INIT_DEEP, LINEAR_FORWARD, LINEAR_ACTIVATION_FORWARD,
                 L_MODEL_FORWARD, COMPUTE_COST, LINEAR_BACKWARD, LINEAR_ACTIVATION_BACKWARD,
                 L_MODEL_BACKWARD, UPDATE)
    return "import numpy as np\n\n\n" + "\n\n\n".join(functions) + "\n"


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(True)}


def _code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": text.splitlines(True)}


# (imports, test cases module, helpers module, backward, update, tests for each function)
VERSIONS = {
    "v3": ("testCases_v2", "dnn_utils_v2", L_MODEL_BACKWARD_V3, UPDATE, False),
    "v4": ("testCases_v3", "dnn_utils_v2", L_MODEL_BACKWARD, UPDATE, False),
    "v5": ("testCases_v4", "dnn_utils_v2", L_MODEL_BACKWARD, UPDATE, False),
    "v8a": ("testCases_v4a", "dnn_utils_v2", L_MODEL_BACKWARD, UPDATE, False),
    "W4A1": ("testCases", "dnn_utils", L_MODEL_BACKWARD, UPDATE_W4A1, True),
}

TESTS = {
    "initialize_parameters": '''parameters = initialize_parameters(3,2,1)
print("W1 = " + str(parameters["W1"]))
print("b1 = " + str(parameters["b1"]))
print("W2 = " + str(parameters["W2"]))
print("b2 = " + str(parameters["b2"]))''',
    "initialize_parameters_deep": '''parameters = initialize_parameters_deep([5,4,3])
print("W1 = " + str(parameters["W1"]))
print("b1 = " + str(parameters["b1"]))
print("W2 = " + str(parameters["W2"]))
print("b2 = " + str(parameters["b2"]))''',
    "linear_forward": '''A, W, b = linear_forward_test_case()

Z, linear_cache = linear_forward(A, W, b)
print("Z = " + str(Z))''',
    "linear_activation_forward": '''A_prev, W, b = linear_activation_forward_test_case()

A, linear_activation_cache = linear_activation_forward(A_prev, W, b, activation = "sigmoid")
print("With sigmoid: A = " + str(A))

A, linear_activation_cache = linear_activation_forward(A_prev, W, b, activation = "relu")
print("With ReLU: A = " + str(A))''',
    "L_model_forward": '''X, parameters = L_model_forward_test_case_2hidden()
AL, caches = L_model_forward(X, parameters)
print("AL = " + str(AL))
print("Length of caches list = " + str(len(caches)))''',
    "compute_cost": '''Y, AL = compute_cost_test_case()

print("cost = " + str(compute_cost(AL, Y)))''',
    "linear_backward": '''# Set up some test inputs
dZ, linear_cache = linear_backward_test_case()

dA_prev, dW, db = linear_backward(dZ, linear_cache)
print ("dA_prev = "+ str(dA_prev))
print ("dW = " + str(dW))
print ("db = " + str(db))''',
    "linear_activation_backward": '''dAL, linear_activation_cache = linear_activation_backward_test_case()

dA_prev, dW, db = linear_activation_backward(dAL, linear_activation_cache, activation = "sigmoid")
print ("sigmoid:")
print ("dA_prev = "+ str(dA_prev))
print ("dW = " + str(dW))
print ("db = " + str(db) + "\\n")''',
    "L_model_backward": '''AL, Y_assess, caches = L_model_backward_test_case()
grads = L_model_backward(AL, Y_assess, caches)
print_grads(grads)''',
    "update_parameters": '''parameters, grads = update_parameters_test_case()
parameters = update_parameters(parameters, grads, 0.1)

print ("W1 = "+ str(parameters["W1"]))
print ("b1 = "+ str(parameters["b1"]))
print ("W2 = "+ str(parameters["W2"]))
print ("b2 = "+ str(parameters["b2"]))''',
}


def course_notebook(version: str, colab: bool = False) -> dict:
    """The step-by-step notebook of `version` (a key of VERSIONS), exercises done."""
    cases, utils, backward, update, public = VERSIONS[version]
    cells = [_md("# Building your Deep Neural Network: Step by Step\n\nWelcome to your week 4 "
                 "assignment (part 1 of 2)!"),
             _md("## 1 - Packages\n\nLet's first import all the packages that you will need.")]
    if colab:
        cells += [_code("from google.colab import drive\ndrive.mount('/content/drive')"),
                  _code("cd '/content/drive/MyDrive/Colab Notebooks/Deep Learning/Week 4'"),
                  _code("!pip install h5py\nls\npwd")]
    imports = (f"import numpy as np\nimport h5py\nimport matplotlib.pyplot as plt\n"
               f"from {cases} import *\nfrom {utils} import sigmoid, sigmoid_backward, relu, "
               "relu_backward\n")
    if public:
        imports += "from public_tests import *\nimport copy\n"
    imports += ("\n%matplotlib inline\nplt.rcParams['figure.figsize'] = (5.0, 4.0) # set "
                "default size of plots\nplt.rcParams['image.interpolation'] = 'nearest'\n"
                "plt.rcParams['image.cmap'] = 'gray'\n\n%load_ext autoreload\n"
                "%autoreload 2\n\nnp.random.seed(1)")
    cells.append(_code(imports))
    functions = [INIT_2, INIT_DEEP, LINEAR_FORWARD, LINEAR_ACTIVATION_FORWARD, L_MODEL_FORWARD,
                 COMPUTE_COST, LINEAR_BACKWARD, LINEAR_ACTIVATION_BACKWARD, backward, update]
    for number, source in enumerate(functions, start=3):
        name = source.split("(")[0].removeprefix("def ")
        cells.append(_md(f"### Exercise {number} - {name}\n\nImplement `{name}`."))
        cells.append(_code("# GRADED FUNCTION: " + name + "\n\n" + source))
        test = TESTS[name]
        if public:
            test += f"\n\n{name}_test({name})"
        cells.append(_code(test))
    cells.append(_md("Congrats on implementing all the functions required for this assignment!"))
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                               "name": "python3"},
                "language_info": {"name": "python", "version": "3.7.6"}}
    if colab:
        metadata["colab"] = {"name": f"Building_your_Deep_Neural_Network_{version}.ipynb",
                             "provenance": []}
        metadata["accelerator"] = "GPU"
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 4}


def application_notebook() -> dict:
    """The application notebook's first half: the helpers come from dnn_app_utils_v3 (not
    here); the student's file defines only the two models and their training cells."""
    cells = [_md("# Deep Neural Network for Image Classification: Application"),
             _code("import time\nimport numpy as np\nimport h5py\nimport matplotlib.pyplot as "
                   "plt\nimport scipy\nfrom PIL import Image\nfrom scipy import ndimage\n"
                   "from dnn_app_utils_v3 import *\n\n%matplotlib inline\n"
                   "%load_ext autoreload\n%autoreload 2\n\nnp.random.seed(1)"),
             _code("train_x_orig, train_y, test_x_orig, test_y, classes = load_data()"),
             _code("# Example of a picture\nindex = 10\nplt.imshow(train_x_orig[index])"),
             _code(SIGMOID + "\n\n" + RELU)]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}


def write_notebook(path, notebook: dict) -> None:
    path.write_text(json.dumps(notebook, indent=1))


if __name__ == "__main__":  # python tests/student/impls/course/make.py: writes the files here
    from pathlib import Path

    here = Path(__file__).resolve().parent
    (here / "course_style.py").write_text(course_py())
    for version in VERSIONS:
        write_notebook(here / f"step_by_step_{version}.ipynb", course_notebook(version))
    write_notebook(here / "colab_v8a.ipynb", course_notebook("v8a", colab=True))
    write_notebook(here / "application_v3.ipynb", application_notebook())
