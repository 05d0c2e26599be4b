"""Measurement tools the notebooks share: output comparison, gradient norms over
distance, accuracy, forecasting baselines and errors, and the GRU weight conversions of
03_gru. The notebooks build, compile and fit their models themselves, in sight."""

import keras
import numpy as np
import tensorflow as tf

__all__ = ["gradient_norms_by_distance", "marked_value_slopes", "slopes_on_marked_values", "outputs_match", "persistence_forecast", "seasonal_forecast", "forecast_mae", "flip_update_convention", "write_gate_gru_forward", "gru_parameter_count", "hold_reset_gate", "binary_accuracy"]


def outputs_match(a, b, atol=1e-5):
    """True when two arrays (NumPy or Keras tensors) agree to `atol` everywhere."""
    a, b = keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=0))


def gradient_norms_by_distance(rnn_layer, inputs, summed=False):
    """How strongly the last state depends on each earlier input.

    For a `keras.layers.RNN`-like layer (returning its last output) and `inputs` of
    shape (batch, time, features), returns an array `norms` of length `time` where
    norms[k] is the mean over the batch of ||∂h_T / ∂x_{T-k}||: k = 0 is the last
    input, k = time - 1 the first. A vanishing gradient shows as norms falling
    geometrically with k.

    summed=True measures ||∂(Σ_j h_T,j) / ∂x_{T-k}|| instead (the gradient of the sum of
    the last state's units): one backward pass instead of one per unit, many times
    faster for an LSTM, and it falls off with k the same way.
    """
    inputs = tf.convert_to_tensor(np.asarray(inputs, dtype="float32"))
    if inputs.shape.rank != 3:
        raise ValueError(
            f"gradient_norms_by_distance: inputs must be (batch, time, features), got {inputs.shape}."
        )
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        last = rnn_layer(inputs)
        if isinstance(last, (list, tuple)):
            last = last[0]
        if last.shape.rank != 2:
            raise ValueError(
                "gradient_norms_by_distance: the layer must return its last output "
                f"(batch, units) (return_sequences=False); it returned shape {last.shape}."
            )
        total = tf.reduce_sum(last)  # for summed=True
    if summed:
        per_step = tf.norm(tape.gradient(total, inputs), axis=-1)  # (batch, time)
        return tf.reduce_mean(per_step, axis=0).numpy()[::-1]
    # ∂h_T/∂x_t for every t at once: the Jacobian, summed over nothing, per sample.
    # batch_jacobian traces a new tf.function each call; from the fifth call TensorFlow
    # logs a "retracing" warning to stderr, which is harmless here and breaks nbval.
    logger, level = tf.get_logger(), tf.get_logger().level
    logger.setLevel("ERROR")
    try:
        jacobian = tape.batch_jacobian(last, inputs)  # (batch, units, time, features)
    finally:
        logger.setLevel(level)
    per_step = tf.norm(tf.reshape(tf.transpose(jacobian, [0, 2, 1, 3]),
                                  [inputs.shape[0], inputs.shape[1], -1]), axis=-1)
    norms = tf.reduce_mean(per_step, axis=0).numpy()
    return norms[::-1]


def binary_accuracy(model, inputs, targets):
    """Share of `inputs` on which a sigmoid-output `model` is on the right side of 0.5."""
    targets = np.asarray(targets)
    if len(inputs) != len(targets) or len(targets) == 0:
        raise ValueError(f"binary_accuracy: `inputs` and `targets` must be non-empty and of the same "
                         f"length, got {len(inputs)} and {len(targets)}.")
    predicted = keras.ops.convert_to_numpy(model(inputs, training=False)) > 0.5
    return float(np.mean(predicted == (targets > 0.5)))


# --- 05_in_practice --------------------------------------------------------------
def persistence_forecast(inputs):
    """The naive forecast: the next value equals the last one seen.
    inputs: windows (n, window, 1) as from `gru_keras.data.make_windows`; returns (n, 1)."""
    inputs = _check_windows(inputs, "persistence_forecast")
    return inputs[:, -1, :]


def seasonal_forecast(inputs, period):
    """The seasonal naive forecast: the next value equals the value one `period` earlier
    (for sunspots, about 11 years). Needs windows of at least `period` steps; returns (n, 1)."""
    inputs = _check_windows(inputs, "seasonal_forecast")
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) \
            or not 1 <= period <= inputs.shape[1]:
        raise ValueError(f"seasonal_forecast: `period` must be an integer in [1, window = "
                         f"{inputs.shape[1]}], got {period!r}.")
    return inputs[:, -period, :]


def _check_windows(inputs, where):
    inputs = np.asarray(inputs, dtype="float32")
    if inputs.ndim != 3 or inputs.shape[-1] != 1:
        raise ValueError(f"{where}: `inputs` must be windows of shape (n, window, 1), got {inputs.shape}.")
    return inputs


def forecast_mae(predictions, targets, scaler):
    """Mean absolute error in the series' own units (sunspots, not standard deviations):
    both arrays are scaled values, `scaler` the `TrainScaler` that scaled them."""
    predictions = np.asarray(predictions, dtype="float32").ravel()
    targets = np.asarray(targets, dtype="float32").ravel()
    if predictions.shape != targets.shape:
        raise ValueError(f"forecast_mae: `predictions` {predictions.shape} and `targets` "
                         f"{targets.shape} must hold as many values.")
    return float(np.mean(np.abs(scaler.inverse(predictions) - scaler.inverse(targets))))


