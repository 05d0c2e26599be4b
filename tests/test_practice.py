"""The learner's practice copy (`make lab`): student versions copied in once, a learner's
notebook never overwritten, a course change offered beside it as NN_x.updated.ipynb."""

import json
import shutil

import nbformat
import pytest

from gru_keras.assignments import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    PRACTICE_MANIFEST,
    PracticeError,
    exercises,
    leaked_lines,
    main,
    student_version,
    update_practice,
)
from notebook_runs import NOTEBOOKS, ROOT, execute



@pytest.fixture
def course(tmp_path):
    """A copy of the course notebooks (which a test may change) and an empty practice path."""
    upstream = tmp_path / "notebooks"
    upstream.mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, upstream / path.name)
    return sorted(upstream.glob("*.ipynb")), tmp_path / "practice"


def _change_upstream(path, text="A sentence the course added later."):
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(text))
    nbformat.write(notebook, str(path))


def _edit(path):
    """What a learner does: writes an answer into the notebook."""
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("my_answer = 42  # the learner's work"))
    nbformat.write(notebook, str(path))
    return path.read_bytes()


def test_first_run_copies_every_student_version(course):
    sources, practice = course
    results = update_practice(sources, practice)
    assert [action for action, _path, _message in results] == ["created"] * len(sources)
    for source in sources:
        copied = practice / source.name
        assert copied.read_bytes() == nbformat.writes(student_version(nbformat.read(str(source), 4))).encode()
    manifest = json.loads((practice / PRACTICE_MANIFEST).read_text())["notebooks"]
    assert set(manifest) == {source.name for source in sources}
    assert all(len(entry["student_sha256"]) == 64 for entry in manifest.values())


def test_practice_copies_leak_no_solution_and_no_hidden_test(course):
    sources, practice = course
    update_practice(sources, practice)
    for source in sources:
        copied = nbformat.read(str(practice / source.name), as_version=4)
        assert leaked_lines(nbformat.read(str(source), as_version=4), copied) == []
        assert "raise NotImplementedError()" in "".join(cell.source for cell in copied.cells)
        assert all(not cell.get("outputs") for cell in copied.cells if cell.cell_type == "code")


def test_a_second_run_leaves_the_learners_notebook_byte_identical(course):
    sources, practice = course
    update_practice(sources, practice)
    mine = _edit(practice / "03_gru.ipynb")
    results = update_practice(sources, practice)
    assert [action for action, _path, _message in results] == ["kept"] * len(sources)
    assert (practice / "03_gru.ipynb").read_bytes() == mine
    assert not list(practice.glob("*.updated.ipynb"))


def test_a_changed_upstream_notebook_is_offered_beside_the_learners(course, capsys):
    sources, practice = course
    upstream = next(source for source in sources if source.name == "03_gru.ipynb")
    assert main(["practice", *map(str, sources), "--into", str(practice)]) == 0
    mine = _edit(practice / "03_gru.ipynb")
    untouched = (practice / "01_rnn.ipynb").read_bytes()
    _change_upstream(upstream)
    capsys.readouterr()

    assert main(["practice", *map(str, sources), "--into", str(practice)]) == 0
    out = capsys.readouterr().out
    assert (practice / "03_gru.ipynb").read_bytes() == mine, "the learner's file is never overwritten"
    offered = practice / "03_gru.updated.ipynb"
    assert "A sentence the course added later." in offered.read_text()
    assert offered.read_bytes() == nbformat.writes(student_version(nbformat.read(str(upstream), 4))).encode()
    lines = [line for line in out.splitlines() if "03_gru.updated.ipynb" in line]
    assert len(lines) == 1 and "changed in the course" in lines[0] and "untouched" in lines[0]
    assert (practice / "01_rnn.ipynb").read_bytes() == untouched
    assert sorted(p.name for p in practice.glob("*.updated.ipynb")) == ["03_gru.updated.ipynb"]

    # A second change refreshes the offer, still beside the learner's file.
    _change_upstream(upstream, "Another sentence.")
    update_practice(sources, practice)
    assert "Another sentence." in offered.read_text()
    assert (practice / "03_gru.ipynb").read_bytes() == mine


def test_an_offer_deleted_by_the_learner_is_not_made_again_until_the_course_changes(course):
    sources, practice = course
    upstream = next(source for source in sources if source.name == "02_lstm.ipynb")
    update_practice(sources, practice)
    mine = _edit(practice / "02_lstm.ipynb")
    _change_upstream(upstream)
    update_practice(sources, practice)
    (practice / "02_lstm.updated.ipynb").unlink()
    assert all(action == "kept" for action, _path, _message in update_practice(sources, practice))
    assert not (practice / "02_lstm.updated.ipynb").exists()
    _change_upstream(upstream, "Once more.")
    assert ("offered", practice / "02_lstm.ipynb") in [(a, p) for a, p, _m in update_practice(sources, practice)]
    assert (practice / "02_lstm.ipynb").read_bytes() == mine


def test_an_offer_moved_over_the_learners_copy_counts_as_taken(course):
    sources, practice = course
    upstream = next(source for source in sources if source.name == "01_rnn.ipynb")
    update_practice(sources, practice)
    _change_upstream(upstream)
    update_practice(sources, practice)
    (practice / "01_rnn.updated.ipynb").replace(practice / "01_rnn.ipynb")
    results = {path.name: action for action, path, _message in update_practice(sources, practice)}
    assert results.pop("01_rnn.ipynb") == "taken" and set(results.values()) == {"kept"}
    assert all(action == "kept" for action, _path, _message in update_practice(sources, practice))
    assert not (practice / "01_rnn.updated.ipynb").exists()


