"""`make lab`, the README's first command, really serves the learner's practice copy of
the notebooks, and leaves a notebook the learner edited there as it was."""

import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_lab(tmp_path, practice, port, token, log):
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    # A temporary practice folder: the test must not create or change the learner's practice/.
    return subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}", f"PRACTICE={practice}"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.mark.slow
def test_make_lab_serves_the_practice_copies_and_keeps_the_learners_edit(tmp_path):
    port, token = _free_port(), "course-test-token"
    practice = tmp_path / "practice"
    expected = {path.name for path in (ROOT / "notebooks").glob("*.ipynb")}
    # The learner's own notebook, already in the practice folder, edited (not the course's version).
    practice.mkdir()
    edited = practice / "01_rnn.ipynb"
    edited.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    mine = edited.read_bytes()
    log_path = tmp_path / "make-lab.log"
    with open(log_path, "w") as log:  # a file, not a pipe: the server's log cannot fill it and block
        server = _start_lab(tmp_path, practice, port, token, log)
    try:
        url = f"http://127.0.0.1:{port}/api/contents?token={token}"
        deadline, listing = time.monotonic() + 60, None
        while listing is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    listing = json.load(response)
            except OSError:
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not answer within 60 s"
        names = {item["name"] for item in listing["content"]}
        assert expected and expected <= names, "the served folder is the practice copy"
        assert edited.read_bytes() == mine, "make lab never overwrites a notebook in the practice folder"
        assert (practice / "01_rnn.updated.ipynb").exists(), "the course's version is offered beside it"
        assert "raise NotImplementedError()" in (practice / "02_lstm.ipynb").read_text(), "student versions"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert "01_rnn.updated.ipynb" in log_path.read_text(), "make lab says that a newer version is offered"
