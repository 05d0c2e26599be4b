"""Instant feedback for the exercises.

A check prints one line starting with "PASS" when the learner's answer is right. When it
is wrong it raises `ExerciseError` (an AssertionError, so autograding counts it as a
failed test) whose message says what is wrong and gives a hint: a wrong shape, a
transposed matrix, gates in the wrong order, the other update convention, ...
An exercise that still holds its `raise NotImplementedError` stub gets a message that
says so, not a traceback from deep inside the check.
"""

import numpy as np

from gru_keras.reference import sigmoid

__all__ = ["check_make_windows", "check_scale_parts", "check_persistence_mae", "ExerciseError", "passed", "check_array", "check_value", "call_learner", "check_layer_parameter_count", "check_lstm_step", "check_lstm_param_count", "check_closed_forget_gate", "check_merge_directions", "check_bidirectional_shape", "bidirectional_output_shape", "MERGE_MODES", "check_rnn_step", "check_split_stacked_weights", "check_rnn_param_count", "check_gru_step", "check_gru_parameter_count", "check_flip_update_convention"]


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


# ---------------------------------------------------------------------------------
# Exercise checks, one section per notebook. Each builds a small random case, runs the
# learner's answer and the reference on it, and prints PASS or raises with a hint.
# ---------------------------------------------------------------------------------

