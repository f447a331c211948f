"""The views: each draws one kind of picture of the training run from a Snapshot."""
