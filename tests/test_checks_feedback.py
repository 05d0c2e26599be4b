"""The machinery every exercise check shares (gru_keras.checks): what a learner reads
when an answer is a stub, is not a function, has the wrong signature, raises, never
returns, or is a prediction that the measurement contradicts."""

import numpy as np
import pytest

from gru_keras import checks
from gru_keras.checks import ExerciseError, call_learner, check_choice, show_exercise_errors


def _message(function, *args):
    with pytest.raises(ExerciseError) as error:
        call_learner("answer", function, *args)
    return str(error.value)


def test_a_stub_reads_not_written_yet_and_says_how_to_start():
    def answer(x):
        raise NotImplementedError()

    message = _message(answer, 1)
    assert message.splitlines() == ["answer: not written yet.",
                                    "Hint: replace the `raise NotImplementedError()` line with your code."]


def test_something_that_is_not_a_function_is_named():
    message = _message(np.zeros(3), 1)
    assert "expected a function, got ndarray" in message and "without calling it" in message


def test_the_wrong_signature_is_named_before_the_call():
    calls = []

    def answer(x, h):
        calls.append(1)

    message = _message(answer, 1, 2, 3)
    assert "calls it with 3 arguments, but yours is defined as answer(x, h)" in message
    assert calls == [], "a function with the wrong signature is not run"


def test_an_error_in_the_learners_code_is_named_with_its_line():
    def answer(x):
        y = x * 2
        return y @ np.ones((5, 2))  # a shape slip

    message = _message(answer, np.ones((3, 4)))
    first = message.splitlines()[0]
    assert first.startswith("answer: your code raised ValueError: matmul")
    assert "of your code: `return y @ np.ones((5, 2))  # a shape slip`" in first
    assert "Hint: run your function on a small input" in message


def test_a_check_may_give_its_own_hint_for_an_error():
    def answer(x):
        return x @ np.ones((5, 2))

    with pytest.raises(ExerciseError) as error:
        call_learner("answer", answer, np.ones((3, 4)), hint_on_error="dW has shape (features, units).")
    assert str(error.value).splitlines()[1] == "Hint: dW has shape (features, units)."


def test_a_loop_waiting_on_a_nan_is_stopped_with_a_hint(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT_S", 0.3)

    def answer(x):
        step = float("nan")
        while not abs(step) < 1e-6:  # NaN never gets small
            step = step / 2
        return x

    message = _message(answer, 1.0)
    assert "still running after 0.3 s" in message and "NaN" in message


def test_the_time_limit_is_disarmed_after_a_quick_answer(monkeypatch):
    import signal
    import time

    monkeypatch.setattr(checks, "TIME_LIMIT_S", 0.2)
    assert call_learner("answer", lambda x: x + 1, 1) == 2
    time.sleep(0.3)  # an alarm left armed would interrupt this sleep
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_exercise_error_raised_inside_is_passed_on_unchanged():
    def answer():
        raise ExerciseError("inner: kept as it is")

    assert _message(answer) == "inner: kept as it is"


CHOICES = {"further": "right", "less far": "a bias of +3 opens the update gate: more of h_{t-1} is kept."}


def test_check_choice_accepts_the_measured_answer_in_any_case_and_spacing():
    assert check_choice("prediction", "  Further ", CHOICES, "further") == "further"
    assert check_choice("prediction", lambda: "FURTHER", CHOICES, "further") == "further"


@pytest.mark.parametrize("answer, expected_text", [
    ("less far", "'less far' is not what the measurement shows.\nHint: a bias of +3 opens"),
    ("nearer", "'nearer' is not one of 'further', 'less far'."),
    (None, "your answer is None."),
])
def test_check_choice_explains_a_wrong_or_unknown_answer(answer, expected_text):
    with pytest.raises(ExerciseError) as error:
        check_choice("prediction", answer, CHOICES, "further")
    assert expected_text in str(error.value)


def test_check_choice_reads_a_stub_as_not_written_yet():
    def prediction():
        raise NotImplementedError()

    with pytest.raises(ExerciseError, match="prediction: not written yet"):
        check_choice("prediction", prediction, CHOICES, "further")


def test_check_choice_refuses_an_expected_answer_it_does_not_know():
    with pytest.raises(ValueError, match="'sideways' is not one of"):
        check_choice("prediction", "further", CHOICES, "sideways")


def test_in_ipython_an_exercise_error_shows_as_its_message_alone():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shown = []
    shell._showtraceback = lambda etype, value, stb: shown.append(stb)
    show_exercise_errors(shell)
    result = shell.run_cell("from gru_keras.checks import fail\nfail('rnn_step', 'not written yet.', 'start here.')")
    assert not result.success, "the cell still fails, so autograding sees it"
    assert shown == [["ExerciseError: rnn_step: not written yet.\nHint: start here."]]
