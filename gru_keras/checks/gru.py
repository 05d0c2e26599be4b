"""The checks of 03_gru's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_choice, fail, passed
from gru_keras.data import REVIEW_VOCABULARY, review_sentences
from gru_keras.reference import gru_forward, sigmoid

__all__ = ["check_masked_gru_step", "check_update_bias_prediction", "check_strengthen_verdicts"]


# --------------------------------------------------------------------------------------
# Exercise 1: one step of Keras' GRU (reset after the product) that respects a mask
# --------------------------------------------------------------------------------------
def _masked_case(seed=3, batch=5, features=3, units=4):
    """A random reset-after GRU step; the batch differs from the units, so a mask of shape
    (batch,) broadcast against (batch, units) without [:, None] raises instead of passing."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.uniform(-0.9, 0.9, size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, 3 * units))
    U = rng.normal(scale=0.7, size=(units, 3 * units))
    b = rng.normal(scale=0.5, size=(2, 3 * units))
    mask = np.array([True, False, True, False, True])[:batch]
    return x, h_prev, mask, W, U, b


def _gru_step_variant(x, h_prev, W, U, b, swap_zr=False, write_gate=False, reset="after"):
    """One reset-after GRU step (bias rows: input, recurrent) with a typical slip as an
    option; the defaults give Keras' step. reset: "after" (Keras), "before" (Cho et al.'s
    placement), "bias outside" (b'_h added outside r ⊙ (...)), "no recurrent bias"
    (row 1 ignored), "rows swapped" (row 0 taken as the recurrent bias)."""
    n = h_prev.shape[-1]
    b_x, b_h = (b[1], b[0]) if reset == "rows swapped" else (b[0], b[1])
    if reset == "no recurrent bias":
        b_h = np.zeros_like(b_h)
    from_x = x @ W + b_x
    from_h = h_prev @ U + b_h
    first, second = (slice(n, 2 * n), slice(0, n)) if swap_zr else (slice(0, n), slice(n, 2 * n))
    z = sigmoid(from_x[:, first] + from_h[:, first])
    r = sigmoid(from_x[:, second] + from_h[:, second])
    H = slice(2 * n, 3 * n)
    if reset == "before":
        candidate = np.tanh(from_x[:, H] + (r * h_prev) @ U[:, H] + b_h[H])
    elif reset == "bias outside":
        candidate = np.tanh(from_x[:, H] + r * (h_prev @ U[:, H]) + b_h[H])
    else:
        candidate = np.tanh(from_x[:, H] + r * from_h[:, H])
    if write_gate:
        return (1 - z) * h_prev + z * candidate
    return z * h_prev + (1 - z) * candidate


_STEP_SLIPS = [
    (dict(write_gate=True),
     "the update convention is flipped: you computed (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t; Keras keeps the old "
     "state where z ≈ 1: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃_t."),
    (dict(swap_zr=True),
     "the gates are in the wrong order: Keras' blocks of W, U and b are z, r, h (update, reset, "
     "candidate); you took r from the first block and z from the second."),
    (dict(reset="before"),
     "the reset gate sits before the recurrent product, (r ⊙ h_{t-1}) U_h: that is Cho et al.'s "
     "placement (reset_after=False). Keras' default scales the product: r ⊙ (h_{t-1} U_h + b'_h)."),
    (dict(reset="bias outside"),
     "the recurrent bias b'_h is added outside the reset: it belongs inside, r ⊙ (h_{t-1} U_h + b'_h), "
     "which is why reset_after=True needs a second bias row at all."),
    (dict(reset="no recurrent bias"),
     "the second bias row is missing: b[0] is added to x_t W, b[1] to h_{t-1} U (inside the reset "
     "for the h block)."),
    (dict(reset="rows swapped"),
     "the two bias rows are swapped: b[0] goes with the input, x_t W + b[0]; b[1] with the state, "
     "h_{t-1} U + b[1]."),
]


def _rows_match(got, value, rows):
    return bool(rows.any()) and np.allclose(got[rows], value[rows], atol=1e-6)


