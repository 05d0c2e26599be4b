"""The checks of 02_lstm's exercises (see `gru_keras.checks` for how a check reports).

1. `coupled_lstm_step`: derive and implement the LSTM whose forget gate is 1 − i_t.
2. `predicted_reach`: predict, then measure, how far back the gradient reaches along the
   cell state when the forget bias starts at 3 instead of 1.
3. `close_memory_unit`: change one number of the trained LSTM so that it loses the
   first value of the adding problem.
"""

import itertools

import numpy as np

from gru_keras.checks import call_learner, check_array, check_choice, fail, passed
from gru_keras.reference import sigmoid

__all__ = ["check_coupled_lstm_step", "check_predicted_reach", "check_close_memory_unit"]

_COUPLED_BLOCKS = ("i", "c", "o")
_LSTM_BLOCKS = ("i", "f", "c", "o")


# -- Exercise 1: the coupled-gate LSTM ----------------------------------------------------
def _coupled_case(seed=2, batch=3, features=2, units=4):
    """A small random coupled-LSTM step: x, h_prev, c_prev (non-zero), W, U, b (3 blocks)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.normal(scale=0.5, size=(batch, units))
    c_prev = rng.normal(size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, 3 * units))
    U = rng.normal(scale=0.7, size=(units, 3 * units))
    b = rng.normal(scale=0.5, size=(3 * units,))
    return x, h_prev, c_prev, W, U, b


def _coupled_variant(x, h_prev, c_prev, W, U, b, order=(0, 1, 2), keep="1-i", gate=sigmoid,
                     candidate=np.tanh, h_from_prev=False, tanh_on_c=True):
    """One coupled-LSTM step with the typical slips as options (the right step by default).

    keep: what multiplies c_{t-1} ("1-i": right; "i": f = i; "none": c_{t-1} kept whole;
    "swapped": i_t keeps the old state and 1 − i_t writes the candidate).
    """
    blocks = np.split(x @ W + h_prev @ U + b, 3, axis=-1)
    a_i, a_c, a_o = (blocks[k] for k in order)
    i, o, c_tilde = gate(a_i), gate(a_o), candidate(a_c)
    if keep == "1-i":
        c = (1 - i) * c_prev + i * c_tilde
    elif keep == "i":
        c = i * c_prev + i * c_tilde
    elif keep == "none":
        c = c_prev + i * c_tilde
    elif keep == "swapped":
        c = i * c_prev + (1 - i) * c_tilde
    else:
        raise ValueError(f"unknown keep={keep!r}")
    shown = c_prev if h_from_prev else c
    h = o * (np.tanh(shown) if tanh_on_c else shown)
    return h, c


_COUPLED_SLIPS = [
    (dict(keep="i"),
     "your forget gate is i_t itself. In the coupled cell f_t = 1 − i_t: "
     "c_t = (1 − i_t) ⊙ c_{t-1} + i_t ⊙ c̃_t, so the cell forgets exactly as much as it writes."),
    (dict(keep="swapped"),
     "i_t and 1 − i_t are swapped: i_t is the input gate, the share of the candidate c̃_t, and the "
     "old state keeps the rest, c_t = (1 − i_t) ⊙ c_{t-1} + i_t ⊙ c̃_t."),
    (dict(keep="none"),
     "c_{t-1} is kept whole (the 1997 LSTM without a forget gate): here it is scaled by f_t = 1 − i_t."),
    (dict(h_from_prev=True),
     "h_t is computed from c_{t-1}: update the cell first, then h_t = o_t ⊙ tanh(c_t) with the new c_t."),
    (dict(tanh_on_c=False),
     "the tanh on the cell state is missing: h_t = o_t ⊙ tanh(c_t), not o_t ⊙ c_t."),
    (dict(gate=np.tanh),
     "the gates i and o need the sigmoid σ (values in (0, 1)), not tanh."),
    (dict(candidate=sigmoid),
     "the candidate c̃_t uses tanh (values in (-1, 1)), not the sigmoid."),
]


def check_coupled_lstm_step(coupled_lstm_step):
    """Checks `coupled_lstm_step(x, h_prev, c_prev, W, U, b) -> (h, c)`: the LSTM step with
    f_t = 1 − i_t and three blocks i, c, o along the last axis of W, U and b."""
    what = "coupled_lstm_step"
    args = _coupled_case()
    got = call_learner(what, coupled_lstm_step, *(a.copy() for a in args))
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (h_t, c_t), got {type(got).__name__}.",
             "end your function with `return h, c`.")
    h_got, c_got = (np.asarray(v, dtype=float) if v is not None else None for v in got)
    h_ref, c_ref = _coupled_variant(*args)
    if h_got is not None and c_got is not None and h_got.shape == c_got.shape == h_ref.shape:
        def same(variant):
            return np.allclose(h_got, variant[0], atol=1e-6) and np.allclose(c_got, variant[1], atol=1e-6)

        if same((c_ref, h_ref)):
            fail(what, "h_t and c_t are swapped.", "return them in the order (h, c).")
        for order in itertools.permutations(range(3)):
            if order != (0, 1, 2) and same(_coupled_variant(*args, order=order)):
                fail(what, "the blocks are read in the wrong order: you used the order "
                     + ", ".join(_COUPLED_BLOCKS[k] for k in order) + ".",
                     "the blocks along the last axis of W, U and b are i, c, o (Keras' order "
                     "i, f, c, o without f): split x @ W + h_prev @ U + b into three in that order.")
        for options, hint in _COUPLED_SLIPS:
            if same(_coupled_variant(*args, **options)):
                fail(what, "the result differs from the right step.", hint)
    check_array(f"{what}: c_t (second value returned)", c_got, c_ref)
    check_array(f"{what}: h_t (first value returned)", h_got, h_ref)
    passed(what, "h_t and c_t are right on a random step.")


# -- Exercise 2: forget bias 3, predicted then measured -------------------------------------
def check_predicted_reach(predicted_reach, bias_1, bias_3, distance=50):
    """Checks the prediction `predicted_reach() -> "further" | "less far" | "about the same"`
    against the measurement: `bias_1` and `bias_3` are section 9's measurements
    (`belt_and_full_gradient`: "f" the forget gates, "belt", "full" = the mean
    |∂Σc_T/∂c_{T-distance}|) of the untrained LSTM with forget bias 1 and 3."""
    what = "predicted_reach"
    f_1, f_3 = float(np.mean(bias_1["f"])), float(np.mean(bias_3["f"]))
    reach_1, reach_3 = float(bias_1["full"]), float(bias_3["full"])
    if reach_3 > 2 * reach_1:
        expected = "further"
    elif reach_3 < reach_1 / 2:
        expected = "less far"
    else:
        expected = "about the same"
    measured = (f"mean f_t went from {f_1:.2f} (bias 1) to {f_3:.2f} (bias 3), so along the belt "
                f"{distance} steps keep about (mean f)^{distance}: {f_1 ** distance:.0e} against "
                f"{f_3 ** distance:.0e}; the gradient that arrived went from {reach_1:.1e} to {reach_3:.1e}.")
    if expected == "further":
        choices = {
            "further": None,
            "less far": "a larger forget bias opens the forget gate wider (σ(3) ≈ 0.95 against "
                        "σ(1) ≈ 0.73): the cell keeps more of c_{t-1} at every step, and so does "
                        "the gradient flowing back along the belt. Measured: " + measured,
            "about the same": f"the forget gate multiplies the gradient at each of the {distance} steps, "
                              f"so a change of f_t counts {distance} times over. Measured: " + measured,
        }
    else:  # not what the lesson leads one to expect: say what was measured
        choices = {key: f"the measurement shows {expected!r}: " + measured
                   for key in ("further", "less far", "about the same")}
    check_choice(what, predicted_reach, choices, expected,
                 unknown_hint='return "further", "less far" or "about the same".')
    passed(what, f"{expected!r}, as the measurement shows.")


# -- Exercise 3: close the forget gate of the unit that carries the memory ----------------
_FIRST_VALUE_LOST_MSE = 1.0 / 12.0   # what a model knowing only the second value can reach


def _test_mse(model, lstm_weights, inputs, targets):
    """The test MSE of `model` (a recurrent layer, then a Dense head) with the recurrent
    layer's weights replaced by `lstm_weights`; `model` itself is left unchanged."""
    import keras

    changed = keras.models.clone_model(model)
    head = [w for layer in model.layers[1:] for w in layer.get_weights()]
    changed.set_weights([np.asarray(w, dtype="float32") for w in lstm_weights] + head)
    predictions = keras.ops.convert_to_numpy(changed(np.asarray(inputs, dtype="float32"), training=False))
    return float(np.mean((predictions - np.asarray(targets)) ** 2))


