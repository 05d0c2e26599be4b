"""The checks of 03_gru's exercises: each worked solution passes, each typical slip fails
with the hint that names it."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import experiments, reference  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks import gru as checks  # noqa: E402
from gru_keras.data import REVIEW_VOCABULARY, review_sentences  # noqa: E402
from gru_keras.experiments import hold_reset_gate  # noqa: E402


def _stub(*args):
    raise NotImplementedError()


# --- Exercise 1: the masked reset-after step ----------------------------------------------

def _masked_step(x, h, mask, W, U, b, **slip):
    """Keras' masked reset-after step; slip options: write_gate, swap_zr, reset=..., and
    padded="zero" | "inverted" | "ignored" | "zero input" for the padded rows."""
    padded = slip.pop("padded", "keep")
    stepped = checks._gru_step_variant(x, h, W, U, b, **slip)
    if padded == "zero":
        return np.where(mask[:, None], stepped, 0.0)
    if padded == "inverted":
        return np.where(mask[:, None], h, stepped)
    if padded == "ignored":
        return stepped
    if padded == "zero input":
        return np.where(mask[:, None], stepped, checks._gru_step_variant(0 * x, h, W, U, b, **slip))
    return np.where(mask[:, None], stepped, h)


def _solution_masked_step(x, h_prev, mask, W, U, b):
    """The notebook's worked solution, written without the checks' helper."""
    n = h_prev.shape[-1]
    from_x, from_h = x @ W + b[0], h_prev @ U + b[1]
    z = reference.sigmoid(from_x[:, :n] + from_h[:, :n])
    r = reference.sigmoid(from_x[:, n:2 * n] + from_h[:, n:2 * n])
    h_tilde = np.tanh(from_x[:, 2 * n:] + r * from_h[:, 2 * n:])
    return np.where(mask[:, None], z * h_prev + (1 - z) * h_tilde, h_prev)


def _in_place_step(x, h_prev, mask, W, U, b):
    """Right, but writes the new rows into h_prev and returns that same array."""
    h_prev[mask] = _solution_masked_step(x, h_prev, mask, W, U, b)[mask]
    return h_prev


def test_masked_step_solution_passes_and_matches_keras(capsys):
    checks.check_masked_gru_step(_solution_masked_step)
    checks.check_masked_gru_step(_masked_step)
    assert capsys.readouterr().out.count("PASS masked_gru_step") == 2


def test_masked_step_that_writes_into_h_prev_passes(capsys):
    """Every value it returns is right: the check copies what it keeps and what it passes."""
    checks.check_masked_gru_step(_in_place_step)
    assert "PASS masked_gru_step" in capsys.readouterr().out


@pytest.mark.parametrize("slip, hint", [
    (dict(padded="zero"), "set the state to 0"),
    (dict(padded="inverted"), "mask is inverted"),
    (dict(padded="ignored"), "padded rows were updated"),
    (dict(padded="zero input"), "zero input"),
    (dict(write_gate=True), "update convention is flipped"),
    (dict(swap_zr=True), "wrong order"),
    (dict(reset="before"), "Cho et al.'s v3"),
    (dict(reset="bias outside"), "outside the reset"),
    (dict(reset="recurrent bias only in h"), "b'_z and b'_r are missing"),
    (dict(reset="no recurrent bias"), "second bias row is missing"),
    (dict(reset="rows swapped"), "bias rows are swapped"),
], ids=lambda value: str(value))
def test_check_masked_gru_step_names_each_slip(slip, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_masked_gru_step(lambda x, h, mask, W, U, b: _masked_step(x, h, mask, W, U, b, **slip))


@pytest.mark.parametrize("answer, hint", [
    (lambda x, h, mask, W, U, b: (_masked_step(x, h, mask, W, U, b), None), "tuple"),
    (lambda x, h, mask, W, U, b: np.where(mask, h, h),                                  # mask without [:, None]
     r"(?s)your code raised ValueError.*could not be broadcast.*mask\[:, None\]"),
    (lambda x, h, W, U, b: h, "defined as"),
    (_stub, "not written yet"),
])
def test_check_masked_gru_step_names_bad_answers(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_masked_gru_step(answer)


@pytest.mark.parametrize("calls", ["reference.gru_step", "reference.gru_forward", "experiments.write_gate_gru_forward"])
def test_masked_step_must_be_written_from_the_equations(calls):
    """Copying a reference call and np.where is refused; the functions come back afterwards."""
    def copies(x, h, mask, W, U, b):
        if calls == "reference.gru_step":
            stepped = reference.gru_step(x, h, W, U, b, reset_after=True)[0]
        elif calls == "reference.gru_forward":
            stepped = reference.gru_forward(x[:, None], [W, U, b], initial_state=h)[0][:, 0]
        else:
            stepped = experiments.write_gate_gru_forward(x[:, None], [W, U, b])[:, 0]
        return np.where(mask[:, None], stepped, h)

    originals = reference.gru_step, reference.gru_forward, experiments.write_gate_gru_forward
    with pytest.raises(ExerciseError, match=f"(?s)your step calls {calls}.*from its equations"):
        checks.check_masked_gru_step(copies)
    assert (reference.gru_step, reference.gru_forward, experiments.write_gate_gru_forward) == originals


def test_masked_step_slip_that_only_shows_over_time_is_caught():
    """A step that is right on one call but keeps a hidden state between calls fails the run."""
    calls = []

    def remembers(x, h, mask, W, U, b):
        calls.append(1)
        return _masked_step(x, h, mask, W, U, b) + (0.1 if len(calls) > 2 else 0.0)

    with pytest.raises(ExerciseError, match="over padded sequences"):
        checks.check_masked_gru_step(remembers)


# --- Exercise 2: the last input's gradient with b_z = +3 ---------------------------------

MEASURED = {0: 0.69, 3: 0.066}          # ||∂L/∂x_T|| in the notebook's measurement (rounded)


def _hidden_test_answer(measurement):
    """What the notebook's hidden test computes from the same measurement."""
    ratio = measurement[3] / measurement[0]
    return "larger" if ratio > 2 else "smaller" if ratio < 0.5 else "about the same"


