"""The 01_rnn notebook's helpers: its exercise checks (right answers pass, typical
slips get their specific hint) and its figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import plots  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks.rnn import check_rnn_param_count, check_rnn_step, check_split_stacked_weights  # noqa: E402


def _stub(*args):
    raise NotImplementedError()


# -- check_rnn_step -----------------------------------------------------------------
def test_rnn_step_right_answer_passes(capsys):
    check_rnn_step(lambda x, h, W, U, b: np.tanh(x @ W + h @ U + b))
    assert capsys.readouterr().out.startswith("PASS rnn_step")


def test_rnn_step_stub_says_not_written_yet():
    with pytest.raises(ExerciseError, match="not written yet"):
        check_rnn_step(_stub)


@pytest.mark.parametrize("answer, hint", [
    (lambda x, h, W, U, b: x @ W + h @ U + b, "tanh is missing"),
    (lambda x, h, W, U, b: np.tanh(x @ W + h @ U), "bias b is missing"),
    (lambda x, h, W, U, b: np.tanh(x @ W + b), "recurrent term"),
    (lambda x, h, W, U, b: np.tanh((W @ x.T).T + h @ U + b), "W is transposed"),
    (lambda x, h, W, U, b: np.tanh(x @ W + (U @ h.T).T + b), "U is transposed"),
    (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U.T + b), "both transposed"),
    (lambda x, h, W, U, b: np.tanh(x @ U + h @ W + b), "swapped"),
    (lambda x, h, W, U, b: 1 / (1 + np.exp(-(x @ W + h @ U + b))), "sigmoid"),
    (lambda x, h, W, U, b: np.maximum(x @ W + h @ U + b, 0), "ReLU"),
    (lambda x, h, W, U, b: np.tanh(W @ x.T + U @ h.T + b[:, None]), "shape is transposed"),
    (lambda x, h, W, U, b: None, "return"),
    (lambda x, h, W, U, b: (np.tanh(x @ W + h @ U + b), h), "only the new state"),
], ids=["no-tanh", "no-bias", "no-recurrence", "W-transposed", "U-transposed", "both-transposed",
        "swapped", "sigmoid", "relu", "column-form", "none", "tuple"])
def test_rnn_step_slips_get_their_hint(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_rnn_step(answer)


def test_rnn_step_shape_slip_hidden_by_a_square_case_is_caught():
    def square_only(x, h, W, U, b):
        if x.shape[1] != h.shape[1]:
            return np.tanh(x @ U + h @ W + b)  # crashes when features != units
        return np.tanh(x @ W + h @ U + b)

    with pytest.raises(ExerciseError, match="3 input features and 5 units"):
        check_rnn_step(square_only)


# -- check_split_stacked_weights --------------------------------------------------------
def test_split_stacked_weights_right_answer_passes(capsys):
    check_split_stacked_weights(lambda M, units: (M[units:], M[:units]))
    assert capsys.readouterr().out.startswith("PASS split_stacked_weights")


@pytest.mark.parametrize("answer, hint", [
    (lambda M, units: (M[:units], M[units:]), "wrong order"),
    (lambda M, units: (M[:M.shape[0] - units], M[M.shape[0] - units:]), "as if x_t came first"),
    (lambda M, units: M, "the pair"),
    (lambda M, units: (M[units:].T, M[:units]), "transposed"),
    (_stub, "not written yet"),
])
def test_split_stacked_weights_slips_get_their_hint(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_split_stacked_weights(answer)


# -- check_rnn_param_count -------------------------------------------------------------
def test_rnn_param_count_right_answer_passes(capsys):
    check_rnn_param_count(lambda m, n: m * n + n * n + n)
    assert capsys.readouterr().out.startswith("PASS rnn_param_count")


@pytest.mark.parametrize("answer, hint", [
    (lambda m, n: m * n + n * n, "bias b is missing"),
    (lambda m, n: m * n + n, "recurrent weights U"),
    (lambda m, n: n * n + n, "input weights W"),
    (lambda m, n: m * n + n * n + m, "per unit, not per input"),
    (lambda m, n: 2 * m * n + n, "units × units"),
    (lambda m, n: m * n + n * n + 2 * n, "not two"),
    (lambda m, n: 7, "count W"),
    (_stub, "not written yet"),
])
def test_rnn_param_count_slips_get_their_hint(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_rnn_param_count(answer)


# -- figures -----------------------------------------------------------------------------
def test_figures_have_titles():
    figures = [
        plots.draw_elman_cell(),
        plots.draw_unrolled_rnn(["will", "buy", "again"]),
        plots.plot_squashing(np.arange(4), 3.0 ** np.arange(4), np.tanh(np.arange(4)), 3),
    ]
    for fig in figures:
        assert all(ax.get_title() for ax in fig.axes if ax.axison or ax.get_title())
        assert fig.axes[0].get_title()
        plt.close(fig)


@pytest.mark.parametrize("words, error", [("buy again", TypeError), ([], ValueError),
                                          (["a"] * 9, ValueError), (["a", 3], ValueError)])
def test_draw_unrolled_rnn_refuses_bad_words(words, error):
    with pytest.raises(error, match="words"):
        plots.draw_unrolled_rnn(words)


def _texts(fig):
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def test_draw_unrolled_rnn_starts_at_h0_by_default():
    fig = plots.draw_unrolled_rnn(["will", "buy", "again"])
    texts = _texts(fig)
    assert "$h_0 = 0$" in texts
    assert {"$x_{1}$", "$x_{2}$", "$x_{3}$", "$h_{3}$"} <= set(texts)
    plt.close(fig)


def test_draw_unrolled_rnn_labels_a_later_window_with_its_own_steps():
    # The review's last four words are steps 12 to 15: no "h_0 = 0" at "will".
    fig = plots.draw_unrolled_rnn(["will", "definitely", "buy", "again"], first_step=12)
    texts = _texts(fig)
    assert not any("h_0" in text or "h_{0}" in text for text in texts)
    assert {"$h_{11}$", "$h_{12}$", "$h_{13}$", "$h_{14}$", "$h_{15}$"} <= set(texts)
    assert {"$x_{12}$", "$x_{13}$", "$x_{14}$", "$x_{15}$"} <= set(texts)
    assert "$x_{1}$" not in texts
    plt.close(fig)


@pytest.mark.parametrize("first_step", [0, -3, 1.5, "12", True, None])
def test_draw_unrolled_rnn_refuses_bad_first_step(first_step):
    with pytest.raises(ValueError, match="first_step"):
        plots.draw_unrolled_rnn(["a", "b"], first_step=first_step)


def test_elman_cell_output_bias_is_b_y_not_c():
    # The letter c belongs to the LSTM's cell state only.
    texts = _texts(plots.draw_elman_cell())
    assert "$y_t = h_t V + b_y$" in texts
    assert not any(text.endswith("+ c$") or text == r"$V,\ c$" for text in texts)
    plt.close("all")


def test_plot_state_and_gradient_norms_draws_one_line_per_model_in_each_panel():
    states = {"tanh": np.linspace(0.5, 2.0, 6), "ReLU": 2.0 ** np.arange(6)}
    gradients = {"tanh": 0.5 ** np.arange(6), "ReLU": 3.0 ** np.arange(6)}
    fig = plots.plot_state_and_gradient_norms(states, gradients, gradient_label="my label")
    left, right = fig.axes
    assert [line.get_label() for line in left.lines] == ["tanh", "ReLU"]
    assert len(right.lines) == 2 and right.get_ylabel() == "my label"
    assert left.get_yscale() == right.get_yscale() == "log"
    np.testing.assert_allclose(left.lines[1].get_xdata(), np.arange(1, 7))   # steps t = 1 ... T
    np.testing.assert_allclose(right.lines[0].get_xdata(), np.arange(6))     # distances k = 0 ... T-1
    assert left.get_title() and right.get_title()
    plt.close(fig)


@pytest.mark.parametrize("states, gradients", [({}, {}), ({"a": [1.0]}, {"b": [1.0]}),
                                               ({"a": [1.0], "b": [1.0]}, {"b": [1.0], "a": [1.0]})])
def test_plot_state_and_gradient_norms_refuses_mismatched_labels(states, gradients):
    with pytest.raises(ValueError, match="same labels"):
        plots.plot_state_and_gradient_norms(states, gradients)


def test_plot_squashing_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        plots.plot_squashing(np.arange(3), np.ones(4), np.ones(3), 3)