# --- 01_rnn ----------------------------------------------------------------------
def _rnn_case(seed=1, batch=3, features=4, units=4):
    """A small random Elman step: x, h_prev (non-zero), W, U, b (non-zero)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.normal(scale=0.5, size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, units))
    U = rng.normal(scale=0.7, size=(units, units))
    b = rng.normal(scale=0.5, size=(units,))
    return x, h_prev, W, U, b


# Typical slips in h_t = tanh(x_t W + h_{t-1} U + b), each as the answer it gives
# on a square case (features == units, so transposed matrices do not crash), with a hint.
_RNN_STEP_SLIPS = [
    (lambda x, h, W, U, b: x @ W + h @ U + b,
     "the tanh is missing: h_t = tanh(x_t W + h_{t-1} U + b)."),
    (lambda x, h, W, U, b: np.tanh(x @ W + h @ U),
     "the bias b is missing: add it inside the tanh."),
    (lambda x, h, W, U, b: np.tanh(x @ W + b),
     "the recurrent term h_{t-1} U is missing: without it the cell has no memory."),
    (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U + b),
     "W is transposed: with row vectors the product is x @ W (W has shape (features, units)); "
     "W @ x.T or x @ W.T is the column-vector form."),
    (lambda x, h, W, U, b: np.tanh(x @ W + h @ U.T + b),
     "U is transposed: the recurrent product is h_prev @ U, not h_prev @ U.T or U @ h_prev.T."),
    (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U.T + b),
     "W and U are both transposed: with row vectors write x @ W + h_prev @ U."),
    (lambda x, h, W, U, b: np.tanh(x @ U + h @ W + b),
     "W and U are swapped: W multiplies the input x_t, U the previous state h_{t-1}."),
    (lambda x, h, W, U, b: 1.0 / (1.0 + np.exp(-(x @ W + h @ U + b))),
     "that is the sigmoid; the Elman cell squashes with tanh, into (-1, 1)."),
    (lambda x, h, W, U, b: np.maximum(x @ W + h @ U + b, 0.0),
     "that is a ReLU; the Elman cell squashes with tanh, into (-1, 1)."),
]


def check_rnn_step(rnn_step):
    """Checks `rnn_step(x, h_prev, W, U, b) -> h_t` = tanh(x W + h_prev U + b)."""
    what = "rnn_step"
    square = _rnn_case()
    got = call_learner(what, rnn_step, *(a.copy() for a in square))
    if isinstance(got, (tuple, list)):
        fail(what, f"expected one array h_t, got a {type(got).__name__} of {len(got)} values.",
             "the Elman step returns only the new state: `return h`.")
    expected = np.tanh(square[0] @ square[2] + square[1] @ square[3] + square[4])
    if got is not None and np.shape(got) == expected.shape and not np.allclose(got, expected, atol=1e-6):
        for slip, hint in _RNN_STEP_SLIPS:
            if np.allclose(got, slip(*square), atol=1e-6):
                fail(what, "the result differs from the reference.", hint)
    check_array(what, got, expected)
    # A case with features != units: a shape slip that a square case hides shows here.
    x, h_prev, W, U, b = _rnn_case(seed=2, batch=2, features=3, units=5)
    try:
        got = rnn_step(x.copy(), h_prev.copy(), W.copy(), U.copy(), b.copy())
    except Exception as error:
        fail(what, f"with 3 input features and 5 units your code raised {type(error).__name__}: {error}",
             "x is (batch, features), W (features, units), h_prev (batch, units), U (units, units): "
             "x @ W and h_prev @ U both have shape (batch, units).")
    check_array(f"{what} (3 features, 5 units)", got, np.tanh(x @ W + h_prev @ U + b))
    passed(what, "h_t matches the reference on two random steps.")


def check_split_stacked_weights(split_stacked_weights):
    """Checks `split_stacked_weights(M, units) -> (W, U)`, where M is the stacked matrix
    of shape (units + features, units) that multiplies the concatenation
    [h_{t-1}, x_t], so that [h_{t-1}, x_t] @ M = x_t W + h_{t-1} U."""
    what = "split_stacked_weights"
    _, _, W, U, _ = _rnn_case(seed=3, features=3, units=5)
    M = np.concatenate([U, W], axis=0)
    got = call_learner(what, split_stacked_weights, M.copy(), 5)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (W, U), got {type(got).__name__}.", "end with `return W, U`.")
    W_got, U_got = got
    if np.shape(W_got) == U.shape and np.shape(U_got) == W.shape:
        fail(what, "W and U are returned in the wrong order (or have each other's shape).",
             "return the pair in the order (W, U): W is (features, units), U is (units, units).")
    if np.shape(W_got) == W.shape and np.shape(U_got) == U.shape:
        if np.allclose(W_got, M[:3]) and np.allclose(U_got, M[3:]):
            fail(what, "you split as if x_t came first in the concatenation.",
                 "the concatenation is [h_{t-1}, x_t]: its first `units` entries meet the "
                 "first `units` rows of M, so those rows are U and the rest are W.")
    check_array(f"{what}: W (first value returned)", W_got, W)
    check_array(f"{what}: U (second value returned)", U_got, U)
    passed(what, "W and U recovered from the stacked matrix.")


def check_rnn_param_count(rnn_param_count):
    """Checks `rnn_param_count(features, units)` against Keras' `count_params()`."""
    import keras

    check_layer_parameter_count(
        "rnn_param_count", rnn_param_count, [(3, 5), (1, 8), (10, 2)],
        lambda m, n: keras.layers.SimpleRNN(n),
        lambda m, n: {
            m * n + n * n: "the bias b is missing: it has one entry per unit.",
            m * n + n: "the recurrent weights U (units × units) are missing.",
            n * n + n: "the input weights W (features × units) are missing.",
            m * n + n * n + m: "the bias has one entry per unit, not per input feature.",
            2 * m * n + n: "U maps the state to the state: it is units × units, not features × units.",
            m * n + n * n + 2 * n: "one bias per unit, not two (Keras' SimpleRNN has a single b).",
        },
        "count W (features × units), U (units × units) and b (units).")
    passed("rnn_param_count", "matches keras.layers.SimpleRNN(units).count_params() for three sizes.")



