"""RunSummary: what this run is, in the controls dock: network, data, how fast it goes."""

from __future__ import annotations

from PyQt6.QtWidgets import QFormLayout, QGroupBox, QLabel

from dnnviz.training.pacing import speed_text


class RunSummary(QGroupBox):
    def __init__(self, parent=None):
        super().__init__("This run", parent)
        self.fields = {name: QLabel("–") for name in
                       ("network", "parameters", "data", "training")}
        form = QFormLayout(self)
        for name, label in self.fields.items():
            label.setWordWrap(True)
            form.addRow(name.capitalize(), label)
        self._shown: dict[str, str] = {}

    def show_session(self, session) -> None:
        """The run's fixed facts: network, parameter count, data."""
        data = session.data
        dims = " → ".join(str(n) for n in session.layer_dims)
        kind = "pictures " + "×".join(map(str, data.image_shape)) if data.is_image \
            else f"{data.n_x}-D points"
        self._set("network", dims)
        self._set("parameters", f"{session.net.parameter_count:,}")
        self._set("data", f"{data.name}: {data.m_train:,} train, {data.m_test:,} test "
                          f"({kind})")

    def show_pace(self, snap, speed) -> None:
        """How fast it trains: the setting, and the rate measured while running."""
        rate = f", {snap.iterations_per_second:,.0f} it/s now" if snap.running else ""
        self._set("training", f"speed {speed_text(speed)}{rate}")

    def _set(self, name: str, text: str) -> None:
        if self._shown.get(name) != text:  # a new text lays the dock out again: only on change
            self._shown[name] = text
            self.fields[name].setText(text)
