"""The 01_rnn notebook's figures (its exercise checks: tests/test_rnn_exercises.py)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import plots  # noqa: E402


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
