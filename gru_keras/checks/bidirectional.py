"""The checks of 04_bidirectional's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_choice, fail, passed

__all__ = ["check_forward_confidence", "check_loss_floor", "check_backward_reader"]


# -- Exercise 1: how sure is the forward-only tagger at the ambiguous word? ------------------
# The reading of the measurement: "depends on the word" when the two words' mean probabilities
# of PER differ by at least WORD_GAP; otherwise "hedges" when more than half of the ambiguous
# words get a probability of PER inside HEDGING, "commits" when the others are the majority.
WORD_GAP = 0.3
HEDGING = (0.2, 0.8)

CONFIDENCE_CHOICES = {
    "hedges":
        "the measurement shows otherwise: this tagger gives PER probabilities outside 0.2 to 0.8 "
        "on most ambiguous words, or different ones to the two words. Up to the ambiguous word it "
        "has read nothing that tells the tag, so such probabilities come from chance patterns of "
        "its training sentences, and on test sentences its tags stay right about half of the time.",
    "commits":
        "cross-entropy, −log p(right tag), punishes a sure tag that is wrong far more "
        "(−log 0.01 ≈ 4.6) than it rewards one that is right (−log 0.99 ≈ 0.01). Up to the "
        "ambiguous word the tagger has read nothing that tells the tag except which word it is, "
        "so its loss is smallest when it gives PER that word's share of PER in training (0.54 "
        "for 'teddy', 0.50 for 'jordan', section 1). It still tags by the larger of its two "
        "probabilities, so its tags are a coin flip.",
    "depends on the word":
        "the two words' mean probabilities of PER differ by less than 0.3. In the data each of "
        "'teddy' and 'jordan' is PER about half of the time (0.54 and 0.50 in training, section 1): "
        "only the deciding word decides, so which word it is tells the tagger little.",
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
    if max(by_word) - min(by_word) >= WORD_GAP:
        return "depends on the word"
    hedging = np.mean((per_probability >= HEDGING[0]) & (per_probability <= HEDGING[1]))
    return "hedges" if hedging > 0.5 else "commits"


def check_forward_confidence(predicted_confidence, per_probability, ambiguous_word):
    """Compares the learner's prediction (a function returning one of CONFIDENCE_CHOICES)
    with the measured probabilities of PER at the ambiguous test words."""
    what = "predicted_confidence"
    expected = measured_confidence(per_probability, ambiguous_word)
    check_choice(what, predicted_confidence, CONFIDENCE_CHOICES, expected)
    detail = {
        "hedges": "the measurement agrees. Having read nothing that tells the tag, the tagger "
                  "hedges; cross-entropy rewards an honest probability, not a sure guess",
        "commits": "the measurement agrees: this tagger commits to a tag at the ambiguous word",
        "depends on the word": "the measurement agrees: this tagger treats the two words differently",
    }[expected]
    passed(what, f"{expected!r}: {detail}")


# -- Exercise 2: the lowest loss a tagger that reads left to right can reach -----------------
def _binary_loss(share, probability):
    """Mean of -log p(right tag) over words that are PER in `share` of the cases, when the
    tagger gives PER `probability` at each of them."""
    return -(share * np.log(probability) + (1 - share) * np.log(1 - probability))


def _floor_parts(tokens, tags, ambiguous):
    """Per ambiguous word: its number of occurrences and its share of PER."""
    words, word_tags = tokens[ambiguous], tags[ambiguous]
    return [(np.count_nonzero(words == word), word_tags[words == word].mean()) for word in np.unique(words)]


def _loss_floor(tokens, tags, ambiguous):
    """The reference: the best loss at each ambiguous word is the binary entropy of its
    word's share of PER; every other word can cost as little as the tagger likes; the mean
    runs over the real words (Keras leaves the masked padding out of the loss)."""
    total = sum(count * _binary_loss(share, share) for count, share in _floor_parts(tokens, tags, ambiguous))
    return total / np.count_nonzero(tokens)


def _floor_cases():
    """Two data sets (tokens, tags, ambiguous): the course's generator as it is, and one
    whose two ambiguous words are PER in very different shares (0.85 and 0.3), so that
    each slip gives its own value."""
    from gru_keras.data import TAGGING_VOCABULARY, ambiguous_tagging

    plain = ambiguous_tagging(300, seed=12)
    skewed = ambiguous_tagging(400, seed=11)
    vocabulary = list(TAGGING_VOCABULARY)
    surnames = [vocabulary.index(w) for w in ("roosevelt", "smith")]
    things = [vocabulary.index(w) for w in ("bears", "shoes")]
    rng = np.random.default_rng(11)
    tokens, tags = skewed["tokens"].copy(), skewed["tags"].copy()
    for i, row in enumerate(tokens):
        start = int(np.flatnonzero(skewed["ambiguous"][i])[0])
        decider = int(np.flatnonzero(np.isin(row, surnames + things))[0])
        person = rng.random() < (0.85 if vocabulary[row[start]] == "teddy" else 0.3)
        row[decider] = rng.choice(surnames if person else things)   # the deciding word agrees
        tags[i, start], tags[i, decider] = int(person), int(person)
    return [(tokens, tags, skewed["ambiguous"]), (plain["tokens"], plain["tags"], plain["ambiguous"])]


def _floor_slips(tokens, tags, ambiguous):
    """(value, hint) for the slips a learner typically makes."""
    parts = _floor_parts(tokens, tags, ambiguous)
    real, n_ambiguous = np.count_nonzero(tokens), np.count_nonzero(ambiguous)
    best = sum(count * _binary_loss(share, share) for count, share in parts)
    pooled_share = tags[ambiguous].mean()
    lengths = np.count_nonzero(tokens, axis=1)
    words = tokens[ambiguous]
    share_of = {word: tags[ambiguous][words == word].mean() for word in np.unique(words)}
    per_sentence = np.mean([_binary_loss(share_of[w], share_of[w]) / n for w, n in zip(words, lengths)])
    return [
        (best / tokens.size,
         "you divided by every position, padding included. Keras passes the embedding's mask on "
         "to the loss, so the padding is left out (section 7): divide by the number of real words."),
        (n_ambiguous * _binary_loss(pooled_share, pooled_share) / real,
         "you used one share of PER for all ambiguous words. The tagger knows which word it is "
         "reading: use each word's own share of PER."),
        (n_ambiguous * np.log(2) / real,
         "you assumed the tagger gives PER 0.5. The best probability is the word's share q of PER: "
         "the mean loss −q log p − (1 − q) log(1 − p) is smallest at p = q."),
        (best / np.log(2) / real,
         "you used the logarithm to base 2; Keras' cross-entropy uses the natural logarithm (np.log)."),
        (best / n_ambiguous,
         "that is the mean over the ambiguous words only. The loss is the mean over every real "
         "word, and the others can cost as little as the tagger likes: divide by the real words."),
        (per_sentence,
         "you averaged within each sentence, then over sentences. Keras averages over all the "
         "real words together, so a long sentence counts for more words."),
        (sum(count * -share * np.log(share) for count, share in parts) / real,
         "you left out the occurrences where the word is O: each of them costs −log(1 − p)."),
        (-best / real, "your value has the wrong sign: a loss −log p is never negative."),
        (best, "that is the total over the words; Keras reports the mean: divide by the real words."),
    ]


def check_loss_floor(loss_floor):
    """Checks `loss_floor(tokens, tags, ambiguous)`: the lowest mean loss over the real words
    that a tagger can reach when, at each ambiguous word, it may use only which word it is."""
    what = "loss_floor"
    for tokens, tags, ambiguous in _floor_cases():
        got = call_learner(what, loss_floor, tokens.copy(), tags.copy(), ambiguous.copy())
        if got is None:
            fail(what, "your code returned None.", "did you forget a `return` statement?")
        if isinstance(got, str):
            fail(what, f"expected one number, got the string {got!r:.60}.",
                 "return the mean loss as a plain number (a float), not its text.")
        try:
            value = float(np.asarray(got, dtype=float))
        except (TypeError, ValueError):
            fail(what, f"expected one number, got {type(got).__name__} {got!r:.60}.",
                 "return the mean loss as a plain number (a float).")
        if not np.isfinite(value):
            fail(what, f"{value} is not a finite number.",
                 "your value is not finite: look for a logarithm of 0 or a division by 0.")
        expected = _loss_floor(tokens, tags, ambiguous)
        if np.isclose(value, expected, rtol=1e-5, atol=0):   # float32 arithmetic passes too
            continue
        for slipped, hint in _floor_slips(tokens, tags, ambiguous):   # at least 0.1% apart
            if np.isclose(value, slipped, rtol=1e-5, atol=0):
                fail(what, f"{value:.6g} is not the floor of these sentences.", hint)
        fail(what, f"{value:.6g} is not the floor of these sentences.",
             "at each ambiguous word, the best probability of PER is that word's share q of PER; "
             "the loss there is then −q log q − (1 − q) log(1 − q). Average over all real words.")
    passed(what, "the mean over the real words of the least loss each word allows")


# -- Exercise 3: one direction that reads from the end ---------------------------------------
TAGGER_EMBEDDING_WIDTH = 8   # the taggers' Embedding(21, 8)
TAGGER_UNITS = 24            # the forward-only tagger's GRU


def _gru_direction_params(m, n):
    return 3 * (m * n + n * n + 2 * n)


def output_mask(tensor):
    """The Keras mask that a layer's eager output carries (None when the mask was dropped).
    Keras 3 keeps it as the tensor's `_keras_mask`, read through `get_keras_mask`."""
    try:
        from keras.src.backend import get_keras_mask
    except ImportError:   # a Keras that moved it: read the attribute itself
        return getattr(tensor, "_keras_mask", None)
    return get_keras_mask(tensor)


