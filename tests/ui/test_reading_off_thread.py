"""Pictures and model files are read off the GUI thread: the window's event loop runs
while a reading waits (shown by condition, never by time), it shows that it is busy, and
the result is applied once the reading ends."""

from __future__ import annotations

import threading

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QColor, QImage
from window_helpers import CONFIG, WAIT_MS, read

import dnnviz.ui.window.files as files
import dnnviz.ui.window.own_data as own_data
from dnnviz.training import Session, save_model


def pictures(folder):
    for name, color in (("apples", "red"), ("plums", "blue")):
        (folder / name).mkdir(parents=True)
        for i in range(3):
            image = QImage(30, 20, QImage.Format.Format_RGB32)
            image.fill(QColor(color))
            image.save(str(folder / name / f"{i}.png"))
    return folder


class Held:
    """Wraps a reading function: each call notes its thread and waits until released."""

    def __init__(self, real):
        self.real, self.release, self.threads = real, threading.Event(), []

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        self.release.wait(WAIT_MS / 1000)
        return self.real(*args, **kwargs)


def event_loop_runs(qtbot) -> None:
    """The GUI thread's event loop delivers a timer: it is not blocked."""
    ticked = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=WAIT_MS)


def busy_shown(window, words: str) -> None:
    assert window.loading.busy and window.loading.bar.isVisible()
    assert words in window.statusBar().currentMessage()


def test_a_picture_folder_is_read_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    held = Held(own_data.image_to_pixels)
    monkeypatch.setattr(own_data, "image_to_pixels", held)
    before = window.session
    folder = pictures(tmp_path / "fruit")
    assert window.own_data.open_pictures(str(folder))  # returns while a picture waits
    qtbot.waitUntil(lambda: bool(held.threads), timeout=WAIT_MS)
    event_loop_runs(qtbot)
    assert not held.release.is_set() and window.session is before
    assert threading.main_thread() not in held.threads
    busy_shown(window, "Reading the pictures in")
    held.release.set()
    assert read(qtbot, window, True)
    assert window.session.data.classes == ("apples", "plums")
    assert not window.loading.bar.isVisible()


def test_a_model_is_read_off_the_gui_thread(qtbot, make_window, tmp_path, monkeypatch):
    saved = Session(make_window().config)
    saved.run(iterations=4)
    save_model(tmp_path / "m.h5", saved)
    window = make_window(dataset="xor", hidden=(3,))
    held = Held(files.read_model)
    monkeypatch.setattr(files, "read_model", held)
    assert window.files.open_model(tmp_path / "m.h5")
    qtbot.waitUntil(lambda: bool(held.threads), timeout=WAIT_MS)
    event_loop_runs(qtbot)
    assert threading.main_thread() not in held.threads
    busy_shown(window, "Reading the model")
    assert window.config.dataset == "xor"
    held.release.set()
    assert read(qtbot, window, True)
    assert window.session.iteration == 4 and window.config.dataset == saved.config.dataset


def test_a_second_reading_waits_for_the_first(qtbot, window, tmp_path, monkeypatch):
    held = Held(own_data.image_to_pixels)
    monkeypatch.setattr(own_data, "image_to_pixels", held)
    assert window.own_data.open_pictures(str(pictures(tmp_path / "a")))
    assert not window.files.open_model(tmp_path / "m.h5")
    assert "still reading the pictures in" in window.controls.message.text()
    held.release.set()
    assert read(qtbot, window, True)


def test_a_bad_file_read_off_the_thread_is_one_line(qtbot, window, tmp_path):
    bad = tmp_path / "m.h5"
    bad.write_bytes(b"not hdf5")
    before = window.session
    assert not read(qtbot, window, window.files.open_model(bad))
    message = window.controls.message.text()
    assert "not an HDF5 file" in message and "\n" not in message
    assert window.session is before and not window.loading.bar.isVisible()


