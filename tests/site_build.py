"""What the tests of the course's website share: `make site` run once per test session
(into build/site/, where a person can open it afterwards), and tools/site.py imported."""

import functools
import importlib.util
import os
import pathlib
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "site"
# The pages in reading order: the home page, the notebooks, the instructors' guide.
NOTEBOOK_PAGES = [f"{path.stem}.html" for path in sorted((ROOT / "notebooks").glob("*.ipynb"))]
READING_ORDER = ["index.html", *NOTEBOOK_PAGES, "instructors.html"]


def site_tool():
    """tools/site.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def make_site():
    """Runs `make site` once; returns (seconds, its output). Fails the caller if it fails."""
    started = time.monotonic()
    result = subprocess.run(["make", "--no-print-directory", "site"], cwd=ROOT, env=os.environ.copy(),
                            capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"make site failed:\n{output[-3000:]}"
    return seconds, output
