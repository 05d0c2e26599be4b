"""Prints how long each notebook took, summed over its cells, at the end of a run."""

from collections import defaultdict

_notebook_seconds = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook durations (budget: 45 s each on 2 cores)")
    for path, seconds in sorted(_notebook_seconds.items()):
        flag = "" if seconds <= 45 else "   OVER BUDGET"
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}{flag}")
