"""What the tests that execute notebooks share: where the course notebooks are, and one
way to run a notebook top to bottom in a fresh kernel, as a learner's Jupyter would."""

import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# The kernel runs outside `make`, which sets these; TensorFlow would otherwise print to stderr.
KERNEL_ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def execute(notebook, folder, allow_errors=False):
    """Runs `notebook` (an nbformat node, changed in place) in a fresh python3 kernel whose
    working directory is `folder`; returns it. Without `allow_errors` the first error raises
    nbclient's CellExecutionError."""
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(env=KERNEL_ENV)
    return notebook
