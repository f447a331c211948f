"""Input features for 2-D points, as TensorFlow Playground offers them.

The network may read, instead of the point (x1, x2) itself, any of x1, x2, x1², x2², x1·x2,
sin x1, sin x2: a net without hidden layers then draws circles (x1², x2²) or a saddle
(x1·x2). The data sets stay the plane's points; the session feeds the network
`apply_features(X, features)`, and the boundary and the unit maps stay over the plane.
With the default (x1, x2) the network gets the points themselves, unchanged to the bit.
"""

from __future__ import annotations

import numpy as np

from .dataset import DataError

# name -> the feature of X (2, m); the order is the one features are kept in
FEATURES = {
    "x1": lambda X: X[0],
    "x2": lambda X: X[1],
    "x1^2": lambda X: X[0] * X[0],
    "x2^2": lambda X: X[1] * X[1],
    "x1x2": lambda X: X[0] * X[1],
    "sin x1": lambda X: np.sin(X[0]),
    "sin x2": lambda X: np.sin(X[1]),
}
PLANE = ("x1", "x2")  # the point itself: the lesson's input
SPELLINGS = {"x1*x2": "x1x2", "x1 x2": "x1x2", "x1**2": "x1^2", "x2**2": "x2^2",
             "sin(x1)": "sin x1", "sin(x2)": "sin x2", "sinx1": "sin x1", "sinx2": "sin x2"}


def feature_name(text: str) -> str:
    """The feature a name stands for ('X1^2', 'sin(x1)', 'x1*x2' are understood too)."""
    key = " ".join(str(text).lower().split())
    key = SPELLINGS.get(key, key)
    if key not in FEATURES:
        raise DataError(f"unknown input feature {str(text)!r}; choose from: "
                        f"{', '.join(FEATURES)}")
    return key


def check_features(names) -> tuple[str, ...]:
    """The features named, in the order FEATURES keeps them; DataError for an unknown name,
    one named twice, or none."""
    keys = [feature_name(name) for name in names]
    if not keys:
        raise DataError(f"give at least one input feature, from: {', '.join(FEATURES)}")
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise DataError(f"input feature {twice[0]!r} is named twice")
    return tuple(name for name in FEATURES if name in keys)


def parse_features(text: str) -> tuple[str, ...]:
    """'x1,x2,x1^2' -> ('x1', 'x2', 'x1^2'); DataError (one line) if it is not that."""
    return check_features([part for part in text.split(",") if part.strip()])


def apply_features(X: np.ndarray, features=PLANE) -> np.ndarray:
    """(len(features), m): each feature of the points X (2, m), in float64. The points
    themselves (X, not a copy) for the plain (x1, x2)."""
    features = tuple(features)
    if features == PLANE:
        return X
    if X.shape[0] != 2:
        raise DataError(f"input features are for 2-D points; these examples have "
                        f"{X.shape[0]} numbers each")
    X = np.asarray(X, dtype=np.float64)
    return np.stack([FEATURES[name](X) for name in check_features(features)])
