"""The checks of 06_language_model's exercises (see `gru_keras.checks` for how a check reports)."""

import warnings

import numpy as np

from gru_keras.checks import call_learner, check_choice, fail, passed
from gru_keras.language import END, VOCABULARY, encode, log_softmax, perplexity, stepwise_logits

__all__ = ["check_perplexity_from_loss", "check_name_log_probability", "RESET_ANSWERS",
           "measured_reset_effect", "check_reset_prediction", "one_character_floor",
           "check_memoryless_model"]


class _numpy_quiet:
    """NumPy's overflow, division and log-of-zero warnings off while a learner's code runs:
    the check itself reports a NaN or an infinity, with a hint."""

    def __enter__(self):
        self.errors = np.seterr(all="ignore")
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self.warnings.__exit__(*exc)
        np.seterr(**self.errors)
        return False


def _direction(value, right):
    """'too large' or 'too small': a failure says which way an answer is off, never the right number,
    which a learner could aim at instead of working it out."""
    return "too large" if value > right else "too small"


# --- Exercise 1: perplexity from the loss Keras reports ------------------------------------
def _loss_slips(keras_loss, weights):
    """Typical slips as (wrong perplexity, hint) for one case."""
    positions, characters = weights.size, weights.sum()
    per_character = keras_loss * positions / characters
    return [
        (np.exp(keras_loss), "Keras divided the weighted sum by all N·T positions, padding included, "
                             "so its loss is smaller than the mean per character: multiply it by "
                             "N·T / Σw (positions over characters) before taking the exponential."),
        (np.exp(keras_loss * characters / positions), "the ratio is upside down: the loss was divided "
                                                      "by all N·T positions, so multiply by N·T / Σw, "
                                                      "positions over characters."),
        (2.0 ** per_character, "Keras' cross-entropy uses the natural logarithm (nats): the perplexity "
                               "is e to the cross-entropy, not 2 to it."),
        (per_character, "that is the cross-entropy per character; the perplexity is its exponential."),
        (np.exp(keras_loss * weights.shape[-1]), "that is e to the cross-entropy per name (the sum over "
                                                 "a name's T positions), not per character: divide the "
                                                 "total by the number of characters, Σw."),
    ]


def check_perplexity_from_loss(perplexity_from_loss, keras_loss=None, weights=None, expected=None):
    """Checks `perplexity_from_loss(keras_loss, weights) -> float`: Keras' loss averages the
    weighted cross-entropy over all N·T positions; the perplexity per character is
    exp(keras_loss · N·T / Σ weights). Random cases first; then, if given, the notebook's
    own loss, weights and the perplexity computed from the model's probabilities."""
    what = "perplexity_from_loss"
    rng = np.random.default_rng(11)
    cases = []
    for rows, steps, loss in ((40, 12, 1.3), (7, 5, 0.9)):
        lengths = rng.integers(1, steps + 1, size=rows)
        case_weights = (np.arange(steps)[None, :] < lengths[:, None]).astype("float32")
        cases.append((loss, case_weights))
    for number, (loss, case_weights) in enumerate(cases):
        got = call_learner(what, perplexity_from_loss, loss, case_weights.copy())
        try:
            value = float(got)
        except (TypeError, ValueError):
            fail(what, f"expected a number, got {type(got).__name__} {got!r:.60}.",
                 "return one number, the perplexity per character.")
        right = float(np.exp(loss * case_weights.size / case_weights.sum()))
        if abs(value - right) <= 1e-4 * right:
            continue
        for wrong, hint in _loss_slips(loss, case_weights):
            if abs(value - wrong) <= 1e-4 * abs(wrong):
                fail(what, f"{value:.4g} is not the perplexity per character for a loss of {loss} "
                           f"on {case_weights.shape[0]} names of {case_weights.shape[1]} steps.", hint)
        fail(what, f"{value:.4g} is not right for a loss of {loss} on {case_weights.shape[0]} names "
                   f"of {case_weights.shape[1]} steps: it is {_direction(value, right)}.",
             "work out the weighted sum of the cross-entropies from the loss first, then the mean "
             "per character, then its exponential.")
    if keras_loss is not None:
        value = float(call_learner(what, perplexity_from_loss, keras_loss, np.asarray(weights).copy()))
        if not abs(value - expected) <= 1e-3 * expected:
            fail(what, f"on the notebook's validation names you get {value:.4g}, but the model's "
                       f"probabilities give {expected:.4g}.",
                 "pass the validation weights that Keras' evaluate used.")
        passed(what, "your perplexity from Keras' loss equals the one computed from the model's "
                     "probabilities, to 0.1 %.")
    else:
        passed(what, "right on two random cases.")


