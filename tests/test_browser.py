"""The course in a real browser: the website (`make site`) and a learner's JupyterLab
session (`make lab`), in headless Chromium driven by Playwright.

Chromium is the system's (Debian: apt-get install chromium chromium-driver, which puts it
at /usr/bin/chromium); Playwright's own browser download is not used. Without it these
tests are skipped with that hint, so that a learner's `make test` needs no browser.
Screenshots land in build/screenshots/ for a person to look at."""

import contextlib
import functools
import http.server
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import nbformat
import pytest

from site_build import READING_ORDER, ROOT, SITE, make_site

CHROMIUM = pathlib.Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
# Headless Chromium as root, with no network: no sandbox (root), no GPU, and none of the
# background requests (updates, sync, QUIC probes) a fresh profile makes. Playwright adds
# --headless and a fresh --user-data-dir for every launch.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"
EXPECTED_EXERCISE_STOP = "not written yet"

MISSING = (f"the browser tests need Chromium at {CHROMIUM}, which is missing; install it with "
           f"`apt-get install chromium chromium-driver` (Debian), or point COURSE_CHROMIUM at one")
# CI sets COURSE_BROWSER_TESTS=required: there a missing Chromium fails instead of skipping.
REQUIRED = os.environ.get("COURSE_BROWSER_TESTS") == "required"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists() and not REQUIRED, reason=MISSING)]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"COURSE_BROWSER_TESTS=required, but {MISSING}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site():
    make_site()
    return SITE


class Watch:
    """What a page did that it should not: console errors, uncaught exceptions, failed
    requests, and requests to anything but `inside(url)`."""

    def __init__(self, page, inside):
        self.errors, self.failed, self.outside, self.requests = [], [], [], []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400
                and self.failed.append(f"{response.url} (HTTP {response.status})"))
        page.on("request", self._request)
        self.inside = inside

    def _request(self, request):
        self.requests.append(request.url)
        if not (request.url.startswith(("data:", "blob:", "about:")) or self.inside(request.url)):
            self.outside.append(request.url)


# Run in the page once it has loaded: waits for MathJax's first typesetting, then reports
# the math Sphinx marked (class "math") and whether MathJax typeset it, every expression
# MathJax could not typeset (with its TeX and MathJax's message), dollar signs left in the
# prose (math that was never recognised), and every image with its natural width.
PAGE_REPORT = """async () => {
  const mathjax = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise ? window.MathJax : null;
  if (mathjax) await mathjax.startup.promise;
  const math = [...document.querySelectorAll('.math')];
  const untypeset = math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.trim());
  const errors = [];
  if (mathjax && mathjax.startup.document) {
    for (const item of mathjax.startup.document.math) {
      const merror = item.typesetRoot && item.typesetRoot.querySelector('mjx-merror');
      if (merror) errors.push({tex: item.math, error: merror.getAttribute('data-mjx-error') || merror.textContent});
    }
  }
  const prose = [];
  const main = document.querySelector('main') || document.body;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('pre, code, script, style, .math, mjx-container, .highlight')) continue;
    prose.push(node.textContent);
  }
  const raw = (prose.join(' ').match(/\\$[^$\\n]+\\$|\\\\\\(|\\\\\\[/g) || []);
  const images = [...document.images].map(i => ({src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0}));
  return {math: math.length, typeset: document.querySelectorAll('mjx-container').length, untypeset, errors, raw, images};
}"""


def page_problems(name, report):
    """Sentences naming the page and what is wrong on it (empty: nothing)."""
    problems = [f"{name}: MathJax could not typeset {error['tex']!r}: {error['error']}" for error in report["errors"]]
    problems += [f"{name}: math left untypeset: {text!r}" for text in report["untypeset"]]
    problems += [f"{name}: raw math in the text: {text!r}" for text in report["raw"]]
    problems += [f"{name}: image not loaded: {image['src']}" for image in report["images"] if not image["loaded"]]
    return problems


def _page_name(url):
    return urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1] or "index.html"


