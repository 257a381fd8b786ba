"""A backup restored into an empty database gives the same data, audit history included."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(database: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
    }
    result = subprocess.run(
        ["bash", str(ROOT / "bin" / "backup"), *args]
        if args and args[0] in {"dump", "restore"}
        else [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_restoring_a_dump_into_an_empty_database_gives_identical_data(tmp_path):
    original, restored = tmp_path / "original.sqlite3", tmp_path / "restored.sqlite3"
    backup, again = tmp_path / "backup.xml", tmp_path / "again.xml"

    run(original, "migrate", "--verbosity", "0")
    run(original, "seed_demo", "--projects", "40")
    # A change after the seed, so the history holds more than creations.
    run(
        original,
        "shell",
        "-c",
        "from agreements.models import Project; p = Project.objects.first(); "
        "p.title = 'Ändrad titel'; p.save()",
    )
    run(original, "dump", str(backup))
    run(restored, "restore", str(backup))
    run(restored, "dump", str(again))

    before, after = backup.read_text(encoding="utf-8"), again.read_text(encoding="utf-8")
    assert after == before  # every row and every field, to the microsecond
    for model in ("agreements.project", "agreements.historicalproject", "followup.user"):
        assert f'model="{model}"' in before
    assert '<field name="history_type" type="CharField">~</field>' in before
    assert "Ändrad titel" in before
    # The financing totals are not in the dump: the restore rebuilds them from the lines.
    assert "agreements.financingtotal" not in before
    check = run(
        restored,
        "shell",
        "-c",
        "from agreements.models.totals import FinancingTotal, financing_totals_differences; "
        "print(FinancingTotal.objects.count(), len(financing_totals_differences()))",
    )
    kept, differences = map(int, check.stdout.split()[-2:])
    assert kept > 0
    assert differences == 0
