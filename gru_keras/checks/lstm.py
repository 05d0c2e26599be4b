"""The checks of 02_lstm's exercises (see `gru_keras.checks` for how a check reports).

1. `coupled_as_lstm` (derive and implement): the weights with which an ordinary LSTM
   computes the coupled cell, whose forget gate is 1 − i_t.
2. `close_memory_unit` (change the model): change one number of the trained LSTM so that
   its prediction no longer follows the first value of the adding problem.
3. `predicted_growth` (predict, then measure): with the forget bias raised from 1 to 3,
   does the gradient from 50 steps back grow by more, about as much or less than the
   product of the forget gates along the belt?

Exercise 2 is judged by `gru_keras.experiments.marked_value_slopes`, the measurement
`01_rnn.ipynb` introduces.
"""

import itertools

import numpy as np

from gru_keras.checks import call_learner, check_choice, fail, passed
from gru_keras.experiments import slopes_on_marked_values
from gru_keras.reference import lstm_forward, sigmoid

__all__ = ["check_coupled_as_lstm", "check_close_memory_unit", "check_predicted_growth"]

_LSTM_BLOCKS = ("i", "f", "c", "o")
_COUPLED_BLOCKS = ("i", "c", "o")
_WEIGHT_NAMES = ("W", "U", "b")


# -- Exercise 1: the coupled cell as an LSTM ------------------------------------------------
def _coupled_case(seed=2, batch=3, steps=6, features=2, units=4):
    """Random coupled-cell weights (blocks i, c, o) and input sequences for them."""
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=0.7, size=(features, 3 * units))
    U = rng.normal(scale=0.7, size=(units, 3 * units))
    b = rng.normal(scale=0.5, size=(3 * units,))
    inputs = rng.normal(size=(batch, steps, features))
    return (W, U, b), inputs


def coupled_forward(inputs, W, U, b):
    """The coupled cell over a sequence, from zero states: blocks i, c, o;
    c_t = (1 − i_t) ⊙ c_{t-1} + i_t ⊙ c̃_t, h_t = o_t ⊙ tanh(c_t). Returns (h, c), each (B, T, n)."""
    units = U.shape[0]
    h = c = np.zeros((inputs.shape[0], units))
    hs, cs = [], []
    for t in range(inputs.shape[1]):
        a_i, a_c, a_o = np.split(inputs[:, t] @ W + h @ U + b, 3, axis=-1)
        i = sigmoid(a_i)
        c = (1 - i) * c + i * np.tanh(a_c)
        h = sigmoid(a_o) * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


def _blocks(array, count):
    return np.split(np.asarray(array, dtype=float), count, axis=-1)


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def _relation(forget_block, input_block):
    """How a learner's forget block relates to the input block it should be built from."""
    for name, value in [("minus", -input_block), ("same", input_block),
                        ("one minus", 1 - input_block), ("zero", np.zeros_like(input_block))]:
        if _close(forget_block, value):
            return name
    return "other"


def _diagnose_forget_block(what, got, given):
    """Fails with a hint when the forget blocks of `got` (the right i, c, o blocks around
    them) are built from the input blocks of `given` in one of the typical wrong ways."""
    relations = {name: _relation(_blocks(g, 4)[1], _blocks(w, 3)[0])
                 for name, g, w in zip(_WEIGHT_NAMES, got, given)}
    if set(relations.values()) == {"minus"}:
        return
    if set(relations.values()) == {"same"}:
        fail(what, "your forget block is a copy of the input block, so f_t = i_t.",
             "the coupled cell needs f_t = 1 − i_t: which pre-activation a gives σ(a) = 1 − σ(a_i)?")
    if relations["W"] == relations["U"] == "minus":
        if relations["b"] == "one minus":
            fail(what, "W_f = −W_i and U_f = −U_i are right, but you put b_f = 1 − b_i, not −b_i.",
                 "σ is not linear: 1 − σ(a_i) is not σ of the pre-activation with 1 − b_i. "
                 "σ(−a_i) = 1 − σ(a_i) needs the whole pre-activation a_i = x_t W_i + h_{t-1} U_i + b_i "
                 "negated: the bias too.")
        fail(what, "W_f = −W_i and U_f = −U_i are right, but b_f is not −b_i.",
             "σ(−a_i) = 1 − σ(a_i) needs the whole pre-activation a_i = x_t W_i + h_{t-1} U_i + b_i "
             "negated: the bias too.")
    if "one minus" in relations.values():
        slipped = [name for name in _WEIGHT_NAMES if relations[name] == "one minus"]
        fail(what, f"you put 1 − (the input block) in the forget block of {', '.join(slipped)}.",
             "σ is not linear: 1 − i_t = 1 − σ(a_i) is not the sigmoid of 1 minus the weights. Which "
             "pre-activation a gives σ(a) = 1 − σ(a_i)? Write σ(a) = 1 / (1 + e^−a) and compare σ(−a) "
             "with 1 − σ(a).")
    if relations["b"] == "minus":
        fail(what, "b_f = −b_i is right, but the forget block of W or U is not minus that of the input block.",
             "f_t must be 1 − i_t for every x_t and h_{t-1}: negate the whole pre-activation, "
             "W_f = −W_i and U_f = −U_i too.")
    if relations["W"] == relations["U"] == "zero":
        fail(what, "your forget gate reads neither x_t nor h_{t-1}: it is the constant "
             "σ(b_f), not 1 − i_t.",
             "1 − i_t changes with x_t and h_{t-1}, so the forget gate's weights cannot be zero: "
             "build W_f, U_f and b_f from W_i, U_i and b_i.")


