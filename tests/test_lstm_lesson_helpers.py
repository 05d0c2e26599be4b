"""Helpers of notebooks/02_lstm.ipynb: the exercise checks (each worked solution passes,
each typical slip gets its own hint) and the plots."""

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


# -- Exercise 1: coupled_lstm_step ---------------------------------------------------------
def _coupled(order=(0, 1, 2), keep="1-i", gate=sigmoid, candidate=np.tanh, h_from_prev=False,
             tanh_on_c=True, swap=False):
    """A learner's coupled_lstm_step, right by default, with one slip when asked."""
    def coupled_lstm_step(x, h_prev, c_prev, W, U, b):
        blocks = np.split(x @ W + h_prev @ U + b, 3, axis=-1)
        a_i, a_c, a_o = (blocks[k] for k in order)
        i, o, c_tilde = gate(a_i), gate(a_o), candidate(a_c)
        kept = {"1-i": 1 - i, "i": i, "none": 1.0, "swapped": i}[keep]
        written = (1 - i) if keep == "swapped" else i
        c = kept * c_prev + written * c_tilde
        shown = c_prev if h_from_prev else c
        h = o * (np.tanh(shown) if tanh_on_c else shown)
        return (c, h) if swap else (h, c)
    return coupled_lstm_step


def test_coupled_step_worked_solution_passes(capsys):
    checks.check_coupled_lstm_step(_coupled())
    assert capsys.readouterr().out.startswith("PASS coupled_lstm_step")


def test_coupled_step_is_an_lstm_whose_forget_weights_are_minus_its_input_weights():
    """The identity the notebook shows after the check: σ(-a) = 1 - σ(a)."""
    from gru_keras.reference import lstm_step

    x, h_prev, c_prev, W, U, b = checks._coupled_case(seed=7)
    four = [np.concatenate([w[..., :4], -w[..., :4], w[..., 4:]], axis=-1) for w in (W, U, b)]
    h_lstm, c_lstm, _ = lstm_step(x, h_prev, c_prev, *four)
    h, c = _coupled()(x, h_prev, c_prev, W, U, b)
    np.testing.assert_allclose(h, h_lstm, atol=1e-12)
    np.testing.assert_allclose(c, c_lstm, atol=1e-12)


@pytest.mark.parametrize("wrong, hint", [
    (_coupled(keep="i"), "your forget gate is i_t itself"),
    (_coupled(keep="swapped"), "i_t and 1 − i_t are swapped"),
    (_coupled(keep="none"), "without a forget gate"),
    (_coupled(order=(1, 0, 2)), "order c, i, o"),
    (_coupled(order=(0, 2, 1)), "order i, o, c"),
    (_coupled(h_from_prev=True), "h_t is computed from c_{t-1}"),
    (_coupled(tanh_on_c=False), "tanh on the cell state is missing"),
    (_coupled(gate=np.tanh), "need the sigmoid"),
    (_coupled(candidate=sigmoid), "uses tanh"),
    (_coupled(swap=True), "swapped"),
], ids=["f_equals_i", "i_and_1_minus_i_swapped", "no_forget", "blocks_c_i_o", "blocks_i_o_c",
        "h_from_c_prev", "no_tanh_on_c", "tanh_gates", "sigmoid_candidate", "h_c_swapped"])
def test_coupled_step_slips_get_their_hint(wrong, hint):
    with pytest.raises(ExerciseError, match="coupled_lstm_step") as error:
        checks.check_coupled_lstm_step(wrong)
    assert hint in str(error.value)


def test_coupled_step_stub_and_wrong_return():
    def stub(x, h_prev, c_prev, W, U, b):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_coupled_lstm_step(stub)
    with pytest.raises(ExerciseError, match="return h, c"):
        checks.check_coupled_lstm_step(lambda x, h_prev, c_prev, W, U, b: _coupled()(x, h_prev, c_prev, W, U, b)[0])


# -- Exercise 2: predicted_reach ------------------------------------------------------------
def _measured(mean_f, full, steps=50):
    """A stand-in for section 9's belt_and_full_gradient result."""
    f = np.full((2, steps, 3), mean_f)
    return {"f": f, "belt": mean_f ** steps, "full": full}


BIAS_1, BIAS_3 = _measured(0.73, 8.7e-5), _measured(0.95, 0.26)


def test_predicted_reach_worked_solution_passes(capsys):
    checks.check_predicted_reach(lambda: "further", BIAS_1, BIAS_3)
    assert capsys.readouterr().out.strip() == "PASS predicted_reach: 'further', as the measurement shows."


@pytest.mark.parametrize("answer, hint", [
    ("less far", "opens the forget gate wider"),
    ("about the same", "counts 50 times over"),
    ("nearer", 'return "further", "less far" or "about the same"'),
])
def test_predicted_reach_wrong_predictions_are_explained(answer, hint):
    with pytest.raises(ExerciseError, match="predicted_reach") as error:
        checks.check_predicted_reach(lambda: answer, BIAS_1, BIAS_3)
    assert hint in str(error.value)
    if answer != "nearer":
        assert "from 0.73 (bias 1) to 0.95 (bias 3)" in str(error.value), "the explanation quotes the measurement"


