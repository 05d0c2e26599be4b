"""Builds the course's static website from the notebooks' stored outputs (`make site`).

    python tools/site.py                          # notebooks/*.ipynb -> build/site/
    python tools/site.py NB.ipynb ... --out DIR   # other notebooks, another folder

Nothing is executed: nbval already guarantees that the stored outputs are current. The
notebooks are checked first, and the build stops, naming the notebook and the cell, when
one has an error output, a code cell that was not executed (or was run out of order after
the others), or a missing image. They are then staged in build/site-src/ (the notebooks in
notebooks/ are never changed): the home page is the README's introduction, each notebook
becomes a page in course order with the exercises' worked solutions behind a "Show
solution" toggle and their hidden tests left out, and the instructors' guide closes the
course. Sphinx (docs/site/conf.py) then writes the pages into build/site/.
"""

import argparse
import base64
import binascii
import json
import pathlib
import re
import shutil
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "docs" / "site"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SHOW_SOLUTION, HIDE_SOLUTION = "Show solution", "Hide solution"
# What matplotlib prints for a figure whose picture is missing from the output.
_FIGURE_WITHOUT_IMAGE = re.compile(r"^<Figure size [\d.]+x[\d.]+ with \d+ Axes>$")
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_IMAGE_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/gif": b"GIF8"}


class SiteError(Exception):
    """A notebook the site cannot be built from; the message names the notebook and cells."""


def _source(cell):
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _text(value):
    return value if isinstance(value, str) else "".join(value)


def _where(path, index, cell):
    first_line = next((line.strip() for line in _source(cell).splitlines() if line.strip()), "(empty)")
    if len(first_line) > 60:
        first_line = first_line[:57] + "..."
    cell_id = f", id {cell['id']}" if cell.get("id") else ""
    return f"{path}, cell {index} ({cell['cell_type']}{cell_id}: {first_line!r})"


def _image_problem(mime, data):
    """Why the image output `data` of type `mime` cannot be shown, or None."""
    if mime == "image/svg+xml":
        return None if "<svg" in _text(data) else "the SVG image holds no <svg> element"
    try:
        raw = base64.b64decode(_text(data), validate=False)
    except (binascii.Error, ValueError):
        return f"the {mime} image is not valid base64"
    if not raw:
        return f"the {mime} image is empty"
    signature = _IMAGE_SIGNATURES.get(mime)
    if signature and not raw.startswith(signature):
        return f"the {mime} image is not a {mime.split('/')[1].upper()} file"
    return None


