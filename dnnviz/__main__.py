from dnnviz.cli import main

raise SystemExit(main())
