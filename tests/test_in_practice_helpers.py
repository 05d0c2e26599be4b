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
def _stub(*args):
    raise NotImplementedError()


# Exercise 1: windows with the next `horizon` values as targets
def _multistep(series, window, horizon, first=0, step_to_target=1, count=None):
    """Windows and their rows of targets, with a slip: the right ones with the defaults.
    first: the first window's start; step_to_target: steps from a window's last value to
    its first target (1 when right); count: how many windows (as many as fit when None)."""
    fit = len(series) - window - horizon - max(step_to_target - 1, 0) + 1 - first
    starts = first + np.arange(fit if count is None else count)
    inputs = series[starts[:, None] + np.arange(window)[None, :]]
    targets = series[starts[:, None] + window - 1 + step_to_target + np.arange(horizon)[None, :]]
    return inputs[..., None], targets


def test_check_make_multistep_windows_passes_the_right_answer(capsys):
    checks.check_make_multistep_windows(lambda s, w, h: _multistep(s, w, h))
    assert capsys.readouterr().out.startswith("PASS make_multistep_windows")


def _count(s, w, h):
    return len(s) - w - h + 1


def _too_many(s, w, h):
    x, y = _multistep(s, w, h)
    beyond = np.append(s[len(s) - h + 1:], np.zeros(1))   # the next window's targets run past the end
    return np.concatenate([x, s[None, len(s) - h + 1 - w:len(s) - h + 1, None]]), np.concatenate([y, beyond[None, :h]])


def _series_window_plus_horizon(s, w, h):
    # The slip of a single target, `series[window + horizon:]`, with the right windows
    inputs = np.stack([s[i:i + w] for i in range(_count(s, w, h))])[..., None]
    return inputs, np.stack([s[w + h + j:len(s) - h + 1 + j] for j in range(h)], axis=1)


def _loop_past_the_end(s, w, h):
    return (np.stack([s[i:i + w] for i in range(_count(s, w, h))])[..., None],
            np.stack([s[i + w + 1:i + w + 1 + h] for i in range(_count(s, w, h))]))