# --- Exercise 2: the log-probability of a name, by the chain rule ---------------------------
def _picked(step, inputs, targets, reset_state=False):
    """ln p_t[target_t] for each step of one sequence, `step` run over `inputs` (a list of ids)."""
    logits = np.asarray(stepwise_logits(step, np.array([inputs], dtype="int32"), reset_state), dtype=float)[0]
    return log_softmax(logits)[np.arange(len(targets)), targets], logits


def _name_log_probability(step, name):
    """ln P(name) under `step`, the end included: the chain rule, the state carried."""
    picked, _ = _picked(step, encode(END + name), encode(name + END))
    return float(picked.sum())


def _name_slips(step, name):
    """Typical slips as (wrong value, hint) for one name."""
    inputs, targets = encode(END + name), encode(name + END)
    picked, logits = _picked(step, inputs, targets)
    right = float(picked.sum())
    reset, _ = _picked(step, inputs, targets, reset_state=True)
    current = log_softmax(logits)[np.arange(len(inputs)), inputs]
    from_first_letter, _ = _picked(step, encode(name), encode(name[1:] + END))
    return [
        (float(picked[:-1].sum()), "the chain rule ends with P(end | the whole name): a language model also "
                                   "says where a name stops. Add the log-probability of the end marker "
                                   "after the last letter."),
        (float(from_first_letter.sum()), "the first letter has a probability too, P(first letter), which the "
                                         "model gives after reading the end marker \".\" from the zero state: "
                                         "start from the end marker, not from the first letter."),
        (float(reset.sum()), "each factor is conditioned on every character before it, and the state is what "
                             "carries them: pass each step the state the previous step returned (None only "
                             "at the first step)."),
        (float(current.sum()), "at each step the logits are a prediction of the NEXT character: take the "
                               "probability of the character that follows the one just read, not of the "
                               "one just read."),
        (float(logits[np.arange(len(targets)), targets].sum()), "logits are scores, not log-probabilities: "
                                                                "take the log of their softmax first."),
        (float(np.exp(right)), "that is P(name) itself; the exercise asks for its natural logarithm, a "
                               "sum of log-probabilities (a product of many probabilities soon underflows)."),
        (right / np.log(2.0), "that is in bits (log base 2); use the natural logarithm, as the loss and the "
                              "perplexity of this notebook do."),
        (right / len(targets), "that is the mean log-probability per character; ln P(name) is the sum over "
                               "the name's characters, the end marker included."),
        (-right, "the sign is flipped: that is the cross-entropy summed over the name; a log-probability "
                 "is at most 0."),
    ]


def _toy_step(seed, units=5):
    """A small recurrent character model in NumPy, whose state matters, as step(tokens, state)."""
    rng = np.random.default_rng(seed)
    embedding = rng.normal(size=(len(VOCABULARY), units))
    recurrent = rng.normal(scale=0.9, size=(units, units))
    output, bias = rng.normal(scale=2.0, size=(units, len(VOCABULARY))), rng.normal(size=len(VOCABULARY))

    def step(tokens, state):
        tokens = np.asarray(tokens)
        if tokens.ndim != 1:
            raise ValueError(f"step takes a batch of token ids of shape (B,), got shape {tokens.shape}.")
        h = np.zeros((len(tokens), units)) if state is None else state
        h = np.tanh(embedding[tokens] + h @ recurrent)
        return h @ output + bias, h

    return step


_STEP_HINT = ("`step` works on a batch: call it as step(np.array([token]), state) with the state it "
              "returned last (None at the first step), and take row 0 of the logits (B, 27) it returns.")


def _one_number(what, got, name):
    try:
        value = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(what, f"for {name!r} you return {type(got).__name__} {got!r:.60}, not a number.",
             "return one number, ln P(name).")
    if value.size != 1:
        fail(what, f"for {name!r} you return an array of shape {value.shape}, not one number.",
             "add up the log-probabilities of the steps: ln P(name) is one number.")
    value = float(value.reshape(()))
    if not np.isfinite(value):
        fail(what, f"for {name!r} you return {value}.",
             "the log of a probability that rounded to 0, or the log of a logit (logits can be "
             "negative)? Take the log-softmax of the logits, shifted by their largest value.")
    return value


