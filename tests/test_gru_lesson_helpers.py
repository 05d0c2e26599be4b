"""The 03_gru notebook's helpers: data generators, the write-gate GRU, parameter count
(the exercises' checks are tested in test_gru_exercises.py)."""

import keras
import numpy as np
import pytest

from helpers import random_weights, sequences  # noqa: F401  (also silences TensorFlow)
from gru_keras import plots
from gru_keras.data import AGREEMENT_VOCABULARY, review_sentences
from gru_keras.experiments import (binary_accuracy, flip_update_convention, write_gate_gru_forward,
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
    got = write_gate_gru_forward(x, flip_update_convention(weights), reset_after=reset_after)
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert gru_parameter_count(3, 4, reset_after) == layer.count_params()


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
