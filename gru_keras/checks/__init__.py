"""Instant feedback for the exercises: the machinery every check shares.

A check prints one line starting with "PASS" when the learner's answer is right. When it
is wrong it raises `ExerciseError` (an AssertionError, so nbgrader's autograding counts
it as a failed test) whose message says in one line what is wrong and, on a second line,
gives a hint that names the slip: a transposed matrix, the gates in another order, the
other update convention, a look into the test years, ...

The learner's code is always run through `call_learner`, so that a stub still holding
`raise NotImplementedError()` reads "not written yet", and a function with the wrong
signature, one that raises, or one that never returns (a loop waiting on a NaN) gets a
message about the learner's code, not a traceback from inside this package. In a
notebook, `gru_keras.notebook.setup()` installs `show_exercise_errors`, so that an
`ExerciseError` is shown as its message alone.

The checks of each notebook's exercises live in a module named after the lesson:
`gru_keras.checks.rnn` (01), `.lstm` (02), `.gru` (03), `.bidirectional` (04),
`.in_practice` (05), `.language` (06).
"""

import inspect
import os
import signal
import sys
import threading
import traceback

import numpy as np

__all__ = ["ExerciseError", "passed", "fail", "call_learner", "check_array", "check_value",
           "check_choice", "check_layer_parameter_count", "show_exercise_errors", "TIME_LIMIT_S"]

# How long a learner's function may run before the check gives up on it (seconds).
TIME_LIMIT_S = 60.0

NOT_WRITTEN_HINT = "replace the `raise NotImplementedError()` line with your code."


class ExerciseError(AssertionError):
    """An exercise's answer is not right yet; the message says why and how to fix it."""


def passed(what, detail=""):
    """Prints the line a learner sees when `what` is right."""
    print(f"PASS {what}" + (f": {detail}" if detail else ""))


def fail(what, problem, hint=None):
    """Raises the ExerciseError a learner sees: `what: problem`, then `Hint: hint`."""
    message = f"{what}: {problem}"
    if hint:
        message += f"\nHint: {hint}"
    raise ExerciseError(message)


class _TookTooLong(Exception):
    pass


class _time_limit:
    """Interrupts the block after `seconds` with _TookTooLong, where the platform allows
    it (SIGALRM, main thread: Linux and macOS kernels); elsewhere it does nothing."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = (seconds and hasattr(signal, "setitimer")
                      and threading.current_thread() is threading.main_thread())

    def _interrupt(self, signum, frame):
        raise _TookTooLong()

    def __enter__(self):
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._interrupt)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({os.path.dirname(os.__file__), sys.prefix, sys.base_prefix, sys.exec_prefix})


def _learner_line(error):
    """'line N: `source`' of the deepest frame of `error` that is the learner's code
    (not this package, not a library), or '' when there is none."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        name = os.path.abspath(frame.filename) if frame.filename else ""
        if name.startswith(_PACKAGE_DIR) or name.startswith(_LIBRARY_DIRS):
            continue
        code = (frame.line or "").strip()
        return f" (line {frame.lineno} of your code: `{code}`)" if code else f" (line {frame.lineno} of your code)"
    return ""


