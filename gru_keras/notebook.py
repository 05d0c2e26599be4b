"""The set-up every notebook runs first: `from gru_keras.notebook import setup; setup()`.

It must run before anything imports TensorFlow: TensorFlow reads its logging settings
once, at import, and otherwise writes start-up lines to stderr, which are noise for a
learner and break the stored-output comparison of nbval. Importing this module does not
import TensorFlow (the cells in `gru_keras/__init__` load lazily).
"""

import contextlib
import os
import sys
import warnings

import numpy as np

DEFAULT_SEED = 0
# The model seed a notebook trains with. `make test` runs every notebook with seed 0;
# `make test-seeds` runs them again with seeds 1 and 2, so every compared claim that
# rests on training is checked on three initialisations (data generators keep their own
# fixed seeds: only the models' random initial weights and the shuffling change).
SEED_VARIABLE = "GRU_KERAS_MODEL_SEED"

# Figures: legible on a laptop screen, identical from run to run.
PLOT_STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "font.size": 10,
}


@contextlib.contextmanager
def _os_stderr_discarded():
    """Sends file descriptor 2 to /dev/null for the duration of the block.

    Some lines TensorFlow writes while it loads (its CUDA probe, absl's "before
    InitializeLog" notice) bypass every log setting. Jupyter shows them in a cell while
    pytest does not, so they must not reach the notebook at all. Python exceptions
    are unaffected: they are raised after the descriptor is restored.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def quiet_tensorflow():
    """Imports TensorFlow so that it prints nothing; call it before anything imports it.

    TF_CPP_MIN_LOG_LEVEL=3 hides its C++ log lines; TF_ENABLE_ONEDNN_OPTS=0 turns off
    the oneDNN kernels, whose start-up notice ignores the log level and whose
    summation order can change the last digits of a result. The lines written while
    the library loads are discarded (see `_os_stderr_discarded`).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if "tensorflow" not in sys.modules:
        with _os_stderr_discarded():
            import tensorflow  # noqa: F401


def model_seed():
    """The model seed: the environment variable GRU_KERAS_MODEL_SEED, or 0 when unset."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return DEFAULT_SEED
    if not text.isdigit():
        raise ValueError(f"{SEED_VARIABLE} must be a non-negative integer, got {text!r}.")
    return int(text)


def setup(seed=None):
    """Makes a notebook quiet and repeatable; returns the model seed.

    Silences TensorFlow (see `quiet_tensorflow`), seeds Python, NumPy and Keras with
    `seed` (by default `model_seed()`: 0, or GRU_KERAS_MODEL_SEED), prints NumPy arrays
    with 4 decimals, sets the plot style, and shows an exercise check's ExerciseError as
    its message and hint, without a traceback through the check. A notebook keeps the returned seed,
    `SEED = setup()`, and passes it to `keras.utils.set_random_seed(SEED)` before it
    builds each model it trains, so that `make test-seeds` can vary it.
    """
    if seed is None:
        seed = model_seed()
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"setup: seed must be a non-negative integer, got {seed!r}.")
    quiet_tensorflow()
    import keras
    import matplotlib.pyplot as plt

    import gru_keras.cells  # noqa: F401  (registers the cells for saving and loading)
    from gru_keras.checks import show_exercise_errors

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    keras.utils.set_random_seed(seed)
    np.set_printoptions(precision=4, suppress=True)
    plt.rcParams.update(PLOT_STYLE)
    show_exercise_errors()
    return seed
