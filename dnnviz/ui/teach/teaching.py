"""The Teach menu: step through one iteration, gradient check, predictions, own pictures.

Each tool reads the network as the training process has it now (window.fetch_session(),
a copy), so it never races the training loop, and opens in a dialog of its own.
"""

from __future__ import annotations

from PyQt6.QtWidgets import QFileDialog

from dnnviz.data.digits import SHAPE as DIGIT_SHAPE
from dnnviz.data.digits import counts_to_input
from dnnviz.training.drawing import with_example
from dnnviz.training.summaries import as_probs
from dnnviz.ui.teach.draw_digit import DrawDigitDialog
from dnnviz.ui.teach.gallery import GalleryDialog
from dnnviz.ui.teach.gradcheck import GradCheckDialog
from dnnviz.ui.teach.own_image import ClassifyDialog
from dnnviz.ui.teach.stepthrough import StepThroughDialog

EXAMPLES = 8  # columns shown in the step-through and used by the gradient check
PICTURES = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif)"


def open_dialog(dialogs: dict, key: str, dialog):
    """Show `dialog` as the one open dialog of its kind (`key`): the one before closes."""
    old = dialogs.pop(key, None)
    if old is not None:
        old.close()
    dialogs[key] = dialog
    dialog.show()
    return dialog


class TeachingTools:
    def __init__(self, window, menu):
        self.window = window
        self.dialogs: dict[str, object] = {}  # the open dialog of each tool (for tests)
        add = window._action
        add(menu, "Step &through one iteration…", self.step_through, "Ctrl+T")
        add(menu, "&Gradient check…", self.gradient_check, "Ctrl+G")
        menu.addSeparator()
        self.gallery_action = add(menu, "&Predictions on test pictures…", self.gallery, "Ctrl+P")
        self.classify_action = add(menu, "&Classify your own picture…", self.classify_file,
                                   "Ctrl+K")
        self.draw_action = add(menu, "&Draw your own digit…", self.draw_digit, "Ctrl+J")

    def draw_digit(self):
        """The drawing pad beside the network, for the digits (8x8 counts)."""
        session = self.window.session
        if session is None or tuple(session.data.image_shape or ()) != DIGIT_SHAPE:
            self.window.show_error("drawing a digit needs the digits data set: choose "
                                   "digits first")
            return None
        dialog = DrawDigitDialog(self._read, session.data.classes, parent=self.window)
        dialog.sigAddExample.connect(self._add_drawing)
        return self._open("draw", dialog)

    def _read(self, fn):
        """fn(session) in the training process, or None when it does not answer soon."""
        client = self.window.client
        if client is None or self.window.engine_error:
            return None
        try:
            return client.call(fn, timeout=0.5)
        except RuntimeError:
            return None

    def _add_drawing(self, counts, label: int) -> None:
        session = self._live()
        if session is None:
            return
        self.window.apply_session(with_example(session, counts_to_input(counts), label),
                                  keep_run=False)
        data = self.window.session.data
        self.window.controls.show_message(f"a drawn {data.classes[label]} joined the "
                                          f"training set: {data.m_train:,} pictures")

    def _live(self):
        return self.window.live_session("read the network")

    def _examples(self, session):
        X, Y = session.X[:, :EXAMPLES], session.Y[:, :EXAMPLES]
        classes = session.data.classes
        if len(classes) > 2:
            return X, Y, [classes[int(round(y))] for y in Y.ravel()]
        return X, Y, [classes[int(y > 0.5)] for y in Y.ravel()]

    def _open(self, key, dialog):
        return open_dialog(self.dialogs, key, dialog)

    def step_through(self):
        session = self._live()
        if session is None:
            return None
        X, Y, labels = self._examples(session)
        dialog = StepThroughDialog(session.net, X, Y, labels=labels, parent=self.window,
                                   learning_rate=session.learning_rate,
                                   iteration=session.iteration)  # its update, its masks
        dialog.setWindowTitle(f"One iteration, step by step (iteration {session.iteration}, "
                              f"first {X.shape[1]} training examples, α = "
                              f"{session.learning_rate:g})")
        return self._open("step", dialog)

    def gradient_check(self):
        session = self._live()
        if session is None:
            return None
        X, Y, _ = self._examples(session)
        return self._open("gradcheck", GradCheckDialog(session.net, X, Y, parent=self.window))

    def _has_images(self, what) -> bool:
        """The window's own copy says the data's kind: no fetch from the training process."""
        if self.window.session is None or not self.window.session.data.is_image:
            self.window.show_error(f"{what} needs image data: choose cat, shapes or digits "
                                   "first")
            return False
        return True

    def _image_session(self, what):
        return self._live() if self._has_images(what) else None

    def gallery(self):
        session = self._image_session("the predictions gallery")
        if session is None:
            return None
        dialog = GalleryDialog(parent=self.window)
        dialog.show_dataset(session.data, as_probs(session.net.forward(session.X_test)))
        return self._open("gallery", dialog)

    def classify_file(self):
        if not self._has_images("classifying a picture"):
            return None
        path, _ = QFileDialog.getOpenFileName(self.window, "A picture to classify", "", PICTURES)
        return self.classify(path) if path else None

    def classify(self, path):
        session = self._image_session("classifying a picture")
        if session is None:
            return None
        dialog = self._open("classify", ClassifyDialog(session.net, session.data,
                                                        parent=self.window))
        dialog.classify(path)
        return dialog