def _layers_of(what, answer):
    import keras

    layers = call_learner(what, answer)
    if isinstance(layers, keras.layers.Layer):
        layers = [layers]
    if not isinstance(layers, (list, tuple)) or not layers \
            or not all(isinstance(layer, keras.layers.Layer) for layer in layers):
        fail(what, f"expected a list of Keras layers, got {layers!r:.80}.",
             "return the layers that go between the embedding and the output, as a list "
             "(`forward_gru` in section 7 returns one).")
    return list(layers)


def _reader_states(cell, vectors, mask, go_backwards, unmasked=False):
    """The states of a GRU with `cell`'s weights, in the order it makes them."""
    import keras

    layer = keras.layers.RNN(cell, return_sequences=True, go_backwards=go_backwards)
    return keras.ops.convert_to_numpy(layer(vectors, mask=None if unmasked else mask))


def check_backward_reader(backward_reader):
    """Checks `backward_reader()`: the list of layers between a tagger's
    Embedding(21, 8, mask_zero=True) and its Dense output: one GRU of 24 units, and nothing
    else with weights, such that at word t the output layer receives the state of that GRU
    after reading the sentence from its last real word down to word t, together with the
    mask of the real words (so that the padding stays out of the loss). Any way of getting
    there passes (go_backwards, or flipping the sentence and its mask); the answer is compared
    by its outputs and its output mask with a GRU of the same weights."""
    import keras

    from gru_keras.data import TAGGING_VOCABULARY, ambiguous_tagging

    what = "backward_reader"
    layers = _layers_of(what, backward_reader)
    tokens = ambiguous_tagging(5, seed=7)["tokens"]            # lengths 6 to 12: padding in most rows
    embedding = keras.layers.Embedding(len(TAGGING_VOCABULARY), TAGGER_EMBEDDING_WIDTH, mask_zero=True)
    try:
        model = keras.Sequential([keras.Input((None,), dtype="int32"), embedding, *layers])
        outputs = model(tokens)
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
    extra = [layer for layer in layers if layer is not rnn and layer.count_params()]
    if extra:
        fail(what, f"besides the GRU, your layers hold {sum(layer.count_params() for layer in extra):,} "
                   f"more weights ({type(extra[0]).__name__}).",
             "keep the forward-only tagger's size: the GRU is the only layer with weights; the "
             "others may only move its states along time.")
    if not rnn.return_sequences:
        fail(what, "your recurrent layer returns one state per sentence; a tagger needs one per word.",
             "return_sequences=True, as in `forward_gru`.")
    got = keras.ops.convert_to_numpy(outputs)
    # as a NumPy array the embedded words carry no Keras mask: each reader below gets only
    # the mask it is given
    vectors = keras.ops.convert_to_numpy(embedding(tokens))
    real_words = tokens != 0
    flip_time = lambda states: states[:, ::-1]   # noqa: E731

    def same(candidate):
        return candidate.shape == got.shape and np.allclose(got[real_words], candidate[real_words], atol=1e-5)

    as_read = _reader_states(rnn.cell, vectors, real_words, go_backwards=True)   # last word first
    if same(flip_time(as_read)):
        mask = output_mask(outputs)
        if mask is None:
            fail(what, "the states are right, but no mask reaches the output layer: the loss would "
                       "score the padding too, unlike the other two taggers.",
                 "a keras.layers.Lambda passes no mask on unless it is given `mask=`, a function "
                 "of (inputs, mask) that returns the mask of its output.")
        mask = keras.ops.convert_to_numpy(mask)
        if rnn.go_backwards and np.array_equal(mask, flip_time(real_words)):
            fail(what, "the states are right, but the mask that reaches the output layer is the "
                       "real words' mask flipped along time: the loss would score some padding "
                       "and leave out some words.",
                 "go_backwards passes the embedding's mask on in time order, although its states "
                 "come last word first; once you flip the states back, pass the mask on unchanged.")
        if not np.array_equal(mask, real_words):
            fail(what, "the states are right, but the mask that reaches the output layer is not "
                       "True exactly on the real words: the loss would score some padding and "
                       "leave out some words.",
                 "a layer that moves the states along time must move their mask the same way; "
                 "after the last one, the mask is the embedding's again.")
        passed(what, f"one direction of {TAGGER_UNITS} GRU units ({wanted:,} parameters) that reads "
                     f"each sentence from its last word, its states given back in time order, the mask "
                     f"passed on")
        return
    flipped_vectors = vectors[:, ::-1]
    slips = [
        (_reader_states(rnn.cell, vectors, real_words, go_backwards=False),
         "your GRU reads left to right, like the forward-only tagger: at the ambiguous word it "
         "has not read the deciding word yet.",
         "a Keras recurrent layer can read a sequence from its end (section 4)."),
        (as_read,
         "the states are not in the time order of the words.",
         "go_backwards=True returns the states in the order it made them, last step first: the "
         "output layer would tag word t from the state of another word. Flip them back along "
         "time (axis 1)."),
        (as_read[::-1], "the states are not in the time order of the words.",
         "you flipped the batch axis (axis 0), the order of the sentences; time is axis 1."),
        (as_read[..., ::-1], "the states are not in the time order of the words.",
         "you flipped the units axis (the last one); time is axis 1."),
        (flip_time(_reader_states(rnn.cell, vectors, real_words, go_backwards=True, unmasked=True)),
         "your GRU read the padding before each sentence's last word: as without a mask in "
         "section 6, the padding changed its states.",
         "the mask was lost where you flipped the sentence: pass it on, flipped as the sentence is "
         "(a Lambda's `mask=` argument)."),
        (flip_time(_reader_states(rnn.cell, flipped_vectors, real_words, go_backwards=False)),
         "your GRU skipped the wrong steps: you flipped the sentence but not its mask.",
         "a layer that flips the words along time must flip their mask too."),
    ]
    for wrong, problem, hint in slips:
        if same(wrong):
            fail(what, problem, hint)
    fail(what, "at word t your layers do not give the state of a GRU that has read the "
               "sentence from its last real word down to word t.",
         "one GRU reading from the end, then its states put back in time order; nothing else.")
