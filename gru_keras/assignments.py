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
    python -m gru_keras.assignments practice notebooks/*.ipynb --into practice

`student` writes what learners receive: solutions replaced by a stub that raises
NotImplementedError, hidden tests removed, outputs cleared. `source` writes the copy to
put in an nbgrader course's `source/` folder: the same notebook with its solution cells
expanded (in notebooks/ they start collapsed for self-paced learners). `practice` keeps
the learner's own copy of the course (the student versions, in a folder git ignores) up
to date without ever overwriting a notebook in it; `make lab` runs it.
"""

import argparse
import copy
import hashlib
import json
import os
import pathlib
import re
import sys

import nbformat

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
DEFAULT_POINTS = 1

PRACTICE_MANIFEST = ".practice-manifest.json"
UPDATED_SUFFIX = ".updated.ipynb"
_CHECK_CALL = re.compile(r"^check_\w+\(", re.MULTILINE)

__all__ = ["exercises", "mark_for_grading", "instructor_version", "student_version", "leaked_lines",
           "PracticeError", "update_practice", "main"]


def _source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def exercises(notebook):
    """The (solution cell index, check cell index) pairs of a notebook, in order.

    The check cell is the first code cell after the solution that calls a check at the
    start of a line (`check_...(`). Code cells may come between the two: the measurement
    a prediction is compared with, or the visible training of the learner's model.
    Raises ValueError when a solution has no check before the next solution (or the end),
    since such an exercise could not be graded.
    """
    pairs = []
    solutions = [i for i, cell in enumerate(notebook.cells)
                 if cell.cell_type == "code" and BEGIN_SOLUTION in _source(cell)]
    for index, following_solution in zip(solutions, solutions[1:] + [len(notebook.cells)]):
        checks = [i for i in range(index + 1, following_solution) if notebook.cells[i].cell_type == "code"
                  and _CHECK_CALL.search(_source(notebook.cells[i]))]
        if not checks:
            raise ValueError(
                f"cell {index} holds a solution, but no code cell after it (before the next "
                f"solution) calls a check_ function at the start of a line; every exercise needs "
                f"its check cell."
            )
        pairs.append((index, checks[0]))
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


class PracticeError(ValueError):
    """Input that `update_practice` cannot work with; the message names what is wrong."""


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path, data):
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _load_manifest(path):
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("notebooks", {}), dict):
            raise ValueError("not an object with a 'notebooks' object")
    except ValueError as error:
        raise PracticeError(
            f"{path} is not a readable practice manifest ({error}). Your notebooks are untouched; "
            f"delete {path} and run again to rebuild it."
        ) from None
    return manifest.get("notebooks", {})


def update_practice(sources, practice_dir):
    """Creates or updates the learner's practice copy of the course; never overwrites a notebook.

    `sources` are the solved notebooks (notebooks/*.ipynb); `practice_dir` is the
    learner's folder (practice/, which git ignores). For each source, its student
    version (`student_version`: solutions stubbed, hidden tests removed, outputs
    cleared) is compared with what the learner's copy was made from, recorded by sha256
    in `practice_dir/.practice-manifest.json`:

    - no copy in the folder (a new notebook, a first run, or a deleted copy): the student
      version is written as `<name>.ipynb`;
    - the student version is the one the copy was made from: nothing is written, whatever
      the learner did to the copy;
    - the student version changed upstream: it is written beside the learner's copy as
      `<name>.updated.ipynb` (refreshed if that file exists already), and the learner's
      copy is left as it is. The offer is repeated on later runs while that file exists;
      once the learner deletes it (or moves it over their copy) it is not made again
      until the course changes once more. A copy that is byte-identical to the new
      student version counts as taken.

    A practice notebook that no longer parses as JSON is reported and left alone.
    Returns a list of `(action, path, message)` tuples, one per source, where action is
    "created", "kept", "offered" or "taken". Raises PracticeError, naming the culprit,
    when a source is missing or unreadable, when two sources share a name, when
    `practice_dir` exists but is not a folder, or when the manifest is unreadable.
    """
    practice_dir = pathlib.Path(practice_dir)
    sources = [pathlib.Path(source) for source in sources]
    names = [source.name for source in sources]
    for source in sources:
        if not source.is_file():
            raise PracticeError(f"no such notebook: {source}")
        if source.name.endswith(UPDATED_SUFFIX) or source.suffix != ".ipynb":
            raise PracticeError(f"{source} is not a course notebook (expected NN_name.ipynb)")
        if names.count(source.name) > 1:
            raise PracticeError(f"two course notebooks are named {source.name}; names must be unique")
    if practice_dir.exists() and not practice_dir.is_dir():
        raise PracticeError(f"the practice folder {practice_dir} is a file, not a folder; move it away or "
                            f"choose another folder")

    students = {}
    for source in sources:
        try:
            notebook = _read(source)
        except Exception as error:  # nbformat raises several kinds for a broken file
            raise PracticeError(f"cannot read the course notebook {source}: {error}") from None
        students[source.name] = nbformat.writes(student_version(notebook)).encode("utf-8")

    practice_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = practice_dir / PRACTICE_MANIFEST
    manifest = _load_manifest(manifest_path)
    results = []
    for source in sources:
        data, name = students[source.name], source.name
        digest = _sha256(data)
        copy_path = practice_dir / name
        updated_path = practice_dir / (name[: -len(".ipynb")] + UPDATED_SUFFIX)
        record = manifest.get(name)
        if not copy_path.exists():
            _write_atomically(copy_path, data)
            manifest[name] = {"source": source.as_posix(), "student_sha256": digest}
            results.append(("created", copy_path, f"{copy_path}: new, copied in from {source}"))
            continue
        mine = copy_path.read_bytes()
        try:
            json.loads(mine)
        except ValueError as error:
            warning = f"{copy_path} no longer parses as JSON ({error}); it is left alone"
        else:
            warning = None
        if _sha256(mine) == digest:
            taken = record is not None and record.get("student_sha256") != digest
            manifest[name] = {"source": source.as_posix(), "student_sha256": digest}
            if updated_path.exists() and _sha256(updated_path.read_bytes()) == digest:
                updated_path.unlink()  # the offer was taken: the copy is that very version
            results.append(("taken" if taken else "kept", copy_path,
                            f"{copy_path}: now the course's current version" if taken else None))
            continue
        if record is not None and record.get("student_sha256") == digest:
            results.append(("kept", copy_path, warning))
            continue
        if record is not None and record.get("offered_sha256") == digest and not updated_path.exists():
            results.append(("kept", copy_path, warning))  # offered before, and dismissed or taken
            continue
        if not updated_path.exists() or updated_path.read_bytes() != data:
            _write_atomically(updated_path, data)
        manifest[name] = {"source": source.as_posix(),
                          "student_sha256": (record or {}).get("student_sha256"), "offered_sha256": digest}
        why = "changed in the course" if record is not None else "has no record of what it was made from"
        message = (f"{copy_path} {why}: the new version is beside yours as {updated_path}; "
                   f"yours is untouched (compare them, then delete the .updated copy or move it over yours)")
        if warning:
            message += f"; note: {warning}"
        results.append(("offered", copy_path, message))

    text = json.dumps({"about": "what each practice notebook was made from; written by "
                                "python -m gru_keras.assignments practice",
                       "notebooks": dict(sorted(manifest.items()))}, indent=1) + "\n"
    _write_atomically(manifest_path, text.encode("utf-8"))
    return results


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
    practice = commands.add_parser("practice", help="create or update the learner's practice copy (never overwrites)")
    practice.add_argument("notebooks", nargs="+", type=pathlib.Path)
    practice.add_argument("--into", type=pathlib.Path, default=pathlib.Path("practice"))
    args = parser.parse_args(argv)

    if args.command == "practice":
        try:
            results = update_practice(args.notebooks, args.into)
        except PracticeError as error:
            print(f"practice: {error}", file=sys.stderr)
            return 2
        for _action, _path, message in results:
            if message:
                print(message)
        kept = sum(action == "kept" for action, _path, _message in results)
        print(f"{args.into}/: your practice copy of the course ({len(results)} notebooks, {kept} unchanged); "
              f"the worked notebooks are in {args.notebooks[0].parent}/")
        return 0

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
