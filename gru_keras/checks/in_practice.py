"""The checks of 05_in_practice's exercises (see `gru_keras.checks` for how a check reports)."""

import numpy as np

from gru_keras.checks import call_learner, check_array, check_choice, fail, passed

__all__ = ["check_make_windows", "check_persistence_reading", "check_curve_reading", "check_choose_window"]


# ----------------------------------------------------------------- Exercise 1: make_windows
# (length of the series, window, horizon): the notebook's horizon of 1, then one that shows
# whether the target moves with `horizon`.
_WINDOW_CASES = ((30, 5, 1), (30, 4, 3))
_SERIES_START = 100.0   # value - 100 is the value's position in the series: every slip shows


def _windows_reference(series, window, horizon):
    n = len(series) - window - horizon + 1
    starts = np.arange(n)
    inputs = series[starts[:, None] + np.arange(window)[None, :]]
    return inputs[..., None], series[starts + window + horizon - 1][:, None]


def _as_array(what, value, name):
    if value is None:
        fail(what, f"the {name} you returned are None.", "return the arrays, not None.")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(what, f"expected the {name} as an array of numbers, got {type(value).__name__}.",
             "build them with NumPy (np.stack, slicing) and return the arrays.")


def _diagnose_windows(what, got, series, window, horizon):
    """Raises an ExerciseError naming the slip when `got` is not the right (inputs, targets)."""
    call = f"make_windows(series of {len(series)} values, window={window}, horizon={horizon})"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(what, f"expected the pair (inputs, targets), got {type(got).__name__}.",
             "end your function with `return inputs, targets`.")
    inputs, targets = _as_array(what, got[0], "inputs"), _as_array(what, got[1], "targets")
    x_ref, y_ref = _windows_reference(series, window, horizon)
    n = len(x_ref)
    if (inputs.ndim == 2 and inputs.shape[1] == window) or targets.ndim == 1:
        fail(what, f"{call}: inputs have shape {inputs.shape} and targets {targets.shape}; expected "
             f"{x_ref.shape} and {y_ref.shape}.",
             "Keras' recurrent layers want (samples, time, features): add the feature axis "
             "with `inputs[..., None]`, and make targets (n, 1) with `targets[:, None]`.")
    if inputs.ndim != 3 or inputs.shape[1:] != (window, 1) or targets.ndim != 2 or targets.shape[1] != 1:
        fail(what, f"{call}: inputs have shape {inputs.shape} and targets {targets.shape}; expected "
             f"{x_ref.shape} and {y_ref.shape}.",
             "each window holds `window` consecutive values, one feature each: (n, window, 1); "
             "each target is one value: (n, 1).")
    if len(inputs) != len(targets):
        fail(what, f"{call}: {len(inputs)} windows but {len(targets)} targets.",
             "every window has exactly one target: count the windows whose target lies inside the "
             "series, n = len(series) - window - horizon + 1, and make that many of both.")
    if len(inputs) > n:
        fail(what, f"{call}: you built {len(inputs)} windows; only {n} have a target inside the series.",
             "the last window's target must be the series' last value: n = len(series) - window - horizon + 1.")
    if len(inputs) == 0:
        fail(what, f"{call}: you built no windows; expected {n}.", "n = len(series) - window - horizon + 1.")
    positions_in = inputs[..., 0] - _SERIES_START
    positions_out = targets[:, 0] - _SERIES_START
    if np.allclose(positions_in, np.rint(positions_in)) and np.allclose(positions_out, np.rint(positions_out)):
        consecutive = np.all(positions_in == positions_in[:, :1] + np.arange(window)[None, :])
        if not consecutive:
            fail(what, f"{call}: the values inside a window are not consecutive values of the series.",
                 "window i is the slice series[i : i + window], in order.")
        gap = positions_out - positions_in[:, -1]   # steps from the last input to the target
        if np.all(gap == 0):
            fail(what, f"{call}: each target is the last value of its own window.",
                 "the model would be asked to copy its input. The target lies `horizon` steps "
                 "after the window's last value.")
        if np.any((gap < 0) & (gap > -window)):
            fail(what, f"{call}: some windows contain their own target among their inputs.",
                 "future leak: the model would read the very value it must forecast. A window "
                 "ends before its target: the target lies `horizon` steps after the window's last value.")
        if np.all(gap == horizon + 1):
            right_after = " (with horizon=1, the value right after the window)" if horizon == 1 else ""
            fail(what, f"{call}: each target lies {horizon + 1} steps after its window's last value.",
                 "one step too far: window i ends at series[i + window - 1], so its target "
                 f"is series[i + window - 1 + horizon]{right_after}.")
        if horizon > 1 and np.all(gap == 1):
            fail(what, f"{call}: each target is the value right after its window, whatever the horizon.",
                 f"your targets do not move with `horizon`: with horizon={horizon} the target lies "
                 f"{horizon} steps after the window's last value.")
        if horizon > 1 and np.all(gap == horizon - 1):
            fail(what, f"{call}: each target lies {horizon - 1} steps after its window's last value.",
                 "one step short: window i ends at series[i + window - 1], so its target is "
                 "series[i + window - 1 + horizon].")
        if np.all(gap == horizon) and len(inputs) < n:
            first = int(positions_in[0, 0])
            fail(what, f"{call}: you built {len(inputs)} windows; {n} have a target inside the series.",
                 f"your first window starts at series[{first}]: start at series[0]." if first > 0 else
                 "windows are missing at the end: the last window's target is the series' last value, "
                 "n = len(series) - window - horizon + 1.")
    check_array(f"{what}: inputs of {call}", inputs, x_ref)
    check_array(f"{what}: targets of {call}", targets, y_ref)