def test_a_new_upstream_notebook_and_a_deleted_copy_are_copied_in(course):
    sources, practice = course
    update_practice(sources[:-1], practice)
    mine = _edit(practice / sources[0].name)
    assert not (practice / sources[-1].name).exists()
    results = {path.name: action for action, path, _message in update_practice(sources, practice)}
    assert results[sources[-1].name] == "created" and (practice / sources[-1].name).exists()
    assert (practice / sources[0].name).read_bytes() == mine

    shutil.rmtree(practice)
    update_practice(sources, practice)
    assert sorted(p.name for p in practice.glob("*.ipynb")) == [source.name for source in sources]


def test_a_copy_without_a_record_is_kept_and_the_course_version_offered(course):
    sources, practice = course
    update_practice(sources, practice)
    mine = _edit(practice / "04_bidirectional.ipynb")
    (practice / PRACTICE_MANIFEST).unlink()
    results = {path.name: action for action, path, _message in update_practice(sources, practice)}
    assert results["04_bidirectional.ipynb"] == "offered"
    assert results["01_rnn.ipynb"] == "kept", "an unedited copy is recognised by its content"
    assert (practice / "04_bidirectional.ipynb").read_bytes() == mine
    assert (practice / "04_bidirectional.updated.ipynb").exists()


def test_a_practice_notebook_that_is_not_json_is_reported_and_left_alone(course, capsys):
    sources, practice = course
    update_practice(sources, practice)
    broken = practice / "05_in_practice.ipynb"
    broken.write_text('{"cells": [')
    assert main(["practice", *map(str, sources), "--into", str(practice)]) == 0
    out = capsys.readouterr().out
    assert broken.read_text() == '{"cells": ['
    assert "05_in_practice.ipynb no longer parses as JSON" in out and "left alone" in out


def test_bad_input_names_what_is_wrong(course, tmp_path, capsys):
    sources, practice = course
    with pytest.raises(PracticeError, match="no such notebook: .*missing.ipynb"):
        update_practice([*sources, tmp_path / "missing.ipynb"], practice)
    assert not practice.exists(), "nothing is written when an input is wrong"

    practice.write_text("not a folder")
    with pytest.raises(PracticeError, match=f"practice folder {practice} is a file"):
        update_practice(sources, practice)
    assert main(["practice", *map(str, sources), "--into", str(practice)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    practice.unlink()

    update_practice(sources, practice)
    (practice / PRACTICE_MANIFEST).write_text("{oops")
    with pytest.raises(PracticeError, match="not a readable practice manifest"):
        update_practice(sources, practice)


def _errors(notebook):
    return [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            and any(output.get("output_type") == "error" for output in cell.get("outputs", []))]


def _without_markers(source):
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION))


@pytest.mark.slow
def test_a_practice_notebook_stops_at_its_first_unwritten_exercise_and_runs_to_the_end_once_answered(tmp_path):
    from nbclient.exceptions import CellExecutionError

    source_path = ROOT / "notebooks" / "01_rnn.ipynb"
    source = nbformat.read(str(source_path), as_version=4)
    pairs = exercises(source)
    practice = tmp_path / "practice"
    update_practice([source_path], practice)
    mine = practice / source_path.name

    # Untouched: runs up to the first exercise, whose check says what is missing and how to start.
    untouched = nbformat.read(str(mine), as_version=4)
    with pytest.raises(CellExecutionError) as error:
        execute(untouched, practice)
    first_check = pairs[0][1]
    assert _errors(untouched) == [first_check], "the first error must come from the first exercise's check"
    assert all(cell.execution_count for cell in untouched.cells[:first_check] if cell.cell_type == "code")
    message = str(error.value)
    assert "ExerciseError" in message and "not written yet" in message, message
    assert "raise NotImplementedError()" in message, "the message says how to start"
    assert "gru_keras/checks" not in message, "the learner sees the message, not a traceback through the check"

    # The learner answers every exercise in the practice notebook (no solution markers: they never saw them).
    notebook = nbformat.read(str(mine), as_version=4)
    for solution_index, check_index in pairs:
        stub = notebook.cells[solution_index]
        assert "raise NotImplementedError()" in stub.source, f"cell {solution_index} is not a stub"
        assert notebook.cells[check_index].source.startswith("check_")
        answer = _without_markers(source.cells[solution_index].source)
        assert BEGIN_SOLUTION not in answer and END_SOLUTION not in answer
        stub.source = answer
    nbformat.write(notebook, str(mine))

    answered = execute(nbformat.read(str(mine), as_version=4), practice, allow_errors=True)
    assert _errors(answered) == [], [answered.cells[i].outputs for i in _errors(answered)]
    code = [cell for cell in answered.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every code cell runs, to the last one"
    for _solution_index, check_index in pairs:
        printed = "".join(output.get("text", "") for output in answered.cells[check_index].outputs
                          if output.get("output_type") == "stream")
        assert printed.startswith("PASS"), f"cell {check_index}: {printed!r}"
