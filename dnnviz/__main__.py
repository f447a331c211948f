from dnnviz.cli import main

if __name__ == "__main__":  # a training process started by spawn imports this module too
    raise SystemExit(main())
