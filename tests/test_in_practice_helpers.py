"""Helpers of notebook 05_in_practice: time splits, windows, scaling, baselines, the
reversal reviews, plots and the exercise checks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import plots  # noqa: E402
from gru_keras.checks import in_practice as checks  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.data import (REVERSAL_VOCABULARY, TrainScaler, load_sunspots, make_windows,  # noqa: E402
                            reversal_reviews, review_words, split_by_time, windowed_splits)
from gru_keras.experiments import forecast_mae, persistence_forecast, seasonal_forecast  # noqa: E402


# ----------------------------------------------------------------- splits, windows, scaling
def test_split_by_time_keeps_order_and_covers_the_series():
    series = np.arange(20.0)
    train, val, test = split_by_time(series, 4, 3)
    assert (len(train), len(val), len(test)) == (13, 4, 3)
    assert np.array_equal(np.concatenate([train, val, test]), series)
    assert train.max() < val.min() and val.max() < test.min()  # past, then future


@pytest.mark.parametrize("args", [(np.arange(10.0), 0, 2), (np.arange(10.0), 4, 5),
                                  (np.ones((3, 3)), 1, 1), (np.array([1.0, np.nan, 2, 3, 4]), 1, 1)])
def test_split_by_time_refuses_bad_input(args):
    with pytest.raises(ValueError, match="validation_size|test_size|series"):
        split_by_time(*args)


def test_make_windows_targets_follow_their_window():
    series = np.arange(10.0)
    x, y = make_windows(series, 3)
    assert x.shape == (7, 3, 1) and y.shape == (7, 1)
    assert np.array_equal(x[0, :, 0], [0, 1, 2]) and y[0, 0] == 3
    assert np.array_equal(x[-1, :, 0], [6, 7, 8]) and y[-1, 0] == 9
    assert np.all(x[:, -1, 0] < y[:, 0])          # every input is strictly in the past
    x2, y2 = make_windows(series, 3, horizon=2)
    assert len(x2) == 6 and y2[0, 0] == 4


@pytest.mark.parametrize("kwargs", [dict(window=0), dict(window=10), dict(window=2.5),
                                    dict(window=3, horizon=0)])
def test_make_windows_refuses_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="window|horizon"):
        make_windows(np.arange(10.0), **kwargs)


def test_no_window_crosses_a_split_boundary():
    series = np.arange(60.0)  # the value is its own position
    data = windowed_splits(series, 5, validation_size=12, test_size=10)
    scaler = data["scaler"]
    bounds = {"train": (0, 38), "val": (38, 50), "test": (50, 60)}
    for name, (start, stop) in bounds.items():
        positions_in = np.rint(scaler.inverse(data[f"x_{name}"][..., 0])).astype(int)
        positions_out = np.rint(scaler.inverse(data[f"y_{name}"][:, 0])).astype(int)
        assert positions_in.min() >= start and positions_out.max() < stop
        assert np.all(positions_in.max(axis=1) < positions_out)
        assert np.array_equal(positions_out, data[f"target_index_{name}"])
        assert len(positions_out) == stop - start - 5


def test_the_scaler_uses_training_data_only():
    rng = np.random.default_rng(0)
    series = rng.normal(size=80)
    data = windowed_splits(series, 4, validation_size=15, test_size=15)
    train = series[:50]
    assert data["scaler"].mean == pytest.approx(train.mean(), abs=1e-5)
    assert data["scaler"].std == pytest.approx(train.std(), abs=1e-5)
    changed = series.copy()
    changed[50:] += 1000.0                           # a very different future
    other = windowed_splits(changed, 4, validation_size=15, test_size=15)
    assert other["scaler"].mean == data["scaler"].mean and other["scaler"].std == data["scaler"].std
    assert np.array_equal(other["x_train"], data["x_train"])
    scaler = TrainScaler(train)
    np.testing.assert_allclose(scaler.inverse(scaler.transform(series)), series, atol=1e-4)
    with pytest.raises(ValueError, match="train"):
        TrainScaler(np.ones(5))


def test_sunspot_splits_of_the_notebook():
    years, values = load_sunspots()
    data = windowed_splits(values, 12, 45, 45)
    assert years[data["target_index_test"][0]] == 1976 and years[data["target_index_test"][-1]] == 2008
    assert len(data["y_train"]) == 207 and len(data["y_val"]) == len(data["y_test"]) == 33


# ----------------------------------------------------------------- baselines and metrics
def test_baselines_and_mae():
    x, y = make_windows(np.arange(30.0), 12)
    assert np.array_equal(persistence_forecast(x)[:, 0], y[:, 0] - 1)
    assert np.array_equal(seasonal_forecast(x, 11)[:, 0], y[:, 0] - 11)
    scaler = TrainScaler(np.array([0.0, 2.0]))        # mean 1, std 1
    assert forecast_mae(np.zeros(3), np.ones(3), scaler) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="period"):
        seasonal_forecast(x, 13)
    with pytest.raises(ValueError, match="inputs"):
        persistence_forecast(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="predictions"):
        forecast_mae(np.zeros(3), np.zeros(4), scaler)


# ----------------------------------------------------------------- reviews
def test_reversal_reviews_label_is_the_last_opinion():
    inputs, targets, reversed_ = reversal_reviews(300, seed=4)
    assert inputs.shape == (300, 24) and targets.shape == (300, 1)
    assert 0.35 < reversed_.mean() < 0.65
    positive, negative = {"loved", "adored", "enjoyed"}, {"hated", "disliked", "loathed"}
    for row in range(300):
        words = review_words(inputs[row]).split()
        opinions = [w for w in words if w in positive | negative]
        assert words[:3] == ["i", opinions[0], "it"]
        assert len(opinions) == (2 if reversed_[row] else 1)
        assert (opinions[-1] in positive) == bool(targets[row, 0])
        if reversed_[row]:   # one opinion of each kind: only the order tells the label
            assert words[-5:-2] == ["but", "later", "i"]
            assert (opinions[0] in positive) != (opinions[1] in positive)


def test_reversal_reviews_is_seeded_and_checks_arguments():
    a, _, _ = reversal_reviews(20, seed=1)
    b, _, _ = reversal_reviews(20, seed=1)
    c, _, _ = reversal_reviews(20, seed=2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.max() < len(REVERSAL_VOCABULARY)
    for kwargs in (dict(n_reviews=0), dict(n_reviews=5, min_filler=5, max_filler=2),
                   dict(n_reviews=5, reversal_rate=1.5), dict(n_reviews=5, max_filler=-1)):
        with pytest.raises(ValueError, match="n_reviews|filler|reversal_rate"):
            reversal_reviews(**kwargs)
    with pytest.raises(ValueError, match="tokens"):
        review_words(np.array([[1, 2]]))


# ----------------------------------------------------------------- plots
def test_plots_draw_and_refuse_bad_input():
    years, values = np.arange(1700, 1760), np.arange(60.0)
    for fig in (plots.plot_time_split(years, values, 10, 10),
                plots.plot_forecasts_vs_truth(years[:5], values[:5], {"GRU": values[:5] + 1}),
                plots.plot_validation_curve([1.0, 0.5, 0.4], [1.0, 0.6, 0.7]),
                plots.plot_review_accuracy({"GRU": {"plain_accuracy": 1, "reversed_accuracy": 1}})):
        assert fig.axes[0].get_title() and fig.axes[0].get_xlabel()
        plt.close(fig)
    with pytest.raises(ValueError, match="test_size"):
        plots.plot_time_split(years, values, 10, 0)
    with pytest.raises(ValueError, match="forecast"):
        plots.plot_forecasts_vs_truth(years[:5], values[:5], {"GRU": values[:4]})
    with pytest.raises(ValueError, match="results"):
        plots.plot_review_accuracy({})


def test_review_accuracy_title_names_both_kinds_of_review():
    fig = plots.plot_review_accuracy({"GRU": {"plain_accuracy": 1, "reversed_accuracy": 1}})
    title = fig.axes[0].get_title()
    plt.close(fig)
    assert "plain" in title and "reversed" in title


# ----------------------------------------------------------------- exercise checks
def _windows_right(series, window):
    n = len(series) - window
    x = np.stack([series[i:i + window] for i in range(n)])
    return x[..., None], series[window:][:, None]


def _stub(*args):
    raise NotImplementedError()


def test_check_make_windows_passes_the_right_answer(capsys):
    checks.check_make_windows(_windows_right)
    assert capsys.readouterr().out.startswith("PASS make_windows")


@pytest.mark.parametrize("wrong, hint", [
    (lambda s, w: (np.stack([s[i + 1:i + w + 1] for i in range(len(s) - w)])[..., None],
                   s[w:][:, None]), "future leak"),
    (lambda s, w: (np.stack([s[i:i + w] for i in range(len(s) - w)])[..., None],
                   s[w - 1:-1][:, None]), "copy its input"),
    (lambda s, w: (np.stack([s[i:i + w] for i in range(len(s) - w - 1)])[..., None],
                   s[w:-1][:, None]), "one window too few"),
    (lambda s, w: (np.stack([s[i:i + w] for i in range(len(s) - w + 1)])[..., None],
                   np.append(s[w:], 0.0)[:, None]), "only"),
    (lambda s, w: (np.stack([s[i:i + w] for i in range(len(s) - w)]), s[w:]), "features"),
    (_stub, "not written yet"),
])
def test_check_make_windows_diagnoses_slips(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_make_windows(wrong)


def _scale_right(train, val, test):
    m, s = train.mean(), train.std()
    return (train - m) / s, (val - m) / s, (test - m) / s


def test_check_scale_parts_passes_the_right_answer(capsys):
    checks.check_scale_parts(_scale_right)
    assert capsys.readouterr().out.startswith("PASS scale_parts")


def _whole(train, val, test):
    allv = np.concatenate([train, val, test])
    return tuple((p - allv.mean()) / allv.std() for p in (train, val, test))


@pytest.mark.parametrize("wrong, hint", [
    (_whole, "whole series"),
    (lambda a, b, c: tuple((p - p.mean()) / p.std() for p in (a, b, c)), "its own statistics"),
    (lambda a, b, c: tuple((p - c.mean()) / c.std() for p in (a, b, c)), "test part's statistics"),
    (lambda a, b, c: tuple((p - a.std()) / a.mean() for p in (a, b, c)), "swapped"),
    (lambda a, b, c: ((a - a.mean()) / a.std(), b, c), "only the training part"),
    (lambda a, b, c: _scale_right(a, b, c)[:2], "three arrays"),
    (_stub, "not written yet"),
])
def test_check_scale_parts_diagnoses_slips(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_scale_parts(wrong)


def test_check_persistence_mae(capsys):
    _, values = load_sunspots()
    data = windowed_splits(values, 12, 45, 45)
    scaler = data["scaler"]
    last, truth = scaler.inverse(data["x_test"][:, -1, 0]), scaler.inverse(data["y_test"][:, 0])
    right = float(np.mean(np.abs(last - truth)))
    checks.check_persistence_mae(right, data)
    assert capsys.readouterr().out.startswith("PASS persistence_mae")
    scaled = float(np.mean(np.abs(data["x_test"][:, -1, 0] - data["y_test"][:, 0])))
    for wrong, hint in [(scaled, "standard deviations"), (float(np.mean((last - truth) ** 2)), "squared"),
                        (right + 3, "not the persistence"), (None, "None")]:
        with pytest.raises(ExerciseError, match=hint):
            checks.check_persistence_mae(wrong, data)
    with pytest.raises(TypeError, match="data"):
        checks.check_persistence_mae(right, {})