@contextlib.contextmanager
def served(folder):
    """`folder` on a local HTTP server (127.0.0.1, a free port); yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def read_through(page, watch, start_url):
    """Opens `start_url` and follows the "next" links to the end, checking each page as it
    goes; returns (names in the order read, problems, pages' reports by name). Each
    page's "previous" link must lead back to the page before it."""
    names, problems, reports = [], [], {}
    page.goto(start_url)
    while True:
        name = _page_name(page.url)
        assert name not in names, f"the next links go round in a circle at {name}"
        report = page.evaluate(PAGE_REPORT)
        reports[name] = report
        problems += page_problems(name, report)
        previous = page.evaluate("document.querySelector('a.left-prev') && document.querySelector('a.left-prev').href")
        expected_previous = names[-1] if names else None
        if (_page_name(previous) if previous else None) != expected_previous:
            problems.append(f"{name}: its previous link leads to {previous}, not {expected_previous}")
        names.append(name)
        following = page.locator("a.right-next")
        if following.count() == 0:
            break
        following.first.click()
        page.wait_for_load_state("load")
    problems += [f"console: {error}" for error in watch.errors]
    problems += [f"request failed: {failure}" for failure in watch.failed]
    problems += [f"request outside the site: {url}" for url in watch.outside]
    return names, problems, reports


def search(page, start_url, words):
    """Types `words` into the site's search box on `start_url`; returns the result links."""
    page.goto(start_url)
    page.keyboard.press("Control+k")
    box = page.locator("input[name='q']:visible").first
    box.fill(words)
    box.press("Enter")
    page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
    return page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))")


def test_the_site_reads_through_in_order_typeset_with_every_figure_over_http(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with served(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        watch = Watch(page, inside=lambda url: url.startswith(base))
        names, problems, reports = read_through(page, watch, base + "index.html")
        assert names == READING_ORDER
        assert problems == []
        assert all(reports[name]["math"] > 0 and reports[name]["typeset"] >= reports[name]["math"]
                   for name in READING_ORDER[1:-1]), "every notebook page has typeset math"
        page.goto(base + "03_gru.html")
        page.evaluate(PAGE_REPORT)
        page.screenshot(path=str(SCREENSHOTS / "site-03_gru.png"))
        page.evaluate("document.getElementById('exercises').scrollIntoView()")
        page.screenshot(path=str(SCREENSHOTS / "site-03_gru-exercises.png"))
        results = search(page, base + "index.html", "reset gate")
        assert any(link.startswith("03_gru.html") for link in results), results
        assert watch.outside == [] and watch.errors == [], (watch.outside, watch.errors)
        page.close()
    images = sum(len(report["images"]) for report in reports.values())
    math = sum(report["typeset"] for report in reports.values())
    print(f"\n{len(names)} pages read in order, {images} images loaded, {math} expressions typeset")


def test_the_site_works_from_the_file_system(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    watch = Watch(page, inside=lambda url: url.startswith(site.as_uri() + "/"))
    names, problems, _reports = read_through(page, watch, (site / "index.html").as_uri())
    assert names == READING_ORDER
    assert problems == []
    results = search(page, (site / "index.html").as_uri(), "reset gate")
    assert any(link.startswith("03_gru.html") for link in results), results
    assert watch.outside == [] and watch.errors == [], (watch.outside, watch.errors)
    page.close()


def test_math_that_mathjax_cannot_typeset_is_reported_with_its_page_and_expression(browser, tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Bad math\n\nFine: $h_t = \\tanh(x_t W)$. Broken: $\\gatee_t$ and "
                                      "$\\frac{1}{2$.\n\n$$\n\\sigma(\\notacommand)\n$$"),
    ])
    path = tmp_path / "01_bad_math.ipynb"
    nbformat.write(notebook, str(path))
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), str(path), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    page = browser.new_page()
    page.goto((out / "01_bad_math.html").as_uri())
    problems = page_problems("01_bad_math.html", page.evaluate(PAGE_REPORT))
    page.close()
    # An unknown command is a typesetting error; an unbalanced brace keeps MathJax from
    # even finding the expression's end, so it stays as written. Both name page and TeX.
    assert sorted(problems) == sorted([
        "01_bad_math.html: MathJax could not typeset '\\\\gatee_t': Undefined control sequence \\gatee",
        "01_bad_math.html: MathJax could not typeset '\\\\sigma(\\\\notacommand)': "
        "Undefined control sequence \\notacommand",
        "01_bad_math.html: math left untypeset: '\\\\(\\\\frac{1}{2\\\\)'",
    ]), problems


