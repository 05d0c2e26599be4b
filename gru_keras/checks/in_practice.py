"""The checks of 05_in_practice's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, fail, passed

__all__ = ["check_make_windows", "check_scale_parts", "check_persistence_mae"]


def _windows_variant(series, window, start_shift=0, target_shift=0, drop_last=False):
    """Windows of `series` with the typical slips (the right answer with the defaults):
    start_shift=1 moves the inputs one step later, so the last input IS the target;
    target_shift=-1 makes the target the last input; drop_last loses the final window."""
    n = len(series) - window - (1 if drop_last else 0)
    starts = np.arange(n)
    x = series[starts[:, None] + start_shift + np.arange(window)[None, :]]
    y = series[starts + window + target_shift]
    return x[..., None], y[:, None]


def check_make_windows(make_windows):
    """Checks `make_windows(series, window) -> (inputs (n, window, 1), targets (n, 1))`:
    window i is series[i : i + window] and its target series[i + window]."""
    what = "make_windows"
    series = np.arange(100.0, 130.0)  # distinct values: every slip shows
    window = 5
    got = call_learner(what, make_windows, series.copy(), window)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (inputs, targets), got {type(got).__name__}.",
             "end your function with `return inputs, targets`.")
    x_got, y_got = (np.asarray(v, dtype=float) if v is not None else None for v in got)
    x_ref, y_ref = _windows_variant(series, window)
    if x_got is None or y_got is None:
        fail(what, "one of the two returned values is None.", "return the arrays, not None.")
    if x_got.shape == x_ref.shape[:2] or y_got.shape == y_ref.shape[:1]:
        fail(what, f"inputs have shape {x_got.shape} and targets {y_got.shape}; expected "
             f"{x_ref.shape} and {y_ref.shape}.",
             "Keras' recurrent layers want (samples, time, features): add the feature axis "
             "with `inputs[..., None]`, and make targets (n, 1) with `targets[:, None]`.")
    if x_got.shape == (len(x_ref) + 1, window, 1):
        fail(what, f"you built {len(x_got)} windows; only {len(x_ref)} have a target inside the series.",
             "the last window must end one step before the last value, which is its target: "
             "n = len(series) - window.")
    slips = [
        (dict(start_shift=1), "future leak: your last input is the very value you ask the model to "
         "predict (off by one). Window i is series[i : i + window], its target series[i + window]."),
        (dict(target_shift=-1), "your target is the last value of the window itself: the model "
         "would be asked to copy its input. The target is the value right after the window, "
         "series[i + window]."),
        (dict(drop_last=True), "one window too few: the last window, series[-window - 1:-1] with "
         "target series[-1], is missing. n = len(series) - window."),
    ]
    for options, hint in slips:
        x_alt, y_alt = _windows_variant(series, window, **options)
        if x_got.shape == x_alt.shape and y_got.shape == y_alt.shape \
                and np.allclose(x_got, x_alt) and np.allclose(y_got, y_alt):
            fail(what, "the windows are not right.", hint)
    leaked = x_got.shape[:1] == y_got.shape[:1] and x_got.ndim == 3 and \
        np.any(np.isclose(x_got[..., 0], y_got).any(axis=1))
    if leaked:
        fail(what, "some windows contain their own target among their inputs (a future leak).",
             "window i must stop at series[i + window - 1]; its target is series[i + window].")
    check_array(f"{what}: inputs", x_got, x_ref)
    check_array(f"{what}: targets", y_got, y_ref)
    passed(what, f"{len(x_ref)} windows of {window} values, each target just after its window, "
                 "none containing its own target.")


def check_scale_parts(scale_parts):
    """Checks `scale_parts(train, val, test) -> (train, val, test)` standardised with the
    mean and standard deviation of `train` only."""
    what = "scale_parts"
    rng = np.random.default_rng(7)
    train = rng.normal(50.0, 10.0, size=40)
    val = rng.normal(80.0, 20.0, size=12)  # a different level: every slip shows
    test = rng.normal(110.0, 30.0, size=12)
    parts = (train, val, test)
    got = call_learner(what, scale_parts, *(p.copy() for p in parts))
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(what, f"expected three arrays (train, val, test), got {type(got).__name__}.",
             "end your function with `return train_scaled, val_scaled, test_scaled`.")
    got = [np.asarray(g, dtype=float) if g is not None else None for g in got]
    if any(g is None for g in got):
        fail(what, "one of the returned values is None.", "return the three scaled arrays.")

    def scaled(mean, std):
        return [(p - mean) / std for p in parts]

    def same(candidate):
        return all(g.shape == c.shape and np.allclose(g, c, atol=1e-6) for g, c in zip(got, candidate))

    whole = np.concatenate(parts)
    slips = [
        (scaled(whole.mean(), whole.std()), "you used the mean and spread of the whole series, "
         "validation and test included: the model would learn how high the future goes. "
         "Compute them on `train` only."),
        ([(p - p.mean()) / p.std() for p in parts], "each part is scaled with its own statistics: "
         "the test part's mean is information from the future, and the three parts no longer "
         "share one scale. Use the mean and std of `train` for all three."),
        (scaled(test.mean(), test.std()), "you used the test part's statistics: fit the scaling "
         "on `train` only."),
        (scaled(train.std(), train.mean()), "mean and standard deviation are swapped: "
         "(x - mean) / std."),
        ([(train - train.mean()) / train.std(), val, test], "only the training part is scaled: "
         "scale the validation and test parts too, with the training statistics."),
    ]
    for candidate, hint in slips:
        if same(candidate):
            fail(what, "the scaling is not right.", hint)
    for name, g, expected in zip(("train", "val", "test"), got, scaled(train.mean(), train.std())):
        check_array(f"{what}: {name} part", g, expected)
    passed(what, "all three parts use the training mean and standard deviation only.")


def check_persistence_mae(value, data):
    """Checks the learner's number: the mean absolute error of the persistence forecast
    on the test windows of `data` (the dict of `gru_keras.data.windowed_splits`), in the
    series' own units."""
    what = "persistence_mae"
    if not isinstance(data, dict) or not {"x_test", "y_test", "scaler"} <= set(data):
        raise TypeError("check_persistence_mae: `data` must be the dict returned by "
                        "gru_keras.data.windowed_splits.")
    inputs, y, scaler = data["x_test"], data["y_test"], data["scaler"]
    last = scaler.inverse(np.asarray(inputs)[:, -1, 0])
    truth = scaler.inverse(np.asarray(y)[:, 0])
    expected = float(np.mean(np.abs(last - truth)))
    if value is None:
        fail(what, "your answer is None.", "assign the number to `persistence_mae`.")
    try:
        value = float(value)
    except (TypeError, ValueError):
        fail(what, f"expected a number, got {type(value).__name__}.")
    scaled = float(np.mean(np.abs(np.asarray(inputs)[:, -1, 0] - np.asarray(y)[:, 0])))
    if abs(value - scaled) < 1e-3:
        fail(what, f"{value:.3f} is the error in standard deviations (scaled values).",
             "undo the scaling first with `scaler.inverse(...)`, then compare, so the error is in sunspots.")
    if abs(value - float(np.sqrt(np.mean((last - truth) ** 2)))) < 1e-3 or \
            abs(value - float(np.mean((last - truth) ** 2))) < 1e-2:
        fail(what, f"{value:.3f} is a squared error (MSE or RMSE), not the mean absolute error.",
             "take np.mean(np.abs(forecast - truth)).")
    if abs(value - expected) > 1e-3:
        fail(what, f"{value:.3f} is not the persistence error.",
             "the forecast for each window is its last value, inputs[:, -1, 0]; compare it with "
             "the window's target, after undoing the scaling of both.")
    passed(what, f"persistence is off by {expected:.1f} sunspots on average.")