def check_name_log_probability(name_log_probability, step=None, names=("mary", "christopher")):
    """Checks `name_log_probability(step, name) -> float`: ln P(name) under the character
    model whose one step is `step(tokens, state) -> (logits (B, 27), state)`, by the chain
    rule: the end marker read first from the zero state, each letter's log-probability from
    the step before it, the state carried, and the end marker's after the last letter.
    First on a small NumPy model of the check's own, then, if given, on the notebook's
    `step` (lm.keras_step of a trained model)."""
    what = "name_log_probability"
    cases = [("a small recurrent model of the check's", _toy_step(17), name) for name in names]
    if step is not None:
        cases += [("the notebook's model", step, name) for name in names]
    for model_name, case_step, name in cases:
        with _numpy_quiet():
            got = call_learner(what, name_log_probability, case_step, name, hint_on_error=_STEP_HINT)
        value = _one_number(what, got, name)
        right = _name_log_probability(case_step, name)
        if abs(value - right) <= 1e-4 * max(1.0, abs(right)):
            continue
        for wrong, hint in _name_slips(case_step, name):
            if abs(value - wrong) <= 1e-4 * max(1.0, abs(wrong)):
                fail(what, f"{value:.4f} is not ln P({name!r}) under {model_name}.", hint)
        fail(what, f"{value:.4f} is not ln P({name!r}) under {model_name}: it is {_direction(value, right)}.",
             "write the chain rule for this name factor by factor: which character does the model "
             "read at each step, which one must it predict, and from which state?")
    on = "and on the notebook's model" if step is not None else "(no notebook model given)"
    passed(what, f"the chain rule, with the state carried and the end included: right on a small "
                 f"model of the check's {on}, for {' and '.join(map(repr, names))}.")


# --- Exercise 3: predict, then measure: the state reset before every character -------------
RESET_ANSWERS = ("better", "about the same", "worse")
# Why each other answer is wrong when the measurement says "worse" (what the notebook measures).
_WHEN_WORSE = {
    "better": "with its state reset the GRU sees the last character and nothing else, as the bigram "
              "model does, so it has no more to go on; and unlike the bigram model it was never "
              "trained to predict from one character with an empty state.",
    "about the same": "it sees what the bigram model sees, the last character, but it was not trained "
                      "for that situation: in training its state is empty only at the first step, "
                      "whose input is always the end marker; after a letter, the state held the name "
                      "so far, and the weights learned to read the letter together with it. The bigram "
                      "model was fitted to exactly the one-character situation.",
}


def measured_reset_effect(reset_perplexity, bigram_perplexity, tolerance=0.1):
    """'better', 'about the same' or 'worse': the validation perplexity of a model run with
    its state reset at every step, against the bigram model's (within ±tolerance, relative,
    counts as about the same)."""
    ratio = float(reset_perplexity) / float(bigram_perplexity)
    if ratio < 1 - tolerance:
        return "better"
    if ratio > 1 + tolerance:
        return "worse"
    return "about the same"


def check_reset_prediction(predicted_reset_effect, reset_perplexity, bigram_perplexity):
    """Checks the learner's prediction (a function returning one of RESET_ANSWERS): how the
    GRU's validation perplexity with its state reset before every character compares with
    the bigram model's. The expected answer is computed from the two measured perplexities."""
    what = "predicted_reset_effect"
    expected = measured_reset_effect(reset_perplexity, bigram_perplexity)
    measured = (f"reset, the model's perplexity is {float(reset_perplexity):.1f}, the bigram model's "
                f"{float(bigram_perplexity):.1f}")
    if expected == "worse":
        choices = {**_WHEN_WORSE, "worse": ""}
    else:
        choices = {answer: f"{measured}: {expected}. With its state reset the model sees only the last "
                           "character, as the bigram model does; how well it uses it depends on what "
                           "training taught it about an empty state." for answer in RESET_ANSWERS}
    check_choice(what, predicted_reset_effect, choices, expected)
    relation = {"better": "better than", "about the same": "about the same as", "worse": "worse than"}
    passed(what, f"measured: with the state reset before every character the perplexity is "
                 f"{relation[expected]} the bigram model's.")


# --- Exercise 4: change the model: a language model without memory -------------------------
def _fitted_model(got):
    return got[0] if isinstance(got, (tuple, list)) else got


def _outputs(model, inputs):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(model(inputs)), dtype=float)


def one_character_floor(inputs, targets, weights):
    """The lowest perplexity any model that reads one character can have on these pairs:
    that of the bigram table counted on these very pairs (maximum likelihood: for each
    character read, the shares of the characters that follow it here). A model whose
    prediction at each step depends on that step's character alone gives every pair
    (character read, next character) one probability, and no table of those does better
    on these pairs than their own shares (Gibbs' inequality)."""
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    real = np.asarray(weights) > 0
    counts = np.zeros((len(VOCABULARY), len(VOCABULARY)))
    np.add.at(counts, (inputs[real], targets[real]), 1)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    return float(np.exp(-np.mean(np.log(shares[inputs[real], targets[real]]))))


