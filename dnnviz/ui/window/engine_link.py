"""The main window's link to its training process: start it, hand it a session, keep the
window's copy of the run up to date, notice it dying, start a new one, stop it.

A mixin of MainWindow (it uses the window's frames, session, speed and messages), kept
apart so that the window's module holds the window and this one the process's life.
"""

from __future__ import annotations

from PyQt6.QtCore import QThread

from dnnviz.training import Session, stops
from dnnviz.training import protocol as p
from dnnviz.ui.window.engine_client import EngineClient
from dnnviz.window_model import Status


class TrainingProcessLink:
    def _start_engine(self) -> None:
        self.thread_ = QThread()
        self.client = EngineClient()
        self.client.moveToThread(self.thread_)
        self.requests.set_client(self.client)  # first: a death ends its requests, then says so
        self.thread_.started.connect(self.client.loop)
        self.client.sigStopped.connect(self._on_stopped)
        self.client.sigFailed.connect(self._on_failed)
        self.client.sigCheckpoint.connect(self._on_checkpoint)
        self.client.sigDied.connect(self._on_died)
        self.client.sigFinished.connect(self.thread_.quit)
        self.thread_.start()
        self.frames.set_client(self.client)
        self.client.send(p.SetSpeed(self.speed))
        self.client.send(p.SetThreads(self.threads))
        self.client.send(p.StopAt(self.stop_at))
        if getattr(self, "recorder", None) is not None and self.recorder.on:
            self.recorder.send_every()  # a new process after a death goes on recording
        self.engine_error = None

    def _restart_engine(self) -> bool:
        """A new training process, given the window's copy of the run."""
        self.shutdown()
        self._start_engine()
        if self.session is not None:
            self._hand_over(self.session)
            self.frames.send_parts()
        self.statusBar().showMessage("started a new training process from iteration "
                                     f"{self.session.iteration if self.session else 0}", 8000)
        return True

    def _hand_over(self, session: Session) -> None:
        self.tag += 1
        self.frames.new_session(self.tag)
        self.client.send(p.UseSession(session, self.tag))

    def _on_checkpoint(self, tag, state) -> None:
        if tag == self.tag and self.session is not None:
            self.session.set_state(state)

    def _on_died(self, text: str) -> None:
        self.engine_error = text
        stop = stops.failed(text)
        self.model.set_status(Status.STOPPED, stop)
        self.show_error(f"{text}; press Train to start it again from iteration "
                        f"{self.session.iteration if self.session else 0}")
        self.sigStopped.emit(stop)

    def with_session(self, kind: str, doing: str, then, on_error=None) -> bool:
        """then(session) once the window's session is brought up to date with the training
        process (a Fetch, answered by signal: nothing waits); if it cannot be, on_error(why),
        by default a message saying what could not be done. True if the request was sent."""
        on_error = on_error or (lambda why: self.show_error(f"cannot {doing}: {why}"))

        def answered(state) -> None:
            if state is None or self.session is None:
                on_error("there is no run yet")
                return
            self.session.set_state(state)
            then(self.session)

        return self.requests.ask(kind, None, answered, on_error=on_error,
                                 waiting=f"the run, to {doing}")

    def shutdown(self) -> None:
        """Stop the training process and join the relay thread: no 'QThread: Destroyed'.
        The run's last state (the process's final answer) is kept in self.session."""
        if self.thread_.isRunning():
            self.client.quit()
            self.thread_.quit()
            self.thread_.wait()
        final = self.client.final
        if final is not None:
            self.threads_used = final.extra.get("threads")  # for the report
        if final is not None and final.tag == self.tag and final.state is not None \
                and self.session is not None:
            self.session.set_state(final.state)
            self.client.final = None