def test_closing_the_window_while_reading_waits_and_drops_it(qtbot, make_window, tmp_path,
                                                             monkeypatch):
    window = make_window()
    held = Held(own_data.image_to_pixels)
    monkeypatch.setattr(own_data, "image_to_pixels", held)
    before = window.session
    assert window.own_data.open_pictures(str(pictures(tmp_path / "a")))
    qtbot.waitUntil(lambda: bool(held.threads), timeout=WAIT_MS)
    held.release.set()
    window.close()  # joins the reading thread: no "QThread: Destroyed while running"
    assert not window.loading.busy and window.session is before


def test_a_folder_chosen_again_from_the_data_list_is_read_off_the_gui_thread(
        qtbot, window, tmp_path, monkeypatch):
    """The data list remembers a picture folder; choosing it again reads it anew, off the
    GUI thread too (apply_config's one way to a picture folder)."""
    folder = pictures(tmp_path / "fruit")
    assert read(qtbot, window, window.own_data.open_pictures(str(folder)))
    key = window.data_list.key(window.config)
    window._on_dataset(window.data_list.key(CONFIG))  # moons: a data set made in code
    assert window.session.data.name == "moons" and not window.loading.busy
    held = Held(own_data.image_to_pixels)
    monkeypatch.setattr(own_data, "image_to_pixels", held)
    before = window.session
    window._on_dataset(key)  # as the data list's combo box does
    qtbot.waitUntil(lambda: bool(held.threads), timeout=WAIT_MS)
    event_loop_runs(qtbot)
    assert threading.main_thread() not in held.threads and window.session is before
    busy_shown(window, "Reading the pictures in")
    held.release.set()
    assert read(qtbot, window, True)
    assert window.session.data.classes == ("apples", "plums")


class Splash:
    """read_before_window's work: notes its thread, and waits for the GUI thread's timer to
    tick twice (its event loop turns meanwhile), noting what the screen showed then."""

    def __init__(self, result=None, error=None):
        self.result, self.error, self.threads, self.seen = result, error, [], []
        self.ticks: list = []
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(lambda: self.ticks.append(shown_splashes()))
        self.timer.start()

    def __call__(self):
        self.threads.append(threading.current_thread())
        start, waited = len(self.ticks), threading.Event()
        for _ in range(WAIT_MS // 5):
            if len(self.ticks) >= start + 2:
                self.seen = self.ticks[-1]
                break
            waited.wait(0.005)
        if self.error:
            raise self.error
        return self.result


def shown_splashes():
    from PyQt6.QtWidgets import QApplication, QSplashScreen
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QSplashScreen) and w.isVisible()]


def test_pictures_named_at_start_are_read_off_the_gui_thread_under_a_splash(qtbot):
    from dnnviz.ui.window.loading import read_before_window
    work, shown = Splash(result="the data"), []
    assert read_before_window("reading the pictures in /x", work, lambda *a: None,
                              on_shown=lambda: shown.append(shown_splashes())) == "the data"
    assert threading.main_thread() not in work.threads
    assert shown[0] and work.seen  # on the screen at once, and while the reading went on
    assert not shown_splashes()  # and gone when the window comes


def test_pictures_named_at_start_that_cannot_be_read_are_one_line(qtbot):
    import pytest

    from dnnviz.data import DataError
    from dnnviz.training.config import ConfigError
    from dnnviz.ui.window.loading import read_before_window
    work = Splash(error=DataError("no pictures in /x/a"))
    with pytest.raises(ConfigError, match="^no pictures in /x/a$"):
        read_before_window("reading the pictures in /x", work, lambda *a: None)
    assert not shown_splashes()


def test_ctrl_c_while_pictures_are_read_at_start_is_handled(qtbot):
    import os
    import signal

    from dnnviz.ui.window.loading import read_before_window
    caught = []

    def work():
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C while the splash is up
        for _ in range(200):
            if caught:
                break
            threading.Event().wait(0.025)
        return "read"

    before = signal.getsignal(signal.SIGINT)
    assert read_before_window("reading", work, lambda *a: caught.append(a[0])) == "read"
    assert caught == [signal.SIGINT] and signal.getsignal(signal.SIGINT) is before