@pytest.mark.parametrize("wrong, hint", [
    (lambda s, w, h: make_windows(s, w, horizon=h), r"what gd.make_windows\(..., horizon=3\) gives"),
    (lambda s, w, h: _multistep(s, w, h, step_to_target=0), "copy its input"),
    (lambda s, w, h: _multistep(s, w, h, step_to_target=-1), "future leak"),
    (lambda s, w, h: _multistep(s, w, h, step_to_target=2), "one step too far"),
    (_series_window_plus_horizon, "one step too far.*series\\[window:\\], not series\\[window \\+ 1:\\]"),
    (_loop_past_the_end, "(?s)raised ValueError.*slices ran past the end.*targets start too late"),
    (lambda s, w, h: (_multistep(s, w, h)[0], _multistep(s, w, h)[1][:, 0]), "one row per window"),
    (lambda s, w, h: (_multistep(s, w, h)[0], make_windows(s, w)[1][:_count(s, w, h)]),
     "each window has one target, the value right after it"),
    (lambda s, w, h: (_multistep(s, w, h)[0], _multistep(s, w, h)[1].T), "transpose"),
    (lambda s, w, h: (_multistep(s, w, h)[0], _multistep(s, w, h)[1][:, ::-1]) if h > 1 else _multistep(s, w, h),
     "backwards in time"),
    (lambda s, w, h: _multistep(s, w, h, count=_count(s, w, h) - 1),
     r"windows are missing at the end\. Count the windows from the end"),
    (lambda s, w, h: _multistep(s, w, h, first=1), r"start at series\[0\]"),
    (_too_many, "last window's targets are not all values of the series; only 25 windows"),
    (lambda s, w, h: (_multistep(s, w, h)[0], _multistep(s, w, h)[1][:-1]), "exactly one row of targets"),
    (lambda s, w, h: (_multistep(s, w, h)[0][..., 0], _multistep(s, w, h)[1]), "feature axis"),
    (lambda s, w, h: (_multistep(s, w, h)[0][:, ::-1], _multistep(s, w, h)[1]), "consecutive|in order"),
    (lambda s, w, h: _multistep(s, w, h)[0], "the pair"),
    (lambda s, w, h: (None, None), "None"),
    (lambda s, w: _multistep(s, w, 1), "calls it with 3 arguments"),
    (_stub, "not written yet"),
])
def test_check_make_multistep_windows_diagnoses_slips(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_make_multistep_windows(wrong)


def test_the_package_make_windows_is_not_an_answer_to_exercise_1():
    # It passes the case with one target and fails the first case with several.
    with pytest.raises(ExerciseError, match="horizon=3.*one target, the value 3 steps after it"):
        checks.check_make_multistep_windows(lambda s, w, h: make_windows(s, w, horizon=h))


# Exercise 2: where persistence errs
def _sunspot_data():
    _, values = load_sunspots()
    return windowed_splits(values, 12, 45, 45)


def test_persistence_errs_most_in_the_rising_years_of_the_cycle():
    measured = checks.persistence_errors_by_direction(_sunspot_data())
    assert measured["rising"] > 2 * measured["falling"]
    assert measured["rising_years"] < measured["falling_years"]   # the cycle rises in fewer years


def test_check_persistence_reading_passes_the_measured_answer(capsys):
    checks.check_persistence_reading(lambda: "Rising ", _sunspot_data())
    assert capsys.readouterr().out.startswith("PASS where_persistence_errs: the steep rises")


@pytest.mark.parametrize("wrong, hint", [
    ("falling", r"rises in fewer years than it falls \(10 against 23\)"),
    ("same", "rises as steep as falls"),
    ("up", "one of 'rising', 'falling' or 'same'"),
    (None, "None"),
])
def test_check_persistence_reading_explains_a_wrong_prediction(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_persistence_reading(lambda: wrong, _sunspot_data())
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_persistence_reading(_stub, _sunspot_data())


def test_check_persistence_reading_computes_its_answer_from_the_data(capsys):
    # A saw-tooth that climbs slowly and drops at once: there, the falls are the steep years.
    series = np.tile(np.append(np.arange(0.0, 50.0, 5.0), 0.0), 12)
    data = windowed_splits(series, 4, validation_size=44, test_size=22)
    checks.check_persistence_reading(lambda: "falling", data)
    assert "steep falls" in capsys.readouterr().out
    with pytest.raises(ExerciseError, match="falls in fewer years than it rises"):
        checks.check_persistence_reading(lambda: "rising", data)
    with pytest.raises(TypeError, match="windowed_splits"):
        checks.check_persistence_reading(lambda: "rising", {})


# Exercise 3: reading the curves, by their levels. The deep GRU's curves as the notebook
# measured them (seed 0, rounded): lowest validation loss at epoch 6, the mean forecast 1.0.
_LOSS = [0.93, 0.55, 0.33, 0.22, 0.17, 0.148, 0.14, 0.13, 0.125, 0.12, 0.117, 0.114, 0.112, 0.11, 0.108,
         0.107, 0.106, 0.105, 0.104, 0.103, 0.102]
_VAL_LOSS = [0.95, 0.6, 0.45, 0.36, 0.331, 0.263, 0.306, 0.29, 0.3, 0.32, 0.31, 0.3, 0.31, 0.32, 0.33,
             0.35, 0.33, 0.34, 0.33, 0.34, 0.345]


def test_check_curve_reading_passes_the_reading_of_the_figure(capsys):
    checks.check_curve_reading(lambda: "Overfitting", _LOSS, _VAL_LOSS, 1.0)
    assert capsys.readouterr().out.startswith("PASS what_the_curves_show")


@pytest.mark.parametrize("wrong, hint", [
    ("underfitting", r"stays high, above half the mean forecast's.*training loss is 0.10 times"),
    ("good fit", r"stays near its lowest value.*lies 31 % above its lowest value \(epoch 6"),
    ("overfit", "one of 'overfitting', 'underfitting' or 'good fit'"),
    (None, "None"),
])
def test_check_curve_reading_explains_a_wrong_reading(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_curve_reading(lambda: wrong, _LOSS, _VAL_LOSS, 1.0)


@pytest.mark.parametrize("loss, val_loss, reading", [
    # A training loss that stays high is underfitting, whatever the validation loss does after its low.
    ([1.0, 0.85, 0.8, 0.8, 0.82], [1.1, 0.9, 0.95, 1.0, 1.2], "underfitting"),
    ([1.0, 0.9, 0.7, 0.65, 0.6], [1.1, 0.8, 0.85, 0.83, 0.84], "underfitting"),
    # A training loss that levelled off low is not underfitting: it fits the training years.
    ([1.0, 0.3, 0.1, 0.1, 0.1], [1.0, 0.4, 0.3, 0.31, 0.32], "good fit"),
    ([1.0, 0.3, 0.1, 0.1, 0.1], [1.0, 0.4, 0.3, 0.35, 0.4], "overfitting"),
])
def test_check_curve_reading_reads_levels_and_every_reading_is_possible(loss, val_loss, reading, capsys):
    checks.check_curve_reading(lambda: reading, loss, val_loss, 1.0)
    assert capsys.readouterr().out.startswith("PASS")
    assert {checks.read_curves(*case[:2], 1.0)[0] for case in [
        ([1.0, 0.85, 0.8, 0.8, 0.82], [1.1, 0.9, 0.95, 1.0, 1.2]), ([1.0, 0.3, 0.1, 0.1, 0.1], [1.0, 0.4, 0.3, 0.31, 0.32]),
        ([1.0, 0.3, 0.1, 0.1, 0.1], [1.0, 0.4, 0.3, 0.35, 0.4])]} == set(checks.CURVE_READINGS)


def test_check_curve_reading_refuses_curves_without_epochs_after_the_best():
    with pytest.raises(ValueError, match="after its lowest"):
        checks.check_curve_reading(lambda: "overfitting", [1.0, 0.5], [1.0, 0.5], 1.0)
    with pytest.raises(ValueError, match="mean_forecast_loss"):
        checks.check_curve_reading(lambda: "overfitting", _LOSS, _VAL_LOSS, 0.0)


# Exercise 4: choose_window
def _errors(windows, lengths=(("train", 120), ("val", 45), ("test", 45)), seed=0):
    rng = np.random.default_rng(seed)
    return {w: {part: rng.uniform(5.0, 30.0, n - w) for part, n in lengths} for w in windows}


def _shared(errors, part="val"):
    return min(len(e[part]) for e in errors.values())


def _lowest(errors, score):
    return min(errors, key=lambda w: score(errors[w], _shared(errors)))


def _on_shared_validation_years(errors):
    return _lowest(errors, lambda p, n: p["val"][-n:].mean())


def test_check_choose_window_passes_the_right_choice(capsys):
    checks.check_choose_window(_on_shared_validation_years, _errors((4, 12, 24)))
    checks.check_choose_window(lambda e: float(_on_shared_validation_years(e)), _errors((4, 12, 24)))  # 24.0 is 24
    assert capsys.readouterr().out.startswith("PASS choose_window: chosen on the validation years")


# Slips written as a learner would write them; each is named by its hint.
NAMED_CHOICE_SLIPS = {
    "test years": (lambda e: _lowest(e, lambda p, n: p["test"][-n:].mean()), "test years: a leak"),
    "test, own years": (lambda e: _lowest(e, lambda p, n: p["test"].mean()), "test years: a leak"),
    "validation and test": (lambda e: _lowest(e, lambda p, n: p["val"][-n:].mean() + p["test"][-n:].mean()),
                            "test years: a leak"),
    "training years": (lambda e: _lowest(e, lambda p, n: p["train"].mean()), "training error"),
    "own validation years": (lambda e: _lowest(e, lambda p, n: p["val"].mean()), "all its own validation years"),
    "first validation years": (lambda e: _lowest(e, lambda p, n: p["val"][:n].mean()), "the last ones"),
    "highest": (lambda e: max(e, key=lambda w: e[w]["val"][-_shared(e):].mean()), "HIGHEST"),
    "longest": (lambda e: max(e), "longest window"),
    "shortest": (lambda e: min(e), "shortest window"),
    "position": (lambda e: int(np.argmin([p["val"][-_shared(e):].mean() for p in e.values()])), "a position"),
    "error value": (lambda e: min(p["val"][-_shared(e):].mean() for p in e.values()), "an error, not a window"),
    "not a window": (lambda e: "12", "not one of the windows"),
    "stub": (_stub, "not written yet"),
}
# Other wrong scores: no slip is named for them, the neutral hint says what to compute.
OTHER_WRONG_SCORES = {
    "median of the shared years": lambda e: _lowest(e, lambda p, n: np.median(p["val"][-n:])),
    "sum over its own years": lambda e: _lowest(e, lambda p, n: p["val"].sum()),
    "root mean square": lambda e: _lowest(e, lambda p, n: np.sqrt(np.mean(p["val"][-n:] ** 2))),
    "one shared year fewer": lambda e: _lowest(e, lambda p, n: p["val"][-(n - 1):].mean()),
    "the last year only": lambda e: _lowest(e, lambda p, n: p["val"][-1]),
    "validation and training": lambda e: _lowest(e, lambda p, n: p["val"][-n:].mean() + p["train"].mean()),
    "every part": lambda e: _lowest(e, lambda p, n: np.concatenate(list(p.values())).mean()),
    "worst shared year": lambda e: _lowest(e, lambda p, n: p["val"][-n:].max()),
}


@pytest.mark.parametrize("slip", NAMED_CHOICE_SLIPS)
def test_check_choose_window_names_each_slip(slip):
    wrong, hint = NAMED_CHOICE_SLIPS[slip]
    with pytest.raises(ExerciseError, match=hint):
        checks.check_choose_window(wrong, _errors((4, 12, 24)))


@pytest.mark.parametrize("score", OTHER_WRONG_SCORES)
def test_check_choose_window_names_no_slip_it_did_not_recognise(score):
    with pytest.raises(ExerciseError, match="by its mean error over the validation years that all the windows") as error:
        checks.check_choose_window(OTHER_WRONG_SCORES[score], _errors((4, 12, 24)))
    assert error.value.args[0].count("Hint:") == 1


def test_the_crafted_cases_tell_every_slip_from_the_right_rule_and_from_each_other():
    cases = checks._choice_cases()
    right = [checks.choose_window_reference(case) for case in cases]
    named = {}
    for name, slip, hint in checks._CHOICE_SLIPS:
        choices = tuple(slip(case) for case in cases)
        assert list(choices) != right, f"{name} chooses right in every case"
        assert named.get(choices, hint) == hint, f"{name} chooses like a slip with another hint"
        named[choices] = hint
    for name, score in OTHER_WRONG_SCORES.items():
        choices = tuple(score(case) for case in cases)
        assert list(choices) != right, f"{name} chooses right in every case"
        assert choices not in named, f"{name} would be named as a slip it is not"
    for case in cases:   # a position among the windows is never a window
        assert min(case) >= len(case)


def test_check_choose_window_judges_the_notebooks_errors_too():
    errors = _errors((4, 12, 24), seed=3)
    right = _on_shared_validation_years(errors)

    def right_on_the_crafted_cases_only(e):   # the check passes copies: recognise the windows
        return max(e) if set(e) == set(errors) else _on_shared_validation_years(e)

    assert max(errors) != right
    with pytest.raises(ExerciseError, match=f"notebook's errors.*point to {right}.*\nHint: score every window"):
        checks.check_choose_window(right_on_the_crafted_cases_only, errors)
    with pytest.raises(TypeError, match="errors"):
        checks.check_choose_window(_on_shared_validation_years, {4: {"val": np.ones(3)}})


def _worked_solution(name):
    """The notebook's worked solution of the exercise that defines `name`."""
    import pathlib

    import nbformat

    path = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "05_in_practice.ipynb"
    cells = nbformat.read(str(path), as_version=4).cells
    source = next(cell.source for cell in cells if cell.cell_type == "code" and cell.source.startswith(f"def {name}("))
    namespace = {"np": np}
    exec(source, namespace)
    return namespace[name]


def test_the_notebooks_worked_solutions_pass_their_checks(capsys):
    checks.check_make_multistep_windows(_worked_solution("make_multistep_windows"))
    checks.check_persistence_reading(_worked_solution("where_persistence_errs"), _sunspot_data())
    checks.check_curve_reading(_worked_solution("what_the_curves_show"), _LOSS, _VAL_LOSS, 1.0)
    checks.check_choose_window(_worked_solution("choose_window"), _errors((4, 12, 24)))
    assert capsys.readouterr().out.count("PASS") == 4
