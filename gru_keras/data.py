"""Data sets of the course, generated with fixed seeds (nothing is downloaded).

Every generator takes `seed` and returns NumPy arrays; the same seed gives the same
data on every machine.
"""

import numpy as np

__all__ = ["adding_problem"]


def _check_positive_int(value, name, where):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{where}: `{name}` must be a positive integer, got {value!r}.")
    return int(value)


# ---------------------------------------------------------------------------------
# 01_rnn, 02_lstm: the adding problem
# ---------------------------------------------------------------------------------
def adding_problem(n_sequences, length, seed=0):
    """The adding problem of Hochreiter & Schmidhuber (1997), in the form of Le, Jaitly
    & Hinton (2015): each step carries a random value in [0, 1) and a marker; exactly
    two steps are marked, one in each half of the sequence, and the target is the sum
    of the two marked values.

    Returns `inputs` of shape (n_sequences, length, 2) (value, marker) and `targets`
    of shape (n_sequences, 1). Predicting the mean, 1.0, always gives a mean squared
    error of 1/6 ≈ 0.167 (the variance of a sum of two uniform values): a model must
    beat that to show it remembers the first marked value across the sequence.
    """
    n_sequences = _check_positive_int(n_sequences, "n_sequences", "adding_problem")
    length = _check_positive_int(length, "length", "adding_problem")
    if length < 2:
        raise ValueError(f"adding_problem: `length` must be at least 2, got {length}.")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n_sequences, length))
    half = length // 2
    first = rng.integers(0, half, size=n_sequences)
    second = rng.integers(half, length, size=n_sequences)
    markers = np.zeros((n_sequences, length))
    rows = np.arange(n_sequences)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    inputs = np.stack([values, markers], axis=-1).astype("float32")
    targets = (values[rows, first] + values[rows, second])[:, None].astype("float32")
    return inputs, targets


ADDING_PROBLEM_BASELINE_MSE = 1.0 / 6.0


# ---------------------------------------------------------------------------------
# 03_gru
# ---------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------
# 04_bidirectional
# ---------------------------------------------------------------------------------
