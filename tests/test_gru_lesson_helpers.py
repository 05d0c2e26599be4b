"""The 03_gru notebook's helpers: data generators, the write-gate GRU, parameter count, checks."""

import keras
import numpy as np
import pytest

from helpers import random_weights, sequences  # noqa: F401  (also silences TensorFlow)
from gru_keras import plots
from gru_keras.checks import ExerciseError
from gru_keras.checks import gru as checks
from gru_keras.data import AGREEMENT_VOCABULARY, review_sentences
from gru_keras.experiments import (binary_accuracy, flip_update_convention, gru_forward_lecture,
                                   gru_parameter_count, hold_reset_gate)
from gru_keras.reference import gru_forward


def test_review_sentences_verdict_overrules_opinions():
    x, y, start = review_sentences(40, seed=2)
    assert x.shape == (40, 18)
    assert ((start == -1) | (start == 11)).all()
    with pytest.raises(ValueError, match="verdict_rate"):
        review_sentences(5, verdict_rate=2)


@pytest.mark.parametrize("reset_after", [True, False])
def test_flipping_the_update_gate_gives_the_lecture_convention(reset_after):
    layer = keras.layers.GRU(4, reset_after=reset_after)
    layer.build((None, None, 3))
    weights = random_weights(layer)
    x = sequences()
    expected = gru_forward(x, weights, reset_after=reset_after)[0]
    got = gru_forward_lecture(x, flip_update_convention(weights), reset_after=reset_after)
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert gru_parameter_count(3, 4, reset_after) == layer.count_params()


# --- the exercises' checks: the worked solution passes, each typical slip gets its hint ---

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
    z = 1 / (1 + np.exp(-(from_x[:, :n] + from_h[:, :n])))
    r = 1 / (1 + np.exp(-(from_x[:, n:2 * n] + from_h[:, n:2 * n])))
    h_tilde = np.tanh(from_x[:, 2 * n:] + r * from_h[:, 2 * n:])
    return np.where(mask[:, None], z * h_prev + (1 - z) * h_tilde, h_prev)


def _stub(*args):
    raise NotImplementedError()


def test_masked_step_solution_passes_and_matches_keras(capsys):
    checks.check_masked_gru_step(_solution_masked_step)
    checks.check_masked_gru_step(_masked_step)
    assert capsys.readouterr().out.count("PASS masked_gru_step") == 2


