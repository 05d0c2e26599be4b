"""Each gru_keras cell against its Keras twin and the NumPy reference, in every mode."""

import keras
import numpy as np
import pytest

import gru_keras
from helpers import (
    FEATURES,
    REFERENCE_ONLY,
    UNITS,
    VARIANTS,
    as_numpy,
    assert_close,
    random_weights,
    sequences,
    twin_layers,
)


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_sequences_and_states_match_keras_and_reference(variant):
    x = sequences()
    custom, builtin, weights = twin_layers(variant, x, return_sequences=True, return_state=True)
    got, expected = as_numpy(custom(x)), as_numpy(builtin(x))
    assert len(got) == 1 + variant.state_count
    for a, b in zip(got, expected):
        assert_close(a, b)
    outputs, final = variant.forward(x, weights)
    assert_close(got[0], outputs)
    finals = final if variant.state_count == 2 else (final,)
    for a, b in zip(got[1:], finals):
        assert_close(a, b)


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_initial_state_matches_keras_and_reference(variant):
    x = sequences()
    custom, builtin, weights = twin_layers(variant, x, return_sequences=True)
    rng = np.random.default_rng(5)
    state = [rng.normal(size=(3, UNITS)).astype("float32") for _ in range(variant.state_count)]
    got = as_numpy(custom(x, initial_state=state))
    assert_close(got, as_numpy(builtin(x, initial_state=state)))
    initial = tuple(state) if variant.state_count == 2 else state[0]
    assert_close(got, variant.forward(x, weights, initial)[0])
    # The state must matter: a different start gives different outputs.
    assert not np.allclose(got, as_numpy(custom(x)), atol=1e-3)


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_go_backwards_matches_keras_and_reversed_reference(variant):
    x = sequences()
    custom, builtin, weights = twin_layers(variant, x, return_sequences=True, go_backwards=True)
    got = as_numpy(custom(x))
    assert_close(got, as_numpy(builtin(x)))
    # Keras returns the outputs in processing order: those of the reversed sequence.
    assert_close(got, variant.forward(x[:, ::-1], weights)[0])


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_masked_padding_matches_keras_and_unpadded_reference(variant):
    x = sequences(batch=3, time=6)
    lengths = [6, 4, 2]
    mask = np.arange(6)[None, :] < np.array(lengths)[:, None]
    x = np.where(mask[..., None], x, 0.0).astype("float32")
    custom, builtin, weights = twin_layers(variant, x, return_sequences=True, return_state=True)
    got = as_numpy(custom(x, mask=mask))
    for a, b in zip(got, as_numpy(builtin(x, mask=mask))):
        assert_close(a, b)
    for row, length in enumerate(lengths):
        outputs, _ = variant.forward(x[row : row + 1, :length], weights)
        # The final output is the state at the sequence's true end, not after the padding.
        assert_close(got[0][row, length - 1], outputs[0, -1])
        assert_close(got[1][row], outputs[0, -1])


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_stateful_carries_the_state_across_calls(variant):
    x = sequences(batch=2, time=8)
    first, second = x[:, :4], x[:, 4:]
    custom, builtin, weights = twin_layers(variant, first, return_sequences=True, stateful=True)
    custom.reset_state()
    builtin.reset_state()
    got = np.concatenate([as_numpy(custom(first)), as_numpy(custom(second))], axis=1)
    expected = np.concatenate([as_numpy(builtin(first)), as_numpy(builtin(second))], axis=1)
    assert_close(got, expected)
    assert_close(got, variant.forward(x, weights)[0])
    custom.reset_state()
    assert_close(as_numpy(custom(second)), variant.forward(second, weights)[0])


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "ave", "mul"])
def test_bidirectional_matches_keras(variant, merge_mode):
    x = sequences()
    custom = keras.layers.Bidirectional(
        keras.layers.RNN(variant.make_cell(), return_sequences=True), merge_mode=merge_mode
    )
    builtin = keras.layers.Bidirectional(variant.make_builtin(return_sequences=True), merge_mode=merge_mode)
    custom(x)
    builtin(x)
    weights = random_weights(builtin, seed=2)
    custom.set_weights(weights)
    builtin.set_weights(weights)
    assert_close(as_numpy(custom(x)), as_numpy(builtin(x)))


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_trains_in_a_model_like_keras(variant):
    """Same weights, same data, one epoch of SGD: the same weights afterwards."""
    x = sequences(batch=8, time=5)
    y = np.random.default_rng(3).normal(size=(8, 1)).astype("float32")
    models = []
    for layer_factory in (lambda: keras.layers.RNN(variant.make_cell()), variant.make_builtin):
        model = keras.Sequential([keras.Input((5, FEATURES)), layer_factory(), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        models.append(model)
    models[0].set_weights(models[1].get_weights())
    for model in models:
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(models[0].get_weights(), models[1].get_weights()):
        assert_close(a, b)


@pytest.mark.parametrize("variant", REFERENCE_ONLY, ids=repr)
def test_cells_without_keras_twin_match_reference(variant):
    x = sequences()
    layer = keras.layers.RNN(variant.make_cell(), return_sequences=True, return_state=True)
    layer(x)
    weights = random_weights(layer, seed=4)
    layer.set_weights(weights)
    got = as_numpy(layer(x))
    outputs, final = variant.forward(x, weights)
    assert_close(got[0], outputs)
    finals = final if variant.state_count == 2 else (final,)
    for a, b in zip(got[1:], finals):
        assert_close(a, b)


def test_weight_layout_matches_keras():
    x = sequences()
    cases = [
        (gru_keras.SimpleRNNCell(UNITS), keras.layers.SimpleRNN(UNITS)),
        (gru_keras.LSTMCell(UNITS), keras.layers.LSTM(UNITS)),
        (gru_keras.GRUCell(UNITS), keras.layers.GRU(UNITS)),
        (gru_keras.GRUCell(UNITS, reset_after=False), keras.layers.GRU(UNITS, reset_after=False)),
    ]
    for cell, builtin in cases:
        custom = keras.layers.RNN(cell)
        custom(x)
        builtin(x)
        assert [(w.path.split("/")[-1], w.shape) for w in custom.weights] == [
            (w.path.split("/")[-1], w.shape) for w in builtin.weights
        ]


def test_peephole_lstm_adds_one_weight_and_starts_as_the_plain_lstm():
    x = sequences()
    plain = keras.layers.RNN(gru_keras.LSTMCell(UNITS))
    peep = keras.layers.RNN(gru_keras.LSTMCell(UNITS, peephole=True))
    plain(x)
    peep(x)
    shapes = [tuple(w.shape) for w in peep.get_weights()]
    assert shapes == [(FEATURES, 4 * UNITS), (UNITS, 4 * UNITS), (4 * UNITS,), (3, UNITS)]
    assert peep.cell.peephole_weights.path.endswith("peephole_weights")
    peep.set_weights(plain.get_weights() + [np.zeros((3, UNITS), "float32")])
    assert_close(as_numpy(peep(x)), as_numpy(plain(x)))
    # Each peephole row must act: changing any one of them changes the output.
    for row in range(3):
        p = np.zeros((3, UNITS), "float32")
        p[row] = 2.0
        peep.set_weights(plain.get_weights() + [p])
        assert not np.allclose(as_numpy(peep(x)), as_numpy(plain(x)), atol=1e-4), row


def test_simplified_gru_is_a_gru_whose_reset_gate_is_one():
    x = sequences()
    simple = keras.layers.RNN(gru_keras.SimplifiedGRUCell(UNITS), return_sequences=True)
    simple(x)
    W, U, b = random_weights(simple, seed=6)
    simple.set_weights([W, U, b])
    n = UNITS
    zeros_w, zeros_u = np.zeros((FEATURES, n), "float32"), np.zeros((n, n), "float32")
    # A reset-gate bias of 50 makes σ(·) exactly 1.0 in float32.
    gru_weights = [
        np.concatenate([W[:, :n], zeros_w, W[:, n:]], axis=1),
        np.concatenate([U[:, :n], zeros_u, U[:, n:]], axis=1),
        np.concatenate([b[:n], np.full(n, 50.0, "float32"), b[n:]]),
    ]
    gru = keras.layers.RNN(gru_keras.GRUCell(UNITS, reset_after=False), return_sequences=True)
    gru(x)
    gru.set_weights(gru_weights)
    assert_close(as_numpy(simple(x)), as_numpy(gru(x)))
    shapes = [tuple(w.shape) for w in simple.get_weights()]
    assert shapes == [(FEATURES, 2 * n), (n, 2 * n), (2 * n,)]


def test_unit_forget_bias_sets_the_forget_block_to_one():
    layer = keras.layers.RNN(gru_keras.LSTMCell(UNITS))
    layer(sequences())
    bias = layer.get_weights()[2]
    expected = np.concatenate([np.zeros(UNITS), np.ones(UNITS), np.zeros(2 * UNITS)])
    assert_close(bias, expected)
    layer = keras.layers.RNN(gru_keras.LSTMCell(UNITS, unit_forget_bias=False))
    layer(sequences())
    assert_close(layer.get_weights()[2], np.zeros(4 * UNITS))


def test_use_bias_false_matches_keras():
    x = sequences()
    pairs = [
        (gru_keras.SimpleRNNCell(UNITS, use_bias=False), keras.layers.SimpleRNN(UNITS, use_bias=False)),
        (gru_keras.LSTMCell(UNITS, use_bias=False), keras.layers.LSTM(UNITS, use_bias=False)),
        (gru_keras.GRUCell(UNITS, use_bias=False), keras.layers.GRU(UNITS, use_bias=False)),
        (
            gru_keras.GRUCell(UNITS, use_bias=False, reset_after=False),
            keras.layers.GRU(UNITS, use_bias=False, reset_after=False),
        ),
    ]
    for cell, builtin in pairs:
        custom = keras.layers.RNN(cell)
        custom(x)
        builtin(x)
        assert len(custom.get_weights()) == 2
        custom.set_weights(random_weights(builtin))
        builtin.set_weights(custom.get_weights())
        assert_close(as_numpy(custom(x)), as_numpy(builtin(x)))


def test_activations_are_used():
    x = sequences()
    for make in (
        lambda **kw: gru_keras.SimpleRNNCell(UNITS, **kw),
        lambda **kw: gru_keras.GRUCell(UNITS, **kw),
        lambda **kw: gru_keras.LSTMCell(UNITS, **kw),
    ):
        custom = keras.layers.RNN(make(activation="relu"))
        builtin_cell_name = type(make()).__name__
        builtin = keras.layers.RNN(getattr(keras.layers, builtin_cell_name)(UNITS, activation="relu"))
        custom(x)
        builtin(x)
        builtin.set_weights(random_weights(builtin))
        custom.set_weights(builtin.get_weights())
        assert_close(as_numpy(custom(x)), as_numpy(builtin(x)))


@pytest.mark.parametrize("variant", VARIANTS, ids=repr)
def test_input_dropout_matches_keras_with_the_same_seed(variant):
    x = sequences(batch=4, time=5)
    custom_cell = variant.make_cell()
    custom_cell = type(custom_cell).from_config({**custom_cell.get_config(), "dropout": 0.4, "seed": 7})
    custom = keras.layers.RNN(custom_cell, return_sequences=True)
    builtin = variant.make_builtin(return_sequences=True, dropout=0.4, seed=7)
    custom(x)
    builtin(x)
    builtin.set_weights(random_weights(builtin))
    custom.set_weights(builtin.get_weights())
    trained = as_numpy(custom(x, training=True))
    assert_close(trained, as_numpy(builtin(x, training=True)))
    assert not np.allclose(trained, as_numpy(custom(x, training=False)), atol=1e-4)
    assert_close(as_numpy(custom(x)), as_numpy(builtin(x)))


@pytest.mark.parametrize("make", [gru_keras.SimpleRNNCell, gru_keras.LSTMCell, gru_keras.GRUCell,
                                  gru_keras.SimplifiedGRUCell])
def test_recurrent_dropout_acts_in_training_only(make):
    x = sequences(batch=4, time=5)
    plain = keras.layers.RNN(make(UNITS), return_sequences=True)
    dropped = keras.layers.RNN(make(UNITS, recurrent_dropout=0.5, seed=3), return_sequences=True)
    plain(x)
    dropped(x)
    dropped.set_weights(random_weights(plain))
    plain.set_weights(dropped.get_weights())
    assert_close(as_numpy(dropped(x)), as_numpy(plain(x)))
    assert not np.allclose(as_numpy(dropped(x, training=True)), as_numpy(plain(x)), atol=1e-4)


def test_cells_are_written_with_keras_ops_only():
    import pathlib

    import gru_keras.cells

    source = pathlib.Path(gru_keras.cells.__file__).read_text()
    assert "import tensorflow" not in source and "from tensorflow" not in source
