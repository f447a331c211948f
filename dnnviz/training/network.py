"""The network a Session trains, declared: what dnnviz's DeepNeuralNetwork and a student's
StudentNetwork both are (tests/training/test_network_protocol.py checks that both are).

A Session, its summaries and the engine use a network through these members only, never
by probing for what it has: where the two differ, the difference is a member of its own
(`course2_options`: whether it takes course 2's live options; `reference`: dnnviz's own
run beside a student's, None for dnnviz's).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Network(Protocol):
    layer_dims: tuple[int, ...]
    L: int
    Ws: list  # W[1..L], the course's shapes
    bs: list
    dWs: list  # the last step's gradients
    dbs: list
    has_gradients: bool
    parameters: dict  # {"W1", "b1", ...}, copies
    parameter_count: int
    last_accuracy: float  # the training accuracy the last step saw
    last_ZL: np.ndarray | None  # the outputs the last step saw (None: not kept)
    course2_options: bool  # takes L2 and dropout live (a student's lesson functions do not)
    l2: float
    keep_prob: float
    reference: object | None  # dnnviz's run beside this one (a student's), else None

    def as_input(self, X) -> np.ndarray: ...

    def forward(self, X, keep_activations: bool = False): ...

    def accuracy(self, X, Y) -> float: ...

    def cost(self, X, Y) -> float: ...

    def step(self, X, Y, learning_rate) -> float: ...

    def set_parameters(self, parameters: dict) -> None: ...

    def step_state(self) -> dict: ...

    def check_step_state(self, state: dict) -> None: ...

    def set_step_state(self, state: dict) -> None: ...
