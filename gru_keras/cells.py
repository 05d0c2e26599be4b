"""Recurrent cells written with `keras.ops` only: the Elman RNN, the LSTM, the GRU
(both reset placements) and the simplified GRU without a reset gate.

Each cell processes one time step and is meant to be wrapped in `keras.layers.RNN`
(which loops over time, handles masks, `go_backwards`, `stateful`, ...). Weight names,
shapes and gate order match Keras' built-in cells, so

    custom_layer.set_weights(keras_layer.get_weights())

makes a `keras.layers.RNN(gru_keras.GRUCell(n))` compute exactly what
`keras.layers.GRU(n)` computes. The same equations in plain NumPy live in
`gru_keras.reference`; the notebooks use the notation of these docstrings:

    x_t  input at step t, shape (batch, features)      W  `kernel`, (features, k*units)
    h_t  hidden state, shape (batch, units)            U  `recurrent_kernel`, (units, k*units)
    σ    `recurrent_activation` (sigmoid)              b  `bias`
    ⊙    element-wise product                          tanh  `activation`

Row vectors multiply matrices from the left (x_t W), as Keras stores them.
"""

import numbers

import keras
from keras import ops

# The RNN layer creates dropout masks once per batch, outside its time loop, only for
# cells that are instances of this mix-in (keras/src/layers/rnn/rnn.py). Keras 3 does not
# export it publicly, so we take it from the pinned version; it only manages the masks.
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

__all__ = ["SimpleRNNCell", "LSTMCell", "GRUCell", "SimplifiedGRUCell"]


def _check_units(units, cell_name):
    if isinstance(units, bool) or not isinstance(units, numbers.Integral):
        raise TypeError(
            f"{cell_name}: `units` must be a positive integer, got {units!r} "
            f"of type {type(units).__name__}."
        )
    if units <= 0:
        raise ValueError(f"{cell_name}: `units` must be a positive integer, got {units}.")
    return int(units)


def _check_rate(rate, name, cell_name):
    if not isinstance(rate, numbers.Real) or isinstance(rate, bool) or not 0.0 <= rate < 1.0:
        raise ValueError(
            f"{cell_name}: `{name}` must be a number in [0, 1), got {rate!r}."
        )
    return float(rate)


class _RecurrentCell(keras.layers.Layer, DropoutRNNCell):
    """What all cells share: options, weight creation, input checks, dropout, config.

    A subclass sets `gate_count` (how many `units`-wide blocks its kernels hold) and
    writes `call`. Dropout follows Keras' fused implementation: one input mask and one
    recurrent mask per batch, the same at every time step.
    """

    gate_count = 1

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        cell_name = type(self).__name__
        units = _check_units(units, cell_name)
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = keras.regularizers.get(recurrent_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.recurrent_constraint = keras.constraints.get(recurrent_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.dropout = _check_rate(dropout, "dropout", cell_name)
        self.recurrent_dropout = _check_rate(recurrent_dropout, "recurrent_dropout", cell_name)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed=seed)
        self.state_size = self.units
        self.output_size = self.units

    # -- weights ---------------------------------------------------------------------
    def _bias_shape(self):
        return (self.gate_count * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"{type(self).__name__} processes one time step of shape (batch, features), "
                f"so keras.layers.RNN needs inputs of shape (batch, time, features); the "
                f"step input it was given has shape {input_shape}."
            )
        features = input_shape[-1]
        if features is None:
            raise ValueError(
                f"{type(self).__name__} needs a known number of input features "
                f"(the last axis); got step input shape {input_shape}."
            )
        width = self.gate_count * self.units
        self.kernel = self.add_weight(
            shape=(features, width),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(),
                name="bias",
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    # -- helpers for `call` ----------------------------------------------------------
    def _checked_step_input(self, inputs, training):
        """The step input x_t, after checking its width and applying input dropout."""
        features = self.kernel.shape[0]
        if inputs.shape[-1] is not None and inputs.shape[-1] != features:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' was built for inputs with {features} "
                f"features (its kernel has shape {tuple(self.kernel.shape)}), but it "
                f"received inputs with {inputs.shape[-1]} features "
                f"(step input shape {tuple(inputs.shape)})."
            )
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        return inputs

    def _recurrent_input(self, h_prev, training):
        """h_{t-1} as the recurrent product sees it (recurrent dropout in training)."""
        if training and self.recurrent_dropout > 0:
            return h_prev * self.get_recurrent_dropout_mask(h_prev)
        return h_prev

    def _fused_preactivation(self, inputs, h_prev, training):
        """x_t W + h_{t-1} U + b for all gate blocks at once: one product with each
        fused weight instead of one per block (the layout that makes this possible)."""
        x = self._checked_step_input(inputs, training)
        a = ops.matmul(x, self.kernel) + ops.matmul(self._recurrent_input(h_prev, training), self.recurrent_kernel)
        if self.use_bias:
            a = a + self.bias
        return a

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]

    # -- serialisation -----------------------------------------------------------------
    def get_config(self):
        config = {
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": keras.regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": keras.constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": keras.constraints.serialize(self.recurrent_constraint),
            "bias_constraint": keras.constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


class _GatedCell(_RecurrentCell):
    """A cell with sigmoid gates: adds `recurrent_activation`."""

    def __init__(self, units, recurrent_activation="sigmoid", **kwargs):
        super().__init__(units, **kwargs)
        self.recurrent_activation = keras.activations.get(recurrent_activation)

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
        }


