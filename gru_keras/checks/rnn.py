"""The checks of 01_rnn's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_choice, fail, passed

__all__ = ["check_rnn_backward_step", "check_predicted_reach", "check_one_change"]


# --- Exercise 1: one step of backpropagation through time --------------------------------
GRADIENT_NAMES = ("dW", "dU", "db", "dx", "dh_prev")


def _backward_case(seed, batch, features, units):
    """A random Elman step and an upstream gradient: dh, h, h_prev, x, W, U (and b)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = np.tanh(rng.normal(size=(batch, units)))
    W = rng.normal(scale=0.6, size=(features, units))
    U = rng.normal(scale=0.6, size=(units, units))
    b = rng.normal(scale=0.5, size=units)
    h = np.tanh(x @ W + h_prev @ U + b)
    dh = rng.normal(size=(batch, units))
    return (dh, h, h_prev, x, W, U), b


def _autodiff_gradients(dh, h_prev, x, W, U, b):
    """(dW, dU, db, dx, dh_prev) of L = sum(dh * tanh(x W + h_prev U + b)) by tf.GradientTape."""
    import tensorflow as tf

    variables = [tf.constant(value, dtype=tf.float64) for value in (W, U, b, x, h_prev)]
    with tf.GradientTape() as tape:
        tape.watch(variables)
        W_, U_, b_, x_, h_prev_ = variables
        loss = tf.reduce_sum(tf.constant(dh) * tf.tanh(x_ @ W_ + h_prev_ @ U_ + b_))
    dW, dU, db, dx, dh_prev = (grad.numpy() for grad in tape.gradient(loss, variables))
    return dW, dU, db, dx, dh_prev


def _from_delta(delta, h_prev, x, W, U):
    """The five gradients that a given delta = dL/da_t leads to."""
    return x.T @ delta, h_prev.T @ delta, delta.sum(axis=0), delta @ W.T, delta @ U.T


def _backward_slips(dh, h, h_prev, x, W, U):
    """Typical slips as {gradient name: [(wrong value, hint), ...]} on one case."""
    slope_slips = [
        (dh, "the step through tanh is missing: first multiply dh by tanh's slope, "
             "delta = dh * (1 - h**2), then use delta everywhere."),
        (dh * (1 - h_prev**2), "tanh's slope is taken at this step's output h = tanh(a_t), "
                               "not at h_prev: delta = dh * (1 - h**2)."),
        (dh * (1 - np.tanh(h)**2), "h is already tanh(a_t): the slope is 1 - h**2, "
                                   "not 1 - tanh(h)**2 (that applies tanh twice)."),
        (dh * (1 - h), "the slope of tanh is 1 - h**2 (squared), not 1 - h."),
        (dh * h * (1 - h), "h * (1 - h) is the slope of the sigmoid; tanh's is 1 - h**2."),
    ]
    slips = {name: [] for name in GRADIENT_NAMES}
    for delta_slip, hint in slope_slips:
        for name, value in zip(GRADIENT_NAMES, _from_delta(delta_slip, h_prev, x, W, U)):
            slips[name].append((value, hint))
    delta = dh * (1 - h**2)
    slips["dW"] += [(delta.T @ x, "dW has the shape of W, (features, units): x.T @ delta, not delta.T @ x.")]
    slips["dU"] += [(delta.T @ h_prev, "dU = h_prev.T @ delta; delta.T @ h_prev is its transpose."),
                    (h.T @ delta, "in this step U multiplies h_prev, not h: dU = h_prev.T @ delta.")]
    slips["db"] += [(delta, "b is shared by every sequence of the batch: sum delta over the batch, "
                            "delta.sum(axis=0), to get shape (units,)."),
                    (delta.sum(axis=1), "sum over the batch (axis 0), not over the units (axis 1)."),
                    (delta.mean(axis=0), "sum over the batch, do not average: the loss adds the "
                                         "batch's terms, so their gradients add up too."),
                    (delta.sum(axis=0, keepdims=True), "db has the shape of b, (units,): sum over the "
                                                       "batch without keepdims=True.")]
    slips["dx"] += [(delta @ W, "x_t entered through x @ W, so it receives delta @ W.T (W transposed), "
                                "not delta @ W.")]
    slips["dh_prev"] += [(delta @ U, "h_prev entered through h_prev @ U, so it receives delta @ U.T "
                                     "(U transposed), not delta @ U."),
                         (delta @ U.T + dh, "dh is dL/dh_t, a gradient for this step's output: h_prev "
                                            "receives delta @ U.T alone (the loop adds what the loss "
                                            "reads from h_prev directly)."),
                         (delta @ U.T * (1 - h_prev**2), "dh_prev is what h_prev receives, dL/dh_{t-1}: "
                                                         "delta @ U.T; the slope of step t-1, "
                                                         "1 - h_prev**2, belongs to the next step back.")]
    return slips