def test_predicted_reach_follows_the_measurement_passed_in():
    """The expected answer is computed from the measurement, not written into the check."""
    checks.check_predicted_reach(lambda: "less far", BIAS_3, BIAS_1)
    checks.check_predicted_reach(lambda: "about the same", BIAS_1, _measured(0.74, 1e-4))
    with pytest.raises(ExerciseError, match="the measurement shows 'less far'"):
        checks.check_predicted_reach(lambda: "further", BIAS_3, BIAS_1)


def test_predicted_reach_stub():
    def predicted_reach():
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="predicted_reach: not written yet"):
        checks.check_predicted_reach(predicted_reach, BIAS_1, BIAS_3)


# -- Exercise 3: close_memory_unit ----------------------------------------------------------
UNITS, MEMORY = 3, 1     # the hand-set LSTM below keeps the sum in unit 1


def _hand_set_adding_model(units=UNITS, memory=MEMORY):
    """An LSTM set by hand (not trained) that solves the adding problem at length 50 with one
    unit: its input gate opens at the two marked steps, its forget and output gates stay
    open, its candidate is tanh(0.1 value); the Dense head reads that unit alone."""
    import keras

    rng = np.random.default_rng(0)
    W = rng.normal(scale=0.3, size=(2, 4 * units))
    U = rng.normal(scale=0.3, size=(units, 4 * units))
    b = np.zeros(4 * units)
    b[units:2 * units] = np.linspace(-2.0, 1.0, units)    # the other units forget fast or slowly
    W[:, memory::units], U[:, memory::units], U[memory] = 0.0, 0.0, 0.0
    W[1, memory], b[memory] = 20.0, -10.0                  # i: open where the marker is 1
    b[units + memory] = 10.0                               # f: keeps the cell state
    W[0, 2 * units + memory] = 0.1                         # c~ = tanh(0.1 value)
    b[3 * units + memory] = 10.0                           # o: shows the cell state
    head = np.zeros((units, 1))
    head[memory] = 10.0
    model = keras.Sequential([keras.Input((50, 2)), keras.layers.LSTM(units), keras.layers.Dense(1)])
    model.set_weights([a.astype("float32") for a in (W, U, b, head, np.zeros(1))])
    return model


@pytest.fixture(scope="module")
def adding_case():
    from gru_keras.data import adding_problem
    from gru_keras.reference import lstm_forward

    model = _hand_set_adding_model()
    inputs, targets = adding_problem(200, 50, seed=1)
    _, _, gates = lstm_forward(inputs, model.layers[0].get_weights(), return_gates=True)
    mean_forget = gates["f"].mean(axis=(0, 1))
    assert np.argmax(mean_forget) == MEMORY and np.argmin(mean_forget) != MEMORY
    return model, mean_forget, inputs, targets


def _closer(unit="memory", value=-100.0, block=1, copy=True, all_units=False, touch_W=False):
    """A learner's close_memory_unit, right by default, with one slip when asked."""
    def close_memory_unit(weights, mean_forget):
        W, U, b = (w.copy() for w in weights) if copy else weights
        n = U.shape[0]
        k = {"memory": np.argmax(mean_forget), "least": np.argmin(mean_forget)}.get(unit, unit)
        if all_units:
            b[n:2 * n] = value
        else:
            b[block * n + k] = value
        if touch_W:
            W[0, n + k] += 1.0
        return [W, U, b]
    return close_memory_unit


def test_close_memory_unit_worked_solution_passes(adding_case, capsys):
    model, mean_forget, inputs, targets = adding_case
    before = [w.copy() for w in model.get_weights()]
    checks.check_close_memory_unit(_closer(), model, mean_forget, inputs, targets)
    assert capsys.readouterr().out.startswith("PASS close_memory_unit: with that one forget gate closed")
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights())), "the check leaves the model alone"


@pytest.mark.parametrize("wrong, hint", [
    (_closer(unit="least"), "least open forget gate"),
    (_closer(unit=2), "too little to carry the first value"),
    (_closer(block=0), "the bias of unit 1 in block i, not a forget gate"),
    (_closer(all_units=True), "closed the forget gates of 3 units"),
    (_closer(value=100.0), "opens its forget gate further"),
    (_closer(value=-1.0), "only for a large negative input"),
    (_closer(copy=False), "changed the arrays it was given"),
    (_closer(touch_W=True), "you changed W"),
    (lambda weights, mean_forget: [w.copy() for w in weights], "nothing changed"),
    (lambda weights, mean_forget: weights[2], "expected the list [W, U, b]"),
], ids=["least_open_unit", "another_unit", "input_block_b_of_unit", "all_units", "opened",
        "not_negative_enough", "mutates_its_input", "changes_W", "unchanged", "returns_b_only"])
def test_close_memory_unit_slips_get_their_hint(adding_case, wrong, hint):
    model, mean_forget, inputs, targets = adding_case
    with pytest.raises(ExerciseError, match="close_memory_unit") as error:
        checks.check_close_memory_unit(wrong, model, mean_forget, inputs, targets)
    assert hint in str(error.value)


def test_close_memory_unit_stub(adding_case):
    def close_memory_unit(weights, mean_forget):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_close_memory_unit(close_memory_unit, *adding_case)


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