def check_make_windows(make_windows):
    """Checks `make_windows(series, window, horizon) -> (inputs (n, window, 1), targets (n, 1))`:
    window i is series[i : i + window], its target series[i + window + horizon - 1]."""
    what = "make_windows"
    for length, window, horizon in _WINDOW_CASES:
        series = np.arange(_SERIES_START, _SERIES_START + length)
        got = call_learner(what, make_windows, series.copy(), window, horizon)
        _diagnose_windows(what, got, series, window, horizon)
    passed(what, "every target lies `horizon` steps after its window, none inside it; "
                 "n = len(series) - window - horizon + 1 windows.")


# ----------------------------------------------------------------- Exercise 2: where persistence errs
PERSISTENCE_READINGS = ("rising", "falling", "same")


def persistence_errors_by_direction(data, part="val"):
    """Persistence's mean absolute error (sunspots) in the years that rise from the year
    before and in those that fall, and how many of each, on one part of `windowed_splits`."""
    if not isinstance(data, dict) or not {f"x_{part}", f"y_{part}", "scaler"} <= set(data):
        raise TypeError("persistence_errors_by_direction: `data` must be the dict returned by "
                        "gru_keras.data.windowed_splits.")
    scaler = data["scaler"]
    last_seen = scaler.inverse(np.asarray(data[f"x_{part}"])[:, -1, 0])
    truth = scaler.inverse(np.asarray(data[f"y_{part}"])[:, 0])
    errors, rising, falling = np.abs(truth - last_seen), truth > last_seen, truth < last_seen
    if not rising.any() or not falling.any():
        raise ValueError(f"persistence_errors_by_direction: the {part} part needs rising and falling years.")
    return {"rising": float(errors[rising].mean()), "falling": float(errors[falling].mean()),
            "rising_years": int(rising.sum()), "falling_years": int(falling.sum())}


def check_persistence_reading(answer, data):
    """Checks the prediction `answer()` ("rising", "falling" or "same": in which validation
    years persistence errs more on average) against the measurement on `data`, the dict
    of `gru_keras.data.windowed_splits`. "same" means within 10 % of each other."""
    what = "where_persistence_errs"
    measured = persistence_errors_by_direction(data)
    rise, fall = measured["rising"], measured["falling"]
    expected = "rising" if rise > 1.1 * fall else "falling" if fall > 1.1 * rise else "same"
    facts = (f"Measured on the validation years: {measured['rising_years']} years rise, and persistence "
             f"errs by {rise:.1f} sunspots on average in them; {measured['falling_years']} fall, "
             f"with {fall:.1f}.")
    mechanism = ("Persistence forecasts last year's value, so its error in a year is that year's "
                 "change: it errs most where the series moves fastest.")
    if expected == "same":
        why = "Rises and falls come in steps of about the same size."
    else:
        fast, slow = ("rises", "falls") if expected == "rising" else ("falls", "rises")
        fast_years, slow_years = ((measured["rising_years"], measured["falling_years"]) if expected == "rising"
                                  else (measured["falling_years"], measured["rising_years"]))
        why = (f"The cycle {fast} in fewer years than it {slow} ({fast_years} against {slow_years}), "
               f"covering the same height: its {fast} are steeper.")
    explanation = f"{mechanism} {facts} {why}"
    choices = {key: explanation for key in PERSISTENCE_READINGS}
    choices["same"] = f"that would need rises as steep as falls. {explanation}"
    check_choice(what, answer, choices, expected,
                 unknown_hint="return one of 'rising', 'falling' or 'same', as a string.")
    detail = {"rising": "the steep rises of the cycle are where persistence is late by the most.",
              "falling": "the steep falls are where persistence is late by the most.",
              "same": "persistence is late by about as much in rising as in falling years."}[expected]
    passed(what, detail)