_COMMON_ARGS = """
        units: Positive integer, size of the hidden state h_t.
        activation: Activation of the state (tanh above). Default: `"tanh"`.
        use_bias: Whether the cell has the bias b. Default: `True`.
        kernel_initializer: Initializer for W (`kernel`). Default: `"glorot_uniform"`.
        recurrent_initializer: Initializer for U (`recurrent_kernel`).
            Default: `"orthogonal"`.
        bias_initializer: Initializer for b (`bias`). Default: `"zeros"`.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Regularizers
            applied to W, U and b. Default: `None`.
        kernel_constraint, recurrent_constraint, bias_constraint: Constraints
            applied to W, U and b. Default: `None`.
        dropout: Fraction of the input features x_t to drop in training, in [0, 1).
            One mask per batch, shared by all time steps. Default: 0.
        recurrent_dropout: Fraction of h_{t-1} to drop in training before the
            recurrent product, in [0, 1). One mask per batch. Default: 0.
        seed: Seed for the dropout masks. Default: `None`."""

_CALL_ARGS = """
    Call arguments:
        inputs: x_t, a 2D tensor of shape `(batch, features)`.
        states: the previous state{states}.
        training: Whether dropout is applied. Default: `False`."""


def _document(cls, states=" h_{t-1}, a list with one `(batch, units)` tensor"):
    # str.replace, not str.format: the equations are full of braces (h_{t-1}).
    cls.__doc__ = cls.__doc__.replace("{common_args}", _COMMON_ARGS).replace(
        "{call_args}", _CALL_ARGS.replace("{states}", states)
    )
    return cls


@keras.saving.register_keras_serializable(package="gru_keras")
class SimpleRNNCell(_RecurrentCell):
    """The Elman recurrent cell (Elman, "Finding structure in time", 1990).

    One step:

        h_t = tanh(x_t W + h_{t-1} U + b)

    with W `(features, units)`, U `(units, units)`, b `(units,)`; the output is h_t.
    Same weights and results as `keras.layers.SimpleRNNCell`.

    Args:{common_args}
{call_args}

    Example:

    >>> rnn = keras.layers.RNN(gru_keras.SimpleRNNCell(4), return_sequences=True)
    >>> rnn(np.zeros((2, 10, 3), "float32")).shape
    (2, 10, 4)
    """

    gate_count = 1

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        a = self._fused_preactivation(inputs, h_prev, training)
        h = self.activation(a)
        return h, [h]


_document(SimpleRNNCell)