def _diagnose_masked_step(got, x, h_prev, mask, W, U, b):
    """The hint that names the learner's slip, or None when none is recognised."""
    real, padded = mask, ~mask
    stepped = _gru_step_variant(x, h_prev, W, U, b)
    if _rows_match(got, h_prev, real) and _rows_match(got, stepped, padded):
        return ("the mask is inverted: True marks a real step (Keras' convention: the mask says which "
                "steps to keep), False a padded one, whose state must stay h_{t-1}.")
    if _rows_match(got, stepped, real) and _rows_match(got, np.zeros_like(h_prev), padded):
        return ("at a padded step you set the state to 0: Keras carries it over unchanged, h_t = h_{t-1}, "
                "so a sequence padded at the end keeps what it read.")
    if _rows_match(got, stepped, padded):
        return ("the padded rows were updated like the others: where the mask is False the state must stay "
                "h_{t-1}, whatever x holds there.")
    zero_input = _gru_step_variant(np.zeros_like(x), h_prev, W, U, b)
    if _rows_match(got, zero_input, padded):
        return ("at a padded step you fed a zero input: that is still a step (the biases and h_{t-1} U move "
                "the gates and the candidate), so the state changes. Keep h_{t-1} instead.")
    for options, hint in _STEP_SLIPS:
        if _rows_match(got, _gru_step_variant(x, h_prev, W, U, b, **options), real):
            return hint
    return None


def check_masked_gru_step(masked_gru_step):
    """Checks `masked_gru_step(x, h_prev, mask, W, U, b) -> h_t`: one step of Keras' default
    GRU (reset after the product, bias (2, 3n)) that keeps h_{t-1} where mask is False;
    then runs it over padded sequences against `keras.layers.GRU` with that mask."""
    what = "masked_gru_step"
    x, h_prev, mask, W, U, b = _masked_case()
    got = call_learner(what, masked_gru_step, x.copy(), h_prev.copy(), mask.copy(), W.copy(), U.copy(), b.copy())
    if isinstance(got, tuple):
        fail(what, "your function returned a tuple.", "return only h_t, the new state (batch, units).")
    expected = np.where(mask[:, None], _gru_step_variant(x, h_prev, W, U, b), h_prev)
    got_array = np.asarray(got, dtype=float) if got is not None else None
    if got_array is not None and got_array.shape == expected.shape and not np.allclose(got_array, expected, atol=1e-6):
        hint = _diagnose_masked_step(got_array, x, h_prev, mask, W, U, b)
        if hint:
            fail(what, "values differ from Keras' step.", hint)
    check_array(what, got, expected)

    outputs, keras_outputs, sequence_mask = _run_over_padded_sequences(what, masked_gru_step)
    check_array(f"{what} over padded sequences", outputs, keras_outputs, atol=1e-5)
    passed(what, f"run over {len(sequence_mask)} sequences padded at the end, at the start and in the middle, "
                 "your step gives the states of keras.layers.GRU called with that mask.")


def _run_over_padded_sequences(what, masked_gru_step, seed=11, units=4):
    """Runs the learner's step over a batch whose mask pads at the end, at the start and
    in the middle; returns its states over time, Keras' outputs and the mask."""
    import keras

    rng = np.random.default_rng(seed)
    batch, steps, features = 4, 7, 3
    inputs = rng.normal(size=(batch, steps, features)).astype("float32")
    mask = np.ones((batch, steps), dtype=bool)
    mask[1, 5:] = False                     # padded at the end, as pad_sequences(padding="post") does
    mask[2, :3] = False                     # padded at the start ("pre", the agreement sentences' layout)
    mask[3, [2, 3]] = False                 # a gap in the middle
    layer = keras.layers.GRU(units, return_sequences=True)      # reset_after=True, Keras' default
    layer.build((None, steps, features))
    W, U, b = (rng.normal(scale=0.6, size=w.shape).astype("float32") for w in layer.get_weights())
    layer.set_weights([W, U, b])
    keras_outputs = keras.ops.convert_to_numpy(layer(inputs, mask=mask))
    h = np.zeros((batch, units))
    states = []
    for t in range(steps):
        h = call_learner(what, masked_gru_step, inputs[:, t].astype(float), h, mask[:, t].copy(),
                         W.astype(float), U.astype(float), b.astype(float))
        h = np.asarray(h, dtype=float)
        states.append(h)
    return np.stack(states, axis=1), keras_outputs, mask