# --- 02_lstm ---------------------------------------------------------------------
def _lstm_case(seed=2, batch=3, features=2, units=4):
    """A small random LSTM step: x, h_prev, c_prev (non-zero), W, U, b."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.normal(scale=0.5, size=(batch, units))
    c_prev = rng.normal(size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, 4 * units))
    U = rng.normal(scale=0.7, size=(units, 4 * units))
    b = rng.normal(scale=0.5, size=(4 * units,))
    return x, h_prev, c_prev, W, U, b


def _lstm_step_variant(x, h_prev, c_prev, W, U, b, order=(0, 1, 2, 3), gate=None,
                       candidate=np.tanh, h_from_prev=False, tanh_on_c=True, forget=True):
    """One LSTM step, with the typical slips as options (the reference when defaults)."""
    gate = gate or sigmoid
    blocks = np.split(x @ W + h_prev @ U + b, 4, axis=-1)
    a_i, a_f, a_c, a_o = (blocks[k] for k in order)
    i, f, o = gate(a_i), gate(a_f), gate(a_o)
    c = (f * c_prev if forget else c_prev) + i * candidate(a_c)
    c_shown = c_prev if h_from_prev else c
    h = o * (np.tanh(c_shown) if tanh_on_c else c_shown)
    return h, c


_GATE_NAMES = ("i", "f", "c", "o")

_LSTM_STEP_SLIPS = [
    (dict(h_from_prev=True),
     "h_t is computed from c_{t-1}: update the cell first, then h_t = o_t ⊙ tanh(c_t) with the new c_t."),
    (dict(tanh_on_c=False),
     "the tanh on the cell state is missing: h_t = o_t ⊙ tanh(c_t), not o_t ⊙ c_t."),
    (dict(forget=False),
     "the forget gate is not applied: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t."),
    (dict(gate=np.tanh),
     "the gates i, f, o need the sigmoid σ (values in (0, 1)), not tanh."),
    (dict(candidate=sigmoid),
     "the candidate c̃_t uses tanh (values in (-1, 1)), not the sigmoid."),
]


def check_lstm_step(lstm_step):
    """Checks `lstm_step(x, h_prev, c_prev, W, U, b) -> (h, c)` (blocks i, f, c, o)."""
    import itertools

    what = "lstm_step"
    args = _lstm_case()
    got = call_learner(what, lstm_step, *(a.copy() for a in args))
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (h_t, c_t), got {type(got).__name__}.",
             "end your function with `return h, c`.")
    h_got, c_got = (np.asarray(v, dtype=float) if v is not None else None for v in got)
    h_ref, c_ref = _lstm_step_variant(*args)
    if h_got is not None and c_got is not None and h_got.shape == c_got.shape == h_ref.shape:
        if np.allclose(h_got, c_ref, atol=1e-6) and np.allclose(c_got, h_ref, atol=1e-6):
            fail(what, "h_t and c_t are swapped.", "return them in the order (h, c).")
        for order in itertools.permutations(range(4)):
            if order == (0, 1, 2, 3):
                continue
            h_alt, c_alt = _lstm_step_variant(*args, order=order)
            if np.allclose(h_got, h_alt, atol=1e-6) and np.allclose(c_got, c_alt, atol=1e-6):
                fail(what, "the gate blocks are read in the wrong order: you used the order "
                     + ", ".join(_GATE_NAMES[k] for k in order) + ".",
                     "Keras' blocks along the last axis of W, U and b are i, f, c, o: "
                     "split x @ W + h_prev @ U + b into four and name them in that order.")
        for options, hint in _LSTM_STEP_SLIPS:
            h_alt, c_alt = _lstm_step_variant(*args, **options)
            if np.allclose(h_got, h_alt, atol=1e-6) and np.allclose(c_got, c_alt, atol=1e-6):
                fail(what, "the result differs from the reference.", hint)
    check_array(f"{what}: c_t (second value returned)", c_got, c_ref)
    check_array(f"{what}: h_t (first value returned)", h_got, h_ref)
    passed(what, "h_t and c_t match the reference on a random step.")


def check_lstm_param_count(lstm_param_count):
    """Checks `lstm_param_count(features, units)` against Keras' `count_params()`."""
    import keras

    check_layer_parameter_count(
        "lstm_param_count", lstm_param_count, [(3, 5), (1, 8), (10, 2)],
        lambda m, n: keras.layers.LSTM(n),
        lambda m, n: {
            m * n + n * n + n: "that is one block; the LSTM has four (i, f, c, o), each with its own W, U and b.",
            4 * (m * n + n * n): "the biases are missing: each of the four blocks has n of them.",
            4 * (m * n + n): "the recurrent weights U (n × n per block) are missing.",
            4 * (n * n + n): "the input weights W (m × n per block) are missing.",
            3 * (m * n + n * n + n): "only three blocks counted: the candidate c̃ has weights too.",
            4 * (m * n + n * n + n) + 3 * n: "that includes peephole weights, which keras.layers.LSTM does not have.",
        },
        "count W (m × 4n), U (n × 4n) and b (4n).")
    passed("lstm_param_count", "matches keras.layers.LSTM(units).count_params() for three sizes.")