def _close(got, value):
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(value) and bool(np.allclose(got, value, atol=1e-8))


def _check_backward_case(what, got, expected, slips):
    if not isinstance(got, (tuple, list)) or len(got) != len(GRADIENT_NAMES):
        fail(what, f"expected the five arrays (dW, dU, db, dx, dh_prev), got {type(got).__name__}"
                   + (f" of {len(got)} values." if isinstance(got, (tuple, list)) else "."),
             "end with `return dW, dU, db, dx, dh_prev`.")
    for position, (name, got_value, expected_value) in enumerate(zip(GRADIENT_NAMES, got, expected)):
        if _close(got_value, expected_value):
            continue
        for other, other_name in enumerate(GRADIENT_NAMES):
            if other != position and _close(got_value, expected[other]):
                fail(f"{what}: {name}", f"the value in place {position + 1} is {other_name}.",
                     "return the gradients in the order dW, dU, db, dx, dh_prev.")
        for value, hint in slips.get(name, []):
            if _close(got_value, value):
                shape, expected_shape = np.shape(got_value), np.shape(expected_value)
                fail(f"{what}: {name}", f"expected shape {expected_shape}, got {shape}." if shape != expected_shape
                     else "differs from automatic differentiation.", hint)
        check_array(f"{what}: {name}", got_value, expected_value)


def check_rnn_backward_step(rnn_backward_step):
    """Checks `rnn_backward_step(dh, h, h_prev, x, W, U) -> (dW, dU, db, dx, dh_prev)`,
    one step back through h = tanh(x W + h_prev U + b), against tf.GradientTape."""
    what = "rnn_backward_step"
    # First a case where batch, features and units are all 4: every slip keeps its shape
    # and is recognised by its values; then one where they differ, for the shapes.
    for number, sizes in enumerate([(4, 4, 4), (2, 5, 3)]):
        args, b = _backward_case(number + 1, *sizes)
        if number == 0:
            got = call_learner(what, rnn_backward_step, *(a.copy() for a in args))
        else:
            got = call_learner(
                f"{what} (with a batch of 2, 5 input features and 3 units)", rnn_backward_step,
                *(a.copy() for a in args),
                hint_on_error="each gradient has the shape of its variable: dW (features, units), "
                              "dU (units, units), db (units,), dx (batch, features), dh_prev (batch, units); "
                              "pick the transposes so that the products give those shapes.")
        dh, h, h_prev, x, W, U = args
        expected = _autodiff_gradients(dh, h_prev, x, W, U, b)
        _check_backward_case(what, got, expected, _backward_slips(*args) if number == 0 else {})
    passed(what, "dW, dU, db, dx and dh_prev match TensorFlow's automatic differentiation "
                 "(tf.GradientTape) on two random steps.")


# --- Exercise 2: predict, then measure: inputs multiplied by 10 ----------------------------
REACH_ANSWERS = ("further", "less far", "the same")
# For each network: the answer the course's measurement gives, and why each other answer is wrong.
_REACH_EXPLANATIONS = {
    "tanh RNN": ("less far", {
        "further": "bigger inputs push the pre-activations a_t far from 0, where tanh is flat: the "
                   "slopes 1 - h_t^2 of many units fall close to 0, and the gradient is multiplied "
                   "by them at every step back (saturation).",
        "the same": "U is unchanged, but each step back also multiplies by tanh's slopes 1 - h_t^2, "
                    "and those depend on how large the pre-activations are: inputs × 10 saturate tanh.",
    }),
    "IRNN": ("the same", {
        "further": "with b = 0 a ReLU network scales with its inputs (max(0, 10 a) = 10 max(0, a)): "
                   "inputs × 10 give states × 10 with the same units active, so the backward factors "
                   "diag(slope) (1 where active, 0 elsewhere) do not change, and neither does the gradient.",
        "less far": "ReLU does not saturate: with b = 0, inputs × 10 give states × 10 with the same "
                    "units active, so the backward factors diag(slope) do not change, and neither "
                    "does the gradient.",
    }),
}