# --------------------------------------------------------------------------------------
# Exercise 2: predict, then measure: the update gate's bias at +3
# --------------------------------------------------------------------------------------
REACH_ANSWERS = ("further", "less far", "about the same")


def _expected_reach(share_at_subject):
    """The answer the measurement gives: "further" when b_z = +3 passes at least twice the
    share b_z = 0 does, "less far" when at most half, else "about the same"."""
    if not isinstance(share_at_subject, dict) or set(share_at_subject) != {0, 3}:
        raise ValueError("check_update_bias_prediction: pass the measurement as {0: share with b_z = 0, "
                         "3: share with b_z = +3}.")
    without, with_bias = float(share_at_subject[0]), float(share_at_subject[3])
    if with_bias > 2 * without:
        return "further"
    if with_bias < without / 2:
        return "less far"
    return "about the same"


def check_update_bias_prediction(predicted_reach, share_at_subject, distance=23):
    """Checks the prediction `predicted_reach()` ("further", "less far" or "about the same")
    against the measurement `share_at_subject` = {0: share, 3: share}: the share of the last
    input's gradient that reaches `distance` steps back with b_z = 0 and with b_z = +3."""
    what = "predicted_reach"
    expected = _expected_reach(share_at_subject)
    z = float(sigmoid(3.0))
    keeps = (f"z ≈ σ(3) ≈ {z:.2f} keeps h_{{t-1}}, and one step back multiplies the gradient by "
             f"J_t = diag(z_t) + terms that carry a factor 1 − z_t or z_t(1 − z_t): J_t ≈ {z:.2f} I. "
             f"A gate that keeps the state keeps its gradient: over {distance} steps {z:.2f}^{distance} ≈ "
             f"{z ** distance:.2f}, against about 0.5^{distance} ≈ {0.5 ** distance:.0e} for the copy term "
             "at z = 0.5.")
    choices = {
        "further": (
            "the measurement shows the opposite. Check that the measurement cell set the z block (the first "
            "n columns) of the bias's first row, and nothing else."),
        "less far": (
            keeps + " (Each input does get a smaller gradient with b_z = +3, since it is written with weight "
            "1 − z ≈ 0.05, the last input too: the share divides that out.)"),
        "about the same": (
            "the bias moves z on every word, and the gradient is multiplied by about z at each of the "
            f"{distance} steps back: a change per step compounds. " + keeps),
    }
    answer = check_choice(what, predicted_reach, choices, expected,
                          unknown_hint='return "further", "less far" or "about the same".')
    passed(what, f"{answer!r}, as the measurement shows. With b_z = +3, z ≈ {z:.2f} on every word and "
                 f"J_t ≈ diag(z_t): each step back keeps about {z:.2f} of the gradient, {z ** distance:.2f} "
                 f"after {distance} steps; with z ≈ 0.5 the copy term halves it at every step.")


# --------------------------------------------------------------------------------------
# Exercise 3: change the hand-set unit so that its verdicts need no reset
# --------------------------------------------------------------------------------------
_VERDICTS = ("did", "didn't")
_DRIVE_COLUMN = 2                  # one unit: columns z, r, h of the kernel; the drive is the h column


def _review_reading(weights, reviews, hold_reset_at_one):
    """Which reviews the one-unit GRU reads right from the sign of its final state."""
    from gru_keras.experiments import hold_reset_gate

    inputs, targets, _ = reviews
    one_hot = np.eye(len(REVIEW_VOCABULARY))[inputs]
    if hold_reset_at_one:
        weights = hold_reset_gate(weights, 1)
    states, final = gru_forward(one_hot, weights, reset_after=False)
    return (final[:, 0] > 0) == (targets[:, 0] > 0.5), states