_FORGET_CHOICES = {
    "A": "c_t = c_{t-1}: that is a forget gate fixed at 1 with a closed input gate, the opposite case.",
    "B": None,
    "C": "h_t = o_t ⊙ tanh(c_t) and c_t = i_t ⊙ c̃_t is not zero, so h_t is not zero either.",
    "D": "the input gate only scales the new candidate; nothing else carries c_{t-1} forward.",
}


def check_closed_forget_gate(close_forget_gate, prediction):
    """Checks `close_forget_gate(weights) -> new weights` (forget gate ≈ 0) and the
    multiple-choice `prediction` of what the cell then does ("B")."""
    from gru_keras.reference import lstm_forward

    what = "close_forget_gate"
    units, features = 3, 2
    rng = np.random.default_rng(5)
    weights = [rng.normal(scale=0.5, size=s) for s in
               [(features, 4 * units), (units, 4 * units), (4 * units,)]]
    original = [w.copy() for w in weights]
    got = call_learner(what, close_forget_gate, weights)
    if any(not np.array_equal(w, o) for w, o in zip(weights, original)):
        fail(what, "your function changed the weights it was given.",
             "work on copies: `W, U, b = (w.copy() for w in weights)`.")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        fail(what, "expected the list [W, U, b].", "return a list of the three arrays.")
    got = [np.asarray(w, dtype=float) for w in got]
    for name, g, o in zip(("W", "U", "b"), got, original):
        if g.shape != o.shape:
            fail(what, f"{name} has shape {g.shape} instead of {o.shape}.")
    changed = [k for k in range(4) if any(
        not np.allclose(g[..., k * units:(k + 1) * units], o[..., k * units:(k + 1) * units])
        for g, o in zip(got, original))]
    inputs = rng.normal(size=(4, 6, features))
    _, _, gates = lstm_forward(inputs, got, return_gates=True)
    if float(gates["f"].max()) > 1e-3:
        if 1 not in changed and changed:
            block = _GATE_NAMES[changed[0]]
            fail(what, f"you changed block {block}, not the forget gate.",
                 f"the blocks are i, f, c, o: the forget gate is the second, b[{units}:{2 * units}] "
                 "(in general b[units:2*units]).")
        if np.allclose(got[2][units:2 * units], 0.0):
            fail(what, f"the forget gate still reaches {float(gates['f'].max()):.3f}: a bias of 0 "
                 "leaves it around σ(0) = 0.5.",
                 "a sigmoid is near 0 for a large negative input: set the forget bias to, say, -100.")
        fail(what, f"the forget gate still reaches {float(gates['f'].max()):.3f}.",
             "set the forget block of the bias b to a large negative number such as -100.")
    if changed != [1]:
        others = ", ".join(_GATE_NAMES[k] for k in changed if k != 1)
        fail(what, f"blocks other than f changed too ({others}).",
             "only the forget block of b needs to change.")
    choice = str(prediction).strip().upper()
    if choice not in _FORGET_CHOICES:
        fail("prediction", f"{prediction!r} is not one of A, B, C, D.")
    if _FORGET_CHOICES[choice]:
        fail("prediction", f"{choice} is not what happens.", _FORGET_CHOICES[choice])
    without_past = np.allclose(gates["c"], gates["i"] * gates["ctilde"], atol=1e-9)
    passed(what, f"f_t < 0.001 everywhere, and c_t = i_t ⊙ c̃_t at every step: {without_past}")