def measured_reach(curves, distance, tolerance=0.25):
    """'further', 'less far' or 'the same': how the share of the gradient left at `distance`
    (norm at k = distance over norm at k = 0) changes from the smallest input scale to the
    largest. curves: {input scale: gradient norms indexed by distance k}."""
    scales = sorted(curves)
    if len(scales) < 2:
        raise ValueError("measured_reach: `curves` needs two input scales.")
    share = {scale: curves[scale][distance] / curves[scale][0] for scale in (scales[0], scales[-1])}
    if share[scales[-1]] > share[scales[0]] * (1 + tolerance):
        return "further"
    if share[scales[-1]] < share[scales[0]] / (1 + tolerance):
        return "less far"
    return "the same"


def check_predicted_reach(predicted_reach, reach_by_scale, distance):
    """Checks `predicted_reach(network)` ("further", "less far" or "the same") for each
    network of `reach_by_scale` ({network: {input scale: gradient norms by distance}})
    against what the measurement shows at `distance`."""
    answers = {}
    for network, curves in reach_by_scale.items():
        answer = call_learner("predicted_reach", predicted_reach, network)
        expected = measured_reach(curves, distance)
        anticipated, explanations = _REACH_EXPLANATIONS.get(network, (None, {}))
        choices = {choice: (explanations.get(choice) if expected == anticipated else None)
                   or f"the measurement shows {expected!r} for the {network}." for choice in REACH_ANSWERS}
        answers[network] = check_choice(f"predicted_reach({network!r})", answer, choices, expected,
                                        unknown_hint='answer "further", "less far" or "the same".')
    scale = max(next(iter(reach_by_scale.values())))
    passed("predicted_reach", "; ".join(f"{network}: {answer}" for network, answer in answers.items())
           + f", as measured at k = {distance} with inputs × {scale:g}.")


# --- Exercise 3: change one setting of the tanh RNN -------------------------------------
MAX_UNITS = 128
_NOT_A_RECURRENT_CHANGE = {
    "return_sequences": "Dense(1) must read the last state only: keep return_sequences=False.",
    "return_state": "the model expects one output: keep return_state=False.",
    "stateful": "a stateful layer carries its state from batch to batch: keep stateful=False.",
    "name": None,
}
# What a failed run measured, and what to try next: the measurements of the notebook do not
# say why a setting fails, so the hints say only what was measured and what is left to try.
_FAILED_CHANGE_HINTS = {
    "recurrent_initializer": "this run measured that this recurrent initializer alone, with tanh "
                             "kept, is not enough here; try the IRNN's other setting, its activation.",
    "units": "this run measured that this number of units alone is not enough here; try one "
             "of the two settings in which the IRNN differs (activation, recurrent_initializer).",
    "go_backwards": "reading backwards puts the first value less than T/2 steps from the end and the "
                    "second at least T/2 steps back; this run measured that it is not enough here. "
                    "Try one of the two settings in which the IRNN differs (activation, "
                    "recurrent_initializer).",
    "activation": "this run measured that this activation alone is not enough here; the IRNN's "
                  "activation, \"relu\", is one to try.",
}
_RELU_FAILED_HINT = ("ReLU alone passed this check in the course's runs (model seeds 0, 1 and 2), but "
                     "not in this one: training can differ from machine to machine. Try a change close "
                     "to it, e.g. activation=\"leaky_relu\".")
_FALLBACK_HINT = ("this run measured that this change alone is not enough here; try one of the two "
                  "settings in which the IRNN differs from the tanh RNN (activation, recurrent_initializer).")


def _shown(value):
    if isinstance(value, dict) and "class_name" in value:
        settings = ", ".join(f"{k}={v!r}" for k, v in (value.get("config") or {}).items() if v is not None)
        return f"{value['class_name']}({settings})"
    return repr(value)


