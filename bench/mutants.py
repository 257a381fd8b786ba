"""Mutation testing of the modules that carry the rules, with mutmut.

mutmut changes the code one small thing at a time (a comparison turned round, a condition
dropped, a string or number altered) and runs the tests that reach the changed function; a
mutant the tests do not notice "survives" and points at a rule no test pins down. This runs
mutmut once per module below, each with the test files that test that module directly (fast:
the whole suite per mutant would take hours), in a copy of the project under
``bench/out/mutants/`` so the working tree is left alone, and prints the score per module.

    bin/install bench                        # mutmut
    .venv/bin/python bench/mutants.py                     # every module
    .venv/bin/python bench/mutants.py core/access.py  # one
    .venv/bin/python bench/mutants.py --show-survivors    # and each survivor's change
    .venv/bin/python bench/mutants.py MODULE --again      # after new tests: the survivors only

``--again`` keeps the module's earlier run, brings its copy of the project up to date (all but
the module itself) and runs only the mutants that survived it (the test files listed below stay
the same: add the new tests to them, or mutmut starts over). If the module itself has changed
since, run it again in full.

Not part of CI (a full run takes a while); run it when a rule changes. Survivors left on
purpose are listed in ``EQUIVALENT`` with the reason: they change nothing a user could notice.
"""

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "mutants"

# module → the test files that test it directly
MODULES = {
    "core/access.py": [
        "tests/test_access_functions.py",
        "tests/test_access_rules.py",
    ],
    "followup/models/locking.py": [
        "tests/test_locking_rules.py",
        "tests/test_report_lock.py",
    ],
    "followup/models/comments.py": [
        "tests/test_comments.py",
    ],
    "followup/services/reports.py": [
        "tests/test_review_workflow.py",
        "tests/test_review_rounds.py",
        "tests/test_workflow_rules.py",
        "tests/test_report_admin_workflow.py",
        "tests/test_site_workflow.py",
    ],
    "agreements/models/versioning.py": [
        "tests/test_lost_updates.py",
        "tests/test_versioning_rules.py",
    ],
    "followup/exports/statements.py": [
        "tests/test_statements.py",
        "tests/test_exports_national.py",
    ],
    "followup/exports/tables.py": [
        "tests/test_exports_tables.py",
        "tests/test_exports_formulas.py",
        "tests/test_exports_county.py",
    ],
    "agreements/imports/validate.py": [
        "tests/test_import_bad_rows.py",
        "tests/test_validation.py",
        "tests/test_import_template_names.py",
        "tests/test_import_organisations_sheet.py",
        "tests/test_import_cells.py",
        "tests/test_import_roundtrip.py",
        "tests/test_names.py",
        "tests/test_import_languages.py",
    ],
}