# --- 03_gru ----------------------------------------------------------------------
def _gru_case(seed=3, batch=2, features=3, units=4):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.normal(scale=0.8, size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, 3 * units))
    U = rng.normal(scale=0.7, size=(units, 3 * units))
    b = rng.normal(scale=0.5, size=(3 * units,))
    return x, h_prev, W, U, b


def _swap_blocks(matrix, order, n):
    return np.concatenate([matrix[..., k * n:(k + 1) * n] for k in order], axis=-1)


def check_gru_step(gru_step):
    """Checks `gru_step(x, h_prev, W, U, b)`: one step of Cho et al.'s GRU (reset before
    the product, bias (3n,)), Keras' update convention, returning h_t (batch, units)."""
    from gru_keras.reference import gru_step as reference_step

    what = "gru_step"
    x, h_prev, W, U, b = _gru_case()
    n = h_prev.shape[-1]
    got = call_learner(what, gru_step, x, h_prev, W.copy(), U.copy(), b.copy())
    if isinstance(got, tuple):
        fail(what, "your function returned a tuple.", "return only h_t, the new state (batch, units).")
    expected, gates = reference_step(x, h_prev, W, U, b, reset_after=False)
    z, r, hbar = gates["z"], gates["r"], gates["hbar"]
    wrong = {
        "the update convention is flipped: you computed (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t; Keras and "
        "Cho et al. keep the old state where z ≈ 1: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃_t.":
            (1 - z) * h_prev + z * hbar,
        "the gates are in the wrong order: the blocks of W, U and b are z, r, h (update, reset, "
        "candidate); you took r from the first block and z from the second.":
            reference_step(x, h_prev, _swap_blocks(W, (1, 0, 2), n), _swap_blocks(U, (1, 0, 2), n),
                           _swap_blocks(b, (1, 0, 2), n), reset_after=False)[0],
        "the reset gate is applied after the recurrent product, r ⊙ (h_{t-1} U_h) (Keras' "
        "reset_after=True); this exercise is Cho et al.'s placement: (r ⊙ h_{t-1}) U_h.":
            reference_step(x, h_prev, W, U, np.stack([b, np.zeros_like(b)]), reset_after=True)[0],
        "the reset gate is missing: the candidate must use (r ⊙ h_{t-1}) U_h, not h_{t-1} U_h.":
            z * h_prev + (1 - z) * np.tanh(x @ W[:, 2 * n:] + h_prev @ U[:, 2 * n:] + b[2 * n:]),
        "the candidate's tanh is missing: h̃_t = tanh(x_t W_h + (r ⊙ h_{t-1}) U_h + b_h).":
            z * h_prev + (1 - z) * (x @ W[:, 2 * n:] + (r * h_prev) @ U[:, 2 * n:] + b[2 * n:]),
        "the gates use tanh instead of the sigmoid σ: gates must lie between 0 and 1.":
            _tanh_gates_step(x, h_prev, W, U, b),
    }
    got_array = np.asarray(got, dtype=float) if got is not None else None
    if got_array is not None and got_array.shape == expected.shape:
        for hint, value in wrong.items():
            if np.allclose(got_array, value, atol=1e-6):
                fail(what, "values differ from the reference.", hint)
    check_array(what, got, expected)
    passed(what, "your step equals gru_keras.reference.gru_step(..., reset_after=False).")


def _tanh_gates_step(x, h_prev, W, U, b):
    n = h_prev.shape[-1]
    a = x @ W + b
    z = np.tanh(a[:, :n] + h_prev @ U[:, :n])
    r = np.tanh(a[:, n:2 * n] + h_prev @ U[:, n:2 * n])
    hbar = np.tanh(a[:, 2 * n:] + (r * h_prev) @ U[:, 2 * n:])
    return z * h_prev + (1 - z) * hbar