@keras.saving.register_keras_serializable(package="gru_keras")
class LSTMCell(_GatedCell):
    """The long short-term memory cell (Hochreiter & Schmidhuber 1997, with the
    forget gate of Gers, Schmidhuber & Cummins 2000).

    One step, gate blocks in the order i, f, c, o along the last axis of W, U and b:

        i_t  = σ(x_t W_i + h_{t-1} U_i + b_i)         input gate
        f_t  = σ(x_t W_f + h_{t-1} U_f + b_f)         forget gate
        c̃_t  = tanh(x_t W_c + h_{t-1} U_c + b_c)      candidate cell state
        c_t  = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t              new cell state
        o_t  = σ(x_t W_o + h_{t-1} U_o + b_o)         output gate
        h_t  = o_t ⊙ tanh(c_t)                        new hidden state (the output)

    W is `(features, 4*units)`, U `(units, 4*units)`, b `(4*units,)`: one fused product
    computes all four gates. The state is the pair [h_t, c_t]. Same weights and results
    as `keras.layers.LSTMCell`.

    With `peephole=True` (Gers, Schraudolph & Schmidhuber, "Learning precise timing
    with LSTM recurrent networks", 2002) the gates also look at the cell state through
    diagonal weights p_i, p_f, p_o, the rows of the extra weight `peephole_weights`
    of shape `(3, units)`:

        i_t = σ(x_t W_i + h_{t-1} U_i + p_i ⊙ c_{t-1} + b_i)
        f_t = σ(x_t W_f + h_{t-1} U_f + p_f ⊙ c_{t-1} + b_f)
        o_t = σ(x_t W_o + h_{t-1} U_o + p_o ⊙ c_t + b_o)

    Args:{common_args}
        recurrent_activation: Activation of the gates (σ above). Default: `"sigmoid"`.
        unit_forget_bias: If `True`, add 1 to the forget gate's bias at
            initialisation and use zeros for `bias_initializer` elsewhere, as Keras
            does (Jozefowicz et al. 2015). Default: `True`.
        peephole: Whether the gates see the cell state. Default: `False`.
        peephole_initializer: Initializer for `peephole_weights`. Default `"zeros"`,
            so a fresh peephole LSTM starts as the plain LSTM.
        peephole_regularizer, peephole_constraint: For `peephole_weights`.
{call_args}

    Example:

    >>> lstm = keras.layers.RNN(gru_keras.LSTMCell(4), return_state=True)
    >>> h, h_state, c_state = lstm(np.zeros((2, 10, 3), "float32"))
    >>> h.shape, c_state.shape
    ((2, 4), (2, 4))
    """

    gate_count = 4

    def __init__(
        self,
        units,
        unit_forget_bias=True,
        peephole=False,
        peephole_initializer="zeros",
        peephole_regularizer=None,
        peephole_constraint=None,
        **kwargs,
    ):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.peephole = bool(peephole)
        self.peephole_initializer = keras.initializers.get(peephole_initializer)
        self.peephole_regularizer = keras.regularizers.get(peephole_regularizer)
        self.peephole_constraint = keras.constraints.get(peephole_constraint)
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def forget_bias_one(shape, dtype=None):
            # Blocks i, f, c, o: the forget block starts at 1 so that the cell keeps its
            # memory at the start of training.
            return ops.concatenate(
                [base((units,), dtype), ops.ones((units,), dtype), base((2 * units,), dtype)]
            )

        return forget_bias_one

    def build(self, input_shape):
        super().build(input_shape)
        self.peephole_weights = None
        if self.peephole:
            self.peephole_weights = self.add_weight(
                shape=(3, self.units),
                name="peephole_weights",
                initializer=self.peephole_initializer,
                regularizer=self.peephole_regularizer,
                constraint=self.peephole_constraint,
            )

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        a = self._fused_preactivation(inputs, h_prev, training)
        a_i, a_f, a_c, a_o = ops.split(a, 4, axis=-1)
        if self.peephole:
            p_i, p_f, p_o = self.peephole_weights[0], self.peephole_weights[1], self.peephole_weights[2]
            a_i = a_i + p_i * c_prev
            a_f = a_f + p_f * c_prev
        i = self.recurrent_activation(a_i)
        f = self.recurrent_activation(a_f)
        c = f * c_prev + i * self.activation(a_c)
        if self.peephole:
            a_o = a_o + p_o * c
        o = self.recurrent_activation(a_o)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        return {
            **super().get_config(),
            "unit_forget_bias": self.unit_forget_bias,
            "peephole": self.peephole,
            "peephole_initializer": keras.initializers.serialize(self.peephole_initializer),
            "peephole_regularizer": keras.regularizers.serialize(self.peephole_regularizer),
            "peephole_constraint": keras.constraints.serialize(self.peephole_constraint),
        }


_document(LSTMCell, states=" [h_{t-1}, c_{t-1}], two `(batch, units)` tensors")


