"""The first layer's product W1·X, kept from one step of gradient descent to the next.

On the course's pictures almost all of a step's time goes to two products with the input X
(12288 values a picture, 209 pictures): Z1 = W1·X forward, and dW1 = dZ1·Xᵀ / m back. With
gradient descent on the same full batch the first can be had for far less. The update is
W1 <- W1 - S1 with S1 = α·dZ1·Xᵀ/m (+ α·λ/m·W1 with L2), so

    W1'·X = W1·X - (α/m)·dZ1·(XᵀX) - (α·λ/m)·W1·X

where XᵀX (m x m, made once) is small when there are fewer examples than inputs: the cat
net's forward product costs 20·209·209 multiplications instead of 20·12288·209, and a step
takes about half the time. W1 itself is updated as before, exactly; only the forward pass
reads W1·X from here. That product and the direct one agree to rounding (the recursion adds
about 1e-16 relative a step in float64), and the direct product is taken again every ANCHOR
updates (ANCHOR_FLOAT32 in float32), so the two never drift apart. The kept product is part
of the network's step state: a saved run continues exactly as the unbroken one.

Used only where it holds and pays (FirstLayer.fits): gradient descent, the whole training
set, float64 or float32, a hidden layer, at most half as many examples as inputs and at most
MAX_EXAMPLES. Anything that changes W1 other than a step (new parameters, a step undone)
forgets the product. Pure NumPy.
"""

from __future__ import annotations

import numpy as np

ANCHOR = 250  # updates between two direct products (float64)
ANCHOR_FLOAT32 = 25  # float32's rounding is 5e8 times coarser: the kept product stays within
# float32's own rounding of a 12288-term product only if it is taken directly this often
MAX_EXAMPLES = 1024  # XᵀX (m x m, 8 MiB at most) is made at the first step: 0.2 s
# for 1024 pictures of 64x64 on one thread here (12 ms for the course's 209)
AGREE = {np.dtype(np.float64): 1e-9, np.dtype(np.float32): 1e-3}  # a kept product read
# back (a model file's) is taken if it agrees this well with the direct one


class FirstLayer:
    """W1·X for the steps on one X; None until the first step."""

    def __init__(self):
        self.X: np.ndarray | None = None  # the inputs the product is of (this very array)
        self.gram: np.ndarray | None = None  # XᵀX
        self.product: np.ndarray | None = None  # W1·X at the current W1
        self.pending: np.ndarray | None = None  # a product read back, checked at first use

    @staticmethod
    def fits(X: np.ndarray) -> bool:
        n_x, m = X.shape
        return X.dtype in AGREE and 2 * m <= n_x and m <= MAX_EXAMPLES

    def forget(self) -> None:
        """W1 changed other than by a step: the next product is taken directly."""
        self.product = self.pending = None

    def of(self, W1: np.ndarray, X: np.ndarray, updates: int) -> np.ndarray:
        """W1·X for a step on X after `updates` updates (not to be written into)."""
        if not self._same(X):
            self.X, self.gram, self.product = X, None, None
        if self.pending is not None:
            pending, self.pending = self.pending, None
            if self.product is None and pending.shape == (W1.shape[0], X.shape[1]):
                direct, agree = W1 @ X, AGREE[X.dtype]
                pending = pending.astype(X.dtype)
                if np.allclose(pending, direct, rtol=agree, atol=agree * np.abs(direct).max()):
                    self.product = pending
        anchor = ANCHOR if X.dtype == np.float64 else ANCHOR_FLOAT32
        if self.product is None or updates % anchor == 0:
            self.product = W1 @ X
        return self.product

    def _same(self, X: np.ndarray) -> bool:
        """X is the kept inputs: the same array, or a view of the same memory laid out the
        same way (a 'batch' of every example is X[:, :]). The kept one is referenced here,
        so its memory cannot have been taken by another array meanwhile."""
        return X is self.X or (self.X is not None
                               and X.__array_interface__ == self.X.__array_interface__)

    def advance(self, dZ1: np.ndarray, decay: float) -> None:
        """After the update W1 <- W1 - dZ1·Xᵀ - decay·W1 (dZ1 scaled by α/m already)."""
        if self.gram is None:
            self.gram = self.X.T @ self.X
        new = self.product - dZ1 @ self.gram
        if decay:
            new -= decay * self.product
        self.product = new

    def state(self) -> np.ndarray | None:
        """The kept product, a copy (None if none)."""
        return None if self.product is None else self.product.copy()

    def restore(self, product) -> None:
        """A product from state(): used at the next step if it agrees with W1·X."""
        self.product = None
        self.pending = None if product is None else np.array(product)