def check_gru_parameter_count(count_function):
    """Checks `count_function(input_dim, units, reset_after)` against Keras' count_params()."""
    import keras

    def slips(m, n, reset_after):
        base = 3 * (n * m + n * n + n)
        return {
            base: "reset_after=True has a second bias row (added to h_{t-1} U): 3n more parameters.",
            base + 3 * n: "only reset_after=True has the second bias row; reset_after=False has one bias of 3n.",
            3 * (n * m + n * n): "the biases are missing: each of the 3 blocks has n of them.",
            4 * (n * m + n * n + n): "that is an LSTM's count (4 blocks); a GRU has 3: z, r and h.",
            4 * (n * m + n * n + 2 * n): "that is an LSTM's count (4 blocks); a GRU has 3: z, r and h.",
            2 * (n * m + n * n + n): "a GRU has 3 blocks (z, r, h), not 2: that is the simplified GRU.",
            3 * (n * m + n + n): "the recurrent kernel U is (n, 3n): n² per block, not n.",
        }

    check_layer_parameter_count(
        "GRU parameter count", count_function,
        [(m, n, reset_after) for m, n in ((3, 4), (8, 16), (1, 5)) for reset_after in (True, False)],
        lambda m, n, reset_after: keras.layers.GRU(n, reset_after=reset_after), slips,
        "count W (m × 3n), U (n × 3n) and the bias (3n, or 2 × 3n when reset_after).")
    passed("GRU parameter count", "your formula agrees with model.count_params() for both placements.")


def check_flip_update_convention(convert):
    """Checks `convert(weights)`: a Keras GRU's weights -> weights with which the write-gate
    GRU h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t gives the same outputs."""
    from gru_keras.experiments import gru_forward_lecture
    from gru_keras.reference import gru_forward

    what = "flip_update_convention"
    rng = np.random.default_rng(7)
    m, n = 3, 4
    inputs = rng.normal(size=(2, 5, m))
    for reset_after in (True, False):
        bias_shape = (2, 3 * n) if reset_after else (3 * n,)
        weights = [rng.normal(scale=0.6, size=s) for s in ((m, 3 * n), (n, 3 * n), bias_shape)]
        original = [w.copy() for w in weights]
        got = call_learner(what, convert, weights)
        if not all(np.array_equal(a, b) for a, b in zip(weights, original)):
            fail(what, "your function changed the weights it was given.",
                 "copy the arrays first (w.copy()) and change the copies.")
        if not isinstance(got, (list, tuple)) or len(got) != 3:
            fail(what, "return a list [kernel, recurrent_kernel, bias].")
        got = [np.asarray(w, dtype=float) for w in got]
        if [w.shape for w in got] != [w.shape for w in weights]:
            fail(what, f"shapes {[w.shape for w in got]} should stay {[w.shape for w in weights]}.")
        expected = gru_forward(inputs, weights, reset_after=reset_after)[0]
        result = gru_forward_lecture(inputs, got, reset_after=reset_after)
        if np.allclose(result, expected, atol=1e-6):
            continue
        W, U, b = got
        W0, U0, b0 = weights
        label = f"(reset_after={reset_after})"
        if np.allclose(W, -W0) and np.allclose(U, -U0):
            fail(what, f"outputs differ {label}.", "negate only the z block (the first n columns), not all three.")
        if np.allclose(W[:, n:2 * n], -W0[:, n:2 * n]) and np.allclose(W[:, :n], W0[:, :n]):
            fail(what, f"outputs differ {label}.", "you negated the r block (columns n..2n); z is the first block.")
        if not np.allclose(U[:, :n], -U0[:, :n]):
            fail(what, f"outputs differ {label}.", "the recurrent kernel's z block must be negated too.")
        if not np.allclose(W[:, :n], -W0[:, :n]):
            fail(what, f"outputs differ {label}.", "the kernel's z block must be negated too.")
        if reset_after and not np.allclose(b[..., :n], -b0[..., :n]):
            fail(what, f"outputs differ {label}.",
                 "with reset_after=True the bias has two rows (input and recurrent): negate the z block of both.")
        fail(what, f"outputs differ {label}.", "1 − σ(a) = σ(−a): negate every weight and bias of the z block, nothing else.")
    passed(what, "with your weights the write-gate GRU (gru_forward_lecture) reproduces Keras' GRU, both placements.")