def check_coupled_as_lstm(coupled_as_lstm):
    """Checks `coupled_as_lstm(W, U, b) -> [W4, U4, b4]`: given the coupled cell's weights
    (blocks i, c, o along the last axis), Keras LSTM weights (blocks i, f, c, o) with which
    the LSTM computes the coupled cell, f_t = 1 − i_t."""
    what = "coupled_as_lstm"
    given, inputs = _coupled_case()
    copies = [w.copy() for w in given]
    got = call_learner(what, coupled_as_lstm, *copies)
    if any(not np.array_equal(c, w) for c, w in zip(copies, given)):
        fail(what, "your function changed the arrays it was given.",
             "build new arrays (np.concatenate does) instead of writing into W, U or b.")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        fail(what, f"expected the list [W, U, b] of the LSTM, got {type(got).__name__}.",
             "return a list of three arrays: kernel, recurrent kernel, bias.")
    try:
        got = [np.asarray(w, dtype=float) for w in got]
    except (TypeError, ValueError):
        fail(what, "expected three arrays of numbers.", "return [W, U, b] as NumPy arrays.")
    for name, g, w in zip(_WEIGHT_NAMES, got, given):
        four = w.shape[:-1] + (w.shape[-1] // 3 * 4,)
        if g.shape == w.shape:
            fail(what, f"{name} still has three blocks, shape {g.shape}.",
                 f"keras.layers.LSTM wants four blocks i, f, c, o: {name} of shape {four}, "
                 "with a forget block you derive.")
        if g.shape != four:
            fail(what, f"{name} has shape {g.shape} instead of {four}.",
                 "four blocks of n columns each, in Keras' order i, f, c, o.")
    right = [np.concatenate([blocks[0], -blocks[0], blocks[1], blocks[2]], axis=-1)
             for blocks in (_blocks(w, 3) for w in given)]
    for order in itertools.permutations(range(4)):
        if order != (0, 1, 2, 3) and all(
                _close(g, np.concatenate([_blocks(r, 4)[k] for k in order], axis=-1))
                for g, r in zip(got, right)):
            swapped = (" Read that way, the LSTM's input gate is 1 − i_t and its forget gate i_t: "
                       "the roles swapped." if order == (1, 0, 2, 3) else "")
            fail(what, "the blocks are in the order " + ", ".join(_LSTM_BLOCKS[k] for k in order) + "."
                 + swapped,
                 "Keras' LSTM reads its blocks in the order i, f, c, o: the forget block goes second.")
    for name, g, w in zip(_WEIGHT_NAMES, got, given):
        mine, theirs = _blocks(g, 4), _blocks(w, 3)
        for position, block in zip((0, 2, 3), _COUPLED_BLOCKS):
            if not _close(mine[position], theirs[_COUPLED_BLOCKS.index(block)]):
                fail(what, f"block {block} of {name} is not the coupled cell's block {block}.",
                     "the blocks i, c and o stay as they are; only the forget block (second) is new.")
    _diagnose_forget_block(what, got, given)
    h_want, c_want = coupled_forward(inputs, *given)
    h_got, _, states = lstm_forward(inputs, got, return_gates=True)
    if not (np.allclose(states["c"], c_want, atol=1e-6) and np.allclose(h_got, h_want, atol=1e-6)):
        fail(what, "an LSTM with these weights does not compute the coupled cell "
             f"(largest difference in c_t {np.max(np.abs(states['c'] - c_want)):.3g}).",
             "the forget gate must equal 1 − i_t for every x_t and h_{t-1}.")
    passed(what, "an LSTM with your weights computes the coupled cell on random sequences: "
           "its forget gate is 1 − i_t at every step.")


# -- Exercise 2: close the forget gate of the unit that carries the memory ----------------
FOLLOWS, IGNORES = 0.5, 0.3   # 01_rnn's thresholds: s > 0.5 follows a value, s < 0.3 hardly moves with it


def _predictions_with(model, lstm_weights, inputs):
    """The predictions of `model` (a recurrent layer, then a Dense head) with the recurrent
    layer's weights replaced by `lstm_weights`; `model` itself is left unchanged."""
    import keras

    changed = keras.models.clone_model(model)
    head = [w for layer in model.layers[1:] for w in layer.get_weights()]
    changed.set_weights([np.asarray(w, dtype="float32") for w in lstm_weights] + head)
    return keras.ops.convert_to_numpy(changed(np.asarray(inputs, dtype="float32"), training=False)).ravel()


def check_close_memory_unit(close_memory_unit, model, mean_forget, inputs):
    """Checks `close_memory_unit(weights, mean_forget) -> [W, U, b]`: the trained LSTM's
    weights with the forget gate of one unit closed, the unit chosen from `mean_forget`
    (the mean forget gate of each unit). `model` is the trained Sequential (LSTM, then
    Dense); on the adding-problem `inputs` the changed model's prediction must no longer
    follow the first value: slope s_1 below 0.3 (`marked_value_slopes`)."""
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
    for name, g, w in zip(_WEIGHT_NAMES, got, weights):
        if g.shape != w.shape:
            fail(what, f"{name} has shape {g.shape} instead of {w.shape}.", "return [W, U, b] in that order.")
    for name, g, w in zip(_WEIGHT_NAMES[:2], got[:2], weights[:2]):
        if not np.array_equal(g, w):
            fail(what, f"you changed {name}.",
                 "a gate that is closed whatever the input needs only its bias: change one number of b.")
    changed = np.flatnonzero(got[2] != weights[2])
    if changed.size == 0:
        fail(what, "nothing changed.", "set the forget bias of one unit to a large negative number, such as -100.")
    if changed.size > 1:
        if set(changed.tolist()) <= set(range(units, 2 * units)):
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
    first, second = slopes_on_marked_values(_predictions_with(model, got, inputs), inputs)
    if first >= IGNORES:
        kept = mean_forget[unit]
        if unit == int(np.argmin(mean_forget)):
            hint = (f"unit {unit} has the least open forget gate (mean f = {kept:.2f}): it forgets "
                    "within a few steps anyway. The first value lies 25 or more steps before the end: "
                    "which unit keeps almost all of its cell state from one step to the next?")
        else:
            share = kept ** 25
            verdict = (", too little to carry the first value" if share < 0.1 else
                       ", yet with it closed the prediction still follows the first value, so another "
                       "unit carries it")
            hint = (f"unit {unit}'s forget gate averages {kept:.2f} on the probe: if it stayed near that "
                    f"over the 25 or more steps from the first value to the end, its cell state would "
                    f"keep roughly {kept:.2f}^25 ≈ {share:.0e} of what it held{verdict}. Look in "
                    "mean_forget for the forget gate that stays open.")
        fail(what, f"with the forget gate of unit {unit} closed the prediction still follows the first "
             f"value: s_1 = {first:.2f}, not below {IGNORES}.", hint)
    also = f", nor the second (s_2 below {IGNORES})" if second < IGNORES else ""
    passed(what, f"with that one forget gate closed, the prediction no longer follows the first value "
           f"(s_1 below {IGNORES}){also}.")


# -- Exercise 3: forget bias 3, predicted then measured -------------------------------------
def check_predicted_growth(predicted_growth, bias_1, bias_3, distance=50):
    """Checks the prediction `predicted_growth() -> "more" | "about the same" | "less"`:
    raising the forget bias from 1 to 3, does the gradient ∂Σc_T/∂c_{T-distance} grow by
    more than, about as much as, or less than the product of the forget gates? `bias_1`
    and `bias_3` are section 9's measurements (`measure_cell_gradient`: "f" the forget
    gates, "forget_product" their product over the steps, "gradient" the mean
    |∂Σc_T/∂c_{T-distance}|) of the untrained LSTM with forget bias 1 and 3."""
    what = "predicted_growth"
    f_1, f_3 = float(np.mean(bias_1["f"])), float(np.mean(bias_3["f"]))
    product_growth = float(bias_3["forget_product"]) / float(bias_1["forget_product"])
    gradient_growth = float(bias_3["gradient"]) / float(bias_1["gradient"])
    if gradient_growth > 3 * product_growth:
        expected = "more"
    elif gradient_growth < product_growth / 3:
        expected = "less"
    else:
        expected = "about the same"
    measured = (f"mean f_t went from {f_1:.2f} to {f_3:.2f}; the product of the forget gates over "
                f"{distance} steps grew {product_growth:.1e} times, the gradient that arrives "
                f"{gradient_growth:.1e} times.")
    if expected == "less":
        off_the_belt = ("a path that leaves the belt at a step crosses that step through a slope (σ′ "
                        "or tanh′) and a U, factors that do not gain step after step as the belt's f_t "
                        "do (on the forget gate's path c_{t-1} grows, but σ′ = f(1 − f) and the tanh′ "
                        "slope next to it fall); it gains mostly on its steps along the belt. ")
        choices = {
            "less": None,
            "more": "no path gains more than the belt: " + off_the_belt + "Measured: " + measured,
            "about the same": "that would be so if the belt carried the gradient alone; with bias 1 "
                              "it carried less than a hundredth of what arrived (section 9). The rest "
                              "gains less: " + off_the_belt + "Measured: " + measured,
        }
    else:  # not what the lesson leads one to expect: say what was measured
        choices = {key: f"the measurement shows {expected!r}: " + measured
                   for key in ("more", "about the same", "less")}
    check_choice(what, predicted_growth, choices, expected,
                 unknown_hint='return "more", "about the same" or "less".')
    passed(what, f"{expected!r}, as the measurement shows.")
