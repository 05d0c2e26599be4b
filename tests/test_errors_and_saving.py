"""Bad arguments raise clear errors; every cell survives get_config and .keras files."""

import keras
import numpy as np
import pytest

import gru_keras
from helpers import FEATURES, UNITS, as_numpy, assert_close, random_weights, sequences

CELLS = [gru_keras.SimpleRNNCell, gru_keras.LSTMCell, gru_keras.GRUCell, gru_keras.SimplifiedGRUCell]


@pytest.mark.parametrize("cell_class", CELLS)
@pytest.mark.parametrize("units, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError),
                                          ("4", TypeError), (None, TypeError), (True, TypeError)])
def test_bad_units_are_refused_by_name(cell_class, units, error):
    with pytest.raises(error, match="units"):
        cell_class(units)


@pytest.mark.parametrize("cell_class", CELLS)
def test_numpy_integer_units_are_accepted(cell_class):
    assert cell_class(np.int64(3)).units == 3


@pytest.mark.parametrize("cell_class", CELLS)
@pytest.mark.parametrize("argument", ["dropout", "recurrent_dropout"])
@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.2"])
def test_bad_dropout_rates_are_refused_by_name(cell_class, argument, rate):
    with pytest.raises(ValueError, match=argument):
        cell_class(UNITS, **{argument: rate})


@pytest.mark.parametrize("cell_class", CELLS)
def test_wrong_feature_size_says_what_was_expected(cell_class):
    layer = keras.layers.RNN(cell_class(UNITS))
    layer(sequences(features=FEATURES))
    with pytest.raises(ValueError, match=rf"built for inputs with {FEATURES} features.*received inputs with 5"):
        layer(sequences(features=5))


@pytest.mark.parametrize("cell_class", CELLS)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5)])
def test_wrong_rank_says_what_was_expected(cell_class, shape):
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        keras.layers.RNN(cell_class(UNITS))(np.zeros(shape, "float32"))


def _non_default_cells():
    options = dict(activation="relu", use_bias=True, kernel_initializer="he_normal",
                   recurrent_initializer="glorot_normal", bias_initializer="ones",
                   kernel_regularizer="l2", recurrent_regularizer="l1", bias_regularizer="l2",
                   kernel_constraint="max_norm", recurrent_constraint="non_neg",
                   bias_constraint="unit_norm", dropout=0.25, recurrent_dropout=0.125, seed=11)
    gated = dict(options, recurrent_activation="hard_sigmoid")
    return [
        gru_keras.SimpleRNNCell(5, **options),
        gru_keras.LSTMCell(5, unit_forget_bias=False, peephole=True, peephole_initializer="ones",
                           peephole_regularizer="l2", peephole_constraint="non_neg", **gated),
        gru_keras.GRUCell(5, reset_after=False, **gated),
        gru_keras.SimplifiedGRUCell(5, **gated),
    ]


@pytest.mark.parametrize("cell", _non_default_cells(), ids=lambda c: type(c).__name__)
def test_get_config_keeps_every_option(cell):
    config = cell.get_config()
    clone = type(cell).from_config(config)
    assert clone.get_config() == config
    import inspect
    names = set()
    for klass in type(cell).__mro__:
        if klass.__module__ == "gru_keras.cells":
            names |= set(inspect.signature(klass.__init__).parameters) - {"self", "kwargs", "units"}
    assert names <= set(config), f"options missing from get_config: {names - set(config)}"


def _model_with(layer):
    inputs = keras.Input((6, FEATURES))
    return keras.Model(inputs, keras.layers.Dense(2)(layer(inputs)))


@pytest.mark.parametrize("make_cell", [
    lambda: gru_keras.SimpleRNNCell(UNITS),
    lambda: gru_keras.LSTMCell(UNITS, peephole=True),
    lambda: gru_keras.GRUCell(UNITS),
    lambda: gru_keras.GRUCell(UNITS, reset_after=False),
    lambda: gru_keras.SimplifiedGRUCell(UNITS),
], ids=["SimpleRNN", "LSTM-peephole", "GRU", "GRU-reset-before", "SimplifiedGRU"])
@pytest.mark.parametrize("bidirectional", [False, True], ids=["plain", "bidirectional"])
def test_saved_model_loads_in_safe_mode_with_identical_outputs(tmp_path, make_cell, bidirectional):
    layer = keras.layers.RNN(make_cell(), return_sequences=True)
    if bidirectional:
        layer = keras.layers.Bidirectional(layer)
    model = _model_with(layer)
    model.set_weights(random_weights(model, seed=12))
    x = sequences()
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert_close(as_numpy(loaded(x)), as_numpy(model(x)), atol=0)
    cells = [l.cell for l in loaded._flatten_layers() if isinstance(l, keras.layers.RNN)]
    assert cells and all(type(c).__module__ == "gru_keras.cells" for c in cells)
