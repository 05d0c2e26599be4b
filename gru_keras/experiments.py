"""Measurements the notebooks share: gradient norms over distance, and small training
runs whose results the notebooks print and nbval compares."""

import time

import keras
import numpy as np
import tensorflow as tf

__all__ = ["gradient_norms_by_distance", "fit_quietly"]


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
