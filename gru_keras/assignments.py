"""Course assignments from the solved notebooks, with nbgrader's own preprocessors.

The notebooks in notebooks/ are the single source: each exercise is a solution cell
(the worked answer between `### BEGIN SOLUTION` and `### END SOLUTION`) followed by a
check cell (the visible `check_...` call, then hidden tests between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`). Both cells carry nbgrader's
metadata, so `nbgrader generate_assignment` and `nbgrader autograde` work on them.

    python -m gru_keras.assignments student notebooks/*.ipynb --output-dir build/student
    python -m gru_keras.assignments source 01_rnn.ipynb --output-dir COURSE/source/lab1
    python -m gru_keras.assignments mark notebooks/*.ipynb     # (re)write the metadata
    python -m gru_keras.assignments leaks notebooks/*.ipynb    # prove nothing leaks

`student` writes what learners receive: solutions replaced by a stub that raises
NotImplementedError, hidden tests removed, outputs cleared. `source` writes the copy to
put in an nbgrader course's `source/` folder: the same notebook with its solution cells
expanded (in notebooks/ they start collapsed for self-paced learners).
"""

import argparse
import copy
import pathlib
import re
import sys

import nbformat

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
DEFAULT_POINTS = 1

__all__ = ["exercises", "mark_for_grading", "instructor_version", "student_version", "leaked_lines", "main"]


def _source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def exercises(notebook):
    """The (solution cell index, check cell index) pairs of a notebook, in order.

    Raises ValueError when a solution cell is not followed by a code cell that calls a
    check, since such an exercise could not be graded.
    """
    pairs = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or BEGIN_SOLUTION not in _source(cell):
            continue
        following = [i for i in range(index + 1, len(notebook.cells)) if notebook.cells[i].cell_type == "code"]
        if not following or "check_" not in _source(notebook.cells[following[0]]):
            raise ValueError(
                f"cell {index} holds a solution, but the next code cell does not call a check_ "
                f"function; every exercise needs its check cell right after it."
            )
        pairs.append((index, following[0]))
    return pairs


def _exercise_name(check_source, fallback):
    """What the learner writes: the first argument of the check call (`check_x(name, ...)`)."""
    match = re.search(r"check_\w+\(\s*(\w+)", check_source)
    return match.group(1) if match else fallback


def mark_for_grading(notebook, stem, points=DEFAULT_POINTS):
    """Writes nbgrader metadata on every exercise's solution and check cells (in place).

    Grade ids are `<stem>-<name>` and `<stem>-<name>-tests`, where name is the function
    or variable the learner writes. Points already set on a check cell are kept, so
    an instructor's changes survive re-marking. Solution cells are also collapsed
    (`jupyter.source_hidden`), so that a self-paced learner does not see the answer
    before trying. Returns the number of exercises.
    """
    pairs = exercises(notebook)
    for number, (solution_index, check_index) in enumerate(pairs, start=1):
        solution, check = notebook.cells[solution_index], notebook.cells[check_index]
        name = _exercise_name(_source(check), f"exercise{number}")
        solution.metadata.setdefault("jupyter", {})["source_hidden"] = True
        solution.metadata["nbgrader"] = {
            "grade": False, "grade_id": f"{stem}-{name}", "locked": False,
            "schema_version": 3, "solution": True, "task": False,
        }
        previous = check.metadata.get("nbgrader", {}).get("points", points)
        check.metadata["nbgrader"] = {
            "grade": True, "grade_id": f"{stem}-{name}-tests", "locked": True,
            "points": previous, "schema_version": 3, "solution": False, "task": False,
        }
    return len(pairs)


def _expand_all(notebook):
    for cell in notebook.cells:
        cell.metadata.get("jupyter", {}).pop("source_hidden", None)
    return notebook


def instructor_version(notebook):
    """The notebook for an nbgrader course's source folder: solution cells expanded, so
    that the stubs nbgrader makes from them are not collapsed in the students' copy."""
    return _expand_all(copy.deepcopy(notebook))


def student_version(notebook):
    """The learners' copy: solutions stubbed, hidden tests removed, outputs cleared.

    Uses nbgrader's ClearSolutions, ClearHiddenTests and ClearOutput preprocessors, as
    `nbgrader generate_assignment` does.
    """
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    student = copy.deepcopy(notebook)
    resources = {"language": "python"}
    for preprocessor in (ClearSolutions(), ClearHiddenTests(), ClearOutput()):
        student, resources = preprocessor.preprocess(student, resources)
    return _expand_all(student)  # the stub is where the student writes: not collapsed


def _regions(source, begin, end):
    lines, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == begin:
            inside = True
        elif stripped == end:
            inside = False
        elif inside and stripped and not stripped.startswith("#"):
            lines.append(stripped)
    return lines


def leaked_lines(source_notebook, student_notebook):
    """Lines of solution regions or hidden tests that still appear in the student copy.

    Every non-blank, non-comment line inside a `### BEGIN SOLUTION` or
    `### BEGIN HIDDEN TESTS` region of the source is looked for, stripped of
    indentation, among the student copy's code lines. Returns them (empty: no leak).
    """
    secret = []
    for cell in source_notebook.cells:
        if cell.cell_type == "code":
            secret += _regions(_source(cell), BEGIN_SOLUTION, END_SOLUTION)
            secret += _regions(_source(cell), BEGIN_HIDDEN, END_HIDDEN)
    shown = {line.strip() for cell in student_notebook.cells for line in _source(cell).splitlines()}
    return [line for line in secret if line in shown]


def _read(path):
    return nbformat.read(str(path), as_version=4)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m gru_keras.assignments", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="write the student versions")
    student.add_argument("notebooks", nargs="+", type=pathlib.Path)
    student.add_argument("--output-dir", type=pathlib.Path, default=pathlib.Path("build/student"))
    source = commands.add_parser("source", help="write copies for an nbgrader course's source folder")
    source.add_argument("notebooks", nargs="+", type=pathlib.Path)
    source.add_argument("--output-dir", type=pathlib.Path, required=True)
    mark = commands.add_parser("mark", help="write nbgrader metadata on the exercises")
    mark.add_argument("notebooks", nargs="+", type=pathlib.Path)
    leaks = commands.add_parser("leaks", help="check that no solution or hidden test leaks")
    leaks.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)

    status = 0
    for path in args.notebooks:
        if not path.is_file():
            parser.error(f"no such notebook: {path}")
        notebook = _read(path)
        if args.command == "student":
            args.output_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(student_version(notebook), str(args.output_dir / path.name))
            print(f"{path} -> {args.output_dir / path.name} ({len(exercises(notebook))} exercises)")
        elif args.command == "source":
            args.output_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(instructor_version(notebook), str(args.output_dir / path.name))
            print(f"{path} -> {args.output_dir / path.name}")
        elif args.command == "mark":
            count = mark_for_grading(notebook, path.stem)
            nbformat.write(notebook, str(path))
            print(f"{path}: {count} exercises marked for grading")
        else:
            leaked = leaked_lines(notebook, student_version(notebook))
            print(f"{path}: " + ("no leak" if not leaked else f"{len(leaked)} lines leak: {leaked}"))
            status = status or (1 if leaked else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
