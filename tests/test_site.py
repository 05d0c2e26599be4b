"""`make site`: the course as a static website built from the notebooks' stored outputs.

The quick tests check what stops a build (an error output, an unexecuted or stale cell, a
missing image: each named with its notebook and cell) and how a notebook is staged for
its page. The slow ones run `make site` and read what it wrote; tests/test_browser.py
opens the same pages in Chromium."""

import base64
import hashlib
import html.parser
import json
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest

from site_build import NOTEBOOK_PAGES, READING_ORDER, ROOT, SITE, make_site, site_tool

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
site = site_tool()
# A 1x1 PNG: what a figure output holds, in small.
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


def _notebook(tmp_path, cells, name="01_bad.ipynb"):
    """A small executed notebook: `cells` are nbformat cells, written to tmp_path/name."""
    notebook = nbformat.v4.new_notebook(cells=cells)
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.execution_count is None and not cell.metadata.get("unrun"):
            count += 1
            cell.execution_count = count
        cell.metadata.pop("unrun", None)
    path = tmp_path / name
    nbformat.write(notebook, str(path))
    return path


def _code(source, outputs=(), **metadata):
    cell = nbformat.v4.new_code_cell(source, outputs=list(outputs))
    cell.metadata.update(metadata)
    return cell


def _figure(png=PIXEL):
    return nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure size 640x480 with 1 Axes>"})


def test_the_course_notebooks_can_be_published_as_stored():
    assert [problem for path in NOTEBOOKS for problem in site.notebook_problems(path)] == []


def test_a_good_notebook_has_no_problem(tmp_path):
    (tmp_path / "diagram.png").write_bytes(base64.b64decode(PIXEL))
    path = _notebook(tmp_path, [nbformat.v4.new_markdown_cell("# Title\n\n$x_t$ and ![a diagram](diagram.png)"),
                                _code("print(1)", [nbformat.v4.new_output("stream", name="stdout", text="1\n")]),
                                _code("plot()", [_figure()])])
    assert site.notebook_problems(path) == []


@pytest.mark.parametrize("cells, expected", [
    ([_code("x = 1"), _code("1 / 0", [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                                              evalue="division by zero", traceback=[])])],
     r"cell 1 \(code, id \w+: '1 / 0'\): error output: ZeroDivisionError: division by zero"),
    ([_code("x = 1"), _code("y = 2", unrun=True)],
     r"cell 1 \(code, id \w+: 'y = 2'\): not executed"),
    ([nbformat.v4.new_markdown_cell("See ![the diagram](figures/gone.png).")],
     r"cell 0 \(markdown, id \w+: 'See !\[the diagram\]\(figures/gone.png\).'\): missing image: figures/gone.png"),
    ([nbformat.v4.new_markdown_cell('<img src="gone.svg" width="300">')],
     r"cell 0 \(markdown.*\): missing image: gone.svg"),
    ([nbformat.v4.new_markdown_cell("![pasted](attachment:image.png)")],
     r"cell 0 \(markdown.*\): missing image: no attachment named 'image.png'"),
    ([_code("plot()", [_figure(png="")])],
     r"cell 0 \(code, id \w+: 'plot\(\)'\): missing image: the image/png image is empty"),
    ([_code("plot()", [_figure(png=base64.b64encode(b"not a picture").decode())])],
     r"cell 0 \(code.*\): missing image: the image/png image is not a PNG file"),
    ([_code("plot()", [nbformat.v4.new_output("display_data",
                                              data={"text/plain": "<Figure size 640x480 with 2 Axes>"})])],
     r"cell 0 \(code.*\): missing image: the output is '<Figure size 640x480 with 2 Axes>' with no picture"),
    ([nbformat.v4.new_markdown_cell("![a plot](https://example.org/plot.png)")],
     r"cell 0 \(markdown.*\): image 'https://example.org/plot.png' is not in the course"),
], ids=["error-output", "unexecuted", "markdown-image", "html-image", "attachment", "empty-png",
        "not-a-png", "figure-without-picture", "outside-image"])
def test_what_stops_a_build_is_named_with_its_notebook_and_cell(tmp_path, cells, expected):
    path = _notebook(tmp_path, cells)
    problems = site.notebook_problems(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}, cell "), problems
    assert re.search(expected, problems[0]), problems


def test_a_cell_run_again_after_the_cells_below_it_is_stale(tmp_path):
    path = _notebook(tmp_path, [_code("x = 1"), _code("y = x + 1"), _code("z = y")])
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells[1].execution_count = 7  # run again, after the third cell ([3])
    notebook.cells[2].execution_count = 3
    nbformat.write(notebook, str(path))
    problems = site.notebook_problems(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}, cell 2 (code"), problems
    assert "stale: executed as [3] after a cell executed as [7]" in problems[0]


def _good_and_bad(tmp_path):
    good = tmp_path / "01_good.ipynb"
    good.write_bytes(NOTEBOOKS[0].read_bytes())
    bad = _notebook(tmp_path, [_code("x = 1"), _code("raise ValueError('boom')", [nbformat.v4.new_output(
        "error", ename="ValueError", evalue="boom", traceback=[])])], name="02_bad.ipynb")
    return good, bad, tmp_path / "site"


def test_the_site_tool_stops_at_a_bad_notebook_before_building_anything(tmp_path):
    good, bad, out = _good_and_bad(tmp_path)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), str(good), str(bad), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("make site: the site is built from the notebooks' stored outputs")
    assert f"{bad}, cell 1 (code" in result.stderr and "error output: ValueError: boom" in result.stderr, result.stderr
    assert str(good) not in result.stderr, "only the bad notebook is named"
    assert not out.exists() and not (tmp_path / "site-src").exists(), "nothing is staged or built"


