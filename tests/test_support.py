"""The shared support code: data generator, experiment helpers, set-up, generic checks."""

import numpy as np
import pytest

import keras

import gru_keras
from gru_keras import checks
from gru_keras.data import ADDING_PROBLEM_BASELINE_MSE, adding_problem
from gru_keras.experiments import gradient_norms_by_distance, outputs_match


def test_adding_problem_shapes_markers_and_targets():
    x, y = adding_problem(50, 20, seed=3)
    assert x.shape == (50, 20, 2) and y.shape == (50, 1)
    markers = x[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :10].sum(axis=1) == 1) and np.all(markers[:, 10:].sum(axis=1) == 1)
    np.testing.assert_allclose(y[:, 0], (x[..., 0] * markers).sum(axis=1), rtol=1e-6)


def test_adding_problem_is_repeatable_and_seeded():
    a, _ = adding_problem(10, 8, seed=1)
    b, _ = adding_problem(10, 8, seed=1)
    c, _ = adding_problem(10, 8, seed=2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_adding_problem_baseline_is_the_variance_of_the_target():
    _, y = adding_problem(20000, 10, seed=0)
    assert abs(np.mean((y - 1.0) ** 2) - ADDING_PROBLEM_BASELINE_MSE) < 0.01


@pytest.mark.parametrize("kwargs", [dict(n_sequences=0, length=5), dict(n_sequences=3, length=1),
                                    dict(n_sequences=2.5, length=5), dict(n_sequences=3, length="9")])
def test_adding_problem_refuses_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="n_sequences|length"):
        adding_problem(**kwargs)


def test_gradient_norms_vanish_for_a_contracting_rnn_and_not_for_identity():
    x = np.random.default_rng(0).normal(size=(4, 12, 2)).astype("float32")
    rnn = keras.layers.RNN(gru_keras.SimpleRNNCell(3, activation=None, use_bias=False))
    rnn(x)
    kernel = np.ones((2, 3), "float32")
    rnn.set_weights([kernel, 0.5 * np.eye(3, dtype="float32")])
    norms = gradient_norms_by_distance(rnn, x)
    # h_T = sum_k x_{T-k} K (0.5)^k, so the norm at distance k is ||K|| * 0.5^k.
    np.testing.assert_allclose(norms, np.linalg.norm(kernel) * 0.5 ** np.arange(12), rtol=1e-5)
    rnn.set_weights([kernel, np.eye(3, dtype="float32")])
    np.testing.assert_allclose(gradient_norms_by_distance(rnn, x), np.linalg.norm(kernel), rtol=1e-5)


def test_gradient_norms_refuse_sequence_outputs():
    rnn = keras.layers.RNN(gru_keras.GRUCell(3), return_sequences=True)
    with pytest.raises(ValueError, match="return_sequences=False"):
        gradient_norms_by_distance(rnn, np.zeros((2, 5, 2)))


def test_outputs_match():
    a = np.zeros((2, 3))
    assert outputs_match(a, a + 1e-6) and not outputs_match(a, a + 1e-3)
    assert not outputs_match(a, np.zeros((3, 2)))


def test_check_array_diagnoses_common_slips(capsys):
    expected = np.arange(12.0).reshape(3, 4)
    checks.check_array("x", expected.copy(), expected)
    with pytest.raises(checks.ExerciseError, match="transposed"):
        checks.check_array("x", expected.T, expected)
    with pytest.raises(checks.ExerciseError, match="sign flipped"):
        checks.check_array("x", -expected, expected)
    with pytest.raises(checks.ExerciseError, match="order b, a"):
        checks.check_array("x", np.concatenate([expected[:, 2:], expected[:, :2]], 1), expected,
                           blocks=2, block_names="a, b")
    with pytest.raises(checks.ExerciseError, match="returned None"):
        checks.check_array("x", None, expected)


def test_call_learner_explains_stubs_and_crashes():
    def stub():
        raise NotImplementedError()

    def broken():
        return 1 / 0

    with pytest.raises(checks.ExerciseError, match="not written yet"):
        checks.call_learner("f", stub)
    with pytest.raises(checks.ExerciseError, match="ZeroDivisionError"):
        checks.call_learner("f", broken)


def test_setup_refuses_a_bad_seed():
    from gru_keras.notebook import setup

    with pytest.raises(ValueError, match="seed"):
        setup(seed=-1)


def test_model_seed_comes_from_the_environment(monkeypatch):
    from gru_keras.notebook import SEED_VARIABLE, model_seed

    monkeypatch.delenv(SEED_VARIABLE, raising=False)
    assert model_seed() == 0
    monkeypatch.setenv(SEED_VARIABLE, "2")
    assert model_seed() == 2
    monkeypatch.setenv(SEED_VARIABLE, "two")
    with pytest.raises(ValueError, match="GRU_KERAS_MODEL_SEED must be a non-negative integer, got 'two'"):
        model_seed()


def test_sunspots_load_and_are_checked(tmp_path):
    from gru_keras.data import load_sunspots

    years, values = load_sunspots()
    assert years[0] == 1700 and years[-1] == 2008 and values.shape == (309,)
    with pytest.raises(FileNotFoundError, match="sunspots.csv is missing"):
        load_sunspots(data_dir=tmp_path)
    altered = tmp_path / "sunspots.csv"
    from gru_keras.data import DATA_DIR

    altered.write_bytes((DATA_DIR / "sunspots.csv").read_bytes().replace(b"1700,5", b"1700,6"))
    with pytest.raises(ValueError, match="has been altered"):
        load_sunspots(data_dir=tmp_path)


def test_marked_value_slopes_refuse_sequences_that_are_not_adding_problems():
    from gru_keras.experiments import slopes_on_marked_values

    inputs, _ = adding_problem(6, 10, seed=0)
    inputs[0, :, 1] = 0  # a sequence without its two marks
    with pytest.raises(ValueError, match="exactly two marked steps"):
        slopes_on_marked_values(np.zeros(6), inputs)
