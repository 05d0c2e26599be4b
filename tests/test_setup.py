"""Setting up on a learner's machine: `make` picks a supported Python or stops with one
clear message before installing anything, repairs a .venv made by another interpreter or
left half-installed, lists its targets; and the README's commands for a machine without
make, run as written, install the course and pass the unit tests."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from notebook_runs import ROOT

MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="make is not installed")

# A stand-in for a Python interpreter: it answers version questions with its own version,
# makes a stand-in virtual environment for `-m venv DIR`, and logs every other call
# (pip installs, pytest) instead of running it, so the tests see what make would do.
FAKE_PYTHON = """#!/bin/sh
echo "$0 $*" >> "{log}"
case "$1" in
    -c) echo "{version}" ;;
    -m) if [ "$2" = venv ]; then
            mkdir -p "$3/bin"
            cp "$0" "$3/bin/python"
        fi ;;
esac
"""


def _fake_python(folder, name, version, log):
    path = folder / name
    path.write_text(FAKE_PYTHON.format(version=version, log=log))
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path):
    """A copy of what make reads (Makefile, tools/, jupyterlab/, pyproject.toml,
    requirements.txt, the notebooks), a folder for stand-in interpreters first on a PATH without any real
    Python, and the log they write."""
    copy = tmp_path / "course"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "tools", copy / "tools")
    shutil.copytree(ROOT / "jupyterlab", copy / "jupyterlab")
    shutil.copytree(ROOT / "notebooks", copy / "notebooks")
    fakes = tmp_path / "bin"
    fakes.mkdir()
    # Only the system tools make and the script need, never a real python3.
    for tool in ("sh", "sed", "rm", "mkdir", "cp", "touch", "cat", "awk", "id", "printf", "env"):
        found = shutil.which(tool)
        if found:
            os.symlink(found, fakes / tool)
    return copy, fakes, tmp_path / "calls.log"


def _make(project, *args):
    copy, fakes, _log = project
    env = {"PATH": str(fakes), "HOME": str(copy)}
    return subprocess.run([MAKE, "--no-print-directory", *args], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=60)


def _calls(log):
    return log.read_text().splitlines() if log.exists() else []


@needs_make
@pytest.mark.parametrize("target", ["lab", "test"])
def test_a_python3_too_new_is_passed_over_for_a_supported_one(project, target):
    _copy, fakes, log = project
    _fake_python(fakes, "python3", "3.14", log)
    chosen = _fake_python(fakes, "python3.12", "3.12", log)
    result = _make(project, target)
    assert "python3 is Python 3.14, outside 3.11 to 3.13; using python3.12" in result.stderr
    creations = [call for call in _calls(log) if " -m venv " in call]
    assert creations == [f"{chosen} -m venv .venv"], _calls(log)
    assert any(".venv/bin/python -m pip install" in call for call in _calls(log))


@needs_make
@pytest.mark.parametrize("target", ["lab", "test", "install"])
def test_without_a_supported_python_make_stops_before_installing_anything(project, target):
    copy, fakes, log = project
    _fake_python(fakes, "python3", "3.14", log)
    _fake_python(fakes, "python3.9", "3.9", log)
    result = _make(project, target)
    assert result.returncode != 0
    message = result.stderr
    assert "python3 is Python 3.14, and this course needs Python 3.11 to 3.13" in message
    assert "none of python3.13 python3.12 python3.11 is on the PATH" in message
    assert "make lab PYTHON=/path/to/python3.13" in message
    assert not (copy / ".venv").exists()
    assert not any(" -m venv" in call or "pip" in call for call in _calls(log))


@needs_make
def test_an_unsupported_python_named_by_the_learner_is_refused(project):
    copy, fakes, log = project
    _fake_python(fakes, "python3", "3.12", log)
    named = _fake_python(fakes, "python-latest", "3.14", log)
    result = _make(project, "lab", f"PYTHON={named}")
    assert result.returncode != 0
    assert f"PYTHON={named} is Python 3.14; this course needs Python 3.11 to 3.13" in result.stderr
    assert not (copy / ".venv").exists()


@needs_make
def test_a_named_supported_python_is_used(project):
    _copy, fakes, log = project
    _fake_python(fakes, "python3", "3.11", log)
    named = _fake_python(fakes, "my-python", "3.13", log)
    result = _make(project, "install", f"PYTHON={named}")
    assert result.returncode == 0, result.stderr
    assert [call for call in _calls(log) if " -m venv " in call] == [f"{named} -m venv .venv"]


def _existing_venv(copy, fakes, log, version, stamped=True):
    (copy / ".venv" / "bin").mkdir(parents=True)
    _fake_python(copy / ".venv" / "bin", "python", version, log)
    (copy / ".venv" / "marker").write_text("made before")
    if stamped:
        (copy / ".venv" / ".installed").touch()


@needs_make
def test_a_venv_made_by_an_unsupported_python_is_detected_and_rebuilt(project):
    copy, fakes, log = project
    _fake_python(fakes, "python3", "3.12", log)
    _existing_venv(copy, fakes, log, "3.14")
    result = _make(project, "install")
    assert result.returncode == 0, result.stderr
    assert "Rebuilding .venv: it was made with Python 3.14, outside 3.11 to 3.13." in result.stderr
    assert not (copy / ".venv" / "marker").exists()
    assert any(call.endswith("python3 -m venv .venv") for call in _calls(log))


@needs_make
def test_a_venv_whose_python_is_gone_is_rebuilt(project):
    copy, fakes, log = project
    _fake_python(fakes, "python3", "3.12", log)
    (copy / ".venv" / "bin").mkdir(parents=True)
    os.symlink(copy / "removed-interpreter", copy / ".venv" / "bin" / "python")
    (copy / ".venv" / ".installed").touch()
    result = _make(project, "install")
    assert "Rebuilding .venv: its Python does not run any more." in result.stderr


@needs_make
def test_a_venv_of_another_version_than_the_python_asked_for_is_rebuilt(project):
    copy, fakes, log = project
    named = _fake_python(fakes, "python3.13", "3.13", log)
    _fake_python(fakes, "python3", "3.11", log)
    _existing_venv(copy, fakes, log, "3.11")
    result = _make(project, "install", f"PYTHON={named}")
    assert ("Rebuilding .venv: it was made with Python 3.11, and PYTHON=" + str(named)
            + " is Python 3.13.") in result.stderr


@needs_make
def test_a_half_installed_venv_is_rebuilt_and_a_complete_one_kept(project):
    copy, fakes, log = project
    _fake_python(fakes, "python3", "3.12", log)
    _existing_venv(copy, fakes, log, "3.12", stamped=False)
    result = _make(project, "install")
    assert "Rebuilding .venv: an interrupted install left it incomplete." in result.stderr
    assert (copy / ".venv" / ".installed").exists()

    log.unlink()
    result = _make(project, "install")
    assert result.returncode == 0 and "Rebuilding" not in result.stderr
    assert not any(" -m venv" in call or "pip" in call for call in _calls(log)), \
        "a complete .venv is only asked its version"


@needs_make
@pytest.mark.parametrize("args", [[], ["help"]])
def test_make_alone_lists_every_target_with_one_line_each(project, args):
    result = _make(project, *args)
    assert result.returncode == 0
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE)
    lines = result.stdout.splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted(targets)
    assert all(re.match(r"  make [a-z-]+ +\S", line) for line in lines)
    assert not (project[0] / ".venv").exists(), "listing the targets installs nothing"


# --- The README's commands for a machine without make --------------------------------

def _readme_block(heading):
    """The lines of the first ```sh block after the README heading `heading`, comments
    included."""
    text = (ROOT / "README.md").read_text()
    start = text.index(heading)
    match = re.search(r"```(?:sh|bash)\n(.*?)```", text[start:], re.DOTALL)
    assert match, f"no shell block under {heading!r}"
    return [line for line in match.group(1).splitlines() if line.strip()]


UNIX_HEADING = "### Without make: macOS and Linux"
EVERYTHING = "# test everything"


def _readme_parts():
    """The README's Unix commands, split where the full suite starts: (up to the unit
    tests, everything make test runs), without the comment lines."""
    lines = _readme_block(UNIX_HEADING)
    starts = [i for i, line in enumerate(lines) if line.startswith(EVERYTHING)]
    assert len(starts) == 1, f"the README's block needs one line starting {EVERYTHING!r}"
    commands = [[line for line in part if not line.startswith("#")]
                for part in (lines[:starts[0]], lines[starts[0]:])]
    return commands[0], commands[1]


def _recipe(makefile, target):
    """The command lines of a Makefile target's recipe."""
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    return [line.strip() for line in match.group(1).splitlines()]


def test_the_readme_commands_use_the_makefiles_options():
    quick, everything = _readme_parts()
    commands = "\n".join(quick + everything)
    makefile = (ROOT / "Makefile").read_text()
    variables = dict(re.findall(r"^(\w+) := (.*)$", makefile, re.MULTILINE))
    venv_script = (ROOT / "tools" / "venv.sh").read_text()
    quiet = re.compile(r" --quiet| --disable-pip-version-check")
    installs = re.findall(r'"\$venv/bin/python" -m pip install (.*)', venv_script)
    assert len(installs) == 2
    for arguments in installs:
        assert f".venv/bin/python -m pip install{quiet.sub('', ' ' + arguments)}" in commands
    for name, value in re.findall(r"^export (\w+) := (\S+)", makefile, re.MULTILINE):
        assert f"{name}={value}" in commands, f"make exports {name}={value}; the README must too"

    def as_written(line):
        line = line.replace("$(BIN)", ".venv/bin").replace("$(NOTEBOOKS)", "notebooks/*.ipynb")
        for name in ("NBVAL", "TESTS_IN_PARALLEL"):
            line = line.replace(f"$({name})", variables[name])
        return re.sub(r" --durations=\d+", "", line)

    make_test = [as_written(line) for line in _recipe(makefile, "student") + _recipe(makefile, "test")]
    assert everything == make_test, "the README's full-suite commands must be make test's"
    assert as_written(_recipe(makefile, "test-unit")[0]) in quick


@pytest.mark.slow
def test_the_readme_commands_without_make_install_the_course_and_pass_the_unit_tests(tmp_path):
    """Runs the README's Unix commands literally, in a copy of the repository, up to the
    unit tests, skipping only the one that opens JupyterLab (make test is the full suite). The new
    .venv is pre-seeded with a path to this environment's packages, so that pip finds
    the pinned versions installed instead of downloading them again."""
    quick, _everything = _readme_parts()
    run = [command for command in quick if "jupyter lab" not in command]
    assert len(run) == len(quick) - 1, quick
    assert run[0].startswith("python3 -m venv .venv") and "pytest tests" in run[-1], run

    copy = tmp_path / "course"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    # `python3` is the interpreter that made this environment, whatever the PATH's is.
    interpreter = tmp_path / "bin"
    interpreter.mkdir()
    os.symlink(getattr(sys, "_base_executable", sys.executable), interpreter / "python3")
    subprocess.run([str(interpreter / "python3"), "-m", "venv", "--without-pip", str(copy / ".venv")], check=True)
    site = next((copy / ".venv" / "lib").glob("python3.*")) / "site-packages"
    ours = [p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix)]
    (site / "course-packages.pth").write_text("\n".join(ours) + "\n")

    env = {**os.environ, "PATH": f"{interpreter}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    script = "set -e\n" + "\n".join(run) + "\n"
    result = subprocess.run(["bash", "-c", script], cwd=copy, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"\d+ passed", result.stdout), result.stdout[-2000:]
    assert (copy / "practice" / "01_rnn.ipynb").exists(), "the practice copy is made"
    location = subprocess.run([str(copy / ".venv" / "bin" / "python"), "-c",
                               "import gru_keras; print(gru_keras.__file__)"], cwd=tmp_path, env=env,
                              capture_output=True, text=True)
    assert location.stdout.strip() == str(copy / "gru_keras" / "__init__.py"), "pip install -e . was run"
