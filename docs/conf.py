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
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "runblock",
    "notebook",
    "seealso",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated", "_data"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

autodoc_default_options = {"members": True, "undoc-members": False}
autodoc_member_order = "bysource"
# one page per public object (docs/api/generated/, not committed), listed in summary tables
autosummary_generate = True
templates_path = ["_templates"]


def _case_safe_filenames():
    """``variants`` and ``Variants`` would share one file on a case-insensitive file system:
    the class's page gets the suffix ``-class``."""
    from collections import Counter

    from seealso import documented_names

    names = documented_names(pathlib.Path(__file__).parent / "api")
    clashes = Counter(n.lower() for n in names)
    return {n: f"{n}-class" for n in names
            if clashes[n.lower()] > 1 and n.rpartition(".")[2][:1].isupper()}


autosummary_filename_map = _case_safe_filenames()
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
intersphinx_mapping = {}
suppress_warnings = ["myst.header"]
nitpicky = False

# guide pages also offered as a Jupyter notebook (docs/_ext/notebook.py)
runblock_notebooks = ["guide/walkthrough"]

html_theme = "pydata_sphinx_theme"
html_static_path = ["_static"]
html_css_files = ["runblock.css"]
html_title = "cxpath"
html_theme_options = {"navigation_with_keys": False}
