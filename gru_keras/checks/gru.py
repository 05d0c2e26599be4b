"""The checks of 03_gru's exercises (see `gru_keras.checks` for how a check reports).

1. `masked_gru_step`: derive one step of Keras' default GRU (reset after the product) from
   its equations, and decide what a padded step must do to the state.
2. `predicted_last_input_gradient`: predict, then measure, what the update gate's bias at
   +3 does to the gradient at the last input itself.
3. `strengthen_verdicts`: give the hand-set unit's verdict words the weakest drives with
   which it reads every review right without its reset gate.
"""

import contextlib

import numpy as np

from gru_keras.checks import call_learner, check_array, check_choice, fail, passed
from gru_keras.data import REVIEW_VOCABULARY
from gru_keras.reference import gru_forward, sigmoid

__all__ = ["check_masked_gru_step", "check_last_input_prediction", "check_strengthen_verdicts"]


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
    v3 placement), "bias outside" (b'_h added outside r ⊙ (...)), "no recurrent bias"
    (row 1 ignored), "recurrent bias only in h" (b'_z and b'_r left out), "rows swapped"
    (row 0 taken as the recurrent bias)."""
    n = h_prev.shape[-1]
    b_x, b_h = (b[1], b[0]) if reset == "rows swapped" else (b[0], b[1])
    if reset == "no recurrent bias":
        b_h = np.zeros_like(b_h)
    elif reset == "recurrent bias only in h":
        b_h = np.concatenate([np.zeros(2 * n), b_h[2 * n:]])
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
     "the reset gate sits before the recurrent product, (r ⊙ h_{t-1}) U_h: that is the placement of "
     "Cho et al.'s v3 (reset_after=False). Keras' default scales the product: r ⊙ (h_{t-1} U_h + b'_h)."),
    (dict(reset="bias outside"),
     "the recurrent bias b'_h is added outside the reset: it belongs inside, r ⊙ (h_{t-1} U_h + b'_h), "
     "which is why reset_after=True needs a second bias row at all."),
    (dict(reset="recurrent bias only in h"),
     "b'_z and b'_r are missing: the second bias row has three blocks, and b'_z and b'_r add to the "
     "gates' sums (x_t W_z + h_{t-1} U_z + b_z + b'_z, and the same for r), not only b'_h to the candidate."),
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
        return ("the mask is inverted: True marks a real step (a word), False a padded one, whose state "
                "must stay h_{t-1}.")
    if _rows_match(got, stepped, real) and _rows_match(got, np.zeros_like(h_prev), padded):
        return ("at a padded step you set the state to 0: a sentence padded at the end (or with a gap) "
                "would lose what it read before the padding. Carry the state over unchanged, h_t = h_{t-1}.")
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


@contextlib.contextmanager
def _reference_gru_switched_off(what):
    """Within the block, the NumPy GRUs of gru_keras answer with an ExerciseError: the
    exercise is to write the step from its equations, not to call one."""
    from gru_keras import experiments, reference

    switched = [(reference, "gru_step"), (reference, "gru_forward"), (experiments, "write_gate_gru_forward")]
    saved = [getattr(module, name) for module, name in switched]

    def refusal(name):
        def refuse(*args, **kwargs):
            fail(what, f"your step calls {name}.",
                 "write the step from its equations with NumPy (x @ W, h_prev @ U, reference.sigmoid, np.tanh): "
                 "the check runs it with the course's GRU functions switched off.")
        return refuse

    for module, name in switched:
        setattr(module, name, refusal(f"{module.__name__.split('.')[-1]}.{name}"))
    try:
        yield
    finally:
        for (module, name), original in zip(switched, saved):
            setattr(module, name, original)


_MASK_SHAPE_HINT = ("if NumPy says the shapes (B,) and (B, n) could not be broadcast together, that is the mask: "
                    "it has one entry per row, (B,), and the states are (B, n); index it as mask[:, None] "
                    "(shape (B, 1)) so that it picks whole rows. Otherwise run your function on a small input "
                    "in a new cell to see where it breaks.")


def check_masked_gru_step(masked_gru_step):
    """Checks `masked_gru_step(x, h_prev, mask, W, U, b) -> h_t`: one step of Keras' default
    GRU (reset after the product, bias (2, 3n)) that keeps h_{t-1} where mask is False,
    written without the course's NumPy GRU; then runs it over padded sequences against
    `keras.layers.GRU` with that mask."""
    what = "masked_gru_step"
    x, h_prev, mask, W, U, b = _masked_case()
    with _reference_gru_switched_off(what):
        got = call_learner(what, masked_gru_step, x.copy(), h_prev.copy(), mask.copy(), W.copy(), U.copy(),
                           b.copy(), hint_on_error=_MASK_SHAPE_HINT)
    if isinstance(got, tuple):
        fail(what, "your function returned a tuple.", "return only h_t, the new state (batch, units).")
    expected = np.where(mask[:, None], _gru_step_variant(x, h_prev, W, U, b), h_prev)
    try:
        got_array = np.asarray(got, dtype=float) if got is not None else None
    except (TypeError, ValueError):
        got_array = None  # not numbers: check_array below says so, with a hint
    if got_array is not None and got_array.shape == expected.shape and not np.allclose(got_array, expected, atol=1e-6):
        hint = _diagnose_masked_step(got_array, x, h_prev, mask, W, U, b)
        if hint:
            fail(what, "values differ from Keras' step.", hint)
    check_array(what, got, expected)

    with _reference_gru_switched_off(what):
        outputs, keras_outputs, sequence_mask = _run_over_padded_sequences(what, masked_gru_step)
    check_array(f"{what} over padded sequences", outputs, keras_outputs, atol=1e-5)
    passed(what, f"run over {len(sequence_mask)} sequences padded at the end, at the start and in the middle, "
                 "your step gives the states of keras.layers.GRU called with that mask.")


def _run_over_padded_sequences(what, masked_gru_step, seed=11, units=4):
    """Runs the learner's step over a batch whose mask pads at the end, at the start and
    in the middle; returns its states over time, Keras' outputs and the mask. The step
    gets a copy of the state, so one that writes into h_prev in place is not penalised."""
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
        h = call_learner(what, masked_gru_step, inputs[:, t].astype(float), h.copy(), mask[:, t].copy(),
                         W.astype(float), U.astype(float), b.astype(float), hint_on_error=_MASK_SHAPE_HINT)
        h = np.array(h, dtype=float)        # a copy: the learner's array may be reused later
        states.append(h)
    return np.stack(states, axis=1), keras_outputs, mask


# --------------------------------------------------------------------------------------
# Exercise 2: predict, then measure: the update gate's bias at +3, seen from the last input
# --------------------------------------------------------------------------------------
LAST_INPUT_ANSWERS = ("larger", "smaller", "about the same")


def _expected_last_input(last_input_norm):
    """The answer the measurement gives: "larger" when b_z = +3 gives the last input more
    than twice the gradient b_z = 0 gives it, "smaller" when less than half, else "about
    the same"."""
    if not isinstance(last_input_norm, dict) or set(last_input_norm) != {0, 3}:
        raise ValueError("check_last_input_prediction: pass the measurement as {0: ||∂L/∂x_T|| with b_z = 0, "
                         "3: ||∂L/∂x_T|| with b_z = +3}.")
    ratio = float(last_input_norm[3]) / float(last_input_norm[0])
    if ratio > 2:
        return "larger"
    if ratio < 0.5:
        return "smaller"
    return "about the same"


def check_last_input_prediction(predicted_last_input_gradient, last_input_norm):
    """Checks the prediction `predicted_last_input_gradient()` ("larger", "smaller" or
    "about the same") against the measurement `last_input_norm` = {0: norm, 3: norm}: the
    gradient of L at the last input, ||∂L/∂x_T||, with b_z = 0 and with b_z = +3."""
    what = "predicted_last_input_gradient"
    expected = _expected_last_input(last_input_norm)
    z = float(sigmoid(3.0))
    ratio = (1 - z) / 0.5
    paths = (f"x_T reaches h_T only through the candidate, written with weight 1 − z_T, and through z_T, with a "
             f"factor z_T(1 − z_T): with z ≈ σ(3) ≈ {z:.3f} these are {1 - z:.3f} and {z * (1 - z):.3f} instead "
             f"of 0.5 and 0.25.")
    choices = {
        "larger": (
            "b_z = +3 makes each step back keep more of the gradient (J_t ≈ diag(z_t)), but the last input "
            "crosses no step back: ∂h_T/∂x_T has no copy term. " + paths
            + " A unit that keeps its state lets less of each new input in."),
        "smaller": (
            "the measurement shows otherwise. Check that the measurement cell set b_z (the z block, the first "
            "n columns, of the bias's first row) to 3, and nothing else."),
        "about the same": (
            "the bias moves z_T at the last word as much as on every other word, and every path from x_T to h_T "
            f"carries 1 − z_T or z_T(1 − z_T): (1 − σ(3)) / (1 − σ(0)) ≈ {ratio:.3f}, a change of about "
            f"{1 / ratio:.0f} times, not a small one. " + paths),
    }
    answer = check_choice(what, predicted_last_input_gradient, choices, expected,
                          unknown_hint='return "larger", "smaller" or "about the same".')
    detail = f"{answer!r}, as the measurement shows."
    if answer == "smaller":
        detail += (f" {paths} The bias buys reach at every step back ({z:.3f}^23 ≈ {z ** 23:.2f} against "
                   f"0.5^23 ≈ {0.5 ** 23:.0e} for the copy term) and pays for it where each input is written.")
    passed(what, detail)


# --------------------------------------------------------------------------------------
# Exercise 3: the weakest verdict drives with which the hand-set unit needs no reset
# --------------------------------------------------------------------------------------
_VERDICTS = ("did", "didn't")
_DRIVE_COLUMN = 2                  # one unit: columns z, r, h of the kernel; the drive is the h column
_HEADROOM = 1.02                   # a drive may be at most 2% above the weakest that works


def _review_reading(weights, reviews, hold_reset_at_one):
    """Which reviews the one-unit GRU reads right from the sign of its final state, and its states."""
    from gru_keras.experiments import hold_reset_gate

    inputs, targets, _ = reviews
    one_hot = np.eye(len(REVIEW_VOCABULARY))[inputs]
    if hold_reset_at_one:
        weights = hold_reset_gate(weights, 1)
    states, final = gru_forward(one_hot, weights, reset_after=False)
    return (final[:, 0] > 0) == (targets[:, 0] > 0.5), states[:, :, 0]


def _with_drive(weights, word, drive):
    """Copies of the weights with `word` driven by `drive` and the other verdict word by
    ±10 (far beyond any need), so that only `word`'s reviews can be read wrong."""
    W, U, b = (np.array(w, dtype=float) for w in weights)
    for verdict, value in ((word, drive), *((other, 10.0) for other in _VERDICTS if other != word)):
        sign = 1.0 if verdict == "did" else -1.0
        W[REVIEW_VOCABULARY.index(verdict), _DRIVE_COLUMN] = sign * value
    return [W, U, b]


def _weakest_drive(weights, reviews, word, steps=20):
    """The smallest |drive| of `word` with which the unit, r held at 1, reads every review
    right (bisection; the reading only gets better as the drive grows)."""
    low, high = 0.0, 10.0
    for _ in range(steps):
        middle = (low + high) / 2
        if _review_reading(_with_drive(weights, word, middle), reviews, hold_reset_at_one=True)[0].all():
            high = middle
        else:
            low = middle
    return high


def check_strengthen_verdicts(strengthen_verdicts, by_hand, reviews):
    """Checks `strengthen_verdicts(weights, reviews) -> new weights`: only the drives of
    "did" and "didn't" (kernel rows, h column) changed, each at most 2% above the weakest
    with which the hand-set unit, its reset gate held at 1, reads every review right (and
    it still does with the reset gate working). `reviews` = (x, y, verdict_at)."""
    what = "strengthen_verdicts"
    original = [np.array(w, dtype=float) for w in by_hand]
    given = [w.copy() for w in original]
    inputs, targets, verdict_at = (np.array(part) for part in reviews)
    reviews = (inputs, targets, verdict_at)
    got = call_learner(what, strengthen_verdicts, given, (inputs.copy(), targets.copy(), verdict_at.copy()))
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
             'change only W[did, H] and W[didn\'t, H]: the exercise asks what the verdict words alone can do, '
             'with "but" and the other weights as they are.')
    drives = {word: float(got[0][row, _DRIVE_COLUMN]) for word, row in rows.items()}
    drives_read = f"drives did = {drives['did']:.3f}, didn't = {drives[_VERDICTS[1]]:.3f}"
    if drives["did"] <= 0 or drives["didn't"] >= 0:
        fail(what, f"{drives_read}.",
             '"did" is the positive verdict ("but i did really enjoy the book" after blame), so its drive is '
             'positive; "didn\'t" is the negative one.')

    keep = float(original[1][0, _DRIVE_COLUMN])
    with_verdict = np.flatnonzero(verdict_at >= 0)
    held_states = _review_reading(original, reviews, hold_reset_at_one=True)[1]
    working_states = _review_reading(original, reviews, hold_reset_at_one=False)[1]
    # the state the verdict word meets: after "but i", one step before the verdict word
    met = np.abs(held_states[with_verdict, verdict_at[with_verdict] + 1]).max()
    met_with_reset = np.abs(working_states[with_verdict, verdict_at[with_verdict] + 1]).max()
    at_opinion = np.abs(held_states[with_verdict, verdict_at[with_verdict] - 1]).max()
    weakest = {word: _weakest_drive(original, reviews, word) for word in _VERDICTS}
    size = {word: abs(drive) for word, drive in drives.items()}
    balance = ("at the verdict word z ≈ 0, so h_t ≈ h̃_t = tanh(drive + KEEP · r h_{t-1}): with r held at 1 the "
               "drive must outweigh KEEP · |h_{t-1}|, where h_{t-1} is the state the verdict word meets")

    for hold in (True, False):
        right, _ = _review_reading(got, reviews, hold_reset_at_one=hold)
        if right.all():
            continue
        weak = [word for word in _VERDICTS if size[word] < weakest[word]]
        problem = (f"{drives_read}: with r {'held at 1' if hold else 'working'}, {np.mean(~right):.0%} of the "
                   f"reviews are read wrong" + (f" (too weak: {', '.join(weak)})." if weak else "."))
        if weak and all(size[word] <= keep * met_with_reset + 0.05 for word in weak):
            fail(what, problem,
                 "you measured the state the verdict word meets with the reset gate working: after \"but\" it "
                 "is ≈ 0 there. The drive has to win with r held at 1 (hold_reset_gate(weights, 1)), where the "
                 "candidate still reads the earlier opinion.")
        if weak and all(size[word] >= 0.995 * keep * met for word in weak):
            fail(what, problem,
                 f"{balance}, and yours is right at that balance. At the verdict z = σ(−6) ≈ 0.0025, not 0: the "
                 "old state still counts a little, so the drive needs a small margin above KEEP · |h_{t-1}|.")
        fail(what, problem,
             f"{balance} (the state after \"but i\", with r held at 1): compute it from the states of "
             "these reviews.")

    strong = [word for word in _VERDICTS if size[word] > _HEADROOM * weakest[word]]
    if strong:
        problem = (f"{drives_read}: every review is read right, but {' and '.join(strong)} "
                   f"{'is' if len(strong) == 1 else 'are'} driven harder than needed (more than "
                   f"{_HEADROOM - 1:.0%} above the weakest drive that works).")
        if all(abs(size[word] - keep * at_opinion) <= 0.01 * keep * at_opinion for word in strong):
            # KEEP · |h| at the opinion word is only ~4% above KEEP · |h| the verdict word meets, so this
            # drive is also the right state with a 3-5% margin: the hint names both.
            fail(what, problem,
                 f"your drives are ≈ KEEP · |h| at the last opinion word ({keep * at_opinion:.3f}). If you used "
                 "the state at the last opinion word: the verdict word meets the state two words later, after "
                 "\"but\" and \"i\", with r held at 1. If you used that later state: your margin is too large, "
                 f"keep it under {_HEADROOM - 1:.0%}.")
        fail(what, problem, f"{balance}: compute that from the states of these reviews, and add only a small "
                            "margin.")
    passed(what, f"{drives_read}: within {_HEADROOM - 1:.0%} of the weakest ({weakest['did']:.3f}) with which the "
                 "unit, r held at 1, reads every review right, and still right with the reset gate working. The "
                 f"verdict word meets |h_{{t-1}}| ≈ {met:.3f}: its drive must beat KEEP · {met:.3f} ≈ {keep * met:.3f}, "
                 "and a little more since z = σ(−6), not 0. Its own input then outweighs what the candidate reads "
                 "from the state: no reset needed.")
