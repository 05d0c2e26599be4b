"""Shared fixtures of the unit tests: each cell beside its Keras twin and NumPy reference."""

from dataclasses import dataclass
from typing import Callable

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import keras  # noqa: E402
import numpy as np  # noqa: E402

import gru_keras  # noqa: E402
from gru_keras import reference  # noqa: E402

ATOL = 1e-5
UNITS = 4
FEATURES = 3


@dataclass(frozen=True)
class Variant:
    """One cell configuration: how to build it, its Keras twin, and its reference."""

    name: str
    make_cell: Callable
    make_builtin: Callable  # (**rnn_kwargs) -> Keras layer, or None when Keras has none
    forward: Callable  # reference forward(inputs, weights, initial_state)
    backward: Callable = None
    state_count: int = 1

    def __repr__(self):
        return self.name


VARIANTS = [
    Variant(
        "SimpleRNN",
        lambda: gru_keras.SimpleRNNCell(UNITS),
        lambda **kw: keras.layers.SimpleRNN(UNITS, **kw),
        reference.rnn_forward,
        reference.rnn_backward,
    ),
    Variant(
        "LSTM",
        lambda: gru_keras.LSTMCell(UNITS),
        lambda **kw: keras.layers.LSTM(UNITS, **kw),
        reference.lstm_forward,
        reference.lstm_backward,
        state_count=2,
    ),
    Variant(
        "GRU(reset_after=True)",
        lambda: gru_keras.GRUCell(UNITS),
        lambda **kw: keras.layers.GRU(UNITS, **kw),
        reference.gru_forward,
        reference.gru_backward,
    ),
    Variant(
        "GRU(reset_after=False)",
        lambda: gru_keras.GRUCell(UNITS, reset_after=False),
        lambda **kw: keras.layers.GRU(UNITS, reset_after=False, **kw),
        lambda x, w, s=None: reference.gru_forward(x, w, s, reset_after=False),
        lambda x, w, d, **kw: reference.gru_backward(x, w, d, reset_after=False, **kw),
    ),
]

# Cells with no Keras twin, checked against the reference only.
REFERENCE_ONLY = [
    Variant(
        "LSTM(peephole=True)",
        lambda: gru_keras.LSTMCell(UNITS, peephole=True),
        None,
        lambda x, w, s=None: reference.lstm_forward(x, w, s, peephole=True),
        lambda x, w, d, **kw: reference.lstm_backward(x, w, d, peephole=True, **kw),
        state_count=2,
    ),
    Variant(
        "SimplifiedGRU",
        lambda: gru_keras.SimplifiedGRUCell(UNITS),
        None,
        reference.simplified_gru_forward,
    ),
]


def sequences(batch=3, time=6, features=FEATURES, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, time, features)).astype("float32")


def random_weights(layer, seed=1, scale=0.5):
    """Non-trivial weights (every bias and peephole non-zero) in the layer's shapes."""
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=scale, size=w.shape).astype("float32") for w in layer.get_weights()]


def twin_layers(variant, inputs, seed=1, **rnn_kwargs):
    """The custom layer and its Keras twin, built on `inputs` and sharing weights."""
    custom = keras.layers.RNN(variant.make_cell(), **rnn_kwargs)
    builtin = variant.make_builtin(**rnn_kwargs)
    custom(inputs)
    builtin(inputs)
    weights = random_weights(builtin, seed)
    builtin.set_weights(weights)
    custom.set_weights(weights)
    return custom, builtin, weights


def as_numpy(tensors):
    if isinstance(tensors, (list, tuple)):
        return [keras.ops.convert_to_numpy(t) for t in tensors]
    return keras.ops.convert_to_numpy(tensors)


def assert_close(actual, expected, atol=ATOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, atol=atol, rtol=0)