def _changed_settings(layer, reference):
    try:
        mine, theirs = layer.get_config(), reference.get_config()
    except Exception as error:  # a setting Keras cannot serialise, e.g. a lambda activation
        fail("changed_rnn", f"Keras cannot read your layer's settings ({type(error).__name__}: {error}).",
             "pass settings by name, e.g. activation=\"relu\".")
    return {key: (theirs.get(key), mine.get(key)) for key in sorted(set(mine) | set(theirs))
            if key != "name" and mine.get(key) != theirs.get(key)}


def check_one_change(changed_rnn, tanh_rnn, train, slopes, length, seed):
    """Checks `changed_rnn()`: a keras.layers.SimpleRNN that differs from `tanh_rnn()` in one
    setting and, trained with `train(layer, length)` (which returns (model, losses)), uses
    the first value of the adding problem: test error below 1/12 and slope s_1 above 0.5
    on 500 test sequences, `slopes(model, inputs)` giving (s_1, s_2)."""
    import keras
    import tensorflow as tf

    from gru_keras.data import adding_problem

    what = "changed_rnn"
    reference = tanh_rnn()
    keras.utils.set_random_seed(seed)  # the learner's layer draws its weights from the model seed
    layer = call_learner(what, changed_rnn)
    if not isinstance(layer, keras.layers.Layer):
        fail(what, f"expected a Keras layer, got {type(layer).__name__}.",
             "return the layer itself, e.g. `return keras.layers.SimpleRNN(UNITS, ...)`.")
    if type(layer) is not keras.layers.SimpleRNN:
        fail(what, f"your layer is a {type(layer).__name__}, not a keras.layers.SimpleRNN.",
             "keep the Elman layer, keras.layers.SimpleRNN, and change one of its settings; "
             "other cells (LSTM, GRU) are the next notebooks' subject.")
    changed = _changed_settings(layer, reference)
    if not changed:
        fail(what, "your layer has the same settings as tanh_rnn(), which does not use the first value "
                   f"at length {length}.", "change one setting of keras.layers.SimpleRNN.")
    if len(changed) > 1:
        names = ", ".join(changed)
        irnn = set(changed) == {"activation", "recurrent_initializer"}
        fail(what, f"you changed {len(changed)} settings ({names}), not one.",
             "that is the IRNN, trained above: keep only one of its two changes." if irnn
             else "keep one change, so that you know what made the difference.")
    (setting, (before, after)), = changed.items()
    if setting in _NOT_A_RECURRENT_CHANGE:
        fail(what, f"{setting}={after!r} breaks the model rather than changing the recurrence.",
             _NOT_A_RECURRENT_CHANGE[setting])
    if setting == "units" and not (isinstance(after, int) and 1 <= after <= MAX_UNITS):
        fail(what, f"units={after!r}: keep between 1 and {MAX_UNITS} units, so that training takes seconds.")
    change = f"{setting}: {_shown(before)} -> {_shown(after)}"
    logger = tf.get_logger()
    level = logger.level
    # A fourth model trained in one kernel makes TensorFlow log a harmless "retracing" warning.
    logger.setLevel("ERROR")
    try:
        model, _ = train(layer, length)
        inputs, targets = adding_problem(500, length, seed=1)
        predictions = keras.ops.convert_to_numpy(model(inputs)).reshape(targets.shape)
        first_slope, _ = slopes(model, inputs)
    except Exception as error:
        fail(what, f"training the model with your layer raised {type(error).__name__}: {error}",
             "change a setting of the recurrence (activation, initializers, units), not of the model's shape.")
    finally:
        logger.setLevel(level)
    test_mse = float(np.mean((predictions - targets) ** 2))
    below, above = test_mse < 1 / 12, first_slope > 0.5
    if not (below and above):
        shown_slope = round(float(first_slope), 2) + 0.0  # + 0.0 turns -0.0 into 0.0
        fail(what, f"with {change}, at length {length} the model does not use the first value: test MSE "
                   f"{test_mse:.3f} ({'' if below else 'not '}below 1/12), s_1 {shown_slope:.2f} "
                   f"({'' if above else 'not '}above 0.5).",
             _RELU_FAILED_HINT if (setting, after) == ("activation", "relu")
             else _FAILED_CHANGE_HINTS.get(setting, _FALLBACK_HINT))
    passed(what, f"one setting changed ({change}); at length {length} the model uses the first value "
                 "(test MSE below 1/12, s_1 above 0.5).")