# --- 04_bidirectional ------------------------------------------------------------
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


# --- 05_in_practice --------------------------------------------------------------
def _windows_variant(series, window, start_shift=0, target_shift=0, drop_last=False):
    """Windows of `series` with the typical slips (the right answer with the defaults):
    start_shift=1 moves the inputs one step later, so the last input IS the target;
    target_shift=-1 makes the target the last input; drop_last loses the final window."""
    n = len(series) - window - (1 if drop_last else 0)
    starts = np.arange(n)
    x = series[starts[:, None] + start_shift + np.arange(window)[None, :]]
    y = series[starts + window + target_shift]
    return x[..., None], y[:, None]


def check_make_windows(make_windows):
    """Checks `make_windows(series, window) -> (inputs (n, window, 1), targets (n, 1))`:
    window i is series[i : i + window] and its target series[i + window]."""
    what = "make_windows"
    series = np.arange(100.0, 130.0)  # distinct values: every slip shows
    window = 5
    got = call_learner(what, make_windows, series.copy(), window)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (inputs, targets), got {type(got).__name__}.",
             "end your function with `return inputs, targets`.")
    x_got, y_got = (np.asarray(v, dtype=float) if v is not None else None for v in got)
    x_ref, y_ref = _windows_variant(series, window)
    if x_got is None or y_got is None:
        fail(what, "one of the two returned values is None.", "return the arrays, not None.")
    if x_got.shape == x_ref.shape[:2] or y_got.shape == y_ref.shape[:1]:
        fail(what, f"inputs have shape {x_got.shape} and targets {y_got.shape}; expected "
             f"{x_ref.shape} and {y_ref.shape}.",
             "Keras' recurrent layers want (samples, time, features): add the feature axis "
             "with `inputs[..., None]`, and make targets (n, 1) with `targets[:, None]`.")
    if x_got.shape == (len(x_ref) + 1, window, 1):
        fail(what, f"you built {len(x_got)} windows; only {len(x_ref)} have a target inside the series.",
             "the last window must end one step before the last value, which is its target: "
             "n = len(series) - window.")
    slips = [
        (dict(start_shift=1), "future leak: your last input is the very value you ask the model to "
         "predict (off by one). Window i is series[i : i + window], its target series[i + window]."),
        (dict(target_shift=-1), "your target is the last value of the window itself: the model "
         "would be asked to copy its input. The target is the value right after the window, "
         "series[i + window]."),
        (dict(drop_last=True), "one window too few: the last window, series[-window - 1:-1] with "
         "target series[-1], is missing. n = len(series) - window."),
    ]
    for options, hint in slips:
        x_alt, y_alt = _windows_variant(series, window, **options)
        if x_got.shape == x_alt.shape and y_got.shape == y_alt.shape \
                and np.allclose(x_got, x_alt) and np.allclose(y_got, y_alt):
            fail(what, "the windows are not right.", hint)
    leaked = x_got.shape[:1] == y_got.shape[:1] and x_got.ndim == 3 and \
        np.any(np.isclose(x_got[..., 0], y_got).any(axis=1))
    if leaked:
        fail(what, "some windows contain their own target among their inputs (a future leak).",
             "window i must stop at series[i + window - 1]; its target is series[i + window].")
    check_array(f"{what}: inputs", x_got, x_ref)
    check_array(f"{what}: targets", y_got, y_ref)
    passed(what, f"{len(x_ref)} windows of {window} values, each target just after its window, "
                 "none containing its own target.")


