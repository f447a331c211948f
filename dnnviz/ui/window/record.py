"""Recording a run: the window, or one of its views, as a GIF, an MP4 or a WebM.

File ▸ Record (Ctrl+Shift+R), the presentation toolbar's Record toggle and `--record FILE`
start it; a red "● REC" in the status bar says it is on. The training process makes a
recorded frame at every n-th iteration and at the run's end, and trains past it only once
the window has drawn and grabbed it (protocol.RecordEvery), so the same iterations are
recorded on any machine, however loaded: a slow one records them more slowly. The grab is
the GUI thread's only cost; scaling and encoding run in recording.py's thread.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import QFileDialog, QLabel

from dnnviz.files import SaveError
from dnnviz.recording import Recording, RecordingError, default_every
from dnnviz.training import protocol as p
from dnnviz.ui import look as looks
from dnnviz.ui.window.layout import show_view

FILTERS = "Animated GIF (*.gif);;MP4 video (*.mp4);;WebM video (*.webm)"
MARK = "● REC"


def grab_frame(widget) -> np.ndarray:
    """The widget as it is on screen, an (h, w, 4) RGBX uint8 array of its own."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGBX8888)
    w, h = image.width(), image.height()
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    rows = np.frombuffer(bits, np.uint8).reshape(h, image.bytesPerLine())
    return rows[:, : w * 4].reshape(h, w, 4).copy()


class Recorder(QObject):
    sigChanged = pyqtSignal(bool)  # recording or not

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.recording: Recording | None = None
        self.every: int | None = None
        self.view: str | None = None  # the view recorded (None: the whole window)
        self.path = None
        self.failure: str | None = None  # why the last recording could not be written
        self.mark = QLabel(MARK)
        self.mark.setFixedWidth(self.mark.sizeHint().width() * 2)
        self.mark.hide()
        window.statusBar().addPermanentWidget(self.mark)
        window.frames.sigDrawn.connect(self.on_drawn)

    @property
    def on(self) -> bool:
        return self.recording is not None

    def start(self, path, every: int | None = None, view: str | None = None,
              size: tuple[int, int] | None = None) -> bool:
        """Record from the next recorded iteration on (the start of the run, if it has not
        started); False, with the reason shown, if it cannot."""
        w = self.window
        self.stop()
        self.failure = None
        every = every or default_every(w.stop_at or w.session.target_iterations)
        look = looks.current()
        background = look.color("background")
        try:
            recording = Recording(path, size, (background.red(), background.green(),
                                               background.blue()))
        except (RecordingError, SaveError, OSError) as exc:
            self.failure = str(exc)
            w.show_error(self.failure)
            self.sigChanged.emit(False)
            return False
        self.recording, self.every, self.view, self.path = recording, every, view, path
        if view is not None:
            show_view(w, view)
            w.frames.pinned = {v for v in w.view_list() if v.name == view}
        self.mark.setStyleSheet(f"QLabel {{ color: {look.hex('error')}; font-weight: bold; }}")
        self.mark.show()
        self.send_every()
        self.mark.setToolTip(f"Recording every {every} iterations to {path}: File > Record "
                             "(Ctrl+Shift+R) stops it")
        self.sigChanged.emit(True)
        return True

    def send_every(self) -> None:
        """Tell the training process (also a new one, after a restart)."""
        self.window.process.client.send(p.RecordEvery(self.every if self.on else None))

    def stop(self) -> bool:
        """Finish the file; False, with the reason shown, if it could not be written."""
        if self.recording is None:
            return True
        recording, self.recording = self.recording, None
        self.send_every()
        self.window.frames.pinned = set()
        self.mark.hide()
        self.sigChanged.emit(False)
        try:
            frames = recording.close()
        except SaveError as exc:
            frames, self.failure = 0, str(exc)
        if not frames:
            self.failure = self.failure or (f"nothing was recorded to {self.path}: the run "
                                            "did not train while recording")
            self.window.show_error(self.failure)
            return False
        self.window.statusBar().showMessage(f"recorded {frames} frames to {self.path}", 8000)
        return True

    def toggle(self, on: bool) -> bool:
        """The menu's and the toolbar's toggle: on asks where to record (the whole window)."""
        if not on:
            return self.stop()
        if self.on:
            return True
        path, chosen = QFileDialog.getSaveFileName(self.window, "Record the run to", "",
                                                   FILTERS)
        if path and "." not in path.rsplit("/", 1)[-1]:
            path += chosen[chosen.rfind("*.") + 1:-1]  # the chosen format's suffix
        if not path:
            self.sigChanged.emit(False)
            return False
        return self.start(path)

    def target(self):
        """The widget recorded: the view (on the desk or on the stage), or the window."""
        w = self.window
        if self.view is None:
            return w
        views = {v.name: v for v in w.view_list()}
        return views.get(self.view, w.runs_table)

    def on_drawn(self, snap) -> None:
        """A frame is drawn: if it is one to record, grab it; either way, the training
        process hears that it was taken (once the encoder keeps up)."""
        if not snap.record:
            return
        w = self.window

        def taken(tag=snap.tag, iteration=snap.iteration):
            w.process.client.send(p.Recorded(tag, iteration))

        if self.recording is None:
            taken()
            return
        if self.recording.error:
            taken()
            self.stop()  # says why
            return
        self.mark.setText("")  # not in the picture
        try:
            frame = grab_frame(self.target())
        finally:
            self.mark.setText(MARK)
        self.recording.add(frame, taken)
