"""Sphinx configuration for cxpath."""

import pathlib
import sys

import cxpath

sys.path.insert(0, str(pathlib.Path(__file__).parent / "_ext"))

project = "cxpath"
author = "cxpath developers"
copyright = "2026, cxpath developers"
release = cxpath.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "runblock",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
intersphinx_mapping = {}
suppress_warnings = ["myst.header"]
nitpicky = False

html_theme = "pydata_sphinx_theme"
html_title = "cxpath"
html_theme_options = {"navigation_with_keys": False}
