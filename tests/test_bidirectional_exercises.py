"""The exercise checks of 04_bidirectional: each passes the worked solution and names
each typical slip with its own hint."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import warnings  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gru_keras  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks import bidirectional as checks  # noqa: E402
from gru_keras.data import ambiguous_tagging  # noqa: E402


def _stub(*args):
    raise NotImplementedError()


def test_the_module_exports_the_checks_and_no_answer():
    assert sorted(checks.__all__) == ["check_backward_reader", "check_forward_confidence", "check_loss_floor"]
    assert not any(hasattr(checks, name) for name in ("loss_floor", "backward_reader", "predicted_confidence",
                                                       "reverse_within_lengths"))


# -- Exercise 1: the forward-only tagger's probability of PER ---------------------------------
def _measurement(kind, size=200, seed=0):
    rng = np.random.default_rng(seed)
    words = rng.choice(["teddy", "jordan"], size=size)
    if kind == "hedges":
        probability = rng.uniform(0.3, 0.7, size=size)
    elif kind == "commits":
        probability = np.where(rng.random(size) < 0.5, rng.uniform(0.0, 0.05, size), rng.uniform(0.95, 1.0, size))
    else:   # one word PER, the other O
        probability = np.where(words == "jordan", 0.97, 0.03)
    return probability, words


@pytest.mark.parametrize("kind", list(checks.CONFIDENCE_CHOICES))
def test_the_reading_of_the_measurement_follows_the_probabilities(kind):
    assert checks.measured_confidence(*_measurement(kind)) == kind


def test_the_reading_uses_the_thresholds_the_notebook_prints():
    words = np.array(["teddy", "jordan"] * 50)
    # the stored measurement's kind of result: every probability in 0.2-0.8, means 0.1 apart
    assert checks.measured_confidence(np.where(words == "teddy", 0.62, 0.52), words) == "hedges"
    # means 0.3 apart decide "depends on the word" even when every probability hedges
    assert checks.measured_confidence(np.where(words == "teddy", 0.7, 0.4), words) == "depends on the word"
    # a majority, not a plurality: 51 of 100 hedging is "hedges", 50 is "commits"
    half_and_half = np.tile([0.5, 0.5, 0.95, 0.95], 25)       # each word: half 0.5, half 0.95
    assert checks.measured_confidence(half_and_half, words) == "commits"
    half_and_half[2] = 0.5
    assert checks.measured_confidence(half_and_half, words) == "hedges"


def test_confidence_check_passes_the_measured_answer(capsys):
    checks.check_forward_confidence(lambda: "Hedges", *_measurement("hedges"))
    assert capsys.readouterr().out.startswith("PASS predicted_confidence: 'hedges'")


@pytest.mark.parametrize("answer, hint", [
    (_stub, "not written yet"),
    (lambda: "commits", "that word's share of PER in training"),
    (lambda: "depends on the word", "differ by less than 0.3"),
    (lambda: "0.5", "is not one of"),
])
def test_confidence_check_explains_each_wrong_prediction(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_forward_confidence(answer, *_measurement("hedges"))


@pytest.mark.parametrize("kind", ["commits", "depends on the word"])
def test_confidence_check_follows_a_different_measurement(kind):
    with pytest.raises(ExerciseError, match="chance patterns of its training sentences"):
        checks.check_forward_confidence(lambda: "hedges", *_measurement(kind))


def test_measured_confidence_refuses_mismatched_arrays():
    with pytest.raises(ValueError, match="same length"):
        checks.measured_confidence(np.zeros(3), np.array(["teddy"] * 4))


# -- Exercise 2: loss_floor ------------------------------------------------------------------
def _worked_floor(tokens, tags, ambiguous):   # the notebook's worked solution
    words, word_tags = tokens[ambiguous], tags[ambiguous]
    total = 0.0
    for word in np.unique(words):
        q = word_tags[words == word].mean()
        total += np.count_nonzero(words == word) * -(q * np.log(q) + (1 - q) * np.log(1 - q))
    return total / np.count_nonzero(tokens)


def test_floor_check_passes_the_worked_solution_also_in_float32(capsys):
    checks.check_loss_floor(_worked_floor)
    checks.check_loss_floor(lambda tokens, tags, ambiguous:
                            np.float32(_worked_floor(tokens, tags.astype("float32"), ambiguous)))
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(line.startswith("PASS loss_floor") for line in out)


def test_the_floor_is_log_2_per_ambiguous_word_when_each_word_is_PER_half_of_the_time():
    tokens = np.array([[15, 1, 19, 0], [15, 2, 17, 3], [16, 18, 0, 0], [16, 20, 4, 0]])
    ambiguous = np.zeros_like(tokens, dtype=bool)
    ambiguous[:, 0] = True
    tags = np.where(np.isin(tokens, (17, 18)), 1, 0)
    tags[:, 0] = [0, 1, 1, 0]                     # teddy and jordan: each PER once, O once
    assert np.isclose(checks._loss_floor(tokens, tags, ambiguous), 4 * np.log(2) / 12)


def test_the_floor_cases_separate_the_slips():
    for tokens, tags, ambiguous in checks._floor_cases()[:1]:
        values = [checks._loss_floor(tokens, tags, ambiguous)]
        values += [value for value, _ in checks._floor_slips(tokens, tags, ambiguous)]
        assert all(np.isfinite(values))
        gaps = np.abs(np.subtract.outer(values, values))
        sizes = np.maximum.outer(np.abs(values), np.abs(values))
        assert np.all((gaps > 1e-3 * sizes)[~np.eye(len(values), dtype=bool)])


def _floor_over(denominator):
    def answer(tokens, tags, ambiguous):
        return _worked_floor(tokens, tags, ambiguous) * np.count_nonzero(tokens) / denominator(tokens, ambiguous)
    return answer


def _pooled(tokens, tags, ambiguous):
    q = tags[ambiguous].mean()
    return np.count_nonzero(ambiguous) * -(q * np.log(q) + (1 - q) * np.log(1 - q)) / np.count_nonzero(tokens)


def _per_sentence(tokens, tags, ambiguous):
    words = tokens[ambiguous]
    share = {w: tags[ambiguous][words == w].mean() for w in np.unique(words)}
    entropy = {w: -(q * np.log(q) + (1 - q) * np.log(1 - q)) for w, q in share.items()}
    return np.mean([entropy[w] / n for w, n in zip(words, np.count_nonzero(tokens, axis=1))])


def _per_only(tokens, tags, ambiguous):
    words = tokens[ambiguous]
    total = sum(np.count_nonzero(words == w) * -tags[ambiguous][words == w].mean()
                * np.log(tags[ambiguous][words == w].mean()) for w in np.unique(words))
    return total / np.count_nonzero(tokens)


@pytest.mark.parametrize("wrong, hint", [
    (_stub, "not written yet"),
    (lambda tokens, tags, ambiguous: None, "forget a `return`"),
    (lambda tokens, tags, ambiguous: "0.076", "one number"),
    (lambda tokens, tags, ambiguous: np.full(3, 0.076), "one number"),
    (lambda tokens, tags, ambiguous: float("nan"), "not a finite number"),
    (_floor_over(lambda tokens, ambiguous: tokens.size), "padding included"),
    (_pooled, "one share of PER for all ambiguous words"),
    (lambda tokens, tags, ambiguous: np.count_nonzero(ambiguous) * np.log(2) / np.count_nonzero(tokens),
     "you assumed the tagger gives PER 0.5"),
    (lambda tokens, tags, ambiguous: _worked_floor(tokens, tags, ambiguous) / np.log(2), "base 2"),
    (_floor_over(lambda tokens, ambiguous: np.count_nonzero(ambiguous)), "the ambiguous words only"),
    (_per_sentence, "averaged within each sentence"),
    (_per_only, "left out the occurrences where the word is O"),
    (lambda tokens, tags, ambiguous: -_worked_floor(tokens, tags, ambiguous), "wrong sign"),
    (_floor_over(lambda tokens, ambiguous: 1), "total over the words"),
    (lambda tokens, tags, ambiguous: 0.07, "least loss|best probability of PER is that word's share"),
])
def test_floor_check_names_each_slip(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_loss_floor(wrong)


def test_floor_check_is_not_fooled_by_a_changed_argument():
    def in_place(tokens, tags, ambiguous):
        value = _worked_floor(tokens, tags, ambiguous)
        tokens[:] = 0          # the check hands over copies: its own data stay as they were
        return value

    checks.check_loss_floor(in_place)


# -- Exercise 3: backward_reader ---------------------------------------------------------------
def _flip(states):
    return keras.ops.flip(states, axis=1)


def _flip_mask(inputs, mask):
    return None if mask is None else keras.ops.flip(mask, axis=1)


def _same_mask(inputs, mask):
    return mask


def _flip_time(axis=1, mask=_same_mask):
    if mask is None:   # a Lambda without `mask=`: Keras drops the mask (and warns)
        return keras.layers.Lambda(lambda states: keras.ops.flip(states, axis=axis))
    return keras.layers.Lambda(lambda states: keras.ops.flip(states, axis=axis), mask=mask)


def _gru(units=24, **kwargs):
    return keras.layers.RNN(gru_keras.GRUCell(units), return_sequences=kwargs.pop("return_sequences", True), **kwargs)


def _worked_reader():   # the notebook's worked solution
    return [_gru(go_backwards=True), _flip_time()]


@pytest.mark.parametrize("answer", [
    _worked_reader,
    lambda: [keras.layers.GRU(24, return_sequences=True, go_backwards=True),
             keras.layers.Lambda(lambda h: h[:, ::-1], mask=_same_mask)],
    # flip the sentence and its mask, read left to right, flip both back
    lambda: [_flip_time(mask=_flip_mask), _gru(), _flip_time(mask=_flip_mask)],
    lambda: [_flip_time(mask=_flip_mask), keras.layers.GRU(24, return_sequences=True), _flip_time(mask=_flip_mask)],
], ids=["go_backwards", "keras GRU", "flip sentence and mask", "flip, keras GRU"])
def test_reader_check_passes_every_right_answer(answer, capsys):
    checks.check_backward_reader(answer)
    assert capsys.readouterr().out.startswith("PASS backward_reader: one direction of 24")


@pytest.mark.parametrize("wrong, hint", [
    (_stub, "not written yet"),
    (lambda: "GRU", "expected a list of Keras layers"),
    (lambda: [_gru()], "reads left to right"),
    (lambda: [_gru(go_backwards=True)], "Flip them back along time"),
    (lambda: [_gru(go_backwards=True), _flip_time(axis=0)], "batch axis"),
    (lambda: [_gru(go_backwards=True), _flip_time(axis=-1)], "units axis"),
    (lambda: [_gru(go_backwards=True), _flip_time(mask=None)], "no mask reaches the output layer"),
    # flipping the mask with the states after go_backwards: go_backwards never flipped the mask
    (lambda: [_gru(go_backwards=True), _flip_time(mask=_flip_mask)],
     "real words' mask flipped along time(.|\n)*go_backwards passes the embedding's mask on in time order"),
    (lambda: [keras.layers.GRU(24, return_sequences=True, go_backwards=True), _flip_time(mask=_flip_mask)],
     "once you flip the states back, pass the mask on unchanged"),
    # flipping the sentence and its mask, but only the states back: here the rule holds
    (lambda: [_flip_time(mask=_flip_mask), _gru(), _flip_time()],
     "not True exactly on the real words(.|\n)*must move their mask the same way"),
    (lambda: [_flip_time(mask=None), _gru(), _flip_time(mask=None)], "read the padding before"),
    (lambda: [_flip_time(), _gru(), _flip_time()], "flipped the sentence but not its mask"),
    (lambda: [keras.layers.Bidirectional(_gru(16))], "reads in both directions"),
    (lambda: [_gru(16, go_backwards=True), _flip_time()], "has 1,248 parameters"),
    (lambda: [_gru(go_backwards=True, return_sequences=False)], "one state per sentence"),
    (lambda: [_gru(go_backwards=True), _gru(go_backwards=True)], "exactly one recurrent layer"),
    (lambda: [_gru(go_backwards=True), _flip_time(), keras.layers.Dense(24)], "600 more weights"),
    (lambda: [keras.layers.Dense(5), _gru(go_backwards=True)], "has 2,232 parameters"),
    (lambda: [_gru(go_backwards=True), _flip_time(), keras.layers.Dropout(0.0),
              keras.layers.Lambda(lambda s: s * 2.0, mask=_same_mask)], "do not give the state"),
])
def test_reader_check_names_each_slip(wrong, hint):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")    # Keras warns about a Lambda that drops the mask
        with pytest.raises(ExerciseError, match=hint):
            checks.check_backward_reader(wrong)


def test_reader_check_reports_layers_that_do_not_stack():
    with pytest.raises(ExerciseError, match="do not fit between the embedding and the output"):
        checks.check_backward_reader(lambda: [keras.layers.Conv2D(4, 3), _gru(go_backwards=True)])


def test_the_check_sees_the_mask_a_model_passes_on():
    tokens = ambiguous_tagging(3, seed=1)["tokens"]
    embedding = keras.layers.Embedding(21, 8, mask_zero=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = keras.Sequential([keras.Input((None,), dtype="int32"), embedding, *_worked_reader()])(tokens)
        dropped = keras.Sequential([keras.Input((None,), dtype="int32"), embedding, _flip_time(mask=None)])(tokens)
    assert np.array_equal(keras.ops.convert_to_numpy(checks.output_mask(kept)), tokens != 0)
    assert checks.output_mask(dropped) is None
