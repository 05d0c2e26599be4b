"""The checks of 01_rnn's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_layer_parameter_count, fail, passed

__all__ = ["check_rnn_step", "check_split_stacked_weights", "check_rnn_param_count"]


def _rnn_case(seed=1, batch=3, features=4, units=4):
    """A small random Elman step: x, h_prev (non-zero), W, U, b (non-zero)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.normal(scale=0.5, size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, units))
    U = rng.normal(scale=0.7, size=(units, units))
    b = rng.normal(scale=0.5, size=(units,))
    return x, h_prev, W, U, b


# Typical slips in h_t = tanh(x_t W + h_{t-1} U + b), each as the answer it gives
# on a square case (features == units, so transposed matrices do not crash), with a hint.
_RNN_STEP_SLIPS = [
    (lambda x, h, W, U, b: x @ W + h @ U + b,
     "the tanh is missing: h_t = tanh(x_t W + h_{t-1} U + b)."),
    (lambda x, h, W, U, b: np.tanh(x @ W + h @ U),
     "the bias b is missing: add it inside the tanh."),
    (lambda x, h, W, U, b: np.tanh(x @ W + b),
     "the recurrent term h_{t-1} U is missing: without it the cell has no memory."),
    (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U + b),
     "W is transposed: with row vectors the product is x @ W (W has shape (features, units)); "
     "W @ x.T or x @ W.T is the column-vector form."),
    (lambda x, h, W, U, b: np.tanh(x @ W + h @ U.T + b),
     "U is transposed: the recurrent product is h_prev @ U, not h_prev @ U.T or U @ h_prev.T."),
    (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U.T + b),
     "W and U are both transposed: with row vectors write x @ W + h_prev @ U."),
    (lambda x, h, W, U, b: np.tanh(x @ U + h @ W + b),
     "W and U are swapped: W multiplies the input x_t, U the previous state h_{t-1}."),
    (lambda x, h, W, U, b: 1.0 / (1.0 + np.exp(-(x @ W + h @ U + b))),
     "that is the sigmoid; the Elman cell squashes with tanh, into (-1, 1)."),
    (lambda x, h, W, U, b: np.maximum(x @ W + h @ U + b, 0.0),
     "that is a ReLU; the Elman cell squashes with tanh, into (-1, 1)."),
]


def check_rnn_step(rnn_step):
    """Checks `rnn_step(x, h_prev, W, U, b) -> h_t` = tanh(x W + h_prev U + b)."""
    what = "rnn_step"
    square = _rnn_case()
    got = call_learner(what, rnn_step, *(a.copy() for a in square))
    if isinstance(got, (tuple, list)):
        fail(what, f"expected one array h_t, got a {type(got).__name__} of {len(got)} values.",
             "the Elman step returns only the new state: `return h`.")
    expected = np.tanh(square[0] @ square[2] + square[1] @ square[3] + square[4])
    if got is not None and np.shape(got) == expected.shape and not np.allclose(got, expected, atol=1e-6):
        for slip, hint in _RNN_STEP_SLIPS:
            if np.allclose(got, slip(*square), atol=1e-6):
                fail(what, "the result differs from the reference.", hint)
    check_array(what, got, expected)
    # A case with features != units: a shape slip that a square case hides shows here.
    x, h_prev, W, U, b = _rnn_case(seed=2, batch=2, features=3, units=5)
    try:
        got = rnn_step(x.copy(), h_prev.copy(), W.copy(), U.copy(), b.copy())
    except Exception as error:
        fail(what, f"with 3 input features and 5 units your code raised {type(error).__name__}: {error}",
             "x is (batch, features), W (features, units), h_prev (batch, units), U (units, units): "
             "x @ W and h_prev @ U both have shape (batch, units).")
    check_array(f"{what} (3 features, 5 units)", got, np.tanh(x @ W + h_prev @ U + b))
    passed(what, "h_t matches the reference on two random steps.")


def check_split_stacked_weights(split_stacked_weights):
    """Checks `split_stacked_weights(M, units) -> (W, U)`, where M is the stacked matrix
    of shape (units + features, units) that multiplies the concatenation
    [h_{t-1}, x_t], so that [h_{t-1}, x_t] @ M = x_t W + h_{t-1} U."""
    what = "split_stacked_weights"
    _, _, W, U, _ = _rnn_case(seed=3, features=3, units=5)
    M = np.concatenate([U, W], axis=0)
    got = call_learner(what, split_stacked_weights, M.copy(), 5)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (W, U), got {type(got).__name__}.", "end with `return W, U`.")
    W_got, U_got = got
    if np.shape(W_got) == U.shape and np.shape(U_got) == W.shape:
        fail(what, "W and U are returned in the wrong order (or have each other's shape).",
             "return the pair in the order (W, U): W is (features, units), U is (units, units).")
    if np.shape(W_got) == W.shape and np.shape(U_got) == U.shape:
        if np.allclose(W_got, M[:3]) and np.allclose(U_got, M[3:]):
            fail(what, "you split as if x_t came first in the concatenation.",
                 "the concatenation is [h_{t-1}, x_t]: its first `units` entries meet the "
                 "first `units` rows of M, so those rows are U and the rest are W.")
    check_array(f"{what}: W (first value returned)", W_got, W)
    check_array(f"{what}: U (second value returned)", U_got, U)
    passed(what, "W and U recovered from the stacked matrix.")


def check_rnn_param_count(rnn_param_count):
    """Checks `rnn_param_count(features, units)` against Keras' `count_params()`."""
    import keras

    check_layer_parameter_count(
        "rnn_param_count", rnn_param_count, [(3, 5), (1, 8), (10, 2)],
        lambda m, n: keras.layers.SimpleRNN(n),
        lambda m, n: {
            m * n + n * n: "the bias b is missing: it has one entry per unit.",
            m * n + n: "the recurrent weights U (units × units) are missing.",
            n * n + n: "the input weights W (features × units) are missing.",
            m * n + n * n + m: "the bias has one entry per unit, not per input feature.",
            2 * m * n + n: "U maps the state to the state: it is units × units, not features × units.",
            m * n + n * n + 2 * n: "one bias per unit, not two (Keras' SimpleRNN has a single b).",
        },
        "count W (features × units), U (units × units) and b (units).")
    passed("rnn_param_count", "matches keras.layers.SimpleRNN(units).count_params() for three sizes.")