# --- A learner's session in JupyterLab, started as `make lab` starts it -------------


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """`make lab` on a temporary practice folder, started in the background, with a fresh
    learner's JupyterLab settings and workspace, on a free port with a token."""

    def __init__(self, folder):
        self.folder, self.practice, self.token = folder, folder / "practice", "course-browser-test"
        self.base = f"http://127.0.0.1:{_free_port()}/"
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
               "JUPYTERLAB_SETTINGS_DIR": str(folder / "user-settings"),
               "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces")}
        port = urllib.parse.urlsplit(self.base).port
        args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={self.token}"
        self.log_path = folder / "make-lab.log"
        with open(self.log_path, "w") as log:  # a file: the server's log cannot fill a pipe and block it
            self.server = subprocess.Popen(
                ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}", f"PRACTICE={self.practice}"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_ready(self, seconds=120):
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}api/status?token={self.token}", timeout=5):
                    return
            except OSError:
                assert self.server.poll() is None, f"make lab stopped:\n{self.log_path.read_text()[-3000:]}"
                assert time.monotonic() < deadline, \
                    f"JupyterLab did not answer in {seconds} s:\n{self.log_path.read_text()[-3000:]}"
                time.sleep(0.5)

    def stop(self):
        os.killpg(self.server.pid, signal.SIGTERM)
        self.server.wait(timeout=30)


@pytest.fixture(scope="module", autouse=True)
def lab(tmp_path_factory, browser):  # the browser first: without one, nothing is started
    """The learner's JupyterLab, started once the site is built (both run `make`, which
    checks .venv) and while the site's pages are read, so that its start-up overlaps them."""
    make_site()
    lab = Lab(tmp_path_factory.mktemp("lab"))
    yield lab
    lab.stop()


# Done when a cell has run, none is queued or running ([*]), and the kernel is idle.
RUN_FINISHED = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return prompts.some(text => /\\[\\d+\\]/.test(text)) && !prompts.some(text => text.includes('*'))
    && indicator !== null && indicator.dataset.status === 'idle';
}"""
RUN_STARTED = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
  .some(e => /\\[(\\d+|\\*)\\]/.test(e.textContent))"""


def test_a_learner_runs_the_first_notebook_in_jupyterlab(browser, lab):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    lab.wait_until_ready()
    base, token = lab.base, lab.token
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(90_000)
    watch = Watch(page, inside=lambda url: url.startswith((base, base.replace("http:", "ws:"))))
    page.goto(f"{base}lab/tree/01_rnn.ipynb?token={token}")
    try:
        # What a learner does: wait for the kernel, click into the notebook, Run > Run All Cells.
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-editor").first.click()
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item", has_text=re.compile(r"^Run All Cells")).first.click()
        page.wait_for_function(RUN_STARTED, timeout=30_000)
        started = time.monotonic()
        page.wait_for_function(RUN_FINISHED, timeout=240_000, polling=500)
        seconds = time.monotonic() - started
    except Exception:
        page.screenshot(path=str(SCREENSHOTS / "lab-01_rnn-failed.png"))
        raise

    prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt", "e => e.map(p => p.textContent)")
    errors = page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", "e => e.map(o => o.textContent)")
    figure = page.locator(".jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    figure_width = figure.evaluate("img => img.complete ? img.naturalWidth : 0")
    page.screenshot(path=str(SCREENSHOTS / "lab-01_rnn-figure.png"))
    if errors:
        stop = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").last
        stop.scroll_into_view_if_needed()
        # JupyterLab draws the cells around a scroll position a moment after it moves there.
        stop.wait_for(state="visible")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / "lab-01_rnn-exercise.png"))
    news_prompts = page.get_by_text("official Jupyter news").count()
    with urllib.request.urlopen(f"{base}lab/api/settings/@jupyterlab/apputils-extension:notification"
                                f"?token={token}", timeout=10) as response:
        # The course's overrides become the defaults of the settings' schema.
        schema = json.load(response)["schema"]["properties"]
        notification = {name: schema[name]["default"] for name in ("fetchNews", "checkForUpdates")}
    page.close()

    ran = sum(bool(re.search(r"\[\d+\]", text)) for text in prompts)
    assert ran > 1, f"only {ran} cell ran"
    unexpected = [error for error in errors if EXPECTED_EXERCISE_STOP not in error]
    assert unexpected == [], f"errors other than the exercise's '{EXPECTED_EXERCISE_STOP}': {unexpected}"
    assert len(errors) == 1, "the run stops at the first unwritten exercise"
    assert figure_width > 0, "the first figure is displayed"
    assert news_prompts == 0, "JupyterLab asked about Jupyter news"
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False, notification
    assert [url for url in watch.requests if re.search(r"/lab/api/(news|update)", url)] == []
    assert watch.outside == [], f"the page reached outside the local server: {watch.outside}"
    print(f"\n01_rnn.ipynb: {ran} cells ran in {seconds:.0f} s up to the first exercise; "
          f"screenshots in {SCREENSHOTS.relative_to(ROOT)}/")
