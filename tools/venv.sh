#!/bin/sh
# Makes sure VENV is a complete virtual environment made with a supported Python, then
# installs the pinned requirements and the package into it if they changed. `make`
# runs it before every target that needs the environment:
#
#     sh tools/venv.sh VENV [PYTHON]
#
# The supported Python versions are written once, in pyproject.toml's requires-python
# (">=3.11,<3.14": what TensorFlow 2.21.0 and the other pinned packages publish wheels for).
# PYTHON, when given (make lab PYTHON=/path/to/python3.12), must be one of them. Otherwise
# the first supported one of python3, then python3.X from the newest down, is used.
# An existing VENV is rebuilt when its Python no longer runs, is outside the range, is not
# the PYTHON asked for, or when an interrupted install left it without its stamp.
set -eu

venv=${1:?usage: sh tools/venv.sh VENV [PYTHON]}
asked=${2:-}
stamp="$venv/.installed"

say() { printf '%s\n' "$*" >&2; }

range=$(sed -n 's/^requires-python *= *"\(.*\)".*/\1/p' pyproject.toml)
lowest=$(printf '%s' "$range" | sed -n 's/.*>= *3\.\([0-9][0-9]*\).*/\1/p')
beyond=$(printf '%s' "$range" | sed -n 's/.*< *3\.\([0-9][0-9]*\).*/\1/p')
if [ -z "$lowest" ] || [ -z "$beyond" ]; then
    say "tools/venv.sh: pyproject.toml's requires-python must read \">=3.A,<3.B\", found \"$range\"."
    exit 2
fi
newest=$((beyond - 1))
supported="3.$lowest to 3.$newest"

# The version of interpreter $1 as "3.N", or nothing when it does not run.
version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

in_range() {
    case "$1" in
        3.*) minor=${1#3.}; [ "$minor" -ge "$lowest" ] && [ "$minor" -le "$newest" ] ;;
        *) false ;;
    esac
}

# The interpreter to build VENV with: printed on stdout, or exit 1 with one message.
pick_python() {
    if [ -n "$asked" ]; then
        found=$(version_of "$asked")
        if [ -z "$found" ]; then
            say "PYTHON=$asked does not run (not found, or not a Python interpreter)."
            say "Give the path of a Python $supported interpreter: make lab PYTHON=/path/to/python3.$newest"
            exit 1
        fi
        if ! in_range "$found"; then
            say "PYTHON=$asked is Python $found; this course needs Python $supported (TensorFlow 2.21.0 has no wheels for other versions)."
            say "Give the path of a Python $supported interpreter: make lab PYTHON=/path/to/python3.$newest"
            exit 1
        fi
        printf '%s\n' "$asked"
        return
    fi
    first=$(version_of python3)
    if [ -n "$first" ] && in_range "$first"; then
        printf 'python3\n'
        return
    fi
    minor=$newest
    while [ "$minor" -ge "$lowest" ]; do
        candidate=python3.$minor
        if command -v "$candidate" >/dev/null 2>&1 && in_range "$(version_of "$candidate")"; then
            say "python3 is ${first:+Python }${first:-not found}, outside $supported; using $candidate ($(command -v "$candidate"))."
            printf '%s\n' "$candidate"
            return
        fi
        minor=$((minor - 1))
    done
    names=""
    minor=$newest
    while [ "$minor" -ge "$lowest" ]; do names="$names python3.$minor"; minor=$((minor - 1)); done
    say "python3 is ${first:+Python }${first:-not found}, and this course needs Python $supported (TensorFlow 2.21.0 has no wheels for other versions); none of$names is on the PATH."
    say "Install one (python.org, your package manager, or pyenv), or point make at one: make lab PYTHON=/path/to/python3.$newest"
    exit 1
}

python=$(pick_python)

if [ -e "$venv" ]; then
    have=$(version_of "$venv/bin/python")
    reason=""
    if [ -z "$have" ]; then
        reason="its Python does not run any more"
    elif ! in_range "$have"; then
        reason="it was made with Python $have, outside $supported"
    elif [ -n "$asked" ] && [ "$have" != "$(version_of "$python")" ]; then
        reason="it was made with Python $have, and PYTHON=$asked is Python $(version_of "$python")"
    elif [ ! -e "$stamp" ]; then
        reason="an interrupted install left it incomplete"
    fi
    if [ -n "$reason" ]; then
        say "Rebuilding $venv: $reason."
        rm -rf "$venv"
    fi
fi

if [ ! -e "$venv" ]; then
    say "Creating $venv with $python (Python $(version_of "$python")); installing takes about a minute."
    "$python" -m venv "$venv"
fi

if [ ! -e "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
    touch "$stamp"
fi

# The course's JupyterLab defaults (jupyterlab/overrides.json: never fetch Jupyter news or
# check for updates, so no prompt asks about it), where JupyterLab reads default settings
# for every user of this environment. A learner's own choices in JupyterLab still win.
mkdir -p "$venv/share/jupyter/lab/settings"
cp jupyterlab/overrides.json "$venv/share/jupyter/lab/settings/overrides.json"