@keras.saving.register_keras_serializable(package="gru_keras")
class GRUCell(_GatedCell):
    """The gated recurrent unit (Cho et al., "Learning phrase representations using
    RNN encoder-decoder for statistical machine translation", 2014).

    One step, gate blocks in the order z, r, h along the last axis of W, U and b:

        z_t = σ(x_t W_z + h_{t-1} U_z + b_z)          update gate
        r_t = σ(x_t W_r + h_{t-1} U_r + b_r)          reset gate
        h̃_t = tanh(x_t W_h + r_t ⊙ (h_{t-1} U_h + b'_h) + b_h)   reset_after=True
        h̃_t = tanh(x_t W_h + (r_t ⊙ h_{t-1}) U_h + b_h)          reset_after=False
        h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t         the output

    Two published reset placements:

    - `reset_after=True` (Keras' default, cuDNN's): the reset gate scales the
      recurrent product. The bias has shape `(2, 3*units)`: row 0 is added to the
      input product x_t W, row 1 to the recurrent product h_{t-1} U (b'_h above is
      row 1's h block; for z and r the two rows simply add up).
    - `reset_after=False` (Cho et al. 2014): the reset gate scales h_{t-1} before
      the product. The bias has shape `(3*units,)`.

    The two are different functions, not two parametrisations of one. The update
    gate keeps the old state (z_t = 1 copies h_{t-1}), as in Cho et al. and Keras;
    many lectures write the mirror image with 1 - z_t. Same weights and results as
    `keras.layers.GRUCell`.

    Args:{common_args}
        recurrent_activation: Activation of the gates (σ above). Default: `"sigmoid"`.
        reset_after: Where the reset gate acts (see above). Default: `True`.
{call_args}

    Example:

    >>> gru = keras.layers.RNN(gru_keras.GRUCell(4, reset_after=False))
    >>> gru(np.zeros((2, 10, 3), "float32")).shape
    (2, 4)
    """

    gate_count = 3

    def __init__(self, units, reset_after=True, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        x = self._checked_step_input(inputs, training)
        h_rec = self._recurrent_input(h_prev, training)
        n = self.units
        a_x = ops.matmul(x, self.kernel)
        if self.reset_after:
            # One fused product for all three blocks; r scales its h block afterwards.
            a_h = ops.matmul(h_rec, self.recurrent_kernel)
            if self.use_bias:
                a_x = a_x + self.bias[0]
                a_h = a_h + self.bias[1]
            x_z, x_r, x_h = ops.split(a_x, 3, axis=-1)
            h_z, h_r, h_h = ops.split(a_h, 3, axis=-1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            hbar = self.activation(x_h + r * h_h)
        else:
            # r must act on h_{t-1} before the h block's product, so only z and r fuse.
            if self.use_bias:
                a_x = a_x + self.bias
            x_z, x_r, x_h = ops.split(a_x, 3, axis=-1)
            h_z, h_r = ops.split(ops.matmul(h_rec, self.recurrent_kernel[:, : 2 * n]), 2, axis=-1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            hbar = self.activation(x_h + ops.matmul(r * h_rec, self.recurrent_kernel[:, 2 * n :]))
        h = z * h_prev + (1.0 - z) * hbar
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


_document(GRUCell)


@keras.saving.register_keras_serializable(package="gru_keras")
class SimplifiedGRUCell(_GatedCell):
    """The GRU without a reset gate: one update gate and a candidate (the
    "simplified GRU" of Andrew Ng's Sequence Models course, deeplearning.ai).

    One step, blocks in the order z, h along the last axis of W, U and b:

        z_t = σ(x_t W_z + h_{t-1} U_z + b_z)          update gate
        h̃_t = tanh(x_t W_h + h_{t-1} U_h + b_h)       candidate
        h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t         the output (the Sequence Models course's memory cell c^{<t>})

    W is `(features, 2*units)`, U `(units, 2*units)`, b `(2*units,)`. The update uses
    `GRUCell`'s convention, so this is a `GRUCell` whose reset gate is held at 1.

    Args:{common_args}
        recurrent_activation: Activation of the update gate. Default: `"sigmoid"`.
{call_args}

    Example:

    >>> cell = gru_keras.SimplifiedGRUCell(4)
    >>> keras.layers.RNN(cell)(np.zeros((2, 10, 3), "float32")).shape
    (2, 4)
    """

    gate_count = 2

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        a = self._fused_preactivation(inputs, h_prev, training)
        a_z, a_h = ops.split(a, 2, axis=-1)
        z = self.recurrent_activation(a_z)
        hbar = self.activation(a_h)
        h = z * h_prev + (1.0 - z) * hbar
        return h, [h]


_document(SimplifiedGRUCell)