def check_scale_parts(scale_parts):
    """Checks `scale_parts(train, val, test) -> (train, val, test)` standardised with the
    mean and standard deviation of `train` only."""
    what = "scale_parts"
    rng = np.random.default_rng(7)
    train = rng.normal(50.0, 10.0, size=40)
    val = rng.normal(80.0, 20.0, size=12)  # a different level: every slip shows
    test = rng.normal(110.0, 30.0, size=12)
    parts = (train, val, test)
    got = call_learner(what, scale_parts, *(p.copy() for p in parts))
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(what, f"expected three arrays (train, val, test), got {type(got).__name__}.",
             "end your function with `return train_scaled, val_scaled, test_scaled`.")
    got = [np.asarray(g, dtype=float) if g is not None else None for g in got]
    if any(g is None for g in got):
        fail(what, "one of the returned values is None.", "return the three scaled arrays.")

    def scaled(mean, std):
        return [(p - mean) / std for p in parts]

    def same(candidate):
        return all(g.shape == c.shape and np.allclose(g, c, atol=1e-6) for g, c in zip(got, candidate))

    whole = np.concatenate(parts)
    slips = [
        (scaled(whole.mean(), whole.std()), "you used the mean and spread of the whole series, "
         "validation and test included: the model would learn how high the future goes. "
         "Compute them on `train` only."),
        ([(p - p.mean()) / p.std() for p in parts], "each part is scaled with its own statistics: "
         "the test part's mean is information from the future, and the three parts no longer "
         "share one scale. Use the mean and std of `train` for all three."),
        (scaled(test.mean(), test.std()), "you used the test part's statistics: fit the scaling "
         "on `train` only."),
        (scaled(train.std(), train.mean()), "mean and standard deviation are swapped: "
         "(x - mean) / std."),
        ([(train - train.mean()) / train.std(), val, test], "only the training part is scaled: "
         "scale the validation and test parts too, with the training statistics."),
    ]
    for candidate, hint in slips:
        if same(candidate):
            fail(what, "the scaling is not right.", hint)
    for name, g, expected in zip(("train", "val", "test"), got, scaled(train.mean(), train.std())):
        check_array(f"{what}: {name} part", g, expected)
    passed(what, "all three parts use the training mean and standard deviation only.")


def check_persistence_mae(value, data):
    """Checks the learner's number: the mean absolute error of the persistence forecast
    on the test windows of `data` (the dict of `gru_keras.data.windowed_splits`), in the
    series' own units."""
    what = "persistence_mae"
    if not isinstance(data, dict) or not {"x_test", "y_test", "scaler"} <= set(data):
        raise TypeError("check_persistence_mae: `data` must be the dict returned by "
                        "gru_keras.data.windowed_splits.")
    inputs, y, scaler = data["x_test"], data["y_test"], data["scaler"]
    last = scaler.inverse(np.asarray(inputs)[:, -1, 0])
    truth = scaler.inverse(np.asarray(y)[:, 0])
    expected = float(np.mean(np.abs(last - truth)))
    if value is None:
        fail(what, "your answer is None.", "assign the number to `persistence_mae`.")
    try:
        value = float(value)
    except (TypeError, ValueError):
        fail(what, f"expected a number, got {type(value).__name__}.")
    scaled = float(np.mean(np.abs(np.asarray(inputs)[:, -1, 0] - np.asarray(y)[:, 0])))
    if abs(value - scaled) < 1e-3:
        fail(what, f"{value:.3f} is the error in standard deviations (scaled values).",
             "undo the scaling first with `scaler.inverse(...)`, then compare, so the error is in sunspots.")
    if abs(value - float(np.sqrt(np.mean((last - truth) ** 2)))) < 1e-3 or \
            abs(value - float(np.mean((last - truth) ** 2))) < 1e-2:
        fail(what, f"{value:.3f} is a squared error (MSE or RMSE), not the mean absolute error.",
             "take np.mean(np.abs(forecast - truth)).")
    if abs(value - expected) > 1e-3:
        fail(what, f"{value:.3f} is not the persistence error.",
             "the forecast for each window is its last value, inputs[:, -1, 0]; compare it with "
             "the window's target, after undoing the scaling of both.")
    passed(what, f"persistence is off by {expected:.1f} sunspots on average.")