# --- 03_gru ----------------------------------------------------------------------
def _gru_weights(weights, where):
    if not isinstance(weights, (list, tuple)) or len(weights) != 3:
        raise ValueError(f"{where}: `weights` must be the list [kernel, recurrent_kernel, bias] "
                         "that a GRU's get_weights() returns.")
    W, U, b = (np.asarray(w, dtype=float) for w in weights)
    n = U.shape[0]
    if U.shape != (n, 3 * n) or W.shape[-1] != 3 * n or b.shape not in ((3 * n,), (2, 3 * n)):
        raise ValueError(f"{where}: shapes {W.shape}, {U.shape}, {b.shape} are not those of a GRU "
                         "(kernel (m, 3n), recurrent_kernel (n, 3n), bias (3n,) or (2, 3n)).")
    return W, U, b, n


def flip_update_convention(weights):
    """Weights for the other update convention: negates the z block of the kernel, the
    recurrent kernel and every bias row, since 1 − σ(a) = σ(−a). Returns new arrays;
    the input list is not modified."""
    W, U, b, n = _gru_weights(weights, "flip_update_convention")
    W, U, b = W.copy(), U.copy(), b.copy()
    W[:, :n] *= -1
    U[:, :n] *= -1
    b[..., :n] *= -1
    return [W, U, b]


def write_gate_gru_forward(inputs, weights, reset_after=True):
    """The write-gate GRU, as many lectures write it: h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    (z_t is the share of the candidate: the Sequence Models course's Γ_u). Otherwise as
    `gru_keras.reference.gru_forward`: same weights layout, zero initial state.
    Returns outputs (batch, time, units)."""
    from gru_keras.reference import sigmoid

    W, U, b, n = _gru_weights(weights, "write_gate_gru_forward")
    inputs = np.asarray(inputs, dtype=float)
    if inputs.ndim != 3 or inputs.shape[-1] != W.shape[0]:
        raise ValueError(f"write_gate_gru_forward: `inputs` must be (batch, time, {W.shape[0]}), got {inputs.shape}.")
    if (b.ndim == 2) != bool(reset_after):
        raise ValueError(f"write_gate_gru_forward: a bias of shape {b.shape} does not go with reset_after={reset_after}.")
    b_x, b_h = (b[0], b[1]) if reset_after else (b, np.zeros(3 * n))
    h, outputs = np.zeros((inputs.shape[0], n)), []
    for t in range(inputs.shape[1]):
        a_x, a_h = inputs[:, t] @ W + b_x, h @ U + b_h
        z = sigmoid(a_x[:, :n] + a_h[:, :n])
        r = sigmoid(a_x[:, n:2 * n] + a_h[:, n:2 * n])
        if reset_after:
            candidate = np.tanh(a_x[:, 2 * n:] + r * a_h[:, 2 * n:])
        else:
            candidate = np.tanh(a_x[:, 2 * n:] + (r * h) @ U[:, 2 * n:])
        h = (1 - z) * h + z * candidate
        outputs.append(h)
    return np.stack(outputs, axis=1)


def gru_parameter_count(input_dim, units, reset_after=True):
    """Trainable parameters of a GRU layer: 3(nm + n² + n), plus 3n for the second
    (recurrent) bias row when reset_after."""
    for name, value in (("input_dim", input_dim), ("units", units)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(f"gru_parameter_count: `{name}` must be a positive integer, got {value!r}.")
    m, n = int(input_dim), int(units)
    return 3 * (n * m + n * n + n) + (3 * n if reset_after else 0)


def hold_reset_gate(weights, value):
    """GRU weights whose reset gate is held at `value` (0 or 1) on every step and unit.

    The r block of the input bias is set to +50 (σ ≈ 1, the candidate reads all of the
    state) or −50 (σ ≈ 0, the candidate sees the current input only); a second bias row
    (reset_after=True) gets 0 in that block. Returns new arrays, for `layer.set_weights`.
    """
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"hold_reset_gate: `value` must be 0 or 1, got {value!r}.")
    W, U, b, n = _gru_weights(weights, "hold_reset_gate")
    b = b.copy()
    if b.ndim == 2:
        b[1, n:2 * n] = 0.0
        b[0, n:2 * n] = 50.0 if value else -50.0
    else:
        b[n:2 * n] = 50.0 if value else -50.0
    return [W.copy(), U.copy(), b]


def marked_value_slopes(model, inputs):
    """Least-squares slopes (s_1, s_2) of `model`'s prediction on the first and second
    marked values of adding-problem `inputs` (the measurement 01_rnn introduces): the
    prediction is fitted as s_1 v_1 + s_2 v_2 + const over the sequences; the exact sum
    has s_1 = s_2 = 1, and a slope near 0 means the model ignores that value."""
    import keras

    predictions = keras.ops.convert_to_numpy(model(np.asarray(inputs, dtype="float32")))
    return slopes_on_marked_values(predictions, inputs)


def slopes_on_marked_values(predictions, inputs):
    """The slopes (s_1, s_2) of `marked_value_slopes` for predictions already made."""
    inputs = np.asarray(inputs)
    is_marked = inputs[:, :, 1] == 1
    if inputs.ndim != 3 or inputs.shape[-1] != 2 or not np.all(is_marked.sum(axis=1) == 2):
        raise ValueError("marked_value_slopes: `inputs` must be adding-problem sequences (batch, time, 2) "
                         "with exactly two marked steps each.")
    marked_values = inputs[:, :, 0][is_marked].reshape(len(inputs), 2)  # row by row: first, then second
    design = np.column_stack([marked_values, np.ones(len(inputs))])
    slopes = np.linalg.lstsq(design, np.asarray(predictions, dtype=float).ravel(), rcond=None)[0]
    return float(slopes[0]), float(slopes[1])
