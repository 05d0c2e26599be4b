"""The exercise checks of 04_bidirectional: each passes the worked solution and names
each typical slip with its own hint."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gru_keras  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks import bidirectional as checks  # noqa: E402


def _stub(*args):
    raise NotImplementedError()


# -- Exercise 1: reverse_within_lengths ------------------------------------------------------
def _worked_reversal(sequences, lengths):   # the notebook's worked solution
    result = np.array(sequences, copy=True)
    for i, length in enumerate(lengths):
        result[i, :length] = sequences[i, :length][::-1]
    return result


def test_reversal_check_passes_the_worked_solution(capsys):
    checks.check_reverse_within_lengths(_worked_reversal)
    assert capsys.readouterr().out.startswith("PASS reverse_within_lengths")


def test_reference_reversal_keeps_the_padding_and_undoes_itself():
    x = np.arange(10).reshape(2, 5)
    got = checks.reverse_within_lengths(x, [3, 5])
    assert got.tolist() == [[2, 1, 0, 3, 4], [9, 8, 7, 6, 5]]
    assert np.array_equal(checks.reverse_within_lengths(got, [3, 5]), x)
    assert x.tolist() == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], "the argument is left unchanged"


def _row_by_row(reverse_row):
    def answer(sequences, lengths):
        result = sequences.copy()
        for i, length in enumerate(lengths):
            result[i, :length] = reverse_row(sequences, i, length)
        return result
    return answer


def _row_by_row_span(span):
    """Reverses span(lengths[i], time) steps of row i instead of lengths[i]."""
    def answer(sequences, lengths):
        result = sequences.copy()
        for i, length in enumerate(lengths):
            steps = span(length, sequences.shape[1])
            result[i, :steps] = sequences[i, :steps][::-1]
        return result
    return answer


def _in_place(sequences, lengths):
    for i, length in enumerate(lengths):
        sequences[i, :length] = sequences[i, :length][::-1].copy()
    return sequences


def _zeroed_padding(sequences, lengths):
    result = np.zeros_like(sequences)
    for i, length in enumerate(lengths):
        result[i, :length] = sequences[i, :length][::-1]
    return result


@pytest.mark.parametrize("wrong, hint", [
    (_stub, "not written yet"),
    (lambda x, lengths: None, "forget a `return`"),
    (lambda x, lengths: x[:, ::-1], "you reversed the padding too"),
    (lambda x, lengths: x[::-1], "batch axis"),
    (lambda x, lengths: x[..., ::-1], "reversed the features"),
    (_row_by_row(lambda x, i, n: x[i, :n, ::-1]), "reversed the features"),
    (lambda x, lengths: x.copy(), "nothing was reversed"),
    (_row_by_row_span(lambda n, time: min(n + 1, time)), "one step too many"),
    (_row_by_row_span(lambda n, time: n - 1), "one step too few"),
    (lambda x, lengths: checks.reverse_within_lengths(x, [max(lengths)] * len(lengths)), "same length"),
    (_row_by_row(lambda x, i, n: x[i, n:0:-1]), r"x\[i, L:0:-1\] starts at step L"),
    (_zeroed_padding, "set the padding steps to zero"),
    (_in_place, "changed the array it was given"),
    (lambda x, lengths: x[:, :, 0], "expected shape"),
])
def test_reversal_check_names_each_slip(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_reverse_within_lengths(wrong)


# -- Exercise 2: the forward-only tagger's probability of PER ---------------------------------
def _measurement(kind, size=200, seed=0):
    rng = np.random.default_rng(seed)
    words = rng.choice(["teddy", "jordan"], size=size)
    if kind == "about 0.5":
        probability = rng.uniform(0.3, 0.7, size=size)
    elif kind == "near 0 or 1":
        probability = np.where(rng.random(size) < 0.5, rng.uniform(0.0, 0.05, size), rng.uniform(0.95, 1.0, size))
    else:   # one word PER, the other O
        probability = np.where(words == "jordan", 0.97, 0.03)
    return probability, words


@pytest.mark.parametrize("kind", list(checks.CONFIDENCE_CHOICES))
def test_the_reading_of_the_measurement_follows_the_probabilities(kind):
    assert checks.measured_confidence(*_measurement(kind)) == kind


def test_confidence_check_passes_the_measured_answer(capsys):
    checks.check_forward_confidence(lambda: "About 0.5", *_measurement("about 0.5"))
    assert capsys.readouterr().out.startswith("PASS predicted_confidence: 'about 0.5'")


@pytest.mark.parametrize("answer, hint", [
    (_stub, "not written yet"),
    (lambda: "near 0 or 1", "punishes\na sure tag|punishes a sure tag"),
    (lambda: "depends on the word", "each PER half of the time"),
    (lambda: "0.5", "is not one of"),
])
def test_confidence_check_explains_each_wrong_prediction(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_forward_confidence(answer, *_measurement("about 0.5"))


def test_confidence_check_follows_a_different_measurement():
    with pytest.raises(ExerciseError, match="commits to a tag"):
        checks.check_forward_confidence(lambda: "about 0.5", *_measurement("near 0 or 1"))


def test_measured_confidence_refuses_mismatched_arrays():
    with pytest.raises(ValueError, match="same length"):
        checks.measured_confidence(np.zeros(3), np.array(["teddy"] * 4))


# -- Exercise 3: backward_reader ---------------------------------------------------------------
def _flip_time(axis=1):
    return keras.layers.Lambda(lambda states: keras.ops.flip(states, axis=axis), mask=lambda states, mask: mask)


def _gru(units=24, **kwargs):
    return keras.layers.RNN(gru_keras.GRUCell(units), return_sequences=kwargs.pop("return_sequences", True), **kwargs)


def _worked_reader():   # the notebook's worked solution
    return [_gru(go_backwards=True), _flip_time()]


def test_reader_check_passes_the_worked_solution_and_keras_gru(capsys):
    checks.check_backward_reader(_worked_reader)
    checks.check_backward_reader(lambda: [keras.layers.GRU(24, return_sequences=True, go_backwards=True),
                                          keras.layers.Lambda(lambda h: h[:, ::-1])])   # mask dropped: allowed
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(line.startswith("PASS backward_reader: one direction of 24") for line in out)


@pytest.mark.parametrize("wrong, hint", [
    (_stub, "not written yet"),
    (lambda: "GRU", "expected a list of Keras layers"),
    (lambda: [_gru()], "reads left to right"),
    (lambda: [_gru(go_backwards=True)], "Flip them back along time"),
    (lambda: [_gru(go_backwards=True), _flip_time(axis=0)], "batch axis"),
    (lambda: [_gru(go_backwards=True), _flip_time(axis=-1)], "units axis"),
    (lambda: [keras.layers.Bidirectional(_gru(16))], "reads in both directions"),
    (lambda: [_gru(16, go_backwards=True), _flip_time()], "has 1,248 parameters"),
    (lambda: [_gru(go_backwards=True, return_sequences=False)], "one state per sentence"),
    (lambda: [_gru(go_backwards=True), _gru(go_backwards=True)], "exactly one recurrent layer"),
    (lambda: [_gru(go_backwards=True), _flip_time(), keras.layers.Dense(24)], "do not give the state"),
    (lambda: [keras.layers.Dense(5), _gru(go_backwards=True)], "has 2,232 parameters"),
])
def test_reader_check_names_each_slip(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_backward_reader(wrong)


def test_reader_check_reports_layers_that_do_not_stack():
    with pytest.raises(ExerciseError, match="do not fit between the embedding and the output"):
        checks.check_backward_reader(lambda: [keras.layers.Conv2D(4, 3), _gru(go_backwards=True)])
