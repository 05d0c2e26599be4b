"""The checks of 04_bidirectional's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_choice, fail, passed

__all__ = ["reverse_within_lengths", "check_reverse_within_lengths", "CONFIDENCE_CHOICES",
           "measured_confidence", "check_forward_confidence", "check_backward_reader",
           "TAGGER_EMBEDDING_WIDTH", "TAGGER_UNITS"]


# -- Exercise 1: reversing padded sequences within their lengths ---------------------------
def reverse_within_lengths(sequences, lengths):
    """A copy of `sequences` (batch, time, ...) in which the first lengths[i] steps of row
    i come in the opposite order; the steps after them (the padding) stay where they are."""
    sequences = np.asarray(sequences)
    reversed_rows = sequences.copy()
    for i, length in enumerate(lengths):
        reversed_rows[i, :length] = sequences[i, :length][::-1]
    return reversed_rows


def _reverse_from_step(sequences, lengths):
    """The slice slip `x[i, L:0:-1]`: steps L down to 1 instead of L - 1 down to 0."""
    slipped = sequences.copy()
    for i, length in enumerate(lengths):
        slipped[i, :length] = sequences[i, length:0:-1]
    return slipped


def _padding_zeroed(sequences, lengths):
    result = np.zeros_like(sequences)
    for i, length in enumerate(lengths):
        result[i, :length] = sequences[i, :length][::-1]
    return result


def _reverse_feature_within(sequences, lengths):
    result = sequences.copy()
    for i, length in enumerate(lengths):
        result[i, :length] = sequences[i, :length, ::-1]
    return result


def _reversal_cases():
    """Two batches (batch, time, features): one padded with zeros whose longest row is
    shorter than the time axis, one with a full-length row, a one-word row and padding
    steps holding values (as the states a GRU leaves on the padding do)."""
    rng = np.random.default_rng(10)
    cases = []
    for lengths, padding_values in (((4, 6, 2, 5), False), ((7, 3, 1), True)):
        lengths = np.array(lengths)
        sequences = rng.normal(size=(len(lengths), 7, 3))
        if not padding_values:
            sequences[np.arange(7) >= lengths[:, None]] = 0.0
        cases.append((sequences, lengths))
    return cases


_FEATURES_REVERSED = ("you reversed the features (the last axis); time is axis 1 of (batch, time, "
                      "features): reverse the order of the steps, not the values inside each step.")


def _reversal_slips(sequences, lengths):
    """(wrong answer, hint) for the slips a learner typically makes."""
    time = sequences.shape[1]
    slips = [
        (sequences[:, ::-1],
         "you reversed the padding too: the padding now comes first, so a GRU reading the rows "
         "meets it before the last real step, exactly the unmasked backward pass of section 6. "
         "Reverse only the first lengths[i] steps of row i."),
        (sequences[::-1],
         "you reversed the batch axis (axis 0), the order of the sentences; time is axis 1 of "
         "(batch, time, features)."),
        (sequences[..., ::-1], _FEATURES_REVERSED),
        (_reverse_feature_within(sequences, lengths), _FEATURES_REVERSED),
        (sequences,
         "nothing was reversed: row i must come back with its first lengths[i] steps in the "
         "opposite order."),
        (reverse_within_lengths(sequences, np.minimum(lengths + 1, time)),
         "you reversed one step too many (lengths[i] + 1), so the first padding step came in "
         "front of the last word; x[i, :L][::-1] covers steps L - 1 down to 0."),
        (reverse_within_lengths(sequences, lengths - 1),
         "you reversed one step too few (lengths[i] - 1): the last real step stays where it "
         "was; x[i, :L][::-1] covers steps L - 1 down to 0."),
        (reverse_within_lengths(sequences, np.full_like(lengths, lengths.max())),
         "you used the same length (the longest) for every row; row i has lengths[i] real steps."),
        (_padding_zeroed(sequences, lengths),
         "you set the padding steps to zero: leave the steps after lengths[i] as they are (the "
         "states a GRU leaves there, in the use below, are not zero)."),
    ]
    if lengths.max() < time:   # x[i, L:0:-1] has L steps only when step L exists
        slips.append((_reverse_from_step(sequences, lengths),
                      "x[i, L:0:-1] starts at step L (the first padding step) and stops before "
                      "step 0; the real steps reversed are x[i, :L][::-1] (or x[i, L-1::-1])."))
    return slips


def check_reverse_within_lengths(reverse_within_lengths_answer):
    """Checks `reverse_within_lengths(sequences, lengths)`: row i's first lengths[i] steps
    in the opposite order, the padding where it was, the argument left unchanged."""
    what = "reverse_within_lengths"
    for sequences, lengths in _reversal_cases():
        given = sequences.copy()
        got = call_learner(what, reverse_within_lengths_answer, given, lengths.copy())
        expected = reverse_within_lengths(sequences, lengths)
        if got is None:
            fail(what, "your code returned None.", "did you forget a `return` statement?")
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            fail(what, f"expected an array of numbers, got {type(got).__name__}.",
                 "return a NumPy array of the same shape as `sequences`.")
        if got.shape == expected.shape and not np.allclose(got, expected):
            for wrong, hint in _reversal_slips(sequences, lengths):
                if np.allclose(got, wrong):
                    fail(what, f"for lengths {lengths.tolist()} the steps are not in the right order.", hint)
        check_array(what, got, expected)
        if not np.array_equal(given, sequences):
            fail(what, "your function changed the array it was given.",
                 "work on a copy (`result = sequences.copy()`): the caller still needs its "
                 "sentences in their own order.")
    passed(what, "each row's real steps reversed, the padding left at the end, the input unchanged")


# -- Exercise 2: how sure is the forward-only tagger at the ambiguous word? ------------------
CONFIDENCE_CHOICES = {
    "about 0.5":
        "the measured probabilities of PER are mostly near 0 or 1 (or differ by word), not near "
        "0.5: this tagger commits to a tag. It cannot be from what it has read before the word, "
        "which says nothing about the tag; look for a tagger that has read the deciding word.",
    "near 0 or 1":
        "the measurement shows probabilities near 0.5. Cross-entropy, −log p(right tag), punishes "
        "a sure tag that is wrong far more (−log 0.01 ≈ 4.6) than it rewards one that is right "
        "(−log 0.99 ≈ 0.01). When the words up to t tell nothing, the loss is smallest when the "
        "tagger gives PER the share of PER among such words in training (0.52, section 1); it "
        "still tags by the larger of its two probabilities, so its tags are a coin flip.",
    "depends on the word":
        "the measurement shows about the same probability for both words. In the data 'teddy' "
        "and 'jordan' are each PER half of the time (only the deciding word decides), so the "
        "word itself tells the tagger nothing.",
}


def measured_confidence(per_probability, ambiguous_word):
    """The reading of the measurement: which of CONFIDENCE_CHOICES the probabilities of PER
    at the ambiguous words show. `per_probability` (k,) is the tagger's probability of PER
    at each ambiguous word, `ambiguous_word` (k,) that word."""
    per_probability = np.asarray(per_probability, dtype=float)
    ambiguous_word = np.asarray(ambiguous_word)
    if per_probability.ndim != 1 or per_probability.shape != ambiguous_word.shape:
        raise ValueError("measured_confidence: `per_probability` and `ambiguous_word` must be "
                         f"1-D of the same length, got {per_probability.shape} and {ambiguous_word.shape}.")
    by_word = [per_probability[ambiguous_word == word].mean() for word in np.unique(ambiguous_word)]
    if max(by_word) - min(by_word) > 0.5:
        return "depends on the word"
    near_half = np.mean((per_probability >= 0.2) & (per_probability <= 0.8))
    near_sure = np.mean((per_probability < 0.1) | (per_probability > 0.9))
    return "about 0.5" if near_half >= near_sure else "near 0 or 1"


def check_forward_confidence(predicted_confidence, per_probability, ambiguous_word):
    """Compares the learner's prediction (a function returning one of CONFIDENCE_CHOICES)
    with the measured probabilities of PER at the ambiguous test words."""
    what = "predicted_confidence"
    expected = measured_confidence(per_probability, ambiguous_word)
    check_choice(what, predicted_confidence, CONFIDENCE_CHOICES, expected)
    detail = {
        "about 0.5": "the measurement agrees. Having read nothing that tells the tag, the tagger "
                     "says so; cross-entropy rewards an honest probability, not a sure guess",
        "near 0 or 1": "the measurement agrees: this tagger commits to a tag at the ambiguous word",
        "depends on the word": "the measurement agrees: this tagger gives the two words different tags",
    }[expected]
    passed(what, f"{expected!r}: {detail}")


# -- Exercise 3: one direction that reads from the end ---------------------------------------
TAGGER_EMBEDDING_WIDTH = 8   # the taggers' Embedding(21, 8)
TAGGER_UNITS = 24            # the forward-only tagger's GRU


def _gru_direction_params(m, n):
    return 3 * (m * n + n * n + 2 * n)


def check_backward_reader(backward_reader):
    """Checks `backward_reader()`: the list of layers between a tagger's
    Embedding(21, 8, mask_zero=True) and its Dense output, one recurrent direction of 24
    GRU units that reads each sentence from its last real word, its states given back in
    time order (the state at position t is the one after reading words T_i ... t)."""
    import keras

    from gru_keras.data import TAGGING_VOCABULARY, ambiguous_tagging

    what = "backward_reader"
    layers = call_learner(what, backward_reader)
    if isinstance(layers, keras.layers.Layer):
        layers = [layers]
    if not isinstance(layers, (list, tuple)) or not layers \
            or not all(isinstance(layer, keras.layers.Layer) for layer in layers):
        fail(what, f"expected a list of Keras layers, got {layers!r:.80}.",
             "return the layers that go between the embedding and the output, as a list "
             "(`forward_gru` in section 7 returns one).")
    tokens = ambiguous_tagging(5, seed=7)["tokens"]
    embedding = keras.layers.Embedding(len(TAGGING_VOCABULARY), TAGGER_EMBEDDING_WIDTH, mask_zero=True)
    try:
        model = keras.Sequential([keras.Input((None,), dtype="int32"), embedding, *layers])
        outputs = keras.ops.convert_to_numpy(model(tokens))
    except Exception as error:  # the layers do not stack: say what Keras said, in one line
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        fail(what, f"your layers do not fit between the embedding and the output: "
                   f"{type(error).__name__}: {reason:.200}",
             "each layer receives (batch, time, features) from the one before it.")
    bidirectional = [layer for layer in layers if isinstance(layer, keras.layers.Bidirectional)]
    if bidirectional:
        fail(what, f"a Bidirectional layer reads in both directions ({bidirectional[0].count_params():,} "
                   f"parameters): the exercise asks for one.",
             "keep the forward-only tagger's single GRU of 24 units and change the direction it reads in.")
    recurrent = [layer for layer in layers if isinstance(layer, keras.layers.RNN)]
    if len(recurrent) != 1:
        fail(what, f"expected exactly one recurrent layer, found {len(recurrent)}.",
             "one keras.layers.RNN (or keras.layers.GRU) of 24 units, as in `forward_gru`.")
    (rnn,) = recurrent
    wanted = _gru_direction_params(TAGGER_EMBEDDING_WIDTH, TAGGER_UNITS)
    if rnn.count_params() != wanted:
        fail(what, f"your recurrent layer has {rnn.count_params():,} parameters; the forward-only "
                   f"tagger's GRU of {TAGGER_UNITS} units has {wanted:,}.",
             f"keep {TAGGER_UNITS} GRU units, so that the direction is the only difference.")
    if not rnn.go_backwards:
        fail(what, "your recurrent layer reads left to right, like the forward-only tagger: at the "
                   "ambiguous word it has not read the deciding word yet.",
             "keras.layers.RNN can read a sequence from its end (section 4).")
    if not rnn.return_sequences:
        fail(what, "your recurrent layer returns one state per sentence; a tagger needs one per word.",
             "return_sequences=True, as in `forward_gru`.")
    vectors = embedding(tokens)
    real_words = tokens != 0
    as_read = keras.ops.convert_to_numpy(rnn(vectors, mask=real_words))   # last word first

    def same(candidate):
        return candidate.shape == outputs.shape and np.allclose(outputs[real_words], candidate[real_words], atol=1e-5)

    if same(as_read[:, ::-1]):
        passed(what, f"one direction of {TAGGER_UNITS} GRU units ({wanted:,} parameters) that reads "
                     f"each sentence from its last word, its states given back in time order")
        return
    slips = [
        (as_read, "go_backwards=True returns the states in the order it made them, last step "
                  "first: the output layer would tag word t from the state of another word. "
                  "Flip them back along time (axis 1)."),
        (as_read[::-1], "you flipped the batch axis (axis 0), the order of the sentences; time is axis 1."),
        (as_read[..., ::-1], "you flipped the units axis (the last one); time is axis 1."),
    ]
    for wrong, hint in slips:
        if same(wrong):
            fail(what, "the states are not in the time order of the words.", hint)
    fail(what, "at word t your layers do not give the state of a GRU that has read the "
               "sentence from its last real word down to word t.",
         "one RNN reading from the end, then its states put back in time order; nothing else.")
