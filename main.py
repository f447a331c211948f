"""`python main.py` is the same as `dnnviz`: it opens the window (or runs `train`)."""

from dnnviz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
