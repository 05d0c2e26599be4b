"""Assignments made from the notebooks: metadata, student versions without leaks, a
student notebook that stops at the first exercise with a helpful message, and a full
nbgrader round trip (generate, autograde two submissions, read the scores back)."""

import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from gru_keras.assignments import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    exercises,
    leaked_lines,
    student_version,
)
from notebook_runs import KERNEL_ENV, NOTEBOOKS, ROOT, execute


def _read(path):
    return nbformat.read(str(path), as_version=4)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_is_marked_for_grading_and_has_hidden_tests(path):
    notebook = _read(path)
    pairs = exercises(notebook)
    assert 2 <= len(pairs) <= 4, "every notebook has two to four exercises"
    grade_ids = []
    for solution_index, check_index in pairs:
        solution, check = notebook.cells[solution_index], notebook.cells[check_index]
        assert solution.metadata["nbgrader"]["solution"] is True
        assert solution.metadata["jupyter"]["source_hidden"] is True, "worked solutions start collapsed"
        assert check.metadata["nbgrader"]["grade"] is True and check.metadata["nbgrader"]["points"] > 0
        assert BEGIN_HIDDEN in check.source, f"check cell {check_index} has no hidden tests"
        grade_ids += [solution.metadata["nbgrader"]["grade_id"], check.metadata["nbgrader"]["grade_id"]]
    assert len(grade_ids) == len(set(grade_ids)), "grade ids must be unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_version_hides_solutions_and_hidden_tests(path):
    source = _read(path)
    student = student_version(source)
    assert leaked_lines(source, student) == []
    text = "\n".join(cell.source for cell in student.cells)
    assert BEGIN_SOLUTION not in text and BEGIN_HIDDEN not in text
    assert text.count("raise NotImplementedError()") >= len(exercises(source))
    assert all(not cell.get("outputs") for cell in student.cells if cell.cell_type == "code")
    assert not any(cell.metadata.get("jupyter", {}).get("source_hidden") for cell in student.cells)


def test_an_exercise_may_have_cells_between_its_answer_and_its_check():
    cell = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        cell("def predicted():\n    ### BEGIN SOLUTION\n    return 'further'\n    ### END SOLUTION"),
        cell("reach = measure()  # the measurement the prediction is compared with"),
        nbformat.v4.new_markdown_cell("Now compare."),
        cell("check_prediction(predicted, reach)"),
        cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
        cell("from gru_keras.checks.rnn import check_f  # an import names a check, but does not call it"),
        cell("check_f(f)\n### BEGIN HIDDEN TESTS\nassert f(1) == 1\n### END HIDDEN TESTS"),
    ]
    assert exercises(notebook) == [(0, 3), (4, 6)]


def test_an_answer_without_a_check_before_the_next_answer_is_refused():
    cell = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
                      cell("def g():\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION"),
                      cell("check_g(g)")]
    with pytest.raises(ValueError, match="cell 0 holds a solution, but no code cell after it"):
        exercises(notebook)


def test_leak_check_finds_a_leak():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x * 42\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell("check_f(f)\n### BEGIN HIDDEN TESTS\nassert f(1) == 42\n### END HIDDEN TESTS"),
        nbformat.v4.new_code_cell("y = 3\nreturn x * 42"),
    ]
    student = student_version_unmarked(notebook)
    assert leaked_lines(notebook, student) == ["return x * 42"]


def student_version_unmarked(notebook):
    from gru_keras.assignments import mark_for_grading

    mark_for_grading(notebook, "demo")
    return student_version(notebook)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_stops_at_the_first_exercise_with_a_helpful_message(path):
    from nbclient.exceptions import CellExecutionError

    source = _read(path)
    first_check = exercises(source)[0][1]
    student = student_version(source)
    with pytest.raises(CellExecutionError) as error:
        execute(student, path.parent, allow_errors=False)
    failed = [i for i, cell in enumerate(student.cells) if cell.cell_type == "code"
              and any(o.get("output_type") == "error" for o in cell.get("outputs", []))]
    assert failed == [first_check], "the first error must come from the first exercise's check"
    assert "ExerciseError" in str(error.value) and "not written yet" in str(error.value)
    assert "gru_keras/checks" not in str(error.value), "the message alone, no traceback through the check"


@pytest.mark.slow
def test_nbgrader_round_trip_gives_full_marks_and_zero(tmp_path):
    """A course directory, one assignment (01_rnn), two submissions autograded."""
    notebook = ROOT / "notebooks" / "01_rnn.ipynb"
    course = tmp_path / "course"
    from gru_keras.assignments import main as assignments_main

    assert assignments_main(["source", str(notebook), "--output-dir", str(course / "source" / "rnn")]) == 0
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'rnn-course'\n"
        "c.ExecutePreprocessor.timeout = 300\n"
    )
    bin_dir = pathlib.Path(sys.executable).parent
    env = {**KERNEL_ENV, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}

    def nbgrader(*args):
        result = subprocess.run([str(bin_dir / "nbgrader"), *args], cwd=course, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr

    nbgrader("db", "assignment", "add", "rnn")
    nbgrader("db", "student", "add", "solver")
    nbgrader("db", "student", "add", "idler")
    nbgrader("generate_assignment", "rnn", "--force")
    release = course / "release" / "rnn" / notebook.name
    assert "raise NotImplementedError()" in release.read_text()
    assert not any(cell.metadata.get("jupyter", {}).get("source_hidden") for cell in _read(release).cells), \
        "the students' stubs must not start collapsed"
    for student, submitted in [("solver", course / "source" / "rnn" / notebook.name), ("idler", release)]:
        target = course / "submitted" / student / "rnn"
        target.mkdir(parents=True)
        shutil.copy(submitted, target / notebook.name)
    nbgrader("autograde", "rnn", "--force")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        solver = gradebook.find_submission("rnn", "solver")
        idler = gradebook.find_submission("rnn", "idler")
        assert solver.max_score == len(exercises(_read(notebook))) > 0
        assert solver.score == solver.max_score, "the worked solutions get full marks"
        assert idler.score == 0, "an untouched assignment gets zero"
