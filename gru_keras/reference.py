"""The recurrent cells in plain NumPy: one line per equation, forward and backward.

This is the course's "from scratch" code and the oracle of the tests. The notation is
the cells' (see `gru_keras.cells`): row vectors, x_t W, gate blocks side by side along
the last axis in Keras' order.

Every `*_forward(inputs, weights, initial_state=None)` takes

    inputs   (batch, time, features)
    weights  exactly the list `get_weights()` returns for the matching Keras cell

and returns `(outputs, final_state)`: outputs `(batch, time, units)`, final_state h
`(batch, units)`, or the pair `(h, c)` for the LSTM. With `return_gates=True` it also
returns a dict of every gate over time, each `(batch, time, units)`.

Every `*_backward(inputs, weights, d_outputs, ...)` is backpropagation through time
for the scalar loss L = sum(outputs * d_outputs) + sum(final_state * d_final_state):
it returns a `Gradients(weights, inputs, initial_state)` whose `weights` list lines up
with `weights`.
"""

from collections import namedtuple

import numpy as np

__all__ = [
    "sigmoid",
    "rnn_step", "rnn_forward", "rnn_backward",
    "lstm_step", "lstm_forward", "lstm_backward",
    "gru_step", "gru_forward", "gru_backward",
    "simplified_gru_step", "simplified_gru_forward",
    "Gradients",
]

Gradients = namedtuple("Gradients", ["weights", "inputs", "initial_state"])
Gradients.__doc__ = "dL/dweights (a list in `get_weights()` order), dL/dinputs, dL/dinitial_state."