# Survivors that cannot be told apart from the original by anything a user sees, by module:
# a pattern on the mutated line → why it is equivalent.
_ROW_LOCK = {
    r'select_for_update\(of=\("SELF"': (
        "names the row lock's table on PostgreSQL only; SQLite, where this runs, takes no row "
        "locks (tests/test_collisions.py checks the lock on PostgreSQL)"
    ),
}
_QUERY_SHAPE = {
    # only the select_related(...) arguments differ between the line and its mutant
    r"-(?P<a>.*)\.select_related\([^)]*\)(?P<b>.*)\n\+(?P=a)\.select_related\([^)]*\)(?P=b)$": (
        "which related rows are read in the same query: speed, not answers"
    ),
    r'\+.*apps\.get_model\("followup", "(observation|countyreport|followupround)"\)'
    r'|\+.*apps\.get_model\("followup", "(OBSERVATION|COUNTYREPORT|FOLLOWUPROUND)"\)': (
        "Django's app registry finds a model whatever the case of its name"
    ),
    r"batch_size": "passes the caller's batch size on; none changes what is written",
    r"\+.*super\(\)\.bulk_(create|update)\(objs, (fields, )?\)": (
        "drops options none of our callers passes"
    ),
    r'-.*self\.values_list\("pk", flat=True\)': (
        "values_list(flat=True) of a report queryset is its primary keys anyway"
    ),
}
EQUIVALENT = {
    "core/access.py": {
        r"\+\s*cached = frozenset\(user\.counties\.values_list\(flat=True\)\)": (
            "values_list(flat=True) with no field reads a model's first column, a county's id"
        ),
        r"_followup_roles|_followup_county_ids": (
            "the per-request cache of a user's roles and counties: without it the same "
            "answer is read again from the database"
        ),
        r"\+\s*condition (=|&=) _own\(scope\.county, user\)": (
            "the condition starts empty (Q()), and Q() | X, Q() & X and X select the same rows"
        ),
        r"\+\s*return queryset\.filter\(condition\) if \(condition\) or True": (
            "a user with a role who is neither coordinator nor reviewer is an administrator, "
            "answered above: the condition is never empty here"
        ),
        r"\+\s*if path is None and not is_coordinator\(user\):": (
            "a user who is not a coordinator keeps no county, so _own(path, user) selects no "
            "row either way"
        ),
        r"\+\s*return Q\(pk__in=None\)": (
            "no model is declared a county's without the path to its county, so this branch "
            "is never reached"
        ),
        r'\+\s*return getattr\(step, f"\{last\}_id", \)': (
            "the last step of a county path is always a foreign key, whose _id attribute "
            "exists: the default is never read"
        ),
    },
    "agreements/models/versioning.py": {
        r'\+.*getattr\(self, "_raw_save",? ?(None|True)?\s*\)': (
            "the pre_save signal sets _raw_save on every save before the update runs, so the "
            "default is never read"
        ),
        r"\+.*super\(\)\._do_update\(base_qs, (None|using), pk_val, values, (None|update_fields), "
        r"(None|forced_update)\)": (
            "Django's _do_update does not read `using` (the queryset carries its database), "
            "reads forced_update only for models with select_on_save (none here) and "
            "update_fields only when there is nothing to update"
        ),
    },
    "followup/exports/statements.py": {
        r'\+\s*return "XXXX"\.join\(names\)': (
            "joins no name or one: there is nothing between them to change"
        ),
    },
    "followup/models/locking.py": {
        **_ROW_LOCK,
        **_QUERY_SHAPE,
        r'\+\s*if "(XXstatusXX|STATUS)" in fields and not loading_raw\(\):': (
            "Django's bulk_update writes through the queryset's own update(), which refuses a "
            "status change with the same words (tests/test_locking_rules.py)"
        ),
        r"\+\s*if connection\.in_atomic_block or connection\.features\.has_select_for_update:": (
            "SQLite, where this runs, ignores select_for_update; on PostgreSQL, in CI, "
            "test_a_write_outside_a_transaction_is_checked_without_holding_rows catches it"
        ),
        r'\+\s*\.order_by\("observation__report__round__year", '
        r'"observation__report__county__code", \)': (
            "SQLite reads the links through their index on the cited object, so they come in "
            "that order without the last sort key; the test that pins it down "
            "(test_of_several_cited_by_the_same_report_the_first_by_id_is_named) runs on "
            "PostgreSQL too"
        ),
    },
    "followup/models/comments.py": {
        **_QUERY_SHAPE,
        r"\+\s*(return )?super\(\)\.(save|delete)\((\*args, |\*\*kwargs|\*args)\s*\)": (
            "passes Django's save and delete options on; none of our callers passes any"
        ),
        r"\+.*stored = None if \(self\._state\.adding\) and False": (
            "a comment being added has no row yet: looking for it finds none either way"
        ),
    },
    "agreements/imports/validate.py": {
        r"\+\s*(self|cells)\.ok = None": (
            "a row's ok flag is only read as a truth value: None is as false as False"
        ),
        r'\+.*raise CellError\("XX XX"\.join\(error\.messages\)\)': (
            "the name and organisation-number validators raise a single message: joining one "
            "message puts nothing between"
        ),
        r"-\s*self\.kind_by_key\[choice_key\(value\)\] = value": (
            "each financing kind's value is its Swedish label in lower case, so value and label "
            "go under the same key and the label's entry, written after it, is the one read"
        ),
        r"\+.*index is None or index > len\(self\.raw\)": (
            "the reader pads every row to its widest column, so an index is never the row's length"
        ),
        r"\+\s*if len\(found\) >= 1:": (
            "a single match has returned just above: here there are none or several"
        ),
    },
    "followup/services/reports.py": {
        **_ROW_LOCK,
        **_QUERY_SHAPE,
        r"\+\s*list\((None|CountyReport\._base_manager\.select_for_update\()|\+\s*_hold\(None\)": (
            "the report's row lock is taken on PostgreSQL only (`has_select_for_update`); this "
            "run is on SQLite, whose write transaction holds the whole database. "
            "tests/test_collisions.py checks the lock on PostgreSQL, in CI"
        ),
        r"\+\s*steps = \[Action\.APPROVE, Action\.RETURN\]": (
            "a submitted report offers no coordinator step before it, so the list is still "
            "empty here: = and += give the same list"
        ),
    },
}


