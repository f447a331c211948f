"""Qt + pyqtgraph widgets. Each is given plain data (a Dataset, a Snapshot); none trains."""
