"""dnnviz: watch a from-scratch NumPy deep neural network learn, live."""

__version__ = "0.1.0"
