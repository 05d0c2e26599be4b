"""Helpers of notebooks/02_lstm.ipynb: its plots and the summed gradient measurement (the
exercise checks are tested in test_lstm_exercises.py)."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import plots  # noqa: E402


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