# ----------------------------------------------------------------- Exercise 3: reading the curves
def check_curve_reading(answer, loss, val_loss):
    """Checks the reading `answer()` of a training run's curves after its best validation
    epoch: "overfitting" (training loss falls, validation loss rises), "underfitting"
    (the training loss does not fall either) or "still learning" (both fall; never the
    reading after the lowest validation loss, but a typical misreading).
    loss, val_loss: the per-epoch histories the figure drew."""
    what = "what_the_curves_show"
    loss, val_loss = np.asarray(loss, dtype=float), np.asarray(val_loss, dtype=float)
    if loss.ndim != 1 or loss.shape != val_loss.shape:
        raise ValueError("check_curve_reading: `loss` and `val_loss` must be histories of the same length.")
    best = int(np.argmin(val_loss))
    if best == len(val_loss) - 1:
        raise ValueError("check_curve_reading: the run must go on for epochs after its best validation epoch.")
    training_change = loss[-1] / loss[best] - 1
    validation_change = val_loss[-1] / val_loss[best] - 1
    # The validation loss never ends below its lowest value, so "still learning" is never the
    # reading: the training loss decides between the other two.
    expected = "overfitting" if training_change < 0 else "underfitting"
    facts = (f"From the best validation epoch ({best + 1}, the dashed line) to the last one "
             f"({len(loss)}), the training loss changed by {100 * training_change:+.0f} % and the "
             f"validation loss by {100 * validation_change:+.0f} %.")
    choices = {
        "overfitting": f"overfitting shows as the training loss falling while the validation loss rises. {facts}",
        "underfitting": ("underfitting shows as both losses staying high, the training loss included: "
                         f"a model too weak to fit even the years it trains on. {facts}"),
        "still learning": ("the training loss measures the years the model trains on; the validation loss, "
                           "its forecasts of years it has not seen. More epochs help only while the "
                           f"validation loss falls too. {facts}"),
    }
    check_choice(what, answer, choices, expected, evidence="the figure",
                 unknown_hint="return one of 'overfitting', 'underfitting' or 'still learning', as a string.")
    detail = {"overfitting": "past the dashed epoch the model fits the training years better and forecasts "
                             "unseen years worse.",
              "underfitting": "the training loss does not fall past the dashed epoch either."}[expected]
    passed(what, detail)


# ----------------------------------------------------------------- Exercise 4: choose_window
def _shared(errors, part="val"):
    return min(len(by_part[part]) for by_part in errors.values())


def _mean_error(errors, part, years="shared"):
    """{window: mean error} over the years every window forecasts ("shared", the last ones),
    each window's own years ("own") or, a slip, the first `shared` years of each ("first")."""
    count = _shared(errors, part)
    pick = {"shared": lambda e: e[-count:], "own": lambda e: e, "first": lambda e: e[:count]}[years]
    return {window: float(np.mean(pick(np.asarray(by_part[part], dtype=float))))
            for window, by_part in errors.items()}


def _lowest(scores):
    return min(scores, key=scores.get)


def choose_window_reference(errors):
    """The window with the lowest mean validation error over the years every window forecasts."""
    return _lowest(_mean_error(errors, "val"))


_TEST_LEAK = ("you chose with the test years: a leak. Chosen on them, the reported test error is the "
              "lowest of several noisy numbers, too good to trust. Choose on the validation years; "
              "the test years only report.")
_CHOICE_SLIPS = (
    (lambda e: _lowest(_mean_error(e, "test")), _TEST_LEAK),
    (lambda e: _lowest(_mean_error(e, "test", "own")), _TEST_LEAK),
    (lambda e: _lowest({w: _mean_error(e, "val")[w] + _mean_error(e, "test")[w] for w in e}), _TEST_LEAK),
    (lambda e: _lowest(_mean_error(e, "train", "own")),
     "you chose on the training error: it rewards the window whose model fits the years it was "
     "trained on, not the one that forecasts unseen years best. Choose on the validation years."),
    (lambda e: _lowest(_mean_error(e, "val", "own")),
     "each window is scored on its own validation years: a short window forecasts more, earlier years "
     "than a long one, so the scores are not comparable. Score every window on the years all of them "
     "forecast."),
    (lambda e: _lowest(_mean_error(e, "val", "first")),
     "you scored each window on its first validation years, which are different years for different "
     "windows. The errors of every window end with the same year (1963 in the notebook), so the years "
     "every window forecasts are the last ones: errors[window]['val'][-shared:]."),
    (lambda e: max(_mean_error(e, "val"), key=_mean_error(e, "val").get),
     "you picked the window with the HIGHEST validation error: take the lowest (min, not max)."),
    (lambda e: max(e), "you picked the longest window whatever its errors: more context is not better by "
     "itself. Let the validation errors decide."),
    (lambda e: min(e), "you picked the shortest window whatever its errors: let the validation errors decide."),
)


