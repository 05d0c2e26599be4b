"""Character-level language models of names (notebook 06_language_model).

- the vocabulary: the end marker "." and the letters a-z; `encode`, `decode`;
- `name_pairs`: names as next-character training pairs, "." + name predicts name + ".",
  padded at the end with weight 0;
- `cross_entropy` and `perplexity` per character, from a model's logits;
- `temperature_probabilities` and `sample`: a seeded sampler that draws one character at a
  time, carrying the recurrent state from step to step (or, to show what goes wrong,
  resetting it), with temperature 0 for greedy decoding;
- `keras_step`: one step of a trained Embedding -> recurrent layer -> Dense model, for the
  sampler; `stepwise_logits`: the same model run step by step over given inputs;
- `connectivity`: how strongly each prediction depends on each earlier character (the
  norm of the gradient of its log-probability with respect to that character's
  embedding), the "connectivity" view of Madsen (Distill, 2019).

Every function checks its input and says what is wrong in one sentence.
"""

import numbers

import numpy as np

__all__ = ["END", "END_ID", "VOCABULARY", "encode", "decode", "name_pairs", "log_softmax", "cross_entropy",
           "perplexity", "temperature_probabilities", "sample", "keras_step", "stepwise_logits",
           "connectivity"]

END = "."
END_ID = 0
VOCABULARY = (END,) + tuple("abcdefghijklmnopqrstuvwxyz")
_IDS = {character: index for index, character in enumerate(VOCABULARY)}


def encode(text, where="encode"):
    """The token ids of `text` (a string of "." and a-z): a list of ints."""
    if not isinstance(text, str):
        raise TypeError(f"{where}: expected a string, got {type(text).__name__} {text!r:.40}.")
    unknown = sorted({character for character in text if character not in _IDS})
    if unknown:
        raise ValueError(f"{where}: unknown character{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(map(repr, unknown))} in {text!r}; the vocabulary is the end "
                         f"marker {END!r} and the lower-case letters a-z.")
    return [_IDS[character] for character in text]


def decode(ids):
    """The string of a sequence of token ids."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer) and ids.size:
        raise ValueError(f"decode: expected a 1D sequence of integer ids, got shape {ids.shape}, "
                         f"dtype {ids.dtype}.")
    if ids.size and (ids.min() < 0 or ids.max() >= len(VOCABULARY)):
        raise ValueError(f"decode: ids must lie in [0, {len(VOCABULARY)}).")
    return "".join(VOCABULARY[i] for i in ids)


def name_pairs(names, length=None):
    """Names as next-character training pairs, padded at the end to `length` steps.

    For "emma": inputs ". e m m a", targets "e m m a .": the end marker starts every input
    and ends every target, so each step predicts the character that follows. The steps
    after a name's end are padding (the end marker again, as inputs and targets) with
    weight 0: a layer that reads left to right cannot let them change an earlier step, and
    their weight keeps them out of the loss. `length` defaults to the longest name + 1.

    Returns inputs and targets (N, length) int32 and weights (N, length) float32 (1 on the
    len(name) + 1 real targets of each name, 0 on padding).
    """
    if isinstance(names, str) or not len(names):
        raise ValueError("name_pairs: `names` must be a non-empty list of strings.")
    encoded = [encode(name, "name_pairs") for name in names]
    if any(len(ids) == 0 for ids in encoded):
        raise ValueError("name_pairs: a name is empty.")
    if any(END_ID in ids for ids in encoded):
        raise ValueError(f"name_pairs: a name contains the end marker {END!r}.")
    longest = max(map(len, encoded)) + 1
    if length is None:
        length = longest
    if isinstance(length, bool) or not isinstance(length, numbers.Integral) or length < longest:
        raise ValueError(f"name_pairs: `length` must be an integer of at least the longest name + 1 "
                         f"= {longest}, got {length!r}.")
    inputs = np.full((len(names), length), END_ID, dtype="int32")
    targets = np.full((len(names), length), END_ID, dtype="int32")
    weights = np.zeros((len(names), length), dtype="float32")
    for row, ids in enumerate(encoded):
        inputs[row, 1:len(ids) + 1] = ids
        targets[row, :len(ids)] = ids
        weights[row, :len(ids) + 1] = 1.0
    return inputs, targets, weights


def log_softmax(logits):
    """ln softmax(logits) along the last axis, computed from the logits shifted by their
    largest value, so that no exponential overflows."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy(logits, targets, weights):
    """The mean cross-entropy per character, in nats: -Σ w log p(target) / Σ w.

    logits (..., V) are the model's scores before the softmax; targets (...) token ids;
    weights (...) 1 on real characters, 0 on padding.
    """
    logits = np.asarray(logits, dtype="float64")
    targets, weights = np.asarray(targets), np.asarray(weights, dtype="float64")
    if logits.ndim < 1 or logits.shape[:-1] != targets.shape or targets.shape != weights.shape:
        raise ValueError(f"cross_entropy: expected logits (..., V) with targets and weights of their "
                         f"leading shape; got {logits.shape}, {targets.shape}, {weights.shape}.")
    if not np.issubdtype(targets.dtype, np.integer) or targets.size and \
            (targets.min() < 0 or targets.max() >= logits.shape[-1]):
        raise ValueError(f"cross_entropy: targets must be integer ids in [0, {logits.shape[-1]}).")
    if weights.sum() <= 0 or np.any(weights < 0):
        raise ValueError("cross_entropy: weights must be non-negative with a positive sum.")
    picked = np.take_along_axis(log_softmax(logits), targets[..., None], axis=-1)[..., 0]
    return float(-(picked * weights).sum() / weights.sum())


