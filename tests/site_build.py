"""What the tests of the course's website share: `make site` run once per test session
(into build/site/, where a person can open it afterwards), and tools/site.py imported."""

import functools
import importlib.util
import json
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
    """Runs `make site` once per test run; returns (seconds, its output). Fails the caller
    if it fails. `make test` runs test files in two processes (pytest-xdist), so the site
    and browser tests may ask at the same time: the first builds under a file lock and
    records its result for the run, the other waits and reads it."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"process-{os.getpid()}")
    record = ROOT / "build" / "site-build.json"
    record.parent.mkdir(exist_ok=True)
    with open(ROOT / "build" / "site-build.lock", "a") as lock:
        try:
            import fcntl
        except ImportError:  # Windows: no second process to wait for without xdist
            fcntl = None
        if fcntl:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if record.exists():
            built = json.loads(record.read_text())
            if built.get("run") == run and built.get("returncode") == 0:
                return built["seconds"], built["output"]
        started = time.monotonic()
        result = subprocess.run(["make", "--no-print-directory", "site"], cwd=ROOT, env=os.environ.copy(),
                                capture_output=True, text=True, timeout=300)
        seconds = time.monotonic() - started
        output = result.stdout + result.stderr
        record.write_text(json.dumps({"run": run, "returncode": result.returncode, "seconds": seconds,
                                      "output": output}))
    assert result.returncode == 0, f"make site failed:\n{output[-3000:]}"
    return seconds, output
