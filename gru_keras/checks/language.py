"""The checks of 06_language_model's exercises (see `gru_keras.checks` for how a check reports)."""

import warnings

import numpy as np

from gru_keras.checks import ExerciseError, call_learner, check_array, check_choice, fail, passed
from gru_keras.language import VOCABULARY, perplexity, temperature_probabilities

__all__ = ["check_perplexity_from_loss", "check_temperature_probabilities", "RESET_ANSWERS",
           "measured_reset_effect", "check_reset_prediction", "check_memoryless_model"]


class _numpy_quiet:
    """NumPy's overflow and division warnings off while a learner's code runs: the check
    itself reports a NaN or an infinity, with a hint."""

    def __enter__(self):
        self.errors = np.seterr(all="ignore")
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self.warnings.__exit__(*exc)
        np.seterr(**self.errors)
        return False


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
        (np.exp(keras_loss * weights.shape[-1]), "that is the cross-entropy per name (the sum over a "
                                                 "name's T positions), not per character: divide the "
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
                   f"of {case_weights.shape[1]} steps (expected {right:.4g}).",
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


# --- Exercise 2: the sampling distribution at a temperature ---------------------------------
def _softmax(values, axis=-1):
    shifted = values - values.max(axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=axis, keepdims=True)


def _temperature_slips(logits, temperature):
    probabilities = _softmax(logits)
    return [
        (_softmax(logits * temperature), "the logits are multiplied by the temperature; divide them: "
                                         "softmax(logits / temperature), so that a small temperature "
                                         "sharpens the distribution."),
        (probabilities, "the temperature is not used: the result is softmax(logits) whatever the "
                        "temperature."),
        (_softmax(logits / temperature, axis=0), "the softmax runs over the batch (axis 0); each row "
                                                 "is one distribution over the characters: normalise "
                                                 "along the last axis."),
        (probabilities / temperature, "dividing the probabilities by the temperature does not give "
                                      "probabilities (they no longer sum to 1): divide the logits, "
                                      "then take the softmax."),
    ]


def check_temperature_probabilities(temperature_probabilities_answer):
    """Checks `temperature_probabilities(logits, temperature) -> (B, V) probabilities`:
    softmax(logits / temperature) along the last axis, without overflow for large logits
    and small temperatures, and all the probability on the largest logit at temperature 0."""
    what = "temperature_probabilities"
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=2.0, size=(4, len(VOCABULARY)))
    for temperature in (0.5, 1.0, 2.0):
        with _numpy_quiet():
            got = call_learner(what, temperature_probabilities_answer, logits.copy(), temperature)
        expected = temperature_probabilities(logits, temperature)
        if np.shape(got) == expected.shape and not np.allclose(got, expected, atol=1e-6):
            for wrong, hint in _temperature_slips(logits, temperature):
                if np.allclose(got, wrong, atol=1e-6):
                    fail(what, f"wrong probabilities at temperature {temperature}.", hint)
        check_array(f"{what} at temperature {temperature}", got, expected)
    large = rng.normal(scale=30.0, size=(3, len(VOCABULARY)))
    with _numpy_quiet():
        got = call_learner(what, temperature_probabilities_answer, large.copy(), 0.05)
    if got is not None and not np.all(np.isfinite(np.asarray(got, dtype=float))):
        fail(what, "NaN or infinity for logits of about ±60 at temperature 0.05.",
             "exp(logits / temperature) overflows (exp(1200) is too large for a float): subtract "
             "each row's largest value from logits / temperature before the exponential; the "
             "softmax does not change.")
    check_array(f"{what} for large logits at temperature 0.05", got, temperature_probabilities(large, 0.05))
    try:
        with _numpy_quiet():
            got = call_learner(what, temperature_probabilities_answer, logits.copy(), 0)
    except ExerciseError as error:
        if "ZeroDivisionError" not in str(error):
            raise
        fail(what, "temperature 0 raises ZeroDivisionError.",
             "temperature 0 is the limit of ever smaller temperatures: all the probability on the "
             "largest logit (greedy decoding). Treat it apart: a one-hot row at np.argmax(logits, axis=-1).")
    expected = temperature_probabilities(logits, 0)
    if np.shape(got) == expected.shape[:1]:
        fail(what, "at temperature 0 you return the indices of the largest logits.",
             "return probabilities of shape (B, V) at every temperature: a one-hot row, 1 at the argmax.")
    if got is not None and np.shape(got) == expected.shape and not np.all(np.isfinite(np.asarray(got, float))):
        fail(what, "NaN or infinity at temperature 0.",
             "logits / 0 is infinite: temperature 0 is the limit of ever smaller temperatures, all the "
             "probability on the largest logit. Treat it apart: a one-hot row at the argmax.")
    check_array(f"{what} at temperature 0", got, expected)
    passed(what, "softmax(logits / T) at T = 0.5, 1 and 2, no overflow at T = 0.05, greedy at T = 0.")


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


def check_memoryless_model(build_memoryless_model, fit, validation, bigram_perplexity, tolerance=0.05):
    """Checks `build_memoryless_model() -> keras model`: token ids (B, T) in, logits
    (B, T, len(VOCABULARY)) out, each step's logits a function of that step's character
    alone. Then trains it with the notebook's `fit(build) -> model` and compares its
    validation perplexity (validation = (inputs, targets, weights)) with the count-based
    bigram model's: within `tolerance` (relative) is a pass."""
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
    changed = inputs.copy()
    changed[:, :-1] = rng.integers(1, len(VOCABULARY), size=(4, 8))     # every character but the last
    if not np.allclose(_outputs(model, changed)[:, -1], outputs[:, -1], atol=1e-5):
        fail(what, "its prediction at the last step changes when only the earlier characters change: "
                   "the model still has a memory.",
             "remove the recurrent layer (and anything else that mixes the steps, such as Conv1D or "
             "attention): an Embedding followed by a Dense layer reads one character at a time.")
    fitted = _fitted_model(fit(lambda: call_learner(what, build_memoryless_model)))
    val_inputs, val_targets, val_weights = validation
    value = perplexity(_outputs(fitted, val_inputs), val_targets, val_weights)
    ratio = value / float(bigram_perplexity)
    if ratio > 1 + tolerance:
        fail(what, f"after training its validation perplexity is {value:.2f}, the count-based bigram "
                   f"model's {float(bigram_perplexity):.2f}.",
             "a model that reads the current character can match the bigram model; does yours read it? "
             "Near the unigram's perplexity, it ignores its input (for example a Dense on a constant); "
             "otherwise check that the output is one Dense(27) of logits per step.")
    passed(what, f"no memory, and after training its validation perplexity is within {tolerance:.0%} "
                 f"of the count-based bigram model's.")
