"""Instant feedback for the exercises.

A check prints one line starting with "PASS" when the learner's answer is right. When it
is wrong it raises `ExerciseError` (an AssertionError, so autograding counts it as a
failed test) whose message says what is wrong and gives a hint: a wrong shape, a
transposed matrix, gates in the wrong order, the other update convention, ...
An exercise that still holds its `raise NotImplementedError` stub gets a message that
says so, not a traceback from deep inside the check.
"""

import numpy as np

__all__ = ["ExerciseError", "passed", "check_array", "check_value", "call_learner"]


class ExerciseError(AssertionError):
    """An exercise's answer is not right yet; the message says why and how to fix it."""


def passed(what, detail=""):
    """Prints the line a learner sees when `what` is right."""
    print(f"PASS {what}" + (f": {detail}" if detail else ""))


def fail(what, problem, hint=None):
    message = f"{what}: {problem}"
    if hint:
        message += f"\nHint: {hint}"
    raise ExerciseError(message)


def call_learner(what, function, *args, **kwargs):
    """Calls the learner's function; turns a stub or a crash into a clear message."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        fail(what, "not written yet.", "replace the `raise NotImplementedError()` line with your code.")
    except ExerciseError:
        raise
    except Exception as error:  # the learner's code raised: show what, not our traceback
        fail(what, f"your code raised {type(error).__name__}: {error}",
             "run your function on a small input in a new cell to see where it breaks.")


def check_array(what, got, expected, atol=1e-6, blocks=None, block_names=None):
    """Compares an array answer with the expected one and diagnoses common slips.

    blocks: if the array is made of `blocks` side-by-side gate blocks along its last
    axis (LSTM: 4, GRU: 3), a permutation of the blocks is recognised as "gates in the
    wrong order"; block_names names them (for example "i, f, c, o").
    Returns nothing; raises ExerciseError with a hint when the answer is wrong.
    """
    expected = np.asarray(expected, dtype=float)
    if got is None:
        fail(what, "your code returned None.", "did you forget a `return` statement?")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(what, f"expected an array of numbers, got {type(got).__name__}.")
    if got.shape != expected.shape:
        hint = None
        if got.ndim == 2 and got.T.shape == expected.shape:
            hint = "the shape is transposed: check the order of the factors in your matrix products (x @ W, not W @ x)."
        elif got.size == expected.size:
            hint = "same number of values, different layout: check how you reshape or stack."
        fail(what, f"expected shape {expected.shape}, got {got.shape}.", hint)
    if not np.all(np.isfinite(got)):
        fail(what, "the result contains NaN or infinity.",
             "an activation may be missing (tanh or sigmoid keep values bounded).")
    if np.allclose(got, expected, atol=atol, rtol=0):
        return
    error = float(np.max(np.abs(got - expected)))
    hint = None
    if np.allclose(got, -expected, atol=atol):
        hint = "your answer is the expected one with its sign flipped."
    elif blocks and expected.shape[-1] % blocks == 0:
        hint = _block_order_hint(got, expected, blocks, block_names, atol)
    fail(what, f"values differ from the reference (largest difference {error:.3g}).", hint)


def _block_order_hint(got, expected, blocks, block_names, atol):
    import itertools

    width = expected.shape[-1] // blocks
    pieces = [expected[..., k * width:(k + 1) * width] for k in range(blocks)]
    names = [n.strip() for n in block_names.split(",")] if block_names else [str(k) for k in range(blocks)]
    for order in itertools.permutations(range(blocks)):
        if order == tuple(range(blocks)):
            continue
        if np.allclose(got, np.concatenate([pieces[k] for k in order], axis=-1), atol=atol):
            return (f"the gate blocks are in the order {', '.join(names[k] for k in order)}; "
                    f"the expected order is {', '.join(names)}.")
    return None


def check_value(what, got, expected, tolerance=0, hint=None):
    """Compares a number (a parameter count, a rate, ...) with the expected one."""
    if got is None:
        fail(what, "your answer is None.", "assign a number (or return one).")
    try:
        value = float(got)
    except (TypeError, ValueError):
        fail(what, f"expected a number, got {type(got).__name__} {got!r}.")
    if abs(value - float(expected)) > tolerance:
        fail(what, f"{got!r} is not right.", hint)


# ---------------------------------------------------------------------------------
# Exercise checks, one section per notebook. Each builds a small random case, runs the
# learner's answer and the reference on it, and prints PASS or raises with a hint.
# ---------------------------------------------------------------------------------

# --- 01_rnn ----------------------------------------------------------------------

# --- 02_lstm ---------------------------------------------------------------------

# --- 03_gru ----------------------------------------------------------------------

# --- 04_bidirectional ------------------------------------------------------------
