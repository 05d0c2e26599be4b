"""Every exercise check, whatever the notebook, meets a broken answer the same way: a stub
reads "not written yet", and a function that raises, has the wrong signature, returns the
wrong type or never returns gets one line saying what is wrong and a line of hint, never
a traceback from inside gru_keras.checks. The shared machinery does this (see
test_checks_feedback.py) as long as each check runs the learner's code through it, which
the first test proves for every check of every lesson module."""

import ast
import importlib
import inspect
import pathlib

import pytest

import gru_keras.checks as checks
from gru_keras.checks import ExerciseError

CHECK_MODULES = sorted(path.stem for path in pathlib.Path(checks.__file__).parent.glob("*.py")
                       if path.stem != "__init__")
# The names through which a learner's answer may be run or read.
SAFE_CALLERS = {"call_learner", "check_choice", "callable", "isinstance", "getattr", "repr", "type"}


def _learner_uses(module_tree, function, parameter, seen=()):
    """The places where `function` (an ast.FunctionDef) uses its `parameter` unsafely:
    calls it directly, or hands it to a helper of the module that does."""
    helpers = {node.name: node for node in module_tree.body if isinstance(node, ast.FunctionDef)}
    problems = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.id if isinstance(node.func, ast.Name) else None
        if called == parameter:
            problems.append(f"{function.name} calls {parameter}(...) itself: {ast.unparse(node)[:70]}")
            continue
        for position, argument in enumerate(node.args):
            if not (isinstance(argument, ast.Name) and argument.id == parameter) or called in SAFE_CALLERS:
                continue
            if called in helpers and called not in seen:
                helper = helpers[called]
                names = [a.arg for a in helper.args.args]
                if position < len(names):
                    problems += _learner_uses(module_tree, helper, names[position], seen + (called,))
                    continue
            problems.append(f"{function.name} hands {parameter} to {ast.unparse(node.func)}")
    return problems


def _checks():
    for name in CHECK_MODULES:
        path = pathlib.Path(checks.__file__).parent / f"{name}.py"
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("check_"):
                yield name, tree, node


ALL_CHECKS = list(_checks())


def test_every_lesson_has_checks():
    assert {"rnn", "lstm", "gru", "bidirectional", "in_practice"} <= {m for m, _t, _n in ALL_CHECKS}


@pytest.mark.parametrize("module, tree, check", ALL_CHECKS, ids=[f"{m}.{n.name}" for m, _t, n in ALL_CHECKS])
def test_every_check_runs_the_learners_code_through_the_shared_machinery(module, tree, check):
    learner_answer = check.args.args[0].arg
    assert _learner_uses(tree, check, learner_answer) == []


def _single_argument_checks():
    for module, _tree, node in ALL_CHECKS:
        function = getattr(importlib.import_module(f"gru_keras.checks.{module}"), node.name)
        required = [p for p in inspect.signature(function).parameters.values()
                    if p.default is inspect.Parameter.empty]
        if len(required) == 1:
            yield pytest.param(function, id=f"{module}.{node.name}")


def _stub(*args, **kwargs):
    raise NotImplementedError()


def _raises(*args, **kwargs):
    raise ValueError("something inside the answer broke")


def _returns_text(*args, **kwargs):
    return "an answer"


def _loops(*args, **kwargs):
    step = float("nan")
    while not abs(step) < 1e-6:
        step = step / 2


def _takes_ten(a, b, c, d, e, f, g, h, i, j):  # more parameters than any check passes
    return 0


BROKEN_ANSWERS = {
    "stub": (_stub, "not written yet"),
    "raises": (_raises, "your code raised ValueError: something inside the answer broke"),
    "wrong signature": (_takes_ten, "but yours is defined as _takes_ten(a, b, c, d, e, f, g, h, i, j)"),
    "wrong type": (_returns_text, ""),
    "endless loop": (_loops, "still running after"),
}


@pytest.mark.parametrize("check", list(_single_argument_checks()))
@pytest.mark.parametrize("kind", list(BROKEN_ANSWERS))
def test_a_broken_answer_gets_one_line_and_a_hint(check, kind, monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT_S", 0.5)
    answer, expected = BROKEN_ANSWERS[kind]
    with pytest.raises(ExerciseError) as error:
        check(answer)
    lines = str(error.value).splitlines()
    assert len(lines) == 2 and lines[1].startswith("Hint: "), lines
    assert expected in lines[0], lines
