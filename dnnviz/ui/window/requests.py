"""Requests: what the window asks the training process, answered by signal, never waited for.

A request is a Fetch (the run's state) or a Call (fn(session), computed there between two
iterations): the window sends it and goes on; the answer (EngineClient.sigAnswer) calls
its on_answer in the GUI thread. Each request has a kind ("save", "step", ...): a second
request of the same kind replaces the first, whose answer is then dropped, as is one that
was cancelled or whose run was replaced meanwhile. While one that someone waits for is out,
the status line says what is being waited for, with a Cancel button (and Esc); the window
and its menus go on working. Quiet requests (a drawn digit's reading, a run's pictures)
show nothing. A process that dies answers nothing: its requests end with its death.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtGui import QKeySequence, QShortcut
from PyQt6.QtWidgets import QLabel, QToolButton

FAILED = "the training process did not answer"


@dataclass
class Request:
    kind: str
    client: object  # the EngineClient that was asked (ids count per client)
    request_id: int
    waiting: str  # the busy line's text; "": a quiet request
    on_answer: Callable
    on_error: Callable | None
    tag: int | None  # the run it is about (None: whatever run the answer comes from)


class Requests(QObject):
    """The window's open requests, at most one of each kind."""

    sigBusy = pyqtSignal(str)  # what the window waits for now ("" : nothing)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.out: dict[str, Request] = {}
        self.label = QLabel()
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop waiting for the training process (Esc); "
                                      "its answer, when it comes, is dropped")
        self.cancel_button.clicked.connect(self.cancel)
        bar = window.statusBar()
        bar.addPermanentWidget(self.label)
        bar.addPermanentWidget(self.cancel_button)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window, self.cancel)
        self._show()

    def set_client(self, client) -> None:
        """A new training process: what the last one was asked will never be answered."""
        self._end_all("the training process was replaced")
        client.sigAnswer.connect(lambda i, value, error, c=client:
                                 self._on_answer(c, i, value, error))
        client.sigDied.connect(self._end_all)

    def ask(self, kind: str, fn, on_answer: Callable, *, waiting: str = "",
            doing: str = "", on_error: Callable | None = None, this_run: bool = True) -> bool:
        """Send fn(session) (None: a Fetch of the run's state) and return at once; True if
        it was sent. on_answer(value) comes when the answer does; a failure, a cancel or
        the process's death calls on_error(why), by default a message "cannot {doing}:
        why". waiting: the busy line's text ("": quiet). this_run: drop the answer if
        another run has replaced this one meanwhile."""
        on_error = on_error or (lambda why: self.window.show_error(f"cannot {doing}: {why}"))
        window = self.window
        if window.process.client is None or window.process.error:
            on_error(window.process.error or FAILED)
            return False
        self.out.pop(kind, None)  # replaced: its answer will be dropped
        process = window.process
        request_id = process.client.ask(fn)
        self.out[kind] = Request(kind, process.client, request_id, waiting, on_answer, on_error,
                                 process.tag if this_run else None)
        self._show()
        return True

    def session(self, kind: str, doing: str, then, on_error=None) -> bool:
        """then(session) once the window's session is brought up to date with the training
        process (a Fetch); if it cannot be, on_error(why), by default a message saying what
        could not be done. True if the request was sent."""
        window = self.window
        on_error = on_error or (lambda why: window.show_error(f"cannot {doing}: {why}"))

        def answered(state) -> None:
            if state is None or window.session is None:
                on_error("there is no run yet")
                return
            window.session.set_state(state)
            then(window.session)

        return self.ask(kind, None, answered, on_error=on_error,
                        waiting=f"the run, to {doing}")

    @property
    def busy(self) -> str:
        """What the window is waiting for, one line ("" : nothing)."""
        return "; ".join(r.waiting for r in self.out.values() if r.waiting)

    def waiting_for(self, kind: str) -> bool:
        return kind in self.out

    def cancel(self) -> None:
        """Stop waiting for what the busy line shows: each ends "cancelled", and its answer,
        when it comes, is dropped."""
        cancelled = [r for r in self.out.values() if r.waiting]
        self.out = {k: r for k, r in self.out.items() if not r.waiting}
        self._show()
        for request in cancelled:
            request.on_error("cancelled")

    def _on_answer(self, client, request_id: int, value, error) -> None:
        request = next((r for r in self.out.values()
                        if r.client is client and r.request_id == request_id), None)
        if request is None:
            return  # replaced, cancelled or from a process that is gone: dropped
        del self.out[request.kind]
        self._show()
        if request.tag is not None and request.tag != self.window.process.tag:
            request.on_error("another run has replaced that one")
        elif error:
            request.on_error(error)
        else:
            request.on_answer(value)

    def _end_all(self, why: str) -> None:
        """No answer will come (the process died or was replaced): each request ends."""
        ended, self.out = list(self.out.values()), {}
        self._show()
        for request in ended:
            request.on_error(why)

    def _show(self) -> None:
        text = self.busy
        self.label.setText(f"waiting for the training process: {text}…" if text else "")
        self.label.setVisible(bool(text))
        self.cancel_button.setVisible(bool(text))
        self.escape.setEnabled(bool(text))
        self.sigBusy.emit(text)
