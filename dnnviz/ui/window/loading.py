"""Reading files for the window off the GUI thread: a folder of pictures, a model file.

Twelve 8000x8000 PNGs take seconds to decode; a model file is read, checked and its data
set loaded again. Done in the GUI thread, that froze the window. Here the reading runs in
a QThread, one at a time, and its result comes back by a signal to the GUI thread, which
then builds the run (apply_session) as before. Meanwhile the window stays responsive and
shows that it is busy: a moving bar and a line in the status bar, and a busy cursor.

A bad file is one line in the window, as before, once the reading has ended; the run on
screen is kept. Closing the window waits for a reading under way (a QThread destroyed
while it runs would abort Qt).
"""

from __future__ import annotations

import signal
from collections.abc import Callable

from PyQt6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, pyqtSignal
from PyQt6.QtGui import QPainter, QPixmap
from PyQt6.QtWidgets import QApplication, QProgressBar, QSplashScreen

from dnnviz.data import DataError
from dnnviz.training.config import ConfigError
from dnnviz.training.persist import ModelFileError
from dnnviz.ui import look as looks

LOAD_ERRORS = (ModelFileError, DataError, ConfigError, MemoryError)


class Reader(QThread):
    """Runs work() once; sigResult(result, None) or sigResult(None, one-line message)."""

    sigResult = pyqtSignal(object, object)

    def __init__(self, work: Callable[[], object]):
        super().__init__()
        self.work = work

    def run(self) -> None:
        try:
            result = self.work()
        except LOAD_ERRORS as exc:
            self.sigResult.emit(None, " ".join(str(exc).split()) or type(exc).__name__)
            return
        except Exception as exc:  # a reader's bug must not be lost in a thread
            detail = " ".join(str(exc).split())
            self.sigResult.emit(None, f"could not read it ({type(exc).__name__}: {detail})")
            return
        self.sigResult.emit(result, None)


class Loading(QObject):
    """The window's one background reading at a time. sigDone(ok) when it has ended and
    its result has been applied (ok) or its one line shown (not ok)."""

    sigDone = pyqtSignal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.reader: Reader | None = None
        self.what = ""
        self.ok: bool | None = None  # how the last reading ended
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: a bar that moves without a measure
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.bar.hide()
        window.statusBar().addPermanentWidget(self.bar)

    @property
    def busy(self) -> bool:
        return self.reader is not None

    def start(self, what: str, work: Callable[[], object],
              done: Callable[[object], bool]) -> bool:
        """Run work() in a thread, then done(result) in the GUI thread. False (and a
        message) if another reading is under way."""
        if self.busy:
            self.window.show_error(f"still {self.what}: wait until it is done")
            return False
        self.what, self.ok = what, None
        self.reader = Reader(work)
        self.reader.sigResult.connect(lambda result, error: self._end(done, result, error))
        self._show_busy(True)
        self.reader.start()
        return True

    def _end(self, done, result, error) -> None:
        reader, self.reader = self.reader, None
        if reader is None:  # dropped by wait(): the window is closing
            return
        reader.wait()
        reader.deleteLater()
        self._show_busy(False)
        if error is not None:
            self.window.show_error(error)
            self.ok = False
        else:
            self.ok = bool(done(result))
        self.sigDone.emit(self.ok)

    def _show_busy(self, on: bool) -> None:
        self.bar.setVisible(on)
        if on:
            self.window.statusBar().showMessage(f"{self.what[:1].upper()}{self.what[1:]}…")
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            self.window.statusBar().clearMessage()
            QApplication.restoreOverrideCursor()

    def wait(self) -> None:
        """Let a reading under way end (before the window closes); its result is dropped."""
        reader, self.reader = self.reader, None
        if reader is not None:
            reader.sigResult.disconnect()
            reader.wait()
            self._show_busy(False)


def read_before_window(what: str, work: Callable[[], object], on_interrupt,
                       on_shown: Callable[[], None] = lambda: None) -> object:
    """A reading the window cannot start without (a picture folder named on the command
    line): work() in a Reader while a small splash says what is read, the GUI thread's event
    loop turning (twelve 8000x8000 PNGs kept the screen empty for 10 s). Ctrl+C meanwhile
    calls on_interrupt(signum, frame); on_shown() once the splash is on the screen. Returns
    work()'s result, or raises ConfigError with the reading's one line."""
    reader = Reader(work)
    outcome: dict = {}
    loop = QEventLoop()
    reader.sigResult.connect(lambda result, error: (outcome.update(result=result, error=error),
                                                    loop.quit()))
    splash = _splash(what)
    on_shown()
    previous = signal.signal(signal.SIGINT, on_interrupt)
    python_runs = QTimer(interval=100)  # Python sees a signal only when it runs
    python_runs.timeout.connect(lambda: None)
    python_runs.start()
    reader.start()
    if not outcome:  # not already answered (a tiny folder)
        loop.exec()
    reader.wait()
    python_runs.stop()
    signal.signal(signal.SIGINT, previous)
    splash.close()
    if outcome["error"] is not None:
        raise ConfigError(outcome["error"])
    return outcome["result"]


def _splash(what: str) -> QSplashScreen:
    """The app's icon, its name and what it reads, in the current look."""
    look = looks.current()
    pixmap = QPixmap(720, 160)
    pixmap.fill(look.color("background"))
    painter = QPainter(pixmap)
    painter.drawPixmap(24, 24, QApplication.windowIcon().pixmap(112, 112))
    painter.setPen(look.color("text"))
    painter.setFont(look.font(looks.TITLE_PT * 1.6, bold=True))
    painter.drawText(160, 66, "dnnviz")
    painter.setFont(look.font(looks.LABEL_PT))
    text = painter.fontMetrics().elidedText(f"{what[:1].upper()}{what[1:]}",
                                            Qt.TextElideMode.ElideMiddle, 530)
    painter.drawText(160, 108, text + "…")
    painter.end()
    splash = QSplashScreen(pixmap)
    splash.show()
    QApplication.processEvents()
    return splash