def _signature_problem(function, args, kwargs):
    """A sentence when `function` cannot be called with `args`/`kwargs`, else None."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin without a signature: let the call decide
        return None
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        given = len(args) + len(kwargs)
        return (f"the check calls it with {given} argument{'s' if given != 1 else ''}, "
                f"but yours is defined as {getattr(function, '__name__', 'it')}{signature}.")
    return None


def call_learner(what, function, *args, hint_on_error=None, **kwargs):
    """Calls the learner's `function(*args, **kwargs)` and returns what it returns.

    Turns everything that can go wrong into an ExerciseError with a hint: a stub
    (NotImplementedError: "not written yet"), something that is not a function, the
    wrong number of parameters, an exception raised by the learner's code (named, with
    the line of the learner's code where it happened, and `hint_on_error` when the check
    knows better than the general advice), and a call that runs longer than
    TIME_LIMIT_S seconds.
    """
    if not callable(function):
        fail(what, f"expected a function, got {type(function).__name__} {function!r:.60}.",
             f"define it with `def {what}(...):` and pass the function itself, without calling it.")
    problem = _signature_problem(function, args, kwargs)
    if problem:
        fail(what, problem, "keep the parameters of the function as the exercise gives them.")
    try:
        with _time_limit(TIME_LIMIT_S):
            return function(*args, **kwargs)
    except NotImplementedError:
        fail(what, "not written yet.", NOT_WRITTEN_HINT)
    except ExerciseError:
        raise
    except _TookTooLong:
        fail(what, f"your code was still running after {TIME_LIMIT_S:g} s, so the check stopped it.",
             "look for a loop that never ends, for example one that waits for a value to "
             "become small while it is NaN (NaN < x is always False).")
    except Exception as error:  # the learner's code raised: show what and where, not our traceback
        fail(what, f"your code raised {type(error).__name__}: {error}{_learner_line(error)}",
             hint_on_error or "run your function on a small input in a new cell to see where it breaks.")


def show_exercise_errors(shell=None):
    """Shows an ExerciseError in IPython as its message alone (no traceback through the
    check); the cell still fails, so nbgrader and nbval see the error. No-op outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is None:
        return

    def _show(shell, etype, value, tb, tb_offset=None):
        lines = [f"{etype.__name__}: {value}"]
        # IPython (8 and later) leaves the display to the handler; ipykernel's
        # _showtraceback sends the error to the notebook with this short traceback.
        shell._showtraceback(etype, value, lines)
        return lines

    shell.set_custom_exc((ExerciseError,), _show)


def check_choice(what, answer, choices, expected, evidence="the measurement", unknown_hint=None):
    """Checks a one-word or one-letter answer (a prediction, a reading of a plot).

    answer: the learner's answer (a string, or a function returning it: its stub then
    reads "not written yet"). choices: every accepted answer mapped to the explanation
    a learner who gave it should read. expected: the right answer (a key of `choices`),
    often computed from a measurement, so the check explains the difference between a
    prediction and what was measured; evidence names what shows the answer ("the
    measurement", "the figure"). Answers are compared ignoring case and spaces.
    """
    if callable(answer):
        answer = call_learner(what, answer)
    if expected not in choices:
        raise ValueError(f"check_choice: expected answer {expected!r} is not one of {list(choices)}.")
    if answer is None:
        fail(what, "your answer is None.", "return (or assign) one of " + ", ".join(map(repr, choices)) + ".")
    normalised = {" ".join(str(key).lower().split()): key for key in choices}
    key = normalised.get(" ".join(str(answer).lower().split()))
    if key is None:
        fail(what, f"{answer!r} is not one of {', '.join(map(repr, choices))}.",
             unknown_hint or "answer with one of these words exactly (case and spaces do not matter).")
    if key != expected:
        fail(what, f"{key!r} is not what {evidence} shows.", choices[key])
    return key


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
        fail(what, f"expected an array of numbers, got {type(got).__name__}.",
             "return a NumPy array (the result of your computation), not a string or a list of mixed things.")
    if got.shape != expected.shape:
        hint = f"print the shape of your result on this case; it should be {expected.shape}."
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
    hint = ("compare each line of your code with its equation, and print the intermediate "
            "results on a small case.")
    if np.allclose(got, -expected, atol=atol):
        hint = "your answer is the expected one with its sign flipped."
    elif blocks and expected.shape[-1] % blocks == 0:
        hint = _block_order_hint(got, expected, blocks, block_names, atol) or hint
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
        fail(what, f"expected a number, got {type(got).__name__} {got!r:.60}.",
             "return (or assign) a plain number, an int or a float.")
    if not np.isfinite(value):
        fail(what, f"{value} is not a finite number.", "a division by zero or a NaN upstream?")
    if abs(value - float(expected)) > tolerance:
        fail(what, f"{got!r} is not right.", hint or "work it out on paper for the smallest case first.")


def check_layer_parameter_count(what, count_function, cases, make_layer, slips, fallback_hint):
    """Compares `count_function(*args)` with Keras' count for each `args` in `cases`.

    make_layer(*args) gives the Keras layer, built here on inputs with args[0] features;
    slips(*args) maps the wrong counts that typical slips give to a hint for each.
    """
    for args in cases:
        layer = make_layer(*args)
        layer.build((None, None, args[0]))
        expected = layer.count_params()
        got = call_learner(what, count_function, *args)
        hint = slips(*args).get(got) if got != expected else None
        check_value(f"{what}({', '.join(map(str, args))})", got, expected, hint=hint or fallback_hint)