def check_close_memory_unit(close_memory_unit, model, mean_forget, inputs, targets):
    """Checks `close_memory_unit(weights, mean_forget) -> [W, U, b]`: the trained LSTM's
    weights with the forget gate of one unit closed, the unit chosen from `mean_forget`
    (the mean forget gate of each unit). `model` is the trained Sequential (LSTM, then
    Dense); the changed model must lose the first value: test MSE above 1/12."""
    from gru_keras.reference import lstm_forward

    what = "close_memory_unit"
    weights = [np.asarray(w) for w in model.layers[0].get_weights()]
    units = weights[1].shape[0]
    mean_forget = np.asarray(mean_forget, dtype=float)
    given, given_mean = [w.copy() for w in weights], mean_forget.copy()
    got = call_learner(what, close_memory_unit, given, given_mean)
    if (any(not np.array_equal(g, w) for g, w in zip(given, weights))
            or not np.array_equal(given_mean, mean_forget)):
        fail(what, "your function changed the arrays it was given.",
             "work on copies: `W, U, b = (w.copy() for w in weights)`.")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        fail(what, f"expected the list [W, U, b], got {type(got).__name__}.",
             "return a list of the three arrays.")
    got = [np.asarray(w, dtype=float) for w in got]
    for name, g, w in zip(("W", "U", "b"), got, weights):
        if g.shape != w.shape:
            fail(what, f"{name} has shape {g.shape} instead of {w.shape}.", "return [W, U, b] in that order.")
    for name, g, w in zip(("W", "U"), got[:2], weights[:2]):
        if not np.array_equal(g, w):
            fail(what, f"you changed {name}.",
                 "a gate that is closed whatever the input needs only its bias: change one number of b.")
    changed = np.flatnonzero(got[2] != weights[2])
    if changed.size == 0:
        fail(what, "nothing changed.", "set the forget bias of one unit to a large negative number, such as -100.")
    if changed.size > 1:
        forget_block = set(range(units, 2 * units))
        if set(changed.tolist()) <= forget_block:
            fail(what, f"you closed the forget gates of {changed.size} units.",
                 "closing many forget gates breaks the model, but does not tell where its memory "
                 "is: choose the one unit whose forget gate stays open, from mean_forget.")
        fail(what, f"{changed.size} numbers of b changed.", "change one: the forget bias of one unit.")
    index = int(changed[0])
    block, unit = divmod(index, units)
    if block != 1:
        fail(what, f"you changed b[{index}], the bias of unit {unit} in block {_LSTM_BLOCKS[block]}, "
             "not a forget gate.",
             f"the blocks of b are i, f, c, o, each {units} wide: the forget bias of unit k is "
             f"b[units + k], here b[{units} + k].")
    _, _, gates = lstm_forward(inputs[:50], got, return_gates=True)
    highest = float(gates["f"][..., unit].max())
    old, new = float(weights[2][index]), float(got[2][index])
    if highest > 1e-3:
        if new > old:
            fail(what, f"you raised the forget bias of unit {unit} (from {old:.2f} to {new:.2f}): "
                 "that opens its forget gate further.",
                 "a sigmoid is near 0 for a large negative input: set it to, say, -100.")
        fail(what, f"the forget gate of unit {unit} still reaches {highest:.3f}.",
             "a sigmoid is near 0 only for a large negative input: set the bias to, say, -100.")
    after = _test_mse(model, got, inputs, targets)
    if after <= _FIRST_VALUE_LOST_MSE:
        kept = mean_forget[unit]
        if unit == int(np.argmin(mean_forget)):
            hint = (f"unit {unit} has the least open forget gate (mean f = {kept:.2f}): it forgets "
                    "within a few steps anyway. The first value must last 25 steps or more: which "
                    "unit keeps almost all of its cell state from one step to the next?")
        else:
            hint = (f"unit {unit}'s forget gate averages {kept:.2f}: after 25 steps its cell state "
                    f"keeps about {kept:.2f}^25 = {kept ** 25:.0e} of what it held, too little to carry "
                    "the first value. Look in mean_forget for the forget gate that stays open.")
        fail(what, f"with the forget gate of unit {unit} closed the model still carries the first value: "
             f"test MSE {after:.4f}, not above 1/12.", hint)
    passed(what, "with that one forget gate closed, the test MSE rose above 1/12: the model lost the first value.")
