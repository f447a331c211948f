"""Signal: a list of callbacks, called in order on emit. No Qt: the window model's changes
reach its widgets through these (the window connects them once, when it assembles).

About thirty lines of ours, in the manner of psygnal's Signal and napari's EventedModel,
which would bring more than the model needs (typed signatures, evented containers).
"""

from __future__ import annotations

from collections.abc import Callable


class Signal:
    """connect(callback), disconnect(callback), emit(*args): each callback, in order."""

    def __init__(self):
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        for callback in list(self._callbacks):  # one may disconnect itself meanwhile
            callback(*args)

    def __len__(self) -> int:
        return len(self._callbacks)