def test_last_input_prediction_passes_the_measured_direction(capsys):
    checks.check_last_input_prediction(lambda: "smaller", MEASURED)
    checks.check_last_input_prediction(lambda: " Smaller ", MEASURED)
    out = capsys.readouterr().out
    assert out.count("PASS predicted_last_input_gradient") == 2 and "0.047" in out


@pytest.mark.parametrize("answer, hint", [
    ("larger", r"(?s)crosses no step back.*0\.047 and 0\.045"),
    ("about the same", r"≈ 0\.095, a change of about 11 times"),
    ("further", 'return "larger", "smaller" or "about the same"'),
    (None, "None"),
])
def test_last_input_prediction_explains_each_wrong_answer(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_last_input_prediction(lambda: answer, MEASURED)


@pytest.mark.parametrize("measurement", [MEASURED, {0: 0.1, 3: 0.5}, {0: 0.1, 3: 0.15}, {0: 0.1, 3: 0.21},
                                         {0: 0.1, 3: 0.049}])
def test_last_input_prediction_follows_the_measurement_as_the_hidden_test_does(measurement, capsys):
    """The check and the notebook's hidden test draw the same line between the answers."""
    expected = _hidden_test_answer(measurement)
    checks.check_last_input_prediction(lambda: expected, measurement)
    assert "PASS" in capsys.readouterr().out
    for other in set(checks.LAST_INPUT_ANSWERS) - {expected}:
        with pytest.raises(ExerciseError, match="not what the measurement shows"):
            checks.check_last_input_prediction(lambda: other, measurement)


def test_last_input_prediction_refuses_a_stub_and_a_bad_measurement():
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_last_input_prediction(_stub, MEASURED)
    with pytest.raises(ExerciseError, match="set b_z"):
        checks.check_last_input_prediction(lambda: "smaller", {0: 0.1, 3: 0.5})
    with pytest.raises(ValueError, match="measurement"):
        checks.check_last_input_prediction(lambda: "smaller", {"b_z = 0": 0.7, "b_z = 3": 0.07})


# --- Exercise 3: the weakest verdict drives -------------------------------------------------

REVIEWS = review_sentences(500, seed=50)          # the notebook's test reviews
KEEP = 2.0


def _by_hand():
    """The one-unit GRU set by hand in the notebook (reset before the product)."""
    drives = {"great": 3, "lovely": 3, "dull": -3, "awful": -3, "did": 1.5, "didn't": -1.5}
    W, U, b = np.zeros((len(REVIEW_VOCABULARY), 3)), np.zeros((1, 3)), np.zeros(3)
    U[0, 2], b[1] = KEEP, 6.0
    for word, drive in drives.items():
        W[REVIEW_VOCABULARY.index(word), 0] = -6.0
        W[REVIEW_VOCABULARY.index(word), 2] = drive
    but = REVIEW_VOCABULARY.index("but")
    W[but, 0], W[but, 1] = -6.0, -12.0
    return [W, U, b]


def _with_drives(did, didnt, column=2):
    def answer(weights, reviews):
        W, U, b = (w.copy() for w in weights)
        W[REVIEW_VOCABULARY.index("did"), column] = did
        W[REVIEW_VOCABULARY.index("didn't"), column] = didnt
        return [W, U, b]
    return answer


def _met_state(weights, reviews, offset=1, reset_held=True):
    """max |h| at `offset` steps from "but" in the verdict reviews (1: the state the verdict word meets)."""
    inputs, _, verdict_at = reviews
    held = hold_reset_gate(weights, 1) if reset_held else weights
    states = reference.gru_forward(np.eye(len(REVIEW_VOCABULARY))[inputs], held, reset_after=False)[0]
    rows = np.flatnonzero(verdict_at >= 0)
    return np.abs(states[rows, verdict_at[rows] + offset, 0]).max()


def _solution(weights, reviews, margin=1.01, offset=1, reset_held=True):
    """The notebook's worked solution: KEEP · |h_{t-1}| the verdict word meets, plus 1%."""
    drive = margin * KEEP * _met_state(weights, reviews, offset, reset_held)
    return _with_drives(drive, -drive)(weights, reviews)


def test_strengthen_verdicts_solution_passes(capsys):
    by_hand = _by_hand()
    kept = [w.copy() for w in by_hand]
    checks.check_strengthen_verdicts(_solution, by_hand, REVIEWS)
    checks.check_strengthen_verdicts(_with_drives(1.93, -1.95), by_hand, REVIEWS)
    out = capsys.readouterr().out
    assert out.count("PASS strengthen_verdicts") == 2 and "the weakest (1.925)" in out
    assert all(np.array_equal(a, b) for a, b in zip(by_hand, kept))


def test_weakest_drive_is_just_above_keep_times_the_state_the_verdict_meets():
    weakest = checks._weakest_drive(_by_hand(), REVIEWS, "did")
    met = _met_state(_by_hand(), REVIEWS)
    assert KEEP * met < weakest < 1.002 * KEEP * met


def _changes_in_place(weights, reviews):
    weights[0][13, 2] = 3.0
    return _solution(weights, reviews)


def _also_changes_keep(weights, reviews):
    W, U, b = _solution(weights, reviews)
    return [W, U * 0.5, b]


@pytest.mark.parametrize("answer, hint", [
    (_with_drives(1.8, -1.8), r"(?s)too weak: did, didn't\).*state the verdict word meets \(the state after \"but i\""),
    (_with_drives(1.95, -1.5), r"too weak: didn't\)"),
    (lambda weights, reviews: _solution(weights, reviews, margin=1.0), r"(?s)right at that balance.*σ\(−6\)"),
    (lambda weights, reviews: _solution(weights, reviews, reset_held=False), "with the reset gate working"),
    (_with_drives(3.0, -3.0), r"(?s)driven harder than needed.*small margin"),
    (lambda weights, reviews: _solution(weights, reviews, margin=1.0, offset=-1), "last opinion word"),
    (lambda weights, reviews: _solution(weights, reviews, margin=1.03), r"(?s)last opinion word.*margin is too large"),
    (_with_drives(-3.0, 3.0), "positive verdict"),
    (_with_drives(-12.0, -12.0, column=0), "gates, not their drives"),
    (_also_changes_keep, "more than the two drives"),
    (_changes_in_place, "changed the weights it was given"),
    (lambda weights, reviews: weights[0], "return a list"),
    (lambda weights: weights, "defined as"),
    (_stub, "not written yet"),
], ids=["too weak", "one too weak", "no margin", "reset working", "the opinions' 3", "opinion word", "3% margin",
        "signs", "gates", "KEEP changed", "in place", "not a list", "old signature", "stub"])
def test_check_strengthen_verdicts_names_each_slip(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_strengthen_verdicts(answer, _by_hand(), REVIEWS)
