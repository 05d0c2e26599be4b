"""The NumPy reference: backpropagation through time against TensorFlow's autodiff on
the Keras layers, and its shape checks."""

import numpy as np
import pytest
import tensorflow as tf

from gru_keras import reference
from helpers import REFERENCE_ONLY, UNITS, VARIANTS, assert_close, random_weights, sequences
import keras

GRAD_VARIANTS = VARIANTS + [v for v in REFERENCE_ONLY if v.backward is not None]


def _layer_for(variant, x):
    """The layer whose gradients TensorFlow computes: Keras' own where it has one."""
    if variant.make_builtin is not None:
        layer = variant.make_builtin(return_sequences=True, return_state=True)
    else:
        layer = keras.layers.RNN(variant.make_cell(), return_sequences=True, return_state=True)
    layer(x)
    layer.set_weights(random_weights(layer, seed=8))
    return layer


@pytest.mark.parametrize("variant", GRAD_VARIANTS, ids=repr)
def test_backprop_through_time_matches_autodiff(variant):
    x = sequences(batch=3, time=7)
    layer = _layer_for(variant, x)
    weights = layer.get_weights()
    rng = np.random.default_rng(9)
    states = [rng.normal(size=(3, UNITS)).astype("float32") for _ in range(variant.state_count)]
    d_outputs = rng.normal(size=(3, 7, UNITS))
    d_finals = [rng.normal(size=(3, UNITS)) for _ in range(variant.state_count)]

    x_var = tf.constant(x)
    state_vars = [tf.constant(s) for s in states]
    with tf.GradientTape() as tape:
        tape.watch([x_var, *state_vars])
        outputs, *finals = layer(x_var, initial_state=state_vars)
        loss = tf.reduce_sum(outputs * d_outputs)
        for final, d_final in zip(finals, d_finals):
            loss += tf.reduce_sum(final * d_final)
    expected = tape.gradient(loss, [x_var, *state_vars, *layer.trainable_weights])
    expected = [g.numpy() for g in expected]

    pack = tuple if variant.state_count == 2 else (lambda items: items[0])
    grads = variant.backward(x, weights, d_outputs, initial_state=pack(states), d_final_state=pack(d_finals))
    assert_close(grads.inputs, expected[0], atol=1e-4)
    got_states = grads.initial_state if variant.state_count == 2 else (grads.initial_state,)
    for got, want in zip(got_states, expected[1 : 1 + variant.state_count]):
        assert_close(got, want, atol=1e-4)
    assert len(grads.weights) == len(weights)
    for got, want in zip(grads.weights, expected[1 + variant.state_count :]):
        assert_close(got, want, atol=1e-4)


def test_gradients_are_not_trivially_zero():
    x = sequences()
    layer = _layer_for(VARIANTS[2], x)
    grads = reference.gru_backward(x, layer.get_weights(), np.ones((3, 6, UNITS)))
    for g in [*grads.weights, grads.inputs, grads.initial_state]:
        assert np.abs(g).max() > 1e-3


def test_step_functions_give_the_gates_in_range():
    x = sequences(batch=2, time=10)
    layer = _layer_for(VARIANTS[2], x)
    outputs, final, gates = reference.gru_forward(x, layer.get_weights(), return_gates=True)
    assert set(gates) == {"z", "r", "hbar"}
    for name in ("z", "r"):
        assert gates[name].shape == (2, 10, UNITS)
        assert 0 < gates[name].min() and gates[name].max() < 1
    assert_close(final, outputs[:, -1])


@pytest.mark.parametrize("variant", VARIANTS + REFERENCE_ONLY, ids=repr)
def test_wrong_weight_shapes_name_the_weight(variant):
    x = sequences()
    layer = keras.layers.RNN(variant.make_cell())
    layer(x)
    weights = layer.get_weights()
    transposed = [weights[0].T, *weights[1:]]
    with pytest.raises(ValueError, match=r"'kernel' \(weights\[0\]\) should have shape"):
        variant.forward(x, transposed)
    with pytest.raises(ValueError, match="get_weights"):
        variant.forward(x, weights[:1])
    with pytest.raises(ValueError, match=r"'bias' \(weights\[2\]\) should have shape"):
        variant.forward(x, [*weights[:2], weights[2][..., :-1], *weights[3:]])


def test_wrong_inputs_and_states_are_named():
    x = sequences()
    layer = keras.layers.RNN(VARIANTS[0].make_cell())
    layer(x)
    weights = layer.get_weights()
    with pytest.raises(ValueError, match=r"inputs must have shape \(batch, time, features\)"):
        reference.rnn_forward(x[0], weights)
    with pytest.raises(ValueError, match="'kernel'"):
        reference.rnn_forward(x[..., :2], weights)
    with pytest.raises(ValueError, match=r"initial_state should have shape \(3, 4\)"):
        reference.rnn_forward(x, weights, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="d_outputs"):
        reference.rnn_backward(x, weights, np.zeros((3, 6, 5)))
    with pytest.raises(ValueError, match="GRU|reset_after|'bias'"):
        gru = keras.layers.RNN(VARIANTS[2].make_cell())
        gru(x)
        reference.gru_forward(x, gru.get_weights(), reset_after=False)


def test_sigmoid_is_stable_for_large_inputs():
    a = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    with np.errstate(over="raise"):
        s = reference.sigmoid(a)
    assert_close(s, [0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-1)), 1.0])
