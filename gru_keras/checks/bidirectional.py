"""The checks of 04_bidirectional's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, fail, passed

__all__ = ["check_merge_directions", "bidirectional_output_shape", "check_bidirectional_shape", "MERGE_MODES"]


MERGE_MODES = ("concat", "sum", "ave", "mul")
_MERGE_MEANINGS = {
    "concat": "concat puts the two states side by side, forward then backward, along the last axis",
    "sum": "sum adds the two states element by element",
    "ave": "ave takes their element-wise mean, (forward + backward) / 2",
    "mul": "mul multiplies them element by element",
}


def _merge(forward, backward, mode):
    """The four merge modes of keras.layers.Bidirectional, on NumPy arrays in time order."""
    if mode == "concat":
        return np.concatenate([forward, backward], axis=-1)
    if mode == "sum":
        return forward + backward
    if mode == "ave":
        return (forward + backward) / 2
    if mode == "mul":
        return forward * backward
    raise ValueError(f"merge mode must be one of {MERGE_MODES}, got {mode!r}.")


def check_merge_directions(merge_directions):
    """Checks `merge_directions(forward, backward, merge_mode)`: forward is the output
    sequence of a forward layer, (batch, time, units); backward the output sequence of
    a `go_backwards=True` layer as it comes out (its step 0 is the last word). The
    answer must be what `keras.layers.Bidirectional(..., merge_mode=merge_mode)`
    returns: the backward outputs put back in time order, merged with the forward ones.
    """
    what = "merge_directions"
    rng = np.random.default_rng(4)
    forward = rng.normal(size=(2, 5, 3))
    backward_as_returned = rng.normal(size=(2, 5, 3))
    backward = backward_as_returned[:, ::-1]
    for mode in MERGE_MODES:
        got = call_learner(what, merge_directions, forward.copy(), backward_as_returned.copy(), mode)
        expected = _merge(forward, backward, mode)
        label = f"{what} with merge_mode={mode!r}"
        if got is None:
            fail(label, "your code returned None.", "did you forget a `return` statement?")
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            fail(label, f"expected an array of numbers, got {type(got).__name__}.")
        if got.shape != expected.shape:
            hint = f"{_MERGE_MEANINGS[mode]}; the result is (batch, time, " + \
                   ("2*units)." if mode == "concat" else "units).")
            if mode == "concat" and got.shape == (2, 10, 3):
                hint = "you concatenated along the time axis; concatenate along the last axis (units)."
            fail(label, f"expected shape {expected.shape} for inputs of shape {forward.shape}, "
                        f"got {got.shape}.", hint)
        if np.allclose(got, expected, atol=1e-6):
            continue
        mistakes = [
            (_merge(forward, backward_as_returned, mode),
             "you merged the backward outputs in the order the go_backwards layer returns them "
             "(last word first): reverse them along the time axis first, backward[:, ::-1]."),
            (_merge(forward[:, ::-1], backward_as_returned, mode),
             "you reversed the forward outputs instead of the backward ones: the forward outputs "
             "are already in time order."),
            (_merge(forward[:, ::-1], backward, mode),
             "you reversed the forward outputs too: only the backward ones come out last word first."),
            (_merge(forward, backward_as_returned[::-1], mode),
             "you reversed the batch axis (axis 0); time is axis 1 of (batch, time, units)."),
            (_merge(forward, backward_as_returned[..., ::-1], mode),
             "you reversed the units axis (the last one); time is axis 1 of (batch, time, units)."),
            (_merge(backward, forward, mode),
             "forward and backward are swapped: Keras puts the forward states first, then the "
             "backward ones."),
            (_merge(backward_as_returned, forward, mode),
             "forward and backward are swapped (Keras puts the forward states first), and the "
             "backward outputs must be reversed along time first."),
        ]
        for other in MERGE_MODES:
            if other != mode:
                mistakes.append((_merge(forward, backward, other),
                                 f"that is the {other!r} merge. For {mode!r}: {_MERGE_MEANINGS[mode]}."))
        for wrong, hint in mistakes:
            if wrong.shape == got.shape and np.allclose(got, wrong, atol=1e-6):
                fail(label, "the values are not what keras.layers.Bidirectional returns.", hint)
        check_array(label, got, expected)
    passed(what, "the four merge modes match keras.layers.Bidirectional's rule")


def bidirectional_output_shape(batch, time, units, merge_mode, return_sequences):
    """The output shape of `keras.layers.Bidirectional(keras.layers.RNN(cell(units),
    return_sequences=...), merge_mode=...)` on inputs (batch, time, features): a tuple,
    or a list of two tuples for merge_mode=None."""
    one = (batch, time, units) if return_sequences else (batch, units)
    if merge_mode is None:
        return [one, one]
    if merge_mode == "concat":
        return one[:-1] + (2 * units,)
    if merge_mode in MERGE_MODES:
        return one
    raise ValueError(f"bidirectional_output_shape: `merge_mode` must be one of "
                     f"{MERGE_MODES + (None,)}, got {merge_mode!r}.")


def _as_shape(value):
    try:
        shape = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        return None
    return shape if len(shape) == len(value) else None


def check_bidirectional_shape(output_shape):
    """Checks the learner's `output_shape(batch, time, units, merge_mode,
    return_sequences)` against `bidirectional_output_shape` on several cases."""
    what = "output_shape"
    for batch, time, units in ((32, 12, 16), (5, 7, 3)):
        for return_sequences in (True, False):
            for mode in MERGE_MODES + (None,):
                case = (f"{what}(batch={batch}, time={time}, units={units}, merge_mode={mode!r}, "
                        f"return_sequences={return_sequences})")
                got = call_learner(what, output_shape, batch, time, units, mode, return_sequences)
                expected = bidirectional_output_shape(batch, time, units, mode, return_sequences)
                if got is None:
                    fail(case, "your code returned None.", "did you forget a `return` statement?")
                if mode is None:
                    shapes = [_as_shape(g) for g in got] if isinstance(got, (list, tuple)) \
                        and len(got) == 2 and all(isinstance(g, (list, tuple)) for g in got) else None
                    if shapes is None or None in shapes:
                        fail(case, f"expected a list of two shapes, got {got!r}.",
                             "merge_mode=None does not merge: Bidirectional returns the two "
                             "directions' outputs separately, [forward, backward].")
                    if shapes != expected:
                        fail(case, f"expected {expected}, got {shapes}.", _shape_hint(
                            shapes[0], expected[0], units, None, return_sequences))
                    continue
                shape = _as_shape(got) if isinstance(got, (list, tuple)) else None
                if shape is None:
                    fail(case, f"expected a tuple of integers, got {got!r}.",
                         "return the shape as a tuple, e.g. (batch, time, units)." if mode else None)
                if shape != expected:
                    fail(case, f"expected {expected}, got {shape}.",
                         _shape_hint(shape, expected, units, mode, return_sequences))
    passed(what, "every merge mode, with and without return_sequences")


def _shape_hint(got, expected, units, mode, return_sequences):
    if len(got) != len(expected):
        if return_sequences:
            return "with return_sequences=True there is one output per step: keep the time axis."
        return ("with return_sequences=False each direction returns one vector per sequence "
                "(the backward one after reading the first word): no time axis.")
    if mode == "concat" and got[-1] == units:
        return "concat puts the two states side by side: the last axis holds 2*units."
    if mode in ("sum", "ave", "mul") and got[-1] == 2 * units:
        return f"{mode} combines the two states element by element: the last axis stays units."
    if mode is None and got[-1] == 2 * units:
        return "with merge_mode=None each direction keeps its own units; nothing is concatenated."
    return "the order is (batch, time, units) or (batch, units); check each position."
