"""The files dnnviz ships beside its code: lessons/*.json, icons/dnnviz.svg, dnnviz.desktop.

Installed as the package dnnviz.resources (see pyproject.toml); dnnviz.resource_files finds
this folder in a wheel, an editable install or a plain checkout alike.
"""