def _constant_errors(windows, lengths, level):
    """errors[window][part]: `level[part][window]` in every year of the part."""
    return {w: {part: np.full(lengths[part] - w, level[part][w]) for part in lengths} for w in windows}


def _early_and_late(windows, lengths, early, late, other):
    """Validation errors `early[w]` in the years only some windows forecast and `late[w]` in the
    years all of them do; `other[part][w]` in every year of the other parts."""
    errors = _constant_errors(windows, lengths, {"train": other["train"], "val": late, "test": other["test"]})
    longest = max(windows)
    for w in windows:
        positions = np.arange(w, lengths["val"])      # the part's years that window w forecasts
        errors[w]["val"] = np.where(positions < longest, early[w], late[w]).astype(float)
    return errors


def _choice_cases():
    """Cases where every slip of _CHOICE_SLIPS picks another window than the right one."""
    windows = (2, 4, 6, 8, 12, 16)
    lengths = {"train": 100, "val": 40, "test": 40}
    # right: 8; test: 4; train: 6; highest validation error: 12; longest 16; shortest 2.
    every_slip = _constant_errors(windows, lengths, {
        "val": {2: 20.0, 4: 19.0, 6: 18.0, 8: 15.0, 12: 24.0, 16: 17.0},
        "test": {2: 14.0, 4: 9.0, 6: 13.0, 8: 15.0, 12: 16.0, 16: 12.0},
        "train": {2: 8.0, 4: 8.5, 6: 6.0, 8: 9.0, 12: 7.0, 16: 7.5}})
    flat = {2: 11.0, 10: 10.0}   # the other parts point to the right window: only the slip differs
    # right: 10; the first 10 validation years of window 2 are its calm early ones: 2.
    first_years = _early_and_late((2, 10), {"train": 60, "val": 20, "test": 20}, {2: 0.0, 10: 10.0},
                                  {2: 20.0, 10: 10.0}, {"train": flat, "test": flat})
    # right: 10; window 2 scored on its own years, the calm early ones included: 2.
    own_years = _early_and_late((2, 10), {"train": 60, "val": 20, "test": 20}, {2: 0.0, 10: 10.0},
                                {2: 12.0, 10: 10.0}, {"train": flat, "test": flat})
    return [every_slip, first_years, own_years]


def _copy_errors(errors):
    return {w: {part: np.array(values, dtype=float) for part, values in by_part.items()}
            for w, by_part in errors.items()}


def _diagnose_choice(what, got, errors, case):
    windows = list(errors)
    expected = choose_window_reference(errors)
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)) or int(got) not in windows:
        errors_seen = [value for scores in (_mean_error(errors, "val"), _mean_error(errors, "val", "own"))
                       for value in scores.values()]
        if isinstance(got, (float, np.floating)) and np.any(np.isclose(got, errors_seen)):
            fail(what, f"you returned {got:.3g}, an error, not a window.",
                 "return the window whose error is lowest (a key of `errors`), not the error itself.")
        if isinstance(got, (int, np.integer)) and not isinstance(got, bool) and 0 <= got < len(windows) \
                and windows[int(got)] == expected:
            fail(what, f"you returned {got}, the window's position among the windows, not the window.",
                 "np.argmin gives a position; return the window itself, a key of `errors`.")
        fail(what, f"{case}: {got!r} is not one of the windows {windows}.",
             "return one of the keys of `errors`: the window length itself.")
    if int(got) == expected:
        return
    problem = f"{case}, you chose {int(got)}; the validation years point to {expected}."
    for slip, hint in _CHOICE_SLIPS:
        if slip(errors) == int(got):
            fail(what, problem, hint)
    fail(what, problem,
         "score every window by its mean validation error over the years all windows forecast, "
         "and take the lowest.")


def check_choose_window(choose_window, errors):
    """Checks `choose_window(errors) -> window`: errors[window][part] holds the absolute errors
    of the model with that window, one per target year of the part ("train", "val", "test"),
    oldest first, each part's ending with the same year. The right choice is the window with
    the lowest mean validation error over the years every window forecasts. The check tries
    cases where each typical slip picks another window, then `errors`, the notebook's own."""
    what = "choose_window"
    if not isinstance(errors, dict) or not errors or not all(
            isinstance(by_part, dict) and {"train", "val", "test"} <= set(by_part) for by_part in errors.values()):
        raise TypeError("check_choose_window: `errors` must map each window to a dict with 'train', 'val' "
                        "and 'test' errors.")
    cases = [(f"on a test case of the check (windows {list(case)})", case) for case in _choice_cases()]
    for name, case in [*cases, (f"on the notebook's errors (windows {list(errors)})", errors)]:
        got = call_learner(what, choose_window, _copy_errors(case))
        _diagnose_choice(what, got, case, name)
    passed(what, "chosen on the validation years that every window forecasts; the test years only report.")