def perplexity(logits, targets, weights):
    """exp(cross-entropy per character): the model is as unsure as a uniform choice among
    this many characters. A model that gives every one of V characters 1/V scores V."""
    return float(np.exp(cross_entropy(logits, targets, weights)))


def _check_temperature(temperature, where):
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) \
            or not np.isfinite(temperature) or temperature < 0:
        raise ValueError(f"{where}: `temperature` must be a finite number >= 0 (0 is greedy: always "
                         f"the most likely character), got {temperature!r}.")
    return float(temperature)


def temperature_probabilities(logits, temperature):
    """softmax(logits / temperature) along the last axis; temperature 0 puts all the
    probability on the largest logit (the first one, if several are equal)."""
    temperature = _check_temperature(temperature, "temperature_probabilities")
    logits = np.asarray(logits, dtype="float64")
    if temperature == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    scaled = logits / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)      # exp of large logits / small temperatures overflows
    probabilities = np.exp(scaled)
    return probabilities / probabilities.sum(axis=-1, keepdims=True)


def sample(step, n_samples, temperature=1.0, seed=0, max_length=20, prefix="", reset_state=False):
    """Draws `n_samples` names from a character model, one character at a time.

    step(tokens, state) -> (logits, state): tokens (B,) int ids, `state` the model's state
    (None for a fresh, all-zero one), logits (B, len(VOCABULARY)). Every sample starts from
    the end marker, reads `prefix` (each sample begins with it), then draws each character
    from `temperature_probabilities(logits, temperature)` with a NumPy generator seeded by
    `seed`, and feeds it back, until it draws the end marker or has drawn `max_length`
    characters (after the prefix).
    The same `seed`, model and arguments give the same names.

    reset_state=False carries the state from step to step, as the model was trained;
    reset_state=True passes None at every step, so the model sees only the last character.
    Returns the names (without the end marker) as a list of strings.
    """
    temperature = _check_temperature(temperature, "sample")
    for value, name in ((n_samples, "n_samples"), (max_length, "max_length")):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"sample: `{name}` must be a positive integer, got {value!r}.")
    if not callable(step):
        raise TypeError("sample: `step` must be a function step(tokens, state) -> (logits, state), "
                        "for example keras_step(model).")
    prefix_ids = encode(prefix, "sample (prefix)")
    if END_ID in prefix_ids:
        raise ValueError(f"sample: the prefix may not contain the end marker {END!r}.")
    rng = np.random.default_rng(seed)
    generated = np.zeros((n_samples, 0), dtype="int64")
    ended = np.zeros(n_samples, dtype=bool)
    tokens, state = np.full(n_samples, END_ID, dtype="int32"), None
    for forced in prefix_ids:                                  # read the prefix, draw nothing
        _, state = step(tokens, None if reset_state else state)
        tokens = np.full(n_samples, forced, dtype="int32")
        generated = np.concatenate([generated, tokens[:, None]], axis=1)
    while generated.shape[1] < max_length + len(prefix_ids) and not ended.all():
        logits, state = step(tokens, None if reset_state else state)
        probabilities = temperature_probabilities(np.asarray(logits), temperature)
        if probabilities.shape != (n_samples, len(VOCABULARY)):
            raise ValueError(f"sample: `step` returned logits of shape {np.shape(logits)}, expected "
                             f"({n_samples}, {len(VOCABULARY)}).")
        # One uniform draw per sample, in [0, total); the character drawn is the first whose
        # cumulative probability exceeds it (the total is 1 up to rounding).
        cumulative = np.cumsum(probabilities, axis=-1)
        draws = rng.random(n_samples) * cumulative[:, -1]
        choice = np.argmax(cumulative > draws[:, None], axis=-1)
        choice = np.where(ended, END_ID, choice)
        generated = np.concatenate([generated, choice[:, None]], axis=1)
        ended |= choice == END_ID
        tokens = choice.astype("int32")
    return [decode(row).split(END)[0] for row in generated]