@pytest.mark.slow  # make checks .venv first
def test_make_site_stops_at_a_bad_notebook_and_names_it_and_its_cell(tmp_path):
    good, bad, out = _good_and_bad(tmp_path)
    result = subprocess.run(["make", "--no-print-directory", "site", f"NOTEBOOKS={good} {bad}", f"SITE={out}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"{bad}, cell 1 (code" in result.stderr and "error output: ValueError: boom" in result.stderr, result.stderr
    assert str(good) not in result.stderr, "only the bad notebook is named"
    assert not out.exists(), "nothing is built"


def test_a_solution_sits_behind_a_show_solution_toggle_and_hidden_tests_are_left_out():
    source = nbformat.read(str(ROOT / "notebooks" / "01_rnn.ipynb"), as_version=4)
    staged = site.staged_notebook(json.loads(nbformat.writes(source)))
    solutions = [i for i, cell in enumerate(source.cells) if cell.metadata.get("nbgrader", {}).get("solution")]
    assert solutions
    for index in solutions:
        metadata = staged["cells"][index]["metadata"]
        assert "hide-input" in metadata["tags"]
        assert metadata["mystnb"]["code_prompt_show"] == "Show solution"
    staged_text = "".join("".join(cell["source"]) for cell in staged["cells"])
    assert site.BEGIN_HIDDEN in nbformat.writes(source) and site.BEGIN_HIDDEN not in staged_text
    checks = [cell for cell in staged["cells"] if cell["metadata"].get("nbgrader", {}).get("grade")]
    assert checks and all(re.search(r"^check_\w+\(", "".join(cell["source"]), re.MULTILINE) for cell in checks), \
        "the visible check call stays"


def test_the_home_page_is_the_readmes_introduction():
    introduction = site.readme_introduction((ROOT / "README.md").read_text())
    assert introduction.startswith("# ")
    assert "## " not in introduction
    assert len(introduction.split()) > 30


# --- The built site (slow: runs Sphinx) ---------------------------------------------


class _Links(html.parser.HTMLParser):
    """Every src and href in a page, and the attributes of its <img>, <script> and <link>."""

    def __init__(self):
        super().__init__()
        self.resources, self.images = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src"))


def _digests(paths):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@pytest.fixture(scope="module")
def built_site():
    before = _digests(NOTEBOOKS)
    seconds, output = make_site()
    return {"seconds": seconds, "output": output, "notebooks_before": before}


@pytest.mark.slow
def test_make_site_builds_every_page_in_under_a_minute(built_site):
    assert built_site["seconds"] < 60, f"make site took {built_site['seconds']:.0f} s (budget: 60 s)"
    for page in READING_ORDER + ["search.html", "searchindex.js", "_static/mathjax/tex-chtml.js"]:
        assert (SITE / page).is_file(), page
    assert _digests(NOTEBOOKS) == built_site["notebooks_before"], "notebooks/ is never changed"
    size = site.folder_size(SITE) / 2**20
    assert size < 20, f"the site is {size:.1f} MiB; the README states about 11 MiB"


@pytest.mark.slow
def test_the_pages_load_nothing_from_outside_and_show_every_figure(built_site):
    for page in READING_ORDER:
        links = _Links()
        links.feed((SITE / page).read_text(encoding="utf-8"))
        outside = [url for url in links.resources if re.match(r"^([a-z]+:)?//", url, re.IGNORECASE)]
        assert outside == [], f"{page} loads {outside}"
        for src in links.images:
            assert (SITE / src).is_file(), f"{page}: image {src} is not in the site"
    stored_figures = sum(1 for path in NOTEBOOKS for cell in nbformat.read(str(path), 4).cells
                         for output in cell.get("outputs", []) if "image/png" in output.get("data", {}))
    shown = 0
    for page in NOTEBOOK_PAGES:
        links = _Links()
        links.feed((SITE / page).read_text(encoding="utf-8"))
        shown += len(links.images)
    assert shown == stored_figures
    for stylesheet in SITE.glob("_static/**/*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^)'\"]+)", stylesheet.read_text(encoding="utf-8", errors="replace"))
        assert not [url for url in urls if re.match(r"^(https?:)?//", url)], f"{stylesheet} loads from outside"


@pytest.mark.slow
def test_solutions_are_behind_the_toggle_not_printed_in_the_page(built_site):
    for path in NOTEBOOKS:
        notebook = nbformat.read(str(path), as_version=4)
        solutions = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
        page = (SITE / f"{path.stem}.html").read_text(encoding="utf-8")
        toggles = re.findall(r'<details class="[^"]*hide above-input">\s*<summary[^>]*>\s*'
                             r'<p class="collapsed admonition-title">Show solution</p>', page)
        assert len(toggles) == len(solutions), path.name
        assert site.BEGIN_HIDDEN not in page, f"{path.name} shows hidden tests"
        # Each worked solution is shown once, inside its <details> element.
        shown = [match.start() for match in re.finditer("### BEGIN SOLUTION", page)]
        assert len(shown) == sum(cell.source.count("### BEGIN SOLUTION") for cell in solutions), path.name
        for start in shown:
            assert page.rfind("<details", 0, start) > page.rfind("</details>", 0, start), \
                f"{path.name}: a solution is printed outside its toggle"
