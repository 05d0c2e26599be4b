"""Helpers of notebooks/02_lstm.ipynb: the exercise checks and the plots."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import plots  # noqa: E402
from gru_keras.checks import lstm as checks  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.reference import sigmoid  # noqa: E402


# -- lstm_step --------------------------------------------------------------------------
def _step(order=(0, 1, 2, 3), gate=sigmoid, candidate=np.tanh, h_from_prev=False,
          tanh_on_c=True, forget=True, swap=False):
    def lstm_step(x, h_prev, c_prev, W, U, b):
        blocks = np.split(x @ W + h_prev @ U + b, 4, axis=-1)
        a_i, a_f, a_c, a_o = (blocks[k] for k in order)
        i, f, o = gate(a_i), gate(a_f), gate(a_o)
        c = (f * c_prev if forget else c_prev) + i * candidate(a_c)
        shown = c_prev if h_from_prev else c
        h = o * (np.tanh(shown) if tanh_on_c else shown)
        return (c, h) if swap else (h, c)
    return lstm_step


def test_lstm_step_right_answer_passes(capsys):
    checks.check_lstm_step(_step())
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize("wrong, hint", [
    (_step(order=(1, 0, 2, 3)), "order f, i, c, o"),
    (_step(order=(0, 1, 3, 2)), "i, f, c, o"),
    (_step(h_from_prev=True), "c_{t-1}"),
    (_step(tanh_on_c=False), "tanh on the cell state is missing"),
    (_step(forget=False), "forget gate is not applied"),
    (_step(gate=np.tanh), "need the sigmoid"),
    (_step(candidate=sigmoid), "uses tanh"),
    (_step(swap=True), "swapped"),
])
def test_lstm_step_typical_mistakes(wrong, hint):
    with pytest.raises(ExerciseError, match="lstm_step") as error:
        checks.check_lstm_step(wrong)
    assert hint in str(error.value)


def test_lstm_step_stub_and_wrong_return():
    def stub(*args):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_lstm_step(stub)
    with pytest.raises(ExerciseError, match="return h, c"):
        checks.check_lstm_step(lambda *args: _step()(*args)[0])


# -- lstm_param_count -------------------------------------------------------------------
def test_param_count_right_answer_passes(capsys):
    checks.check_lstm_param_count(lambda m, n: 4 * (m * n + n * n + n))
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize("wrong, hint", [
    (lambda m, n: m * n + n * n + n, "four"),
    (lambda m, n: 4 * (m * n + n * n), "biases are missing"),
    (lambda m, n: 4 * (m * n + n), "recurrent weights U"),
    (lambda m, n: 4 * (n * n + n), "input weights W"),
    (lambda m, n: 3 * (m * n + n * n + n), "three blocks"),
    (lambda m, n: 4 * (m * n + n * n + n) + 3 * n, "peephole"),
])
def test_param_count_typical_mistakes(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_lstm_param_count(wrong)


def test_param_count_stub():
    def stub(m, n):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_lstm_param_count(stub)


# -- close_forget_gate ------------------------------------------------------------------
def _closer(block=1, value=-100.0, copy=True, also=None):
    def close_forget_gate(weights):
        W, U, b = (w.copy() for w in weights) if copy else weights
        n = U.shape[0]                                   # units
        b[block * n:(block + 1) * n] = value
        if also is not None:
            b[also * n:(also + 1) * n] = 5.0
        return [W, U, b]
    return close_forget_gate


def test_closed_forget_gate_right_answer_passes(capsys):
    checks.check_closed_forget_gate(_closer(), "B")
    out = capsys.readouterr().out
    assert out.startswith("PASS") and out.rstrip().endswith("True")


@pytest.mark.parametrize("wrong, prediction, hint", [
    (_closer(block=0), "B", "changed block i"),
    (_closer(block=2), "B", "changed block c"),
    (_closer(value=0.0), "B", "σ(0) = 0.5"),
    (_closer(value=-1.0), "B", "large negative"),
    (_closer(copy=False), "B", "changed the weights it was given"),
    (_closer(also=3), "B", "other than f changed too (o)"),
    (_closer(), "A", "forget gate fixed at 1"),
    (_closer(), "C", "not zero"),
    (_closer(), "D", "only scales"),
    (_closer(), "E", "not one of A, B, C, D"),
])
def test_closed_forget_gate_typical_mistakes(wrong, prediction, hint):
    with pytest.raises(ExerciseError) as error:
        checks.check_closed_forget_gate(wrong, prediction)
    assert hint in str(error.value)


def test_closed_forget_gate_stub():
    def stub(weights):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_closed_forget_gate(stub, "B")


# -- plots ----------------------------------------------------------------------------
def test_draw_lstm_cell_labels_the_symbols():
    fig = plots.draw_lstm_cell()
    texts = {t.get_text() for t in fig.axes[0].texts}
    for symbol in [r"$c_{t-1}$", r"$c_t$", r"$h_{t-1}$", r"$h_t$", r"$x_t$", r"$f_t$", r"$i_t$",
                   r"$\tilde c_t$", r"$o_t$"]:
        assert symbol in texts
    assert r"$[h_{t-1},\ x_t]$" in texts, "the course concatenates the state first, as in 01_rnn"
    assert fig.axes[0].get_title()
    plt.close(fig)


def test_plot_cell_and_hidden_states():
    c, h = np.zeros((10, 5)), np.ones((10, 5))
    fig = plots.plot_cell_and_hidden_states(c, h, marks=[2, 7])
    top, bottom = fig.axes
    assert len(top.get_lines()) == 4 + 2 and top.get_title() and bottom.get_xlabel()
    assert top.get_legend() is not None
    plt.close(fig)
    with pytest.raises(ValueError, match="c and h"):
        plots.plot_cell_and_hidden_states(np.zeros((10, 5)), np.zeros((10, 4)))
    with pytest.raises(ValueError, match="c and h"):
        plots.plot_cell_and_hidden_states(np.zeros(10), np.zeros(10))


def test_plot_training_losses():
    fig = plots.plot_training_losses({"a": [0.2, 0.1], "b": [0.3, 0.2]}, baseline=1 / 6)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 3 and ax.get_title() and ax.get_legend() is not None
    plt.close(fig)
    with pytest.raises(ValueError, match="losses_by_label"):
        plots.plot_training_losses({})


# -- gradient_norms_by_distance(summed=True) ------------------------------------------
def test_summed_gradient_norms_equal_jacobian_norms_for_one_unit():
    import keras

    from gru_keras.data import adding_problem
    from gru_keras.experiments import gradient_norms_by_distance

    keras.utils.set_random_seed(0)
    layer = keras.layers.SimpleRNN(1)
    probe, _ = adding_problem(3, 12, seed=0)
    summed = gradient_norms_by_distance(layer, probe, summed=True)
    full = gradient_norms_by_distance(layer, probe)
    assert summed.shape == (12,)
    np.testing.assert_allclose(summed, full, rtol=1e-5, atol=1e-7)
