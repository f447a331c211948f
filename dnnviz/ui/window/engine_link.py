"""The window's training process: start it, hand it a session, keep the window's copy of
the run up to date, notice it dying, start a new one, stop it.

An object the window owns (`window.process`): the process's relay thread and client, the
tag of the session it trains, and why it died if it did. It reads what it hands over from
the window (its session, speed, threads, stop) and tells the window what happened to the
run (stopped, failed, died).
"""

from __future__ import annotations

from PyQt6.QtCore import QThread

from dnnviz.training import Session, stops
from dnnviz.training import protocol as p
from dnnviz.ui.window.engine_client import EngineClient
from dnnviz.window_model import Status


class TrainingProcess:
    def __init__(self, window):
        self.window = window
        self.thread: QThread | None = None  # the relay thread of the client's pipes
        self.client: EngineClient | None = None
        self.error: str | None = None  # why the training process died, if it did
        self.tag = 0  # one number per session handed to the training process
        self.threads_used: dict | None = None  # the last process's: its setting, its steps

    def start(self) -> None:
        w = self.window
        self.thread = QThread()
        self.client = EngineClient()
        self.client.moveToThread(self.thread)
        w.requests.set_client(self.client)  # first: a death ends its requests, then says so
        self.thread.started.connect(self.client.loop)
        self.client.sigStopped.connect(w._on_stopped)
        self.client.sigFailed.connect(w._on_failed)
        self.client.sigCheckpoint.connect(self._on_checkpoint)
        self.client.sigDied.connect(self._on_died)
        self.client.sigFinished.connect(self.thread.quit)
        self.thread.start()
        w.frames.set_client(self.client)
        self.client.send(p.SetSpeed(w.speed))
        self.client.send(p.SetThreads(w.threads))
        self.client.send(p.StopAt(w.stop_at))
        if getattr(w, "recorder", None) is not None and w.recorder.on:
            w.recorder.send_every()  # a new process after a death goes on recording
        self.error = None

    def restart(self) -> bool:
        """A new training process, given the window's copy of the run."""
        w = self.window
        self.shutdown()
        self.start()
        if w.session is not None:
            self.hand_over(w.session)
            w.frames.send_parts()
        w.statusBar().showMessage("started a new training process from iteration "
                                  f"{w.session.iteration if w.session else 0}", 8000)
        return True

    def hand_over(self, session: Session) -> None:
        self.tag += 1
        self.window.frames.new_session(self.tag)
        self.client.send(p.UseSession(session, self.tag))

    def _on_checkpoint(self, tag, state) -> None:
        if tag == self.tag and self.window.session is not None:
            self.window.session.set_state(state)

    def _on_died(self, text: str) -> None:
        w = self.window
        self.error = text
        stop = stops.failed(text)
        w.model.set_status(Status.STOPPED, stop)
        w.show_error(f"{text}; press Train to start it again from iteration "
                     f"{w.session.iteration if w.session else 0}")
        w.sigStopped.emit(stop)

    def shutdown(self) -> None:
        """Stop the training process and join the relay thread: no 'QThread: Destroyed'.
        The run's last state (the process's final answer) is kept in the window's session."""
        if self.thread is None:
            return
        if self.thread.isRunning():
            self.client.quit()
            self.thread.quit()
            self.thread.wait()
        final = self.client.final
        if final is not None:
            self.threads_used = final.extra.get("threads")  # for the report
        session = self.window.session
        if final is not None and final.tag == self.tag and final.state is not None \
                and session is not None:
            session.set_state(final.state)
            self.client.final = None