def sigmoid(a):
    """σ(a) = 1 / (1 + e^(-a)), computed without overflow for large |a|."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# ----------------------------------------------------------------------------------
# One step of each cell: read these against the equations.
# ----------------------------------------------------------------------------------
def rnn_step(x, h_prev, W, U, b):
    """Elman RNN: h_t = tanh(x_t W + h_{t-1} U + b)."""
    return np.tanh(x @ W + h_prev @ U + b)


def lstm_step(x, h_prev, c_prev, W, U, b, P=None):
    """LSTM, gate blocks i, f, c, o. P: optional peephole rows (p_i, p_f, p_o).

    Returns h_t, c_t and the gates {i, f, ctilde, o}.
    """
    p_i, p_f, p_o = P if P is not None else (0.0, 0.0, 0.0)
    a_i, a_f, a_c, a_o = np.split(x @ W + h_prev @ U + b, 4, axis=-1)
    i = sigmoid(a_i + p_i * c_prev)           # input gate: how much of the candidate to write
    f = sigmoid(a_f + p_f * c_prev)           # forget gate: how much of c_{t-1} to keep
    ctilde = np.tanh(a_c)                     # candidate cell state
    c = f * c_prev + i * ctilde               # new cell state
    o = sigmoid(a_o + p_o * c)                # output gate: how much of the cell to show
    h = o * np.tanh(c)                        # new hidden state
    return h, c, {"i": i, "f": f, "ctilde": ctilde, "o": o}


def gru_step(x, h_prev, W, U, b, reset_after=True):
    """GRU, gate blocks z, r, h; Keras' update convention (z keeps the old state).

    b is `(2, 3*units)` (input and recurrent bias) when reset_after, else `(3*units,)`.
    Returns h_t and the gates {z, r, hbar}.
    """
    n = h_prev.shape[-1]
    b_x, b_h = (b[0], b[1]) if reset_after else (b, np.zeros_like(b))
    x_z, x_r, x_h = np.split(x @ W + b_x, 3, axis=-1)
    U_z, U_r, U_h = U[:, :n], U[:, n:2 * n], U[:, 2 * n:]
    b_hz, b_hr, b_hh = np.split(b_h, 3, axis=-1)
    z = sigmoid(x_z + h_prev @ U_z + b_hz)             # update gate
    r = sigmoid(x_r + h_prev @ U_r + b_hr)             # reset gate
    if reset_after:
        hbar = np.tanh(x_h + r * (h_prev @ U_h + b_hh))    # candidate, r after the product
    else:
        hbar = np.tanh(x_h + (r * h_prev) @ U_h)           # candidate, r before the product
    h = z * h_prev + (1 - z) * hbar                    # keep old where z≈1, take new where z≈0
    return h, {"z": z, "r": r, "hbar": hbar}


def simplified_gru_step(x, h_prev, W, U, b):
    """GRU without a reset gate, blocks z, h. Returns h_t and the gates {z, hbar}."""
    a_z, a_h = np.split(x @ W + h_prev @ U + b, 2, axis=-1)
    z = sigmoid(a_z)                          # update gate
    hbar = np.tanh(a_h)                       # candidate
    h = z * h_prev + (1 - z) * hbar           # new state (the Sequence Models course's c^{<t>})
    return h, {"z": z, "hbar": hbar}


# ----------------------------------------------------------------------------------
# Checking what comes in: a wrong shape is named, never silently broadcast.
# ----------------------------------------------------------------------------------
def _as_float_array(value, what, where):
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {what} must be an array of numbers ({error}).") from None


def _check_inputs(inputs, where):
    inputs = _as_float_array(inputs, "inputs", where)
    if inputs.ndim != 3:
        raise ValueError(
            f"{where}: inputs must have shape (batch, time, features); got shape "
            f"{inputs.shape} ({inputs.ndim} dimensions instead of 3)."
        )
    return inputs


def _check_weights(weights, expected, where):
    """`expected` lists (name, shape) in `get_weights()` order; returns float arrays."""
    names = [name for name, _ in expected]
    if not isinstance(weights, (list, tuple)) or len(weights) != len(expected):
        count = len(weights) if isinstance(weights, (list, tuple)) else type(weights).__name__
        raise ValueError(
            f"{where}: weights must be the list [{', '.join(names)}] that get_weights() "
            f"returns; got {count} item(s)."
        )
    arrays = []
    for index, ((name, shape), weight) in enumerate(zip(expected, weights)):
        array = _as_float_array(weight, f"weight '{name}'", where)
        if array.shape != shape:
            raise ValueError(
                f"{where}: weight '{name}' (weights[{index}]) should have shape {shape}, "
                f"got {array.shape}."
            )
        arrays.append(array)
    return arrays


def _units_from(weights, where):
    if not isinstance(weights, (list, tuple)) or len(weights) < 2:
        raise ValueError(f"{where}: weights must be the list that get_weights() returns.")
    recurrent = np.shape(weights[1])
    if len(recurrent) != 2:
        raise ValueError(
            f"{where}: weight 'recurrent_kernel' (weights[1]) should be a matrix of shape "
            f"(units, k*units); got shape {recurrent}."
        )
    return recurrent[0]


def _check_state(state, batch, units, what, where):
    if state is None:
        return np.zeros((batch, units))
    state = _as_float_array(state, what, where)
    if state.shape != (batch, units):
        raise ValueError(f"{where}: {what} should have shape {(batch, units)}, got {state.shape}.")
    return state


def _prepare(where, inputs, weights, blocks, bias_shape=None, extra=()):
    """Checks inputs and weights for a cell with `blocks` gate blocks."""
    inputs = _check_inputs(inputs, where)
    units = _units_from(weights, where)
    features, width = inputs.shape[-1], blocks * units
    expected = [
        ("kernel", (features, width)),
        ("recurrent_kernel", (units, width)),
        ("bias", bias_shape or (width,)),
        *extra,
    ]
    return inputs, _check_weights(weights, expected, where), units


def _check_d_outputs(d_outputs, batch, time, units, where):
    d_outputs = _as_float_array(d_outputs, "d_outputs", where)
    if d_outputs.shape != (batch, time, units):
        raise ValueError(
            f"{where}: d_outputs should have the outputs' shape {(batch, time, units)}, "
            f"got {d_outputs.shape}."
        )
    return d_outputs


def _stack_gates(per_step):
    return {name: np.stack([gates[name] for gates in per_step], axis=1) for name in per_step[0]}


# ----------------------------------------------------------------------------------
# Elman RNN
# ----------------------------------------------------------------------------------
def rnn_forward(inputs, weights, initial_state=None):
    """Runs `rnn_step` over time. weights = [kernel, recurrent_kernel, bias]."""
    inputs, (W, U, b), units = _prepare("rnn_forward", inputs, weights, 1)
    h = _check_state(initial_state, inputs.shape[0], units, "initial_state", "rnn_forward")
    outputs = []
    for t in range(inputs.shape[1]):
        h = rnn_step(inputs[:, t], h, W, U, b)
        outputs.append(h)
    return np.stack(outputs, axis=1), h


def rnn_backward(inputs, weights, d_outputs, initial_state=None, d_final_state=None):
    """Backpropagation through time for `rnn_forward`."""
    where = "rnn_backward"
    inputs, (W, U, b), units = _prepare(where, inputs, weights, 1)
    batch, time, _ = inputs.shape
    h0 = _check_state(initial_state, batch, units, "initial_state", where)
    d_outputs = _check_d_outputs(d_outputs, batch, time, units, where)
    outputs, _ = rnn_forward(inputs, [W, U, b], h0)
    states = np.concatenate([h0[:, None], outputs], axis=1)     # h_0 ... h_T
    dW, dU, db, dx = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b), np.zeros_like(inputs)
    dh_next = _check_state(d_final_state, batch, units, "d_final_state", where)
    # Iteration t reads inputs[:, t], turns states[:, t] into states[:, t + 1] (math step t + 1).
    for t in reversed(range(time)):
        dh = d_outputs[:, t] + dh_next                 # from output t and from iteration t + 1
        da = dh * (1 - states[:, t + 1] ** 2)          # through tanh
        dW += inputs[:, t].T @ da
        dU += states[:, t].T @ da
        db += da.sum(axis=0)
        dx[:, t] = da @ W.T
        dh_next = da @ U.T                             # what states[:, t] receives
    return Gradients([dW, dU, db], dx, dh_next)


# ----------------------------------------------------------------------------------
# LSTM
# ----------------------------------------------------------------------------------
def _lstm_prepare(where, inputs, weights, peephole):
    units = _units_from(weights, where)
    extra = [("peephole_weights", (3, units))] if peephole else []
    inputs, arrays, units = _prepare(where, inputs, weights, 4, extra=extra)
    return inputs, arrays, units


def _lstm_initial(initial_state, batch, units, where):
    if initial_state is None:
        return np.zeros((batch, units)), np.zeros((batch, units))
    if not isinstance(initial_state, (list, tuple)) or len(initial_state) != 2:
        raise ValueError(f"{where}: initial_state must be the pair (h_0, c_0) or None.")
    h0 = _check_state(initial_state[0], batch, units, "initial_state h_0", where)
    c0 = _check_state(initial_state[1], batch, units, "initial_state c_0", where)
    return h0, c0


def lstm_forward(inputs, weights, initial_state=None, peephole=False, return_gates=False):
    """Runs `lstm_step` over time. weights = [kernel, recurrent_kernel, bias] and, with
    `peephole=True`, `peephole_weights`. Returns outputs and (h, c); the gates dict
    also holds the cell states "c"."""
    where = "lstm_forward"
    inputs, arrays, units = _lstm_prepare(where, inputs, weights, peephole)
    W, U, b = arrays[:3]
    P = arrays[3] if peephole else None
    h, c = _lstm_initial(initial_state, inputs.shape[0], units, where)
    outputs, per_step = [], []
    for t in range(inputs.shape[1]):
        h, c, gates = lstm_step(inputs[:, t], h, c, W, U, b, P)
        outputs.append(h)
        per_step.append({**gates, "c": c})
    result = (np.stack(outputs, axis=1), (h, c))
    return (*result, _stack_gates(per_step)) if return_gates else result


def lstm_backward(inputs, weights, d_outputs, initial_state=None, d_final_state=None, peephole=False):
    """Backpropagation through time for `lstm_forward`. `d_final_state` is (dh_T, dc_T);
    the returned `initial_state` gradient is the pair (dh_0, dc_0)."""
    where = "lstm_backward"
    inputs, arrays, units = _lstm_prepare(where, inputs, weights, peephole)
    W, U, b = arrays[:3]
    P = arrays[3] if peephole else np.zeros((3, units))
    batch, time, _ = inputs.shape
    h0, c0 = _lstm_initial(initial_state, batch, units, where)
    d_outputs = _check_d_outputs(d_outputs, batch, time, units, where)
    outputs, _, g = lstm_forward(inputs, arrays, (h0, c0), peephole=peephole, return_gates=True)
    hs = np.concatenate([h0[:, None], outputs], axis=1)        # h_0 ... h_T
    cs = np.concatenate([c0[:, None], g["c"]], axis=1)         # c_0 ... c_T
    dW, dU, db, dP = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b), np.zeros_like(P)
    dx = np.zeros_like(inputs)
    d_final = d_final_state if d_final_state is not None else (None, None)
    dh_next = _check_state(d_final[0], batch, units, "d_final_state h", where)
    dc_next = _check_state(d_final[1], batch, units, "d_final_state c", where)
    for t in reversed(range(time)):
        i, f, ctilde, o = g["i"][:, t], g["f"][:, t], g["ctilde"][:, t], g["o"][:, t]
        c, c_prev = cs[:, t + 1], cs[:, t]
        tanh_c = np.tanh(c)
        dh = d_outputs[:, t] + dh_next
        da_o = dh * tanh_c * o * (1 - o)                       # h = o ⊙ tanh(c)
        dc = dc_next + dh * o * (1 - tanh_c ** 2) + da_o * P[2]  # o also peeks at c_t
        da_f = dc * c_prev * f * (1 - f)                       # c = f ⊙ c_prev + i ⊙ c̃
        da_i = dc * ctilde * i * (1 - i)
        da_c = dc * i * (1 - ctilde ** 2)
        da = np.concatenate([da_i, da_f, da_c, da_o], axis=-1)
        dW += inputs[:, t].T @ da
        dU += hs[:, t].T @ da
        db += da.sum(axis=0)
        dP += np.stack([(da_i * c_prev).sum(0), (da_f * c_prev).sum(0), (da_o * c).sum(0)])
        dx[:, t] = da @ W.T
        dh_next = da @ U.T
        dc_next = dc * f + da_i * P[0] + da_f * P[1]
    grads = [dW, dU, db] + ([dP] if peephole else [])
    return Gradients(grads, dx, (dh_next, dc_next))


# ----------------------------------------------------------------------------------
# GRU
# ----------------------------------------------------------------------------------
def _gru_prepare(where, inputs, weights, reset_after):
    units = _units_from(weights, where)
    bias_shape = (2, 3 * units) if reset_after else (3 * units,)
    return _prepare(where, inputs, weights, 3, bias_shape=bias_shape)


def gru_forward(inputs, weights, initial_state=None, reset_after=True, return_gates=False):
    """Runs `gru_step` over time. weights = [kernel, recurrent_kernel, bias], the bias
    `(2, 3*units)` when `reset_after` (Keras' default) and `(3*units,)` otherwise."""
    inputs, (W, U, b), units = _gru_prepare("gru_forward", inputs, weights, reset_after)
    h = _check_state(initial_state, inputs.shape[0], units, "initial_state", "gru_forward")
    outputs, per_step = [], []
    for t in range(inputs.shape[1]):
        h, gates = gru_step(inputs[:, t], h, W, U, b, reset_after)
        outputs.append(h)
        per_step.append(gates)
    result = (np.stack(outputs, axis=1), h)
    return (*result, _stack_gates(per_step)) if return_gates else result


def gru_backward(inputs, weights, d_outputs, initial_state=None, d_final_state=None, reset_after=True):
    """Backpropagation through time for `gru_forward`."""
    where = "gru_backward"
    inputs, (W, U, b), n = _gru_prepare(where, inputs, weights, reset_after)
    batch, time, _ = inputs.shape
    h0 = _check_state(initial_state, batch, n, "initial_state", where)
    d_outputs = _check_d_outputs(d_outputs, batch, time, n, where)
    outputs, _, g = gru_forward(inputs, [W, U, b], h0, reset_after, return_gates=True)
    hs = np.concatenate([h0[:, None], outputs], axis=1)
    b_h = b[1] if reset_after else np.zeros(3 * n)
    dW, dU, db, dx = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b), np.zeros_like(inputs)
    dh_next = _check_state(d_final_state, batch, n, "d_final_state", where)
    for t in reversed(range(time)):
        z, r, hbar, h_prev = g["z"][:, t], g["r"][:, t], g["hbar"][:, t], hs[:, t]
        dh = d_outputs[:, t] + dh_next
        dh_prev = dh * z                                   # h = z ⊙ h_prev + (1 - z) ⊙ h̄
        da_z = dh * (h_prev - hbar) * z * (1 - z)
        da_h = dh * (1 - z) * (1 - hbar ** 2)              # through the candidate's tanh
        if reset_after:
            rec_h = h_prev @ U[:, 2 * n:] + b_h[2 * n:]    # the product r scales
            da_r = da_h * rec_h * r * (1 - r)
            d_rec = np.concatenate([da_z, da_r, da_h * r], axis=-1)
            dU += h_prev.T @ d_rec
            dh_prev += d_rec @ U.T
        else:
            d_rh = da_h @ U[:, 2 * n:].T                   # gradient at r ⊙ h_prev
            da_r = d_rh * h_prev * r * (1 - r)
            d_zr = np.concatenate([da_z, da_r], axis=-1)
            dU[:, :2 * n] += h_prev.T @ d_zr
            dU[:, 2 * n:] += (r * h_prev).T @ da_h
            dh_prev += d_zr @ U[:, :2 * n].T + d_rh * r
        da_x = np.concatenate([da_z, da_r, da_h], axis=-1)
        dW += inputs[:, t].T @ da_x
        if reset_after:
            db[0] += da_x.sum(axis=0)
            db[1] += d_rec.sum(axis=0)
        else:
            db += da_x.sum(axis=0)
        dx[:, t] = da_x @ W.T
        dh_next = dh_prev
    return Gradients([dW, dU, db], dx, dh_next)


# ----------------------------------------------------------------------------------
# Simplified GRU (no reset gate)
# ----------------------------------------------------------------------------------
def simplified_gru_forward(inputs, weights, initial_state=None, return_gates=False):
    """Runs `simplified_gru_step` over time. weights = [kernel, recurrent_kernel, bias]."""
    where = "simplified_gru_forward"
    inputs, (W, U, b), units = _prepare(where, inputs, weights, 2)
    h = _check_state(initial_state, inputs.shape[0], units, "initial_state", where)
    outputs, per_step = [], []
    for t in range(inputs.shape[1]):
        h, gates = simplified_gru_step(inputs[:, t], h, W, U, b)
        outputs.append(h)
        per_step.append(gates)
    result = (np.stack(outputs, axis=1), h)
    return (*result, _stack_gates(per_step)) if return_gates else result
