"""Runs `mlus notebook` on a percent-format script and checks the reports: the `.ipynb` is nbformat 4
JSON with the cells' inputs, outputs, errors and an embedded PNG; the Markdown report links the image;
a failing cell stops the run unless --allow-errors."""
import base64
import json
import os
import signal
import struct
import subprocess
import tempfile
import time
import zlib

from repl_support import MLUS, ROOT, run_tests

SCHEMA = os.path.join(ROOT, "Tests", "NotebookTests", "Fixtures", "nbformat.v4.5.schema.json")

NOTEBOOK = """# %% [markdown]
# # A small notebook
#
# Prose is copied as it is.

# %%
values = [1, 2, 3]
print("sum", sum(values))

# %% Second cell
total = sum(values) * 2
total

# %%
display_image("dot.png")

# %%
undefined_name + 1

# %%
print("after the error")
"""


def tiny_png():
    """A valid 1x1 PNG, made with zlib so the test needs no image library."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def make_folder():
    folder = tempfile.mkdtemp(prefix="mlus-notebook-")
    with open(os.path.join(folder, "nb.mlus"), "w") as handle:
        handle.write(NOTEBOOK)
    with open(os.path.join(folder, "dot.png"), "wb") as handle:
        handle.write(tiny_png())
    return folder


def notebook(folder, *args):
    return subprocess.run([MLUS, "notebook", "nb.mlus", *args], capture_output=True, text=True, timeout=60,
                          cwd=folder)


def validate_against_schema(book):
    """Validates with nbformat's own JSON schema when `jsonschema` is installed."""
    try:
        import jsonschema
    except ImportError:
        print("    (jsonschema not installed: nbformat schema validation skipped, field checks only)")
        return
    with open(SCHEMA) as handle:
        jsonschema.validate(book, json.load(handle))


def outputs_of(cell):
    return [output["output_type"] for output in cell["outputs"]]


def test_ipynb_stops_at_first_error():
    folder = make_folder()
    result = notebook(folder, "--to", "report.ipynb")
    assert result.returncode == 1, (result.returncode, result.stderr)
    with open(os.path.join(folder, "report.ipynb")) as handle:
        book = json.load(handle)
    validate_against_schema(book)
    assert book["nbformat"] == 4 and book["nbformat_minor"] >= 4, book.keys()
    assert isinstance(book["metadata"], dict)
    cells = book["cells"]
    assert [c["cell_type"] for c in cells] == ["markdown", "code", "code", "code", "code", "code"]
    for cell in cells:
        assert set(cell) >= {"cell_type", "metadata", "source"}, cell
        if cell["cell_type"] == "code":
            assert set(cell) >= {"execution_count", "outputs"}, cell
    assert "".join(cells[0]["source"]).startswith("# A small notebook"), cells[0]
    assert cells[1]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": ["sum 6\n"]}], cells[1]
    assert cells[2]["outputs"][0]["output_type"] == "execute_result"
    assert cells[2]["outputs"][0]["data"]["text/plain"] == ["12"], cells[2]
    assert cells[2]["execution_count"] == 2
    image = cells[3]["outputs"][0]
    assert image["output_type"] == "display_data", image
    assert base64.b64decode(image["data"]["image/png"]) == tiny_png()
    error = cells[4]["outputs"][0]
    assert error["output_type"] == "error" and error["ename"] == "NameError", error
    assert any("undefined_name" in line for line in error["traceback"]), error
    # The run stopped: the last cell is in the report but did not run.
    assert cells[5]["outputs"] == [] and cells[5]["execution_count"] is None, cells[5]


def test_allow_errors_runs_every_cell_and_markdown_links_image():
    folder = make_folder()
    result = notebook(folder, "--to", "out/report.md", "--allow-errors")
    assert result.returncode == 0, (result.returncode, result.stderr)
    with open(os.path.join(folder, "out", "report.md")) as handle:
        text = handle.read()
    assert text.startswith("# A small notebook"), text[:200]
    assert "```python\nvalues = [1, 2, 3]" in text, text
    assert "sum 6" in text and "**Out[2]:**" in text and "NameError" in text, text
    assert "after the error" in text, text
    link = text.split("![dot.png](")[1].split(")")[0]
    assert os.path.exists(os.path.join(folder, "out", link)), link


def test_interrupt_stops_the_run_and_keeps_the_report():
    folder = tempfile.mkdtemp(prefix="mlus-notebook-")
    with open(os.path.join(folder, "loop.mlus"), "w") as handle:
        handle.write("# %%\nprint('before')\n\n# %%\nwhile True:\n    pass\n\n# %%\nprint('never')\n")
    process = subprocess.Popen([MLUS, "notebook", "loop.mlus", "--to", "loop.ipynb"], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1, (process.returncode, stderr)
    with open(os.path.join(folder, "loop.ipynb")) as handle:
        cells = json.load(handle)["cells"]
    assert cells[0]["outputs"][0]["text"] == ["before\n"], cells[0]
    assert cells[1]["outputs"][0]["ename"] == "KeyboardInterrupt", cells[1]
    assert cells[2]["outputs"] == [], cells[2]


def test_bad_report_name_is_an_error():
    folder = make_folder()
    result = notebook(folder, "--to", "report.txt")
    assert result.returncode != 0
    assert ".md or .ipynb" in result.stderr, result.stderr


if __name__ == "__main__":
    run_tests([test_ipynb_stops_at_first_error, test_allow_errors_runs_every_cell_and_markdown_links_image,
               test_interrupt_stops_the_run_and_keeps_the_report, test_bad_report_name_is_an_error])
