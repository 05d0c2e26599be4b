"""The checks of 02_lstm's exercises: each worked solution passes, each typical slip fails
with the hint that names it."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks import lstm as checks  # noqa: E402
from gru_keras.data import adding_problem  # noqa: E402
from gru_keras.reference import lstm_forward  # noqa: E402
from gru_keras.experiments import marked_value_slopes  # noqa: E402


# -- Exercise 1: coupled_as_lstm ------------------------------------------------------------
def _converter(forget="minus", order="ifco", copy=True, swap_roles=False, blocks=4):
    """A learner's coupled_as_lstm, right by default, with one slip when asked. forget says
    what goes into the forget block of (W, U, b), built from the input block i."""
    makers = {
        "minus": (lambda i: -i,) * 3,
        "same": (lambda i: i,) * 3,
        "one minus": (lambda i: 1 - i,) * 3,
        "bias kept": (lambda i: -i, lambda i: -i, lambda i: i),
        "bias only": (lambda i: i, lambda i: i, lambda i: -i),
        "bias one minus": (lambda i: -i, lambda i: -i, lambda i: 1 - i),
        "open": (np.zeros_like, np.zeros_like, lambda i: np.full_like(i, 100.0)),
    }[forget]

    def coupled_as_lstm(W, U, b):
        result = []
        for weight, make in zip((W, U, b), makers):
            i, c, o = np.split(weight, 3, axis=-1)
            if blocks == 3:
                result.append(weight)
                continue
            f = make(i)
            if swap_roles:
                i, f = -i, i
            named = {"i": i, "f": f, "c": c, "o": o}
            result.append(np.concatenate([named[k] for k in order], axis=-1))
        if not copy:
            W[...] = 0.0
        return result
    return coupled_as_lstm


def test_coupled_as_lstm_worked_solution_passes(capsys):
    checks.check_coupled_as_lstm(_converter())
    assert capsys.readouterr().out.startswith("PASS coupled_as_lstm: an LSTM with your weights computes")


def test_coupled_as_lstm_solution_computes_the_coupled_cell_in_keras():
    """What the notebook shows after the check: keras.layers.LSTM with the derived weights."""
    import keras

    (W, U, b), inputs = checks._coupled_case(seed=5, batch=2, steps=7, units=3)
    layer = keras.layers.LSTM(3, return_sequences=True)
    layer.build(inputs.shape)
    layer.set_weights([w.astype("float32") for w in _converter()(W, U, b)])
    h_want, _ = checks.coupled_forward(inputs, W, U, b)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(inputs.astype("float32"))), h_want, atol=1e-5)


@pytest.mark.parametrize("wrong, hint", [
    (_converter(forget="same"), "copy of the input block, so f_t = i_t"),
    (_converter(forget="one minus"), "σ is not linear: 1 − i_t = 1 − σ(a_i) is not the sigmoid of 1 minus"),
    (_converter(forget="bias kept"), "but b_f is not −b_i"),
    (_converter(forget="bias only"), "W_f = −W_i and U_f = −U_i too"),
    (_converter(forget="bias one minus"), "but you put b_f = 1 − b_i"),
    (_converter(forget="open"), "it is the constant σ(b_f)"),
    (_converter(order="icof"), "the order i, c, o, f"),
    (_converter(order="fico"), "the order f, i, c, o"),
    (_converter(swap_roles=True), "the roles swapped"),     # [-i, i, c, o] is [f, i, c, o]
    (_converter(blocks=3), "still has three blocks"),
    (_converter(copy=False), "changed the arrays it was given"),
    (lambda W, U, b: np.concatenate([W, -W[:, :4]], axis=1), "expected the list [W, U, b]"),
], ids=["f_equals_i", "one_minus_the_weights", "bias_not_negated", "only_bias_negated", "bias_one_minus",
        "constant_open_gate", "blocks_i_c_o_f", "blocks_f_i_c_o", "input_block_negated_instead",
        "three_blocks", "mutates_its_input", "returns_one_array"])
def test_coupled_as_lstm_slips_get_their_hint(wrong, hint):
    with pytest.raises(ExerciseError, match="coupled_as_lstm") as error:
        checks.check_coupled_as_lstm(wrong)
    assert hint in str(error.value)


def test_coupled_as_lstm_other_wrong_answers():
    def stub(W, U, b):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_coupled_as_lstm(stub)

    def changes_c(W, U, b):
        W4, U4, b4 = _converter()(W, U, b)
        return [W4, U4, b4 + np.r_[np.zeros(8), np.ones(4), np.zeros(4)]]
    with pytest.raises(ExerciseError, match="block c of b is not the coupled cell's block c"):
        checks.check_coupled_as_lstm(changes_c)

    def forget_block_of_its_own(W, U, b):        # right shapes, a forget block unrelated to i
        W4, U4, b4 = _converter()(W, U, b)
        b4[4:8] += 0.5
        W4[:, 4:8] *= 2
        return [W4, U4, b4]
    with pytest.raises(ExerciseError, match="does not compute the coupled cell"):
        checks.check_coupled_as_lstm(forget_block_of_its_own)


# -- Exercise 2: close_memory_unit ----------------------------------------------------------
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
    model = _hand_set_adding_model()
    inputs, _ = adding_problem(200, 50, seed=1)
    _, _, gates = lstm_forward(inputs, model.layers[0].get_weights(), return_gates=True)
    mean_forget = gates["f"].mean(axis=(0, 1))
    assert np.argmax(mean_forget) == MEMORY and np.argmin(mean_forget) != MEMORY
    return model, mean_forget, inputs


def test_hand_set_model_follows_both_values(adding_case):
    model, _, inputs = adding_case
    first, second = marked_value_slopes(model, inputs)
    assert first > 0.9 and second > 0.9


def test_marked_value_slopes_recover_a_known_mix():
    inputs, _ = adding_problem(100, 20, seed=4)
    marked = inputs[:, :, 0][inputs[:, :, 1] == 1].reshape(100, 2)

    def model(x):
        return 0.3 * marked[:, :1] - 2.0 * marked[:, 1:] + 5.0
    first, second = marked_value_slopes(model, inputs)
    assert first == pytest.approx(0.3) and second == pytest.approx(-2.0)


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
    model, mean_forget, inputs = adding_case
    before = [w.copy() for w in model.get_weights()]
    checks.check_close_memory_unit(_closer(), model, mean_forget, inputs)
    assert capsys.readouterr().out.strip() == ("PASS close_memory_unit: with that one forget gate closed, the "
                                               "prediction no longer follows the first value (s_1 below 0.3), "
                                               "nor the second (s_2 below 0.3).")
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights())), "the check leaves the model alone"


@pytest.mark.parametrize("wrong, hint", [
    (_closer(unit="least"), "least open forget gate"),
    (_closer(unit=2), "would keep roughly"),
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
    model, mean_forget, inputs = adding_case
    with pytest.raises(ExerciseError, match="close_memory_unit") as error:
        checks.check_close_memory_unit(wrong, model, mean_forget, inputs)
    assert hint in str(error.value)
    if "least" in hint or "at most" in hint:
        assert "the prediction still follows the first value: s_1 = " in str(error.value)


def test_close_memory_unit_stub(adding_case):
    def close_memory_unit(weights, mean_forget):
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_close_memory_unit(close_memory_unit, *adding_case)


# -- Exercise 3: predicted_growth -----------------------------------------------------------
def _measured(mean_f, gradient, steps=50):
    """A stand-in for section 9's measure_cell_gradient result."""
    f = np.full((2, steps, 3), mean_f)
    return {"f": f, "forget_product": mean_f ** steps, "gradient": gradient}


