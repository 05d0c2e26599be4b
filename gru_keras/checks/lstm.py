"""The checks of 02_lstm's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_layer_parameter_count, fail, passed
from gru_keras.reference import sigmoid

__all__ = ["check_lstm_step", "check_lstm_param_count", "check_closed_forget_gate"]


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