@pytest.mark.parametrize("slip, hint", [
    (dict(padded="zero"), "set the state to 0"),
    (dict(padded="inverted"), "mask is inverted"),
    (dict(padded="ignored"), "padded rows were updated"),
    (dict(padded="zero input"), "zero input"),
    (dict(write_gate=True), "update convention is flipped"),
    (dict(swap_zr=True), "wrong order"),
    (dict(reset="before"), "Cho et al.'s placement"),
    (dict(reset="bias outside"), "outside the reset"),
    (dict(reset="no recurrent bias"), "second bias row is missing"),
    (dict(reset="rows swapped"), "bias rows are swapped"),
], ids=lambda value: str(value))
def test_check_masked_gru_step_names_each_slip(slip, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_masked_gru_step(lambda x, h, mask, W, U, b: _masked_step(x, h, mask, W, U, b, **slip))


@pytest.mark.parametrize("answer, hint", [
    (lambda x, h, mask, W, U, b: (_masked_step(x, h, mask, W, U, b), None), "tuple"),
    (lambda x, h, mask, W, U, b: np.where(mask, h, h), "your code raised ValueError"),   # mask without [:, None]
    (lambda x, h, W, U, b: h, "defined as"),
    (_stub, "not written yet"),
])
def test_check_masked_gru_step_names_bad_answers(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_masked_gru_step(answer)


def test_masked_step_slip_that_only_shows_over_time_is_caught():
    """A step that is right on one call but keeps a hidden state between calls fails the run."""
    calls = []

    def remembers(x, h, mask, W, U, b):
        calls.append(1)
        return _masked_step(x, h, mask, W, U, b) + (0.1 if len(calls) > 2 else 0.0)

    with pytest.raises(ExerciseError, match="over padded sequences"):
        checks.check_masked_gru_step(remembers)


MEASURED = {0: 3.1e-05, 3: 0.33}          # the notebook's measurement, model seed 0 (rounded)


def test_update_bias_prediction_passes_the_measured_direction(capsys):
    checks.check_update_bias_prediction(lambda: "further", MEASURED)
    checks.check_update_bias_prediction(lambda: " Further ", MEASURED)
    assert capsys.readouterr().out.count("PASS predicted_reach") == 2


@pytest.mark.parametrize("answer, hint", [
    ("less far", r"keeps its gradient.*1 − z ≈ 0\.05"),
    ("about the same", "compounds"),
    ("yes", 'return "further", "less far" or "about the same"'),
    (None, "None"),
])
def test_update_bias_prediction_explains_each_wrong_answer(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_update_bias_prediction(lambda: answer, MEASURED)


def test_update_bias_prediction_follows_the_measurement_not_a_fixed_answer(capsys):
    reversed_measurement = {0: 0.3, 3: 1e-4}
    checks.check_update_bias_prediction(lambda: "less far", reversed_measurement)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(ExerciseError, match="opposite"):
        checks.check_update_bias_prediction(lambda: "further", reversed_measurement)
    checks.check_update_bias_prediction(lambda: "about the same", {0: 0.1, 3: 0.15})
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_update_bias_prediction(_stub, MEASURED)
    with pytest.raises(ValueError, match="measurement"):
        checks.check_update_bias_prediction(lambda: "further", {"b_z = 0": 1e-5, "b_z = 3": 0.3})


def _by_hand():
    """The one-unit GRU set by hand in the notebook (reset before the product)."""
    from gru_keras.data import REVIEW_VOCABULARY

    drives = {"great": 3, "lovely": 3, "dull": -3, "awful": -3, "did": 1.5, "didn't": -1.5}
    W, U, b = np.zeros((len(REVIEW_VOCABULARY), 3)), np.zeros((1, 3)), np.zeros(3)
    U[0, 2], b[1] = 2.0, 6.0
    for word, drive in drives.items():
        W[REVIEW_VOCABULARY.index(word), 0] = -6.0
        W[REVIEW_VOCABULARY.index(word), 2] = drive
    but = REVIEW_VOCABULARY.index("but")
    W[but, 0], W[but, 1] = -6.0, -12.0
    return [W, U, b]


def _with_drives(did, didnt, column=2):
    def answer(weights):
        from gru_keras.data import REVIEW_VOCABULARY

        W, U, b = (w.copy() for w in weights)
        W[REVIEW_VOCABULARY.index("did"), column] = did
        W[REVIEW_VOCABULARY.index("didn't"), column] = didnt
        return [W, U, b]
    return answer


def test_strengthen_verdicts_solution_passes(capsys):
    by_hand = _by_hand()
    kept = [w.copy() for w in by_hand]
    checks.check_strengthen_verdicts(_with_drives(3.0, -3.0), by_hand)
    checks.check_strengthen_verdicts(_with_drives(2.0, -10.0), by_hand)
    assert capsys.readouterr().out.count("PASS strengthen_verdicts") == 2
    assert all(np.array_equal(a, b) for a, b in zip(by_hand, kept))


def _changes_in_place(weights):
    weights[0][13, 2] = 3.0
    return _with_drives(3.0, -3.0)(weights)


def _also_changes_keep(weights):
    W, U, b = _with_drives(3.0, -3.0)(weights)
    U = U * 0.5
    return [W, U, b]


@pytest.mark.parametrize("answer, hint", [
    (_with_drives(1.8, -1.8), r"must outweigh 2 · 0\.96 ≈ 1\.92 in size \(too weak: did, didn't\)"),
    (_with_drives(3.0, -1.5), r"too weak: didn't\)"),
    (_with_drives(-3.0, 3.0), "positive verdict"),
    (_with_drives(-12.0, -12.0, column=0), "gates, not their drives"),
    (_also_changes_keep, "more than the two drives"),
    (_changes_in_place, "changed the weights it was given"),
    (lambda weights: weights[0], "return a list"),
    (_stub, "not written yet"),
])
def test_check_strengthen_verdicts_names_each_slip(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_strengthen_verdicts(answer, _by_hand())


def test_plots_refuse_bad_arguments():
    with pytest.raises(ValueError, match="highlight"):
        plots.draw_gru_cell(highlight="q")
    with pytest.raises(ValueError, match="tokens"):
        plots.plot_gate_over_tokens([], {}, "t", "y")
    with pytest.raises(ValueError, match="ylim"):
        plots.plot_gate_over_tokens(["a"], {"x": [0.5]}, "t", "y", ylim=(1, -1))
    fig = plots.plot_gate_over_tokens(["a", "b"], {"h": [-1.0, 1.0]}, "t", "y", ylim=(-1.05, 1.05))
    assert fig.axes[0].get_ylim() == (-1.05, 1.05)
    fig = plots.draw_gru_cell(highlight="r", reset_after=False)
    assert fig.axes[0].get_title()


@pytest.mark.parametrize("reset_after", [True, False])
def test_hold_reset_gate_fixes_r(reset_after):
    layer = keras.layers.GRU(4, reset_after=reset_after)
    layer.build((None, None, 3))
    weights = random_weights(layer)
    for value in (0, 1):
        held = hold_reset_gate(weights, value)
        _, _, gates = gru_forward(sequences(), held, reset_after=reset_after, return_gates=True)
        np.testing.assert_allclose(gates["r"], value, atol=1e-6)
        np.testing.assert_allclose(held[2][..., :4], np.asarray(weights[2])[..., :4])
    with pytest.raises(ValueError, match="value"):
        hold_reset_gate(weights, 0.5)
    with pytest.raises(ValueError, match="weights"):
        hold_reset_gate(weights[:2], 1)


def test_binary_accuracy_counts_the_right_side_of_one_half():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.ones((1, 1)), np.zeros(1)])
    x = np.array([[-2.0], [3.0], [1.0], [-1.0]], dtype="float32")
    assert binary_accuracy(model, x, np.array([[0], [1], [0], [0]])) == 0.75
    with pytest.raises(ValueError, match="same"):
        binary_accuracy(model, x, np.zeros((3, 1)))


def test_agreement_sentences_for_clauses_follow_the_named_layout():
    from gru_keras.data import AGREEMENT_CLAUSE_AT, AGREEMENT_SUBJECT_AT, agreement_sentences_for_clauses

    lengths = np.array([0, 3, 7, 20, 1])
    x, y = agreement_sentences_for_clauses(lengths, seed=4)
    x2, y2 = agreement_sentences_for_clauses(lengths, seed=4)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert x.dtype == np.int32 and y.shape == (5, 1) and x.shape == (5, AGREEMENT_CLAUSE_AT + 20 + 1)
    for row, length, label in zip(x, lengths, y[:, 0]):
        sentence = row[row > 0]                                    # left padding removed
        assert len(sentence) == AGREEMENT_CLAUSE_AT + length + 1 and np.all(row[:len(row) - len(sentence)] == 0)
        words = [AGREEMENT_VOCABULARY[i] for i in sentence]
        assert words[0] == "near" and words[AGREEMENT_CLAUSE_AT - 1] == "which" and words[-1] == ","
        subject = words[AGREEMENT_SUBJECT_AT]
        assert subject in ("cat", "cats", "dog", "dogs") and label == float(subject.endswith("s"))
    # the clause: only fillers without attractors, only nouns with attractor_rate=1
    nouns = {"cat", "cats", "dog", "dogs"}
    for rate, expect_nouns in ((0.0, False), (1.0, True)):
        x, _ = agreement_sentences_for_clauses(np.full(20, 6), seed=5, attractor_rate=rate)
        clause = {AGREEMENT_VOCABULARY[i] for i in x[:, AGREEMENT_CLAUSE_AT:AGREEMENT_CLAUSE_AT + 6].ravel()}
        assert clause <= nouns if expect_nouns else not clause & nouns
    # the subject's number and the opening noun's are independent, so neither shortcut works
    x, y = agreement_sentences_for_clauses(np.full(2000, 0), seed=6)
    opening_plural = np.isin(x[:, 2], [AGREEMENT_VOCABULARY.index("cats"), AGREEMENT_VOCABULARY.index("dogs")])
    assert 0.4 < np.mean(opening_plural == (y[:, 0] == 1)) < 0.6 and 0.45 < y.mean() < 0.55
    assert agreement_sentences_for_clauses([2, 2], pad_to=15)[0].shape == (2, 15)


@pytest.mark.parametrize("arguments, message", [
    (dict(clause_lengths=[]), "clause_lengths"),
    (dict(clause_lengths=[1, -2]), "clause_lengths"),
    (dict(clause_lengths=[1.5, 2.0]), "clause_lengths"),
    (dict(clause_lengths=[[1, 2]]), "clause_lengths"),
    (dict(clause_lengths=[3], pad_to=11), "pad_to"),
    (dict(clause_lengths=[3], attractor_rate=1.5), "attractor_rate"),
])
def test_agreement_sentences_for_clauses_refuse_bad_input(arguments, message):
    from gru_keras.data import agreement_sentences_for_clauses

    with pytest.raises(ValueError, match=message):
        agreement_sentences_for_clauses(**arguments)