def check_memoryless_model(build_memoryless_model, fit, validation, bigram_perplexity, tolerance=0.05):
    """Checks `build_memoryless_model() -> keras model`: token ids (B, T) in, logits
    (B, T, len(VOCABULARY)) out, each step's logits a function of that step's character
    alone: changing the earlier characters or the later ones (the next character is the
    step's target) leaves them unchanged. Then trains it with the notebook's
    `fit(build) -> model` and compares its validation perplexity (validation = (inputs,
    targets, weights)) with the count-based bigram model's: at most `tolerance` (relative)
    above it, and not below `one_character_floor` of the validation pairs, which no model
    that reads one character can beat."""
    import keras

    what = "build_memoryless_model"
    model = call_learner(what, build_memoryless_model)
    if not isinstance(model, keras.Model):
        fail(what, f"expected a Keras model, got {type(model).__name__}.",
             "return the model, for example `return keras.Sequential([...])`, without compiling it.")
    rng = np.random.default_rng(3)
    inputs = rng.integers(1, len(VOCABULARY), size=(4, 9)).astype("int32")
    try:
        outputs = _outputs(model, inputs)
    except Exception as error:
        fail(what, f"your model raised {type(error).__name__} on token ids of shape (4, 9): {str(error)[:200]}",
             "its input is a sequence of token ids: keras.Input(shape=(None,), dtype=\"int32\"), then an Embedding.")
    expected_shape = (4, 9, len(VOCABULARY))
    if outputs.shape != expected_shape:
        hint = "one output per step and character: (batch, time, 27)."
        if outputs.shape == (4, len(VOCABULARY)):
            hint = ("one prediction per name is not enough: a language model predicts at every step. "
                    "Keep the time axis (no Flatten or pooling).")
        elif outputs.shape[:2] == (4, 9):
            hint = (f"the last axis must have {len(VOCABULARY)} entries, one per character of the "
                    f"vocabulary, the end marker included: Dense({len(VOCABULARY)}).")
        fail(what, f"on inputs of shape (4, 9) your model returns shape {outputs.shape}, expected "
                   f"{expected_shape}.", hint)
    if np.all(outputs >= 0) and np.allclose(outputs.sum(axis=-1), 1.0, atol=1e-4):
        fail(what, "your model ends with a softmax: its outputs are probabilities.",
             "return logits (no activation on the last Dense): the notebook's loss is "
             "SparseCategoricalCrossentropy(from_logits=True), which applies the softmax itself.")
    later = inputs.copy()
    later[:, 5:] = rng.integers(1, len(VOCABULARY), size=(4, 4))        # the characters after step 5
    if not np.allclose(_outputs(model, later)[:, :5], outputs[:, :5], atol=1e-5):
        fail(what, "its predictions change when only LATER characters change: it reads ahead, and "
                   "the character after step t is step t's target, the answer it should predict.",
             "a language model may read only the characters up to the current one: no "
             "Bidirectional layer, no Conv1D with padding=\"same\" (it reads the next step too), "
             "nothing that looks along the whole sequence.")
    earlier = inputs.copy()
    earlier[:, :-1] = rng.integers(1, len(VOCABULARY), size=(4, 8))     # every character but the last
    if not np.allclose(_outputs(model, earlier)[:, -1], outputs[:, -1], atol=1e-5):
        fail(what, "its prediction at the last step changes when only the earlier characters change: "
                   "the model still has a memory.",
             "remove the recurrent layer (and anything else that mixes the steps, such as Conv1D or "
             "attention): an Embedding followed by a Dense layer reads one character at a time.")
    fitted = _fitted_model(fit(lambda: call_learner(what, build_memoryless_model)))
    val_inputs, val_targets, val_weights = validation
    value = perplexity(_outputs(fitted, val_inputs), val_targets, val_weights)
    floor = one_character_floor(val_inputs, val_targets, val_weights)
    if value < floor * (1 - 1e-6):
        fail(what, f"after training its validation perplexity is {value:.2f}, below {floor:.2f}, the "
                   "lowest any model that reads one character can reach on these names.",
             "it must see more than the current character on the validation names: does it read "
             "the next character there (the answer), or keep something between calls?")
    ratio = value / float(bigram_perplexity)
    if ratio > 1 + tolerance:
        fail(what, f"after training its validation perplexity is {value:.2f}, the count-based bigram "
                   f"model's {float(bigram_perplexity):.2f}.",
             "a model that reads the current character can match the bigram model; does yours read it? "
             "Near the unigram's perplexity, it ignores its input (for example a Dense on a constant); "
             "otherwise check that the output is one Dense(27) of logits per step.")
    passed(what, f"no memory, no look ahead; after training its validation perplexity is at most "
                 f"{tolerance:.0%} above the count-based bigram model's, and not below {floor:.2f}, "
                 f"the least any one-character model can reach on these names.")
