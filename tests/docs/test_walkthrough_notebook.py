"""The walkthrough's downloadable notebook (docs/_ext/notebook.py) is valid nbformat 4 and
holds exactly the page's runblocks as code cells, in order."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
WALKTHROUGH = ROOT / "docs" / "guide" / "walkthrough.md"


def _converter():
    spec = importlib.util.spec_from_file_location("docs_notebook_ext",
                                                  ROOT / "docs" / "_ext" / "notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


notebook_ext = _converter()


def runblocks(text: str) -> list[str]:
    """The runblocks of a page, found independently of the converter."""
    return [m.strip("\n") for m in re.findall(r"^```\{runblock\}\n(.*?)^```$", text, re.S | re.M)]


def check_nbformat4(notebook: dict) -> None:
    """The parts of the nbformat-4 schema that Jupyter needs to open the file."""
    assert notebook["nbformat"] == 4 and notebook["nbformat_minor"] >= 5
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    ids = [cell["id"] for cell in notebook["cells"]]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", i) for i in ids)
    for cell in notebook["cells"]:
        assert cell["cell_type"] in ("markdown", "code")
        assert isinstance(cell["metadata"], dict)
        assert isinstance(cell["source"], list) and all(isinstance(s, str) for s in cell["source"])
        assert all(line.endswith("\n") for line in cell["source"][:-1])
        if cell["cell_type"] == "code":
            assert set(cell) == {"cell_type", "execution_count", "id", "metadata", "outputs",
                                 "source"}
            for output in cell["outputs"]:
                assert output["output_type"] in ("stream", "display_data", "execute_result")
        else:
            assert set(cell) == {"cell_type", "id", "metadata", "source"}
    json.loads(json.dumps(notebook))  # plain JSON, nothing Python-only
    try:
        import nbformat
    except ImportError:
        return
    nbformat.validate(nbformat.from_dict(notebook))


def test_walkthrough_notebook_is_nbformat4_with_the_runblocks_as_code_cells():
    text = WALKTHROUGH.read_text(encoding="utf-8")
    notebook = notebook_ext.markdown_to_notebook(text)
    check_nbformat4(notebook)
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code == runblocks(text)
    assert len(code) >= 10
    # unexecuted without outputs
    assert all(c["outputs"] == [] and c["execution_count"] is None
               for c in notebook["cells"] if c["cell_type"] == "code")
    # the prose is there, MyST's own syntax is not, nor the link to the notebook itself
    markdown = "\n".join("".join(c["source"]) for c in notebook["cells"]
                         if c["cell_type"] == "markdown")
    assert markdown.startswith("# Walkthrough")
    assert "## 8. Forecast demand and staff the peak" in markdown
    assert "{runblock}" not in markdown and "{download}" not in markdown
    assert ".ipynb" not in markdown


def test_recorded_outputs_land_on_matching_cells_only():
    text = WALKTHROUGH.read_text(encoding="utf-8")
    blocks = runblocks(text)
    stream = {"output_type": "stream", "name": "stdout", "text": ["hello\n"]}
    result = {"output_type": "execute_result", "execution_count": None, "metadata": {},
              "data": {"text/plain": ["1"], "text/html": ["<b>1</b>"]}}
    records = [{"code": blocks[0], "outputs": [stream, result]},
               {"code": "stale code", "outputs": [stream]}]
    notebook = notebook_ext.markdown_to_notebook(text, records)
    check_nbformat4(notebook)
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert cells[0]["execution_count"] == 1
    assert cells[0]["outputs"][0] == stream
    assert cells[0]["outputs"][1]["execution_count"] == 1
    assert cells[1]["outputs"] == [] and cells[1]["execution_count"] is None


def test_split_page_keeps_other_fences_and_drops_directive_options():
    page = ("# T\n\nSee {func}`~cxpath.journeys.variants` and "
            "{doc}`the guide <own_log>`.\n\n```bash\npip install cxpath\n```\n\n"
            "```{runblock}\n:html:\n\nx = 1\nx\n```\n")
    notebook = notebook_ext.markdown_to_notebook(page)
    check_nbformat4(notebook)
    markdown, code = notebook["cells"]
    assert "".join(code["source"]) == "x = 1\nx"
    source = "".join(markdown["source"])
    assert "`cxpath.journeys.variants`" in source and "`the guide`" in source
    assert "```bash\npip install cxpath\n```" in source