def notebook_problems(path):
    """What keeps the notebook at `path` from being published as stored: a list of
    sentences, each naming the notebook and the cell (empty: nothing)."""
    path = pathlib.Path(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [f"{path}: not a readable notebook ({error})"]
    problems, last_count = [], 0
    for index, cell in enumerate(cells):
        where = _where(path, index, cell)
        if cell.get("cell_type") == "markdown":
            text = _source(cell)
            for target in _MARKDOWN_IMAGE.findall(text) + _HTML_IMAGE.findall(text):
                if target.startswith("attachment:"):
                    if target[len("attachment:"):] not in cell.get("attachments", {}):
                        problems.append(f"{where}: missing image: no attachment named {target[11:]!r}")
                elif re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                    problems.append(f"{where}: image {target!r} is not in the course (the site loads "
                                    f"nothing from outside); put it in the notebook or the repository")
                elif not (path.parent / target.split("#")[0]).is_file():
                    problems.append(f"{where}: missing image: {target} (looked for {path.parent / target})")
            continue
        if cell.get("cell_type") != "code" or not _source(cell).strip():
            continue
        count = cell.get("execution_count")
        if count is None:
            problems.append(f"{where}: not executed (no execution count): run the notebook from the top "
                            f"and store its outputs (make refresh NB={path})")
        elif count <= last_count:
            problems.append(f"{where}: stale: executed as [{count}] after a cell executed as [{last_count}]; "
                            f"run the notebook from the top and store its outputs (make refresh NB={path})")
        last_count = count if count is not None else last_count
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                problems.append(f"{where}: error output: {output.get('ename', '?')}: {output.get('evalue', '')}")
                continue
            data = output.get("data", {})
            for mime, value in data.items():
                if mime.startswith("image/"):
                    problem = _image_problem(mime, value)
                    if problem:
                        problems.append(f"{where}: missing image: {problem}")
            plain = _text(data.get("text/plain", "")).strip()
            if (kind in ("display_data", "execute_result") and _FIGURE_WITHOUT_IMAGE.match(plain)
                    and not any(mime.startswith("image/") for mime in data)):
                problems.append(f"{where}: missing image: the output is {plain!r} with no picture of it")
    return problems


def _without_hidden_tests(source):
    kept, inside = [], False
    for line in source.splitlines(keepends=True):
        stripped = line.strip()
        if stripped == BEGIN_HIDDEN:
            inside = True
        elif stripped == END_HIDDEN:
            inside = False
        elif not inside:
            kept.append(line)
    return "".join(kept).rstrip("\n")


def staged_notebook(notebook):
    """The page's version of a notebook (a dict, changed in place): each exercise's worked
    solution behind a "Show solution" toggle, hidden tests left out of the check cells."""
    for cell in notebook["cells"]:
        grading = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code":
            continue
        if grading.get("solution"):
            tags = cell["metadata"].setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
            cell["metadata"]["mystnb"] = {"code_prompt_show": SHOW_SOLUTION, "code_prompt_hide": HIDE_SOLUTION}
        if BEGIN_HIDDEN in _source(cell):
            cell["source"] = _without_hidden_tests(_source(cell))
    return notebook


def readme_introduction(readme_text):
    """The README from its title up to its first second-level heading."""
    lines = []
    for line in readme_text.splitlines():
        if line.startswith("## "):
            break
        lines.append(line)
    return "\n".join(lines).strip() + "\n"


def _home_page(readme_text, stems, with_guide):
    parts = [readme_introduction(readme_text),
             "The pages below are the course's notebooks with their stored outputs. To run them "
             "yourself, clone the course and type `make lab`; the README says more.\n",
             "```{toctree}\n:caption: The course\n:maxdepth: 1\n\n" + "\n".join(stems) + "\n```\n"]
    if with_guide:
        parts.append("```{toctree}\n:caption: For instructors\n:maxdepth: 1\n\ninstructors\n```\n")
    return "\n".join(parts)


def stage(notebooks, source_dir, readme=ROOT / "README.md", guide=ROOT / "docs" / "instructors.md"):
    """Writes the site's sources into `source_dir` (emptied first)."""
    source_dir = pathlib.Path(source_dir)
    if source_dir.exists():
        shutil.rmtree(source_dir)
    source_dir.mkdir(parents=True)
    stems = []
    for path in notebooks:
        notebook = staged_notebook(json.loads(pathlib.Path(path).read_text(encoding="utf-8")))
        (source_dir / path.name).write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
        stems.append(path.stem)
    with_guide = guide is not None and pathlib.Path(guide).is_file()
    if with_guide:
        shutil.copy(guide, source_dir / "instructors.md")
    (source_dir / "index.md").write_text(_home_page(pathlib.Path(readme).read_text(encoding="utf-8"), stems,
                                                    with_guide), encoding="utf-8")
    return source_dir


def build(notebooks, out_dir, source_dir, quiet=True):
    """Checks, stages and builds the site; raises SiteError naming every bad notebook cell."""
    notebooks = [pathlib.Path(path) for path in notebooks]
    if not notebooks:
        raise SiteError("no notebooks given")
    problems = [problem for path in notebooks for problem in notebook_problems(path)]
    if problems:
        raise SiteError("the site is built from the notebooks' stored outputs, and these cannot be "
                        "published as they are:\n  " + "\n  ".join(problems))
    stage(notebooks, source_dir)
    from sphinx.cmd.build import build_main

    # Sphinx writes the pages into the staging folder, beside the notebooks' extracted
    # images (myst-nb puts those in a jupyter_execute/ folder next to its output), and the
    # finished site is moved to out_dir.
    source_dir, out_dir = pathlib.Path(source_dir), pathlib.Path(out_dir)
    html = source_dir / "_build" / "html"
    args = ["-b", "html", "-c", str(CONF_DIR), "-d", str(source_dir / "_build" / "doctrees"),
            "-W", "--keep-going", "-n"] + (["-q"] if quiet else [])
    status = build_main(args + [str(source_dir), str(html)])
    if status:
        raise SiteError(f"Sphinx stopped with status {status} (its warnings are above)")
    # Not part of the site: the theme's source maps (for its developers' debugger) and its
    # translations (used while building).
    for path in html.glob("_static/**/*.map"):
        path.unlink()
    shutil.rmtree(html / "_static" / "locales", ignore_errors=True)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(html), str(out_dir))
    return out_dir


def folder_size(folder):
    return sum(path.stat().st_size for path in pathlib.Path(folder).rglob("*") if path.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/site.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="the course's notebooks, in order (default: notebooks/*.ipynb)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "build" / "site")
    parser.add_argument("--stage", type=pathlib.Path, default=None,
                        help="where the sources are staged (default: OUT-src beside OUT)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    source_dir = args.stage or args.out.with_name(args.out.name + "-src")
    started = time.monotonic()
    try:
        build(notebooks, args.out, source_dir, quiet=not args.verbose)
    except SiteError as error:
        print(f"make site: {error}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    print(f"{args.out}/index.html: {len(notebooks)} notebooks, {folder_size(args.out) / 2**20:.1f} MiB, "
          f"built in {seconds:.0f} s; open it in a browser (it needs no server and no network)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
