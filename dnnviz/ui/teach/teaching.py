"""The Teach menu: step through one iteration, gradient check, predictions, own pictures.

Each tool asks the training process to compute what it shows, on the network as it is
there now (training/teaching.py, as a protocol Call): the window never computes it and never
waits for it. The tool's dialog opens when the answer comes; meanwhile the status line says
what is awaited, with Cancel (window.requests). Asking again replaces the question before.
"""

from __future__ import annotations

from functools import partial

from PyQt6.QtWidgets import QFileDialog

from dnnviz.data.digits import SHAPE as DIGIT_SHAPE
from dnnviz.data.digits import counts_to_input
from dnnviz.training import teaching as computed
from dnnviz.training.drawing import with_example
from dnnviz.ui.teach.draw_digit import DrawDigitDialog
from dnnviz.ui.teach.gallery import GalleryDialog
from dnnviz.ui.teach.gradcheck import GradCheckDialog
from dnnviz.ui.teach.own_image import ClassifyDialog
from dnnviz.ui.teach.stepthrough import StepThroughDialog

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
        add = window.add_action
        add(menu, "Step &through one iteration…", self.step_through, "Ctrl+T")
        add(menu, "&Gradient check…", self.gradient_check, "Ctrl+G")
        menu.addSeparator()
        self.gallery_action = add(menu, "&Predictions on test pictures…", self.gallery, "Ctrl+P")
        self.classify_action = add(menu, "&Classify your own picture…", self.classify_file,
                                   "Ctrl+K")
        self.draw_action = add(menu, "&Draw your own digit…", self.draw_digit, "Ctrl+J")

    def _ask(self, kind: str, fn, then, waiting: str, doing: str) -> bool:
        """fn(session) in the training process; then(value) in the GUI thread when it comes."""
        return self.window.requests.ask(kind, fn, then, waiting=waiting, doing=doing)

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

    def _read(self, fn, done) -> None:
        """fn(session) in the training process, done(value) when it comes (done(None) if
        it cannot): quiet, the drawing pad keeps its last reading meanwhile."""
        self.window.requests.ask("draw", fn, done, on_error=lambda why: done(None))

    def _add_drawing(self, counts, label: int) -> None:
        def add(session) -> None:
            self.window.apply_session(with_example(session, counts_to_input(counts), label),
                                      keep_run=False)
            data = self.window.session.data
            self.window.controls.show_message(f"a drawn {data.classes[label]} joined the "
                                              f"training set: {data.m_train:,} pictures")

        self.window.requests.session("add", "add the drawing", add)

    def _open(self, key, dialog):
        return open_dialog(self.dialogs, key, dialog)

    def step_through(self) -> bool:
        """Ask for one iteration, walked; the dialog opens when it comes."""
        return self._ask("step", computed.step_through, self._show_step_through,
                         "one iteration, step by step",
                         "step through one iteration")

    def _show_step_through(self, walked: computed.StepThrough):
        dialog = StepThroughDialog(walked.stages, labels=walked.labels, parent=self.window,
                                   ys=walked.ys, learning_rate=walked.learning_rate,
                                   before=walked.before,
                                   gradient_descent=walked.gradient_descent)
        dialog.setWindowTitle(f"One iteration, step by step (iteration {walked.iteration}, "
                              f"first {walked.m} training examples, α = "
                              f"{walked.learning_rate:g})")
        return self._open("step", dialog)

    def gradient_check(self) -> bool:
        """Ask for the gradient check; the dialog opens when it comes."""
        return self._ask("gradcheck", computed.check_gradients, self._show_gradient_check,
                         "the gradient check",
                         "check the gradients")

    def _show_gradient_check(self, result):
        net = self.window.session.net  # its settings only: the check was made there
        return self._open("gradcheck", GradCheckDialog(net, None, None, parent=self.window,
                                                       result=result, again=self._check_again))

    def _check_again(self, seed: int) -> None:
        dialog = self.dialogs["gradcheck"]
        if not self.window.requests.ask("gradcheck-again",
                                        partial(computed.check_gradients, seed=seed),
                                        dialog.show_result,
                                        waiting="the gradient check again",
                                        on_error=lambda why: self._again_failed(dialog, why)):
            dialog.show_result(None)

    def _again_failed(self, dialog, why: str) -> None:
        dialog.show_result(None)
        self.window.show_error(f"cannot check the gradients: {why}")

    def _has_images(self, what) -> bool:
        """The window's own copy says the data's kind: no fetch from the training process."""
        if self.window.session is None or not self.window.session.data.is_image:
            self.window.show_error(f"{what} needs image data: choose cat, shapes or digits "
                                   "first")
            return False
        return True

    def gallery(self) -> bool:
        """Ask for the network's outputs on the test pictures; the gallery opens with them."""
        if not self._has_images("the predictions gallery"):
            return False
        return self._ask("gallery", computed.probabilities_on_test_set, self._show_gallery,
                         "the predictions on the test pictures",
                         "show the predictions")

    def _show_gallery(self, probs):
        dialog = GalleryDialog(parent=self.window)
        dialog.show_dataset(self.window.session.data, probs)
        return self._open("gallery", dialog)

    def classify_file(self):
        if not self._has_images("classifying a picture"):
            return None
        path, _ = QFileDialog.getOpenFileName(self.window, "A picture to classify", "", PICTURES)
        return self.classify(path) if path else None

    def classify(self, path):
        """The dialog at once, its result when the network's output for the picture comes."""
        if not self._has_images("classifying a picture"):
            return None
        session = self.window.session
        dialog = self._open("classify", ClassifyDialog(session.net, session.data,
                                                        parent=self.window, ask=self._output))
        dialog.classify(path)
        return dialog

    def _output(self, x, done) -> None:
        self._ask("classify", partial(computed.output, x), done,
                  "the class of your picture", "classify the picture")
