"""The checks of 01_rnn's exercises: each worked solution passes, each typical slip fails
with the hint that names it."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks.rnn import (  # noqa: E402
    check_one_change,
    check_predicted_reach,
    check_rnn_backward_step,
    measured_reach,
)
from gru_keras.experiments import marked_value_slopes  # noqa: E402


def _stub(*args):
    raise NotImplementedError()


# -- Exercise 1: check_rnn_backward_step ----------------------------------------------------
def _backward(dh, h, h_prev, x, W, U, slope=None):
    delta = dh * (1 - h**2) if slope is None else dh * slope
    return x.T @ delta, h_prev.T @ delta, delta.sum(axis=0), delta @ W.T, delta @ U.T


def _replace(position, value_of):
    """The worked solution with one of its five gradients replaced by value_of(delta, dh, h, h_prev, x, W, U)."""
    def answer(dh, h, h_prev, x, W, U):
        grads = list(_backward(dh, h, h_prev, x, W, U))
        grads[position] = value_of(dh * (1 - h**2), dh, h, h_prev, x, W, U)
        return tuple(grads)
    return answer


def test_rnn_backward_step_worked_solution_passes(capsys):
    check_rnn_backward_step(_backward)
    assert capsys.readouterr().out.startswith("PASS rnn_backward_step")


@pytest.mark.parametrize("answer, hint", [
    (_stub, "not written yet"),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U, slope=1.0), "step through tanh is missing"),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U, slope=1 - h_prev**2), "not at h_prev"),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U, slope=1 - np.tanh(h)**2), "applies tanh twice"),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U, slope=1 - h), r"not 1 - h\."),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U, slope=h * (1 - h)), "slope of the sigmoid"),
    (_replace(0, lambda d, dh, h, hp, x, W, U: d.T @ x), r"x.T @ delta, not delta.T @ x"),
    (_replace(0, lambda d, dh, h, hp, x, W, U: x.T @ dh), "step through tanh is missing"),
    (_replace(1, lambda d, dh, h, hp, x, W, U: d.T @ hp), "is its transpose"),
    (_replace(1, lambda d, dh, h, hp, x, W, U: h.T @ d), "U multiplies h_prev, not h"),
    (_replace(2, lambda d, dh, h, hp, x, W, U: d), "sum delta over the batch"),
    (_replace(2, lambda d, dh, h, hp, x, W, U: d.sum(axis=1)), "not over the units"),
    (_replace(2, lambda d, dh, h, hp, x, W, U: d.mean(axis=0)), "do not average"),
    (_replace(2, lambda d, dh, h, hp, x, W, U: d.sum(axis=0, keepdims=True)), "without keepdims=True"),
    (_replace(3, lambda d, dh, h, hp, x, W, U: d @ W), r"delta @ W.T \(W transposed\)"),
    (_replace(3, lambda d, dh, h, hp, x, W, U: dh @ W.T), "step through tanh is missing"),
    (_replace(4, lambda d, dh, h, hp, x, W, U: d @ U), r"delta @ U.T \(U transposed\)"),
    (_replace(4, lambda d, dh, h, hp, x, W, U: d @ U.T + dh), "receives delta @ U.T alone"),
    (_replace(4, lambda d, dh, h, hp, x, W, U: dh @ U.T), "step through tanh is missing"),
    (_replace(4, lambda d, dh, h, hp, x, W, U: (d @ U.T) * (1 - hp**2)), "belongs to the next step back"),
    (_replace(4, lambda d, dh, h, hp, x, W, U: -(d @ U.T)), "sign flipped"),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U)[::-1], "order dW, dU, db, dx, dh_prev"),
    (lambda dh, h, h_prev, x, W, U: _backward(dh, h, h_prev, x, W, U)[:4], "got tuple of 4 values"),
    (lambda dh, h, h_prev, x, W, U: None, "return dW, dU, db, dx, dh_prev"),
    (lambda dh, h, x, W, U: None, "keep the parameters"),
], ids=["stub", "no-tanh-slope", "slope-at-h_prev", "tanh-twice", "one-minus-h", "sigmoid-slope",
        "dW-transposed", "dW-from-dh", "dU-transposed", "dU-from-h", "db-not-summed", "db-over-units",
        "db-mean", "db-keepdims", "dx-W-not-transposed", "dx-from-dh", "dh_prev-U-not-transposed",
        "dh_prev-plus-dh", "dh_prev-from-dh", "dh_prev-slope-of-step-t-1", "dh_prev-sign", "order", "four-values", "none",
        "signature"])
def test_rnn_backward_step_slips_get_their_hint(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_rnn_backward_step(answer)


def test_rnn_backward_step_shape_slip_hidden_by_the_square_case_is_caught():
    def square_only(dh, h, h_prev, x, W, U):
        if x.shape[1] != h.shape[1]:  # in the square case the slip would be recognised by its values
            delta = dh * (1 - h**2)
            return x.T @ delta, h_prev.T @ delta, delta.sum(axis=0), delta @ W, delta @ U.T  # W not transposed
        return _backward(dh, h, h_prev, x, W, U)

    with pytest.raises(ExerciseError, match="5 input features and 3 units"):
        check_rnn_backward_step(square_only)


def test_rnn_backward_step_transposed_shape_in_the_second_case_is_named():
    def transposes_dx_when_not_square(dh, h, h_prev, x, W, U):
        grads = list(_backward(dh, h, h_prev, x, W, U))
        if x.shape[1] != h.shape[1]:
            grads[3] = grads[3].T
        return tuple(grads)

    with pytest.raises(ExerciseError, match="(?s)dx: expected shape .*shape is transposed"):
        check_rnn_backward_step(transposes_dx_when_not_square)


# -- Exercise 2: check_predicted_reach ------------------------------------------------------
def _worked_prediction(network):
    return {"tanh RNN": "less far", "IRNN": "the same"}[network]


def _curves(share_at_1, share_at_10, length=30):
    """Gradient norms by distance whose share left at every k >= 1 is the given one."""
    def curve(share):
        return np.concatenate([[2.0], np.full(length - 1, 2.0 * share)])
    return {1: curve(share_at_1), 10: curve(share_at_10)}


MEASURED = {"tanh RNN": _curves(0.05, 4e-6), "IRNN": _curves(1.0, 1.0)}


def test_predicted_reach_worked_solution_passes(capsys):
    check_predicted_reach(_worked_prediction, MEASURED, 20)
    out = capsys.readouterr().out
    assert out.startswith("PASS predicted_reach: tanh RNN: less far; IRNN: the same")
    assert "k = 20 with inputs × 10" in out


def test_predicted_reach_worked_solution_agrees_with_the_notebooks_measurement():
    """The measurement of the notebook (untrained networks, fixed initialisers)."""
    from gru_keras.data import adding_problem
    from gru_keras.experiments import gradient_norms_by_distance

    x_probe, _ = adding_problem(16, 60, seed=3)
    W = keras.ops.convert_to_numpy(keras.initializers.GlorotUniform(seed=0)((2, 32)))
    U_orthogonal = keras.ops.convert_to_numpy(keras.initializers.Orthogonal(seed=0)((32, 32)))

    def layer(activation, U):
        rnn = keras.layers.SimpleRNN(32, activation=activation)
        rnn.build(x_probe.shape)
        rnn.set_weights([W, U, np.zeros(32)])
        return rnn

    measured = {network: {scale: gradient_norms_by_distance(layer(activation, U), scale * x_probe, summed=True)
                          for scale in (1, 10)}
                for network, activation, U in [("tanh RNN", "tanh", U_orthogonal), ("IRNN", "relu", np.eye(32))]}
    assert measured_reach(measured["tanh RNN"], 20) == "less far"
    assert measured_reach(measured["IRNN"], 20) == "the same"
    check_predicted_reach(_worked_prediction, measured, 20)


@pytest.mark.parametrize("tanh_answer, irnn_answer, hint", [
    ("further", "the same", "saturation"),
    ("the same", "the same", "depend on how large the pre-activations are"),
    ("less far", "further", "scales with its inputs"),
    ("less far", "less far", "ReLU does not saturate"),
    ("shorter", "the same", 'answer "further", "less far" or "the same"'),
    ("less far", None, "your answer is None"),
], ids=["tanh-further", "tanh-same", "irnn-further", "irnn-less-far", "unknown-word", "none"])
def test_predicted_reach_slips_get_their_explanation(tanh_answer, irnn_answer, hint):
    answers = {"tanh RNN": tanh_answer, "IRNN": irnn_answer}
    with pytest.raises(ExerciseError, match=hint):
        check_predicted_reach(lambda network: answers[network], MEASURED, 20)


def test_predicted_reach_stub_says_not_written_yet():
    with pytest.raises(ExerciseError, match="not written yet"):
        check_predicted_reach(_stub, MEASURED, 20)


def test_predicted_reach_accepts_any_case_and_spacing(capsys):
    check_predicted_reach(lambda network: {"tanh RNN": " Less  FAR", "IRNN": "The same"}[network], MEASURED, 20)
    assert capsys.readouterr().out.startswith("PASS")


def test_predicted_reach_follows_the_measurement_passed_in():
    # Had the measurement shown the tanh RNN reaching further, the worked answer would be wrong.
    other = {"tanh RNN": _curves(0.05, 0.5), "IRNN": _curves(1.0, 1.0)}
    with pytest.raises(ExerciseError, match="measurement shows 'further' for the tanh RNN"):
        check_predicted_reach(_worked_prediction, other, 20)


@pytest.mark.parametrize("share_at_10, expected", [(0.5, "further"), (0.001, "less far"), (0.055, "the same")])
def test_measured_reach_compares_the_shares_left(share_at_10, expected):
    assert measured_reach(_curves(0.05, share_at_10), 20) == expected


def test_measured_reach_needs_two_scales():
    with pytest.raises(ValueError, match="two input scales"):
        measured_reach({1: np.ones(5)}, 2)


# -- Exercise 3: check_one_change --------------------------------------------------------------
UNITS, LENGTH = 32, 50


class _Model:
    """Stands in for a trained model: predicts the exact sum, or always 1 (the baseline)."""

    def __init__(self, exact):
        self.exact = exact

    def __call__(self, inputs):
        if not self.exact:
            return np.ones((len(inputs), 1), dtype="float32")
        return np.sum(inputs[:, :, 0] * inputs[:, :, 1], axis=1, keepdims=True)


def _train(exact):
    trained = []

    def train(layer, length):
        assert isinstance(layer, keras.layers.SimpleRNN) and length == LENGTH
        trained.append(layer)
        return _Model(exact), [0.1]
    train.trained = trained
    return train


def _tanh_rnn():
    return keras.layers.SimpleRNN(UNITS)


def _check(changed_rnn, exact=True):
    check_one_change(changed_rnn, _tanh_rnn, _train(exact), marked_value_slopes, length=LENGTH, seed=0)


def test_one_change_worked_solution_passes(capsys):
    _check(lambda: keras.layers.SimpleRNN(UNITS, activation="relu"))
    out = capsys.readouterr().out
    assert out.startswith("PASS changed_rnn: one setting changed (activation: 'tanh' -> 'relu')")


def test_one_change_builds_the_layer_from_the_model_seed():
    """The layer the check trains has the weights a SimpleRNN gets right after set_random_seed."""
    train = _train(True)
    check_one_change(lambda: keras.layers.SimpleRNN(UNITS, activation="relu"), _tanh_rnn, train, marked_value_slopes,
                     length=LENGTH, seed=1)
    keras.utils.set_random_seed(1)
    expected = keras.layers.SimpleRNN(UNITS, activation="relu")
    for layer in (train.trained[0], expected):
        layer.build((None, LENGTH, 2))
    for got, want in zip(train.trained[0].get_weights(), expected.get_weights()):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("changed_rnn, exact, hint", [
    (_stub, True, "not written yet"),
    (lambda: keras.layers.SimpleRNN(UNITS), True, "same settings as tanh_rnn"),
    (lambda: keras.layers.SimpleRNN(UNITS, activation="relu", recurrent_initializer="identity"), True,
     "that is the IRNN"),
    (lambda: keras.layers.SimpleRNN(UNITS, activation="relu", use_bias=False), True, "keep one change"),
    (lambda: keras.layers.LSTM(UNITS), True, "not a keras.layers.SimpleRNN"),
    (lambda: "relu", True, "expected a Keras layer"),
    (lambda: keras.layers.SimpleRNN(UNITS, return_sequences=True), True, "last state only"),
    (lambda: keras.layers.SimpleRNN(1000), True, "keep between 1 and 128 units"),
    (lambda: keras.layers.SimpleRNN(UNITS, recurrent_initializer="identity"), False,
     "this recurrent initializer alone, with tanh kept, is not enough here; try the IRNN's other setting, its activation"),
    (lambda: keras.layers.SimpleRNN(UNITS, activation="elu"), False,
     r"this activation alone is not enough here; the IRNN's activation, \"relu\", is one to try"),
    (lambda: keras.layers.SimpleRNN(UNITS, activation="relu"), False, "passed this check in the course's runs"),
    (lambda: keras.layers.SimpleRNN(64), False, "this number of units alone is not enough here"),
    (lambda: keras.layers.SimpleRNN(UNITS, go_backwards=True), False, "second at least T/2 steps back"),
    (lambda: keras.layers.SimpleRNN(UNITS, use_bias=False), False, "two settings in which the IRNN differs"),
], ids=["stub", "no-change", "irnn", "two-changes", "lstm", "not-a-layer", "return-sequences",
        "too-many-units", "identity-alone-fails", "other-activation-fails", "relu-fails-on-this-machine",
        "more-units-fail", "backwards-fails", "other-setting-fails"])
def test_one_change_slips_get_their_hint(changed_rnn, exact, hint):
    with pytest.raises(ExerciseError, match=hint):
        _check(changed_rnn, exact)


@pytest.mark.parametrize("changed_rnn", [
    lambda: keras.layers.SimpleRNN(UNITS, recurrent_initializer="identity"),
    lambda: keras.layers.SimpleRNN(UNITS, activation="elu"),
    lambda: keras.layers.SimpleRNN(UNITS, activation="relu"),
    lambda: keras.layers.SimpleRNN(64),
    lambda: keras.layers.SimpleRNN(UNITS, go_backwards=True),
    lambda: keras.layers.SimpleRNN(UNITS, use_bias=False),
], ids=["identity", "elu", "relu", "units", "backwards", "use-bias"])
def test_one_change_failure_hints_report_the_run_not_a_cause(changed_rnn):
    """The notebook measures no cause of a failed change, so its hint states none: no slope,
    no diag, no "because" (Exercise 3 is an experiment)."""
    with pytest.raises(ExerciseError) as failure:
        _check(changed_rnn, exact=False)
    hint = str(failure.value).split("Hint: ", 1)[1]
    assert "measured" in hint or "course's runs" in hint
    for causal in ("because", "diag", "slope", "saturat", "do not change what"):
        assert causal not in hint


def test_one_change_failure_states_what_was_measured():
    with pytest.raises(ExerciseError, match=r"does not use the first value: test MSE 0\.1\d\d \(not below 1/12\), "
                                            r"s_1 0\.00 \(not above 0\.5\)"):
        _check(lambda: keras.layers.SimpleRNN(UNITS, recurrent_initializer="identity"), exact=False)


def test_one_change_names_an_error_raised_while_training():
    def broken_train(layer, length):
        raise ValueError("Input 0 is incompatible")

    with pytest.raises(ExerciseError, match="training the model with your layer raised ValueError"):
        check_one_change(lambda: keras.layers.SimpleRNN(UNITS, activation="relu"), _tanh_rnn, broken_train,
                         marked_value_slopes, length=LENGTH, seed=0)


# -- the notebook's exercise cells ----------------------------------------------------------
def _notebook_cells():
    import pathlib

    import nbformat

    path = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / "01_rnn.ipynb"
    return nbformat.read(path, as_version=4).cells


def _check_cell_index(cells, call):
    return next(i for i, cell in enumerate(cells) if cell.cell_type == "code" and cell.source.startswith(call))


def test_exercise_1_prose_before_its_check_does_not_print_the_lines_to_derive():
    cells = _notebook_cells()
    before = "".join(cell.source for cell in cells[:_check_cell_index(cells, "check_rnn_backward_step(")]
                     if cell.cell_type == "markdown")
    for line in (r"x_t^\top \delta_t", r"h_{t-1}^\top \delta_t", r"\delta_t W^\top", r"\delta_t U^\top",
                 r"g_t \odot (1 - h_t^2)", r"\sum_{\text{batch}} \delta_t"):
        assert line not in before, line


def test_exercise_2_hidden_test_measures_at_the_distance_the_text_states():
    cells = _notebook_cells()
    check = cells[_check_cell_index(cells, "check_predicted_reach(")].source
    assert check.startswith("check_predicted_reach(predicted_reach, reach_by_scale, DISTANCE)")
    assert "_measured_reach(_curves, DISTANCE)" in check
