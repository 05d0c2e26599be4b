# The two commands a newcomer needs:  make lab  (learn)   make test  (check everything).
# `make` alone (or `make help`) lists every target.
#
# The Python interpreter for .venv: by default the first of python3, python3.13, ...
# python3.11 whose version is supported (pyproject.toml's requires-python says which);
# or the one you name: make lab PYTHON=/path/to/python3.12
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# One notebook or several: make test-notebooks NB=notebooks/01_rnn.ipynb
NB ?= $(NOTEBOOKS)
# The learner's own copy of the course (student versions), ignored by git, never overwritten.
PRACTICE ?= practice
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg

# TensorFlow prints start-up lines on stderr unless told not to (see gru_keras/notebook.py).
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export KERAS_BACKEND := tensorflow
export PYTHONHASHSEED := 0

.PHONY: help install lab test test-unit test-notebooks test-seeds refresh student site clean
.DEFAULT_GOAL := help

help:  ## this list
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  make %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# Checks .venv (a supported Python, a complete install) and installs what changed; cheap
# when nothing did. See tools/venv.sh.
install:  ## create or repair .venv and install the pinned packages (the other targets do it too)
	@sh tools/venv.sh $(VENV) $(PYTHON)

# Opens the learner's practice copy: new course notebooks are copied in, a changed one is
# written beside the learner's as NN_x.updated.ipynb; no notebook in $(PRACTICE)/ is overwritten.
# Jupyter refuses to run as root without --allow-root; pass it only then.
# JupyterLab asks nothing of the outside world: jupyterlab/overrides.json (installed into
# .venv by tools/venv.sh) turns off the news prompt and the update check in the page, and
# these options turn off the server's news feed and update check.
LAB_OFFLINE := --LabApp.news_url=None \
    --LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate
# Extra options: make lab LAB_ARGS="--no-browser --port=8890"
lab: install  ## open JupyterLab on your practice copy (practice/), made from notebooks/
	$(BIN)/python -m gru_keras.assignments practice $(NOTEBOOKS) --into $(PRACTICE)
	$(BIN)/jupyter lab $(PRACTICE)/ $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_OFFLINE) $(LAB_ARGS)

# Everything, after writing the student versions (`make student`): first the tests in
# tests/ (unit tests, student versions, the nbgrader round trip, the site, the browser)
# spread over two processes, one test file each at a time (pytest-xdist); then every
# notebook under strict nbval, one after the other, so that each one's time is its own.
TESTS_IN_PARALLEL := -n 2 --dist loadfile
test: install student  ## everything: unit tests, assignments, site, browser, every notebook under strict nbval
	$(BIN)/python -m pytest tests $(TESTS_IN_PARALLEL) --durations=5
	$(BIN)/python -m pytest $(NOTEBOOKS) $(NBVAL) --durations=3

test-unit: install  ## the quick unit tests only (about 20 s)
	$(BIN)/python -m pytest tests -m "not slow" --durations=5

test-notebooks: install  ## the notebooks under strict nbval (one: NB=notebooks/01_rnn.ipynb)
	$(BIN)/python -m pytest $(NB) $(NBVAL)

# The notebooks' compared claims again, with model seeds 1 and 2 (seed 0 is `make test`):
# a claim that rests on training must hold for all three. Slow: run it after changing a notebook.
test-seeds: install  ## the notebooks' claims again with model seeds 1 and 2
	for seed in 1 2; do \
	    GRU_KERAS_MODEL_SEED=$$seed $(BIN)/python -m pytest $(NB) $(NBVAL) -q || exit 1; \
	done

# Re-execute notebooks in a fresh kernel and store their outputs (after a deliberate change).
refresh: install  ## re-execute notebooks and store their outputs (NB=...)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=300 $(NB)

# Student versions for an assignment: solutions stubbed, hidden tests removed, no outputs.
student: install  ## student versions (solutions stubbed) in build/student
	$(BIN)/python -m gru_keras.assignments student $(NOTEBOOKS) --output-dir build/student

# The course as a static website, built by Sphinx from the notebooks' stored outputs
# (nothing is executed; see tools/site.py and docs/site/conf.py). It stops, naming the
# notebook and the cell, at an error output, an unexecuted cell or a missing image.
SITE ?= build/site
site: install  ## the course as a website in build/site/ (open build/site/index.html)
	$(BIN)/python tools/site.py $(NOTEBOOKS) --out $(SITE)

clean:  ## delete .venv and build/ (practice/ is kept)
	rm -rf $(VENV) build *.egg-info
