"""Measurements the notebooks share: gradient norms over distance, and small training
runs whose results the notebooks print and nbval compares."""

import time

import keras
import numpy as np
import tensorflow as tf

from gru_keras.data import ADDING_PROBLEM_BASELINE_MSE, adding_problem

__all__ = ["gradient_norms_by_distance", "fit_quietly", "outputs_match", "train_on_adding_problem"]


def outputs_match(a, b, atol=1e-5):
    """True when two arrays (NumPy or Keras tensors) agree to `atol` everywhere."""
    a, b = keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=0))


def gradient_norms_by_distance(rnn_layer, inputs):
    """How strongly the last state depends on each earlier input.

    For a `keras.layers.RNN`-like layer (returning its last output) and `inputs` of
    shape (batch, time, features), returns an array `norms` of length `time` where
    norms[k] is the mean over the batch of ||∂h_T / ∂x_{T-k}||: k = 0 is the last
    input, k = time - 1 the first. A vanishing gradient shows as norms falling
    geometrically with k.
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
    # ∂h_T/∂x_t for every t at once: the Jacobian, summed over nothing, per sample.
    jacobian = tape.batch_jacobian(last, inputs)  # (batch, units, time, features)
    per_step = tf.norm(tf.reshape(tf.transpose(jacobian, [0, 2, 1, 3]),
                                  [inputs.shape[0], inputs.shape[1], -1]), axis=-1)
    norms = tf.reduce_mean(per_step, axis=0).numpy()
    return norms[::-1]


def fit_quietly(model, inputs, targets, **fit_kwargs):
    """`model.fit` with no progress bar; returns (history dict, seconds taken)."""
    fit_kwargs.setdefault("verbose", 0)
    start = time.perf_counter()
    history = model.fit(inputs, targets, **fit_kwargs)
    return history.history, time.perf_counter() - start


def train_on_adding_problem(recurrent_layer, length, n_train=2000, n_test=500, epochs=10,
                            batch_size=50, learning_rate=1e-2, seed=0):
    """Trains `Input -> recurrent_layer -> Dense(1)` on the adding problem.

    recurrent_layer: a fresh Keras layer that maps (batch, length, 2) to (batch, units),
    for example `keras.layers.RNN(gru_keras.LSTMCell(32))`.
    Returns a dict: test_mse, baseline_mse (1/6, always predicting 1.0),
    solved (test MSE below a tenth of the baseline), seconds, and the loss history.
    """
    x_train, y_train = adding_problem(n_train, length, seed=seed)
    x_test, y_test = adding_problem(n_test, length, seed=seed + 1)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((length, 2)), recurrent_layer, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0), loss="mse")
    history, seconds = fit_quietly(model, x_train, y_train, epochs=epochs, batch_size=batch_size)
    test_mse = float(model.evaluate(x_test, y_test, verbose=0, batch_size=500))
    return {
        "test_mse": test_mse,
        "baseline_mse": ADDING_PROBLEM_BASELINE_MSE,
        "solved": test_mse < ADDING_PROBLEM_BASELINE_MSE / 10,
        "seconds": seconds,
        "loss": history["loss"],
        "model": model,
    }
