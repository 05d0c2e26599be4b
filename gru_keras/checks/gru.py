"""The checks of 03_gru's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_layer_parameter_count, fail, passed

__all__ = ["check_gru_step", "check_gru_parameter_count", "check_flip_update_convention"]


def _gru_case(seed=3, batch=2, features=3, units=4):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))
    h_prev = rng.normal(scale=0.8, size=(batch, units))
    W = rng.normal(scale=0.7, size=(features, 3 * units))
    U = rng.normal(scale=0.7, size=(units, 3 * units))
    b = rng.normal(scale=0.5, size=(3 * units,))
    return x, h_prev, W, U, b


def _swap_blocks(matrix, order, n):
    return np.concatenate([matrix[..., k * n:(k + 1) * n] for k in order], axis=-1)


def check_gru_step(gru_step):
    """Checks `gru_step(x, h_prev, W, U, b)`: one step of Cho et al.'s GRU (reset before
    the product, bias (3n,)), Keras' update convention, returning h_t (batch, units)."""
    from gru_keras.reference import gru_step as reference_step

    what = "gru_step"
    x, h_prev, W, U, b = _gru_case()
    n = h_prev.shape[-1]
    got = call_learner(what, gru_step, x, h_prev, W.copy(), U.copy(), b.copy())
    if isinstance(got, tuple):
        fail(what, "your function returned a tuple.", "return only h_t, the new state (batch, units).")
    expected, gates = reference_step(x, h_prev, W, U, b, reset_after=False)
    z, r, hbar = gates["z"], gates["r"], gates["hbar"]
    wrong = {
        "the update convention is flipped: you computed (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t; Keras and "
        "Cho et al. keep the old state where z ≈ 1: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃_t.":
            (1 - z) * h_prev + z * hbar,
        "the gates are in the wrong order: the blocks of W, U and b are z, r, h (update, reset, "
        "candidate); you took r from the first block and z from the second.":
            reference_step(x, h_prev, _swap_blocks(W, (1, 0, 2), n), _swap_blocks(U, (1, 0, 2), n),
                           _swap_blocks(b, (1, 0, 2), n), reset_after=False)[0],
        "the reset gate is applied after the recurrent product, r ⊙ (h_{t-1} U_h) (Keras' "
        "reset_after=True); this exercise is Cho et al.'s placement: (r ⊙ h_{t-1}) U_h.":
            reference_step(x, h_prev, W, U, np.stack([b, np.zeros_like(b)]), reset_after=True)[0],
        "the reset gate is missing: the candidate must use (r ⊙ h_{t-1}) U_h, not h_{t-1} U_h.":
            z * h_prev + (1 - z) * np.tanh(x @ W[:, 2 * n:] + h_prev @ U[:, 2 * n:] + b[2 * n:]),
        "the candidate's tanh is missing: h̃_t = tanh(x_t W_h + (r ⊙ h_{t-1}) U_h + b_h).":
            z * h_prev + (1 - z) * (x @ W[:, 2 * n:] + (r * h_prev) @ U[:, 2 * n:] + b[2 * n:]),
        "the gates use tanh instead of the sigmoid σ: gates must lie between 0 and 1.":
            _tanh_gates_step(x, h_prev, W, U, b),
    }
    got_array = np.asarray(got, dtype=float) if got is not None else None
    if got_array is not None and got_array.shape == expected.shape:
        for hint, value in wrong.items():
            if np.allclose(got_array, value, atol=1e-6):
                fail(what, "values differ from the reference.", hint)
    check_array(what, got, expected)
    passed(what, "your step equals gru_keras.reference.gru_step(..., reset_after=False).")


def _tanh_gates_step(x, h_prev, W, U, b):
    n = h_prev.shape[-1]
    a = x @ W + b
    z = np.tanh(a[:, :n] + h_prev @ U[:, :n])
    r = np.tanh(a[:, n:2 * n] + h_prev @ U[:, n:2 * n])
    hbar = np.tanh(a[:, 2 * n:] + (r * h_prev) @ U[:, 2 * n:])
    return z * h_prev + (1 - z) * hbar