def check_strengthen_verdicts(strengthen_verdicts, by_hand):
    """Checks `strengthen_verdicts(weights) -> new weights`: only the drives of "did" and
    "didn't" (kernel rows, h column) changed, and with the reset gate held at 1 (and
    working) the hand-set unit reads every test review right."""
    what = "strengthen_verdicts"
    original = [np.array(w, dtype=float) for w in by_hand]
    given = [w.copy() for w in original]
    got = call_learner(what, strengthen_verdicts, given)
    if not all(np.array_equal(a, b) for a, b in zip(given, original)):
        fail(what, "your function changed the weights it was given.",
             "copy them first ([w.copy() for w in weights]) and change the copies.")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        fail(what, "return a list [W, U, b], as by_hand is.")
    got = [np.asarray(w, dtype=float) for w in got]
    if [w.shape for w in got] != [w.shape for w in original]:
        fail(what, f"shapes {[w.shape for w in got]} should stay {[w.shape for w in original]}.")

    rows = {word: REVIEW_VOCABULARY.index(word) for word in _VERDICTS}
    allowed = np.zeros(original[0].shape, dtype=bool)
    for row in rows.values():
        allowed[row, _DRIVE_COLUMN] = True
    changed = ~np.isclose(got[0], original[0])
    if changed[list(rows.values())].any() and not (changed & allowed).any():
        fail(what, "you changed the verdict words' gates, not their drives.",
             "their z entries are already −6 (z ≈ 0: the candidate overwrites the state); what loses is the "
             "candidate itself, tanh(drive + 2 · r h_{t-1}). Change the h column of their rows.")
    if (changed & ~allowed).any() or not np.allclose(got[1], original[1]) or not np.allclose(got[2], original[2]):
        fail(what, "you changed more than the two drives.",
             'change only W[did, H] and W[didn\'t, H] (H = 2): the exercise asks what the verdict words '
             'alone can do, with "but" and the other weights as they are.')
    drives = {word: got[0][row, _DRIVE_COLUMN] for word, row in rows.items()}
    drives_read = f"drives did = {drives['did']:g}, didn't = {drives[_VERDICTS[1]]:g}"
    if drives["did"] <= 0 or drives["didn't"] >= 0:
        fail(what, f"{drives_read}.",
             '"did" is the positive verdict ("but i did really enjoy the book" after blame), so its drive is '
             'positive; "didn\'t" is the negative one.')

    reviews = review_sentences(500, seed=50)
    for hold in (True, False):
        right, _ = _review_reading(got, reviews, hold_reset_at_one=hold)
        if right.all():
            continue
        states = _review_reading(original, reviews, hold_reset_at_one=True)[1]
        verdict_at = reviews[2]
        with_verdict = np.flatnonzero(verdict_at >= 0)
        # the state the verdict word meets (two words after "but"), with r held at 1
        before_verdict = np.abs(states[with_verdict, verdict_at[with_verdict] + 1, 0]).max()
        keep = original[1][0, _DRIVE_COLUMN]
        weak = [word for word in _VERDICTS if abs(drives[word]) <= keep * before_verdict]
        fail(what, f"with r {'held at 1' if hold else 'working'}, {np.mean(~right):.0%} of the test reviews "
                   "are read wrong.",
             f"at the verdict word z ≈ 0, so h_t ≈ h̃_t = tanh(drive + {keep:g} · r h_{{t-1}}), and after the "
             f"opinions h_{{t-1}} ≈ ±{before_verdict:.2f}: with r = 1 the drive must outweigh {keep:g} · "
             f"{before_verdict:.2f} ≈ {keep * before_verdict:.2f} in size"
             + (f" (too weak: {', '.join(weak)})." if weak else "."))
    passed(what, f"{drives_read}: with r held at 1, and with "
                 "the reset gate working, the unit reads every test review right. The verdict now overwrites "
                 "the state through the update gate alone.")