def _layers_of_language_model(model, where):
    import keras

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if len(layers) != 3 or not isinstance(layers[0], keras.layers.Embedding) \
            or not hasattr(layers[1], "cell") or not isinstance(layers[2], keras.layers.Dense):
        raise ValueError(f"{where}: expected a model of three layers, Embedding -> recurrent layer "
                         f"(keras.layers.RNN, GRU, LSTM or SimpleRNN) -> Dense; got "
                         f"{[type(layer).__name__ for layer in layers]}.")
    return layers


def keras_step(model):
    """One step of a trained Embedding -> recurrent layer -> Dense model, for `sample`.

    Returns step(tokens, state) -> (logits as a NumPy array, new state): the embedding of
    `tokens`, one step of the layer's cell from `state` (zeros when None), and the Dense
    layer on the cell's output. Run over a sequence with the state carried, it computes
    what the model computes on the whole sequence (see `stepwise_logits`).
    """
    import keras

    embedding, recurrent, output = _layers_of_language_model(model, "keras_step")
    cell = recurrent.cell
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]

    def step(tokens, state):
        tokens = np.asarray(tokens, dtype="int32")
        if state is None:
            state = [keras.ops.zeros((len(tokens), size)) for size in sizes]
        hidden, state = cell(embedding(tokens), state)
        state = state if isinstance(state, (list, tuple)) else [state]
        return keras.ops.convert_to_numpy(output(hidden)), list(state)

    return step


def stepwise_logits(step, inputs, reset_state=False):
    """The logits (N, T, V) of `step` run over `inputs` (N, T), one step at a time, with
    the state carried from step to step, or reset to None at every step."""
    inputs = np.asarray(inputs)
    if inputs.ndim != 2 or not np.issubdtype(inputs.dtype, np.integer):
        raise ValueError(f"stepwise_logits: `inputs` must be (N, T) token ids, got shape "
                         f"{inputs.shape}, dtype {inputs.dtype}.")
    state, logits = None, []
    for t in range(inputs.shape[1]):
        step_logits, state = step(inputs[:, t], None if reset_state else state)
        logits.append(np.asarray(step_logits))
    return np.stack(logits, axis=1)


def connectivity(model, inputs, targets):
    """How much each prediction depends on each earlier character.

    For each sequence n, target step t and input step s, the norm of the gradient of
    log p(targets[n, t]) (the log-probability the model gives the right next character)
    with respect to the embedding vector of inputs[n, s]. Returns (N, T, T); entries with
    s > t are 0, since a left-to-right layer cannot look ahead.
    """
    import tensorflow as tf

    embedding, recurrent, output = _layers_of_language_model(model, "connectivity")
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    if inputs.ndim != 2 or inputs.shape != targets.shape:
        raise ValueError(f"connectivity: `inputs` and `targets` must both be (N, T), got "
                         f"{inputs.shape} and {targets.shape}.")
    embedded = tf.convert_to_tensor(embedding(inputs))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(embedded)
        log_probabilities = tf.nn.log_softmax(output(recurrent(embedded)), axis=-1)
        picked = tf.gather(log_probabilities, targets, axis=-1, batch_dims=2)      # (N, T)
        per_step = [picked[:, t] for t in range(inputs.shape[1])]
    rows = [tf.norm(tape.gradient(value, embedded), axis=-1).numpy() for value in per_step]
    del tape
    return np.stack(rows, axis=1)
