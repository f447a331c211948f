"""The main window: its layout, menus, controls, and its handle on the training process."""