def _copy_project(target: Path, *, keep: str | None = None) -> None:
    """The project's files into ``target`` (emptied first), or with ``keep`` over what is
    there, all but that file (the module whose mutants are being run again)."""
    if target.exists() and keep is None:
        shutil.rmtree(target)
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        if keep is not None and name.decode() in (keep, "pyproject.toml"):
            continue  # the mutants' module, and the mutmut configuration written into it
        source = ROOT / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def _configure(target: Path, module: str, tests: list[str]) -> None:
    pyproject = target / "pyproject.toml"
    quoted = ", ".join(f'"{test}"' for test in tests)
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + f"""
[tool.mutmut]
source_paths = ["config", "core", "followup", "agreements"]
only_mutate = ["{module}"]
also_copy = ["templates", "locale", "fixtures", "manage.py"]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not e2e", "-q", "-x"]
pytest_add_cli_args_test_selection = [{quoted}]
process_isolation = "forkserver"
""",
        encoding="utf-8",
    )


def _survivors(work: Path, mutmut: list[str]) -> list[str]:
    results = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True
    ).stdout
    # and those no test reached: a test written since may reach them
    return re.findall(r"^\s*(\S+): (?:survived|no tests)$", results, flags=re.MULTILINE)


def run_module(module: str, *, children: int, show: bool, again: bool = False) -> dict:
    tests = [test for test in MODULES[module] if (ROOT / test).exists()]
    work = OUT / module.replace("/", "_").removesuffix(".py")
    mutmut = [sys.executable, "-m", "mutmut"]
    only: list[str] = []
    if again and (work / "mutants").is_dir():
        only = _survivors(work, mutmut)
        if (ROOT / module).read_bytes() != (work / module).read_bytes():
            print(f"{module} has changed since its run: run it again in full (without --again).")
        # Everything but the mutated module as it is now (tests, and the code they run).
        _copy_project(work, keep=module)
        _copy_project(work / "mutants", keep=module)
    else:
        _copy_project(work)
        _configure(work, module, tests)
    started = time.monotonic()
    subprocess.run(
        [*mutmut, "run", "--max-children", str(children), *only],
        cwd=work,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    results = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True
    ).stdout
    verdicts = dict(re.findall(r"^\s*(\S+): (\w[\w ]*)$", results, flags=re.MULTILINE))
    survivors = [name for name, verdict in verdicts.items() if verdict == "survived"]
    equivalent, open_survivors = [], []
    for name in survivors:
        diff = subprocess.run(
            [*mutmut, "show", name], cwd=work, capture_output=True, text=True
        ).stdout
        changed = "\n".join(line for line in diff.splitlines() if line.startswith(("-", "+")))
        reason = next(
            (
                why
                for pattern, why in EQUIVALENT.get(module, {}).items()
                if re.search(pattern, changed)
            ),
            None,
        )
        (equivalent if reason else open_survivors).append((name, changed, reason))
    total = len(verdicts)
    killed = sum(1 for verdict in verdicts.values() if verdict in ("killed", "timeout"))
    report = {
        "module": module,
        "mutants": total,
        "killed": killed,
        "equivalent": len(equivalent),
        "survived": len(open_survivors),
        "seconds": seconds,
    }
    lines = [f"{module}: {killed}/{total} killed, {len(equivalent)} equivalent"]
    for name, changed, reason in equivalent:
        lines.append(f"  equivalent {name}: {reason}\n{_indent(changed)}")
    for name, changed, _reason in open_survivors:
        lines.append(f"  SURVIVED {name}\n{_indent(changed)}")
    (OUT / f"{work.name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if show:
        print("\n".join(lines[1:]))
    return report


def _indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--children", type=int, default=2, help="mutants run at once")
    parser.add_argument("--show-survivors", action="store_true")
    parser.add_argument(
        "--again", action="store_true", help="only the survivors of the last run, new tests"
    )
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"{'modul':40} {'mutanter':>9} {'dödade':>7} {'ekvivalenta':>12} {'kvar':>5} {'poäng':>6}"
    )
    totals = {"mutants": 0, "killed": 0, "equivalent": 0, "survived": 0}
    for module in options.modules:
        r = run_module(
            module, children=options.children, show=options.show_survivors, again=options.again
        )
        for key in totals:
            totals[key] += r[key]
        print(_row(module, r) + f"   ({r['seconds']:.0f} s)", flush=True)
    print(_row("totalt", totals))
    print(f"Detaljer: {OUT.relative_to(ROOT)}/")


def _row(name: str, r: dict) -> str:
    counted = r["mutants"] - r["equivalent"]
    score = 100 * r["killed"] / counted if counted else 100.0
    return (
        f"{name:40} {r['mutants']:9} {r['killed']:7} {r['equivalent']:12} {r['survived']:5} "
        f"{score:5.1f} %"
    )


if __name__ == "__main__":
    main()