def check_gru_parameter_count(count_function):
    """Checks `count_function(input_dim, units, reset_after)` against Keras' count_params()."""
    import keras

    def slips(m, n, reset_after):
        base = 3 * (n * m + n * n + n)
        return {
            base: "reset_after=True has a second bias row (added to h_{t-1} U): 3n more parameters.",
            base + 3 * n: "only reset_after=True has the second bias row; reset_after=False has one bias of 3n.",
            3 * (n * m + n * n): "the biases are missing: each of the 3 blocks has n of them.",
            4 * (n * m + n * n + n): "that is an LSTM's count (4 blocks); a GRU has 3: z, r and h.",
            4 * (n * m + n * n + 2 * n): "that is an LSTM's count (4 blocks); a GRU has 3: z, r and h.",
            2 * (n * m + n * n + n): "a GRU has 3 blocks (z, r, h), not 2: that is the simplified GRU.",
            3 * (n * m + n + n): "the recurrent kernel U is (n, 3n): n² per block, not n.",
        }

    check_layer_parameter_count(
        "GRU parameter count", count_function,
        [(m, n, reset_after) for m, n in ((3, 4), (8, 16), (1, 5)) for reset_after in (True, False)],
        lambda m, n, reset_after: keras.layers.GRU(n, reset_after=reset_after), slips,
        "count W (m × 3n), U (n × 3n) and the bias (3n, or 2 × 3n when reset_after).")
    passed("GRU parameter count", "your formula agrees with model.count_params() for both placements.")


def check_flip_update_convention(convert):
    """Checks `convert(weights)`: a Keras GRU's weights -> weights with which the write-gate
    GRU h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t gives the same outputs."""
    from gru_keras.experiments import gru_forward_lecture
    from gru_keras.reference import gru_forward

    what = "flip_update_convention"
    rng = np.random.default_rng(7)
    m, n = 3, 4
    inputs = rng.normal(size=(2, 5, m))
    for reset_after in (True, False):
        bias_shape = (2, 3 * n) if reset_after else (3 * n,)
        weights = [rng.normal(scale=0.6, size=s) for s in ((m, 3 * n), (n, 3 * n), bias_shape)]
        original = [w.copy() for w in weights]
        got = call_learner(what, convert, weights)
        if not all(np.array_equal(a, b) for a, b in zip(weights, original)):
            fail(what, "your function changed the weights it was given.",
                 "copy the arrays first (w.copy()) and change the copies.")
        if not isinstance(got, (list, tuple)) or len(got) != 3:
            fail(what, "return a list [kernel, recurrent_kernel, bias].")
        got = [np.asarray(w, dtype=float) for w in got]
        if [w.shape for w in got] != [w.shape for w in weights]:
            fail(what, f"shapes {[w.shape for w in got]} should stay {[w.shape for w in weights]}.")
        expected = gru_forward(inputs, weights, reset_after=reset_after)[0]
        result = gru_forward_lecture(inputs, got, reset_after=reset_after)
        if np.allclose(result, expected, atol=1e-6):
            continue
        W, U, b = got
        W0, U0, b0 = weights
        label = f"(reset_after={reset_after})"
        if np.allclose(W, -W0) and np.allclose(U, -U0):
            fail(what, f"outputs differ {label}.", "negate only the z block (the first n columns), not all three.")
        if np.allclose(W[:, n:2 * n], -W0[:, n:2 * n]) and np.allclose(W[:, :n], W0[:, :n]):
            fail(what, f"outputs differ {label}.", "you negated the r block (columns n..2n); z is the first block.")
        if not np.allclose(U[:, :n], -U0[:, :n]):
            fail(what, f"outputs differ {label}.", "the recurrent kernel's z block must be negated too.")
        if not np.allclose(W[:, :n], -W0[:, :n]):
            fail(what, f"outputs differ {label}.", "the kernel's z block must be negated too.")
        if reset_after and not np.allclose(b[..., :n], -b0[..., :n]):
            fail(what, f"outputs differ {label}.",
                 "with reset_after=True the bias has two rows (input and recurrent): negate the z block of both.")
        fail(what, f"outputs differ {label}.", "1 − σ(a) = σ(−a): negate every weight and bias of the z block, nothing else.")
    passed(what, "with your weights the write-gate GRU (gru_forward_lecture) reproduces Keras' GRU, both placements.")