BIAS_1, BIAS_3 = _measured(0.73, 8.7e-5), _measured(0.95, 0.26)


def test_predicted_growth_worked_solution_passes(capsys):
    checks.check_predicted_growth(lambda: "less", BIAS_1, BIAS_3)
    assert capsys.readouterr().out.strip() == "PASS predicted_growth: 'less', as the measurement shows."


@pytest.mark.parametrize("answer, hint", [
    ("more", "no path gains more than the belt"),
    ("about the same", "if the belt carried the gradient alone"),
    ("further", 'return "more", "about the same" or "less"'),
])
def test_predicted_growth_wrong_predictions_are_explained(answer, hint):
    with pytest.raises(ExerciseError, match="predicted_growth") as error:
        checks.check_predicted_growth(lambda: answer, BIAS_1, BIAS_3)
    assert hint in str(error.value)
    if answer != "further":
        assert "mean f_t went from 0.73 to 0.95" in str(error.value), "the explanation quotes the measurement"
        assert "the gradient that arrives 3.0e+03 times" in str(error.value)


def test_predicted_growth_follows_the_measurement_passed_in():
    """The expected answer is computed from the measurement, not written into the check."""
    checks.check_predicted_growth(lambda: "about the same", BIAS_1, _measured(0.95, 8.7e-5 * 0.95 ** 50 / 0.73 ** 50))
    checks.check_predicted_growth(lambda: "more", BIAS_1, _measured(0.74, 1.0))
    with pytest.raises(ExerciseError, match="the measurement shows 'more'"):
        checks.check_predicted_growth(lambda: "less", BIAS_1, _measured(0.74, 1.0))


def test_predicted_growth_stub():
    def predicted_growth():
        raise NotImplementedError()
    with pytest.raises(ExerciseError, match="predicted_growth: not written yet"):
        checks.check_predicted_growth(predicted_growth, BIAS_1, BIAS_3)
