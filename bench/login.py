"""CPU time of one password check at login: PBKDF2 (what hashes were) against Argon2id (now).

    .venv/bin/python bench/login.py [--checks 10]

A login's cost is almost all the password check. This verifies a correct password against a
hash made by PBKDF2-SHA256 at Django's iteration count (before), by Argon2id at Django's own
defaults (100 MiB, 8 lanes: not used, it costs as much CPU as PBKDF2) and by the hasher the
settings use (``core.hashers.Argon2idHasher``: OWASP's profile, 19 MiB, 2 passes, one lane),
``--checks`` times each after one warm-up, and prints the median CPU time (every thread of the
process: Argon2 may use several) and wall time per check, what a rush of 30 logins costs on two
cores, and the one-off cost of the first login after the upgrade (a PBKDF2 check, then the new
Argon2id hash).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import django
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "ett-långt-lösenord-för-mätning"  # noqa: S105 - a benchmark's own throw-away text
RUSH, CORES = 30, 2


def measure(function, checks: int) -> tuple[float, float]:
    """Median CPU and wall seconds of ``function()`` over ``checks`` calls, after a warm-up."""
    function()
    cpu, wall = [], []
    for _ in range(checks):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return statistics.median(cpu), statistics.median(wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=10, help="checks per hasher (median)")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    settings.configure()  # Django's defaults: the hashers' own parameters, nothing else
    django.setup()
    from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

    from core.hashers import Argon2idHasher

    pbkdf2, argon2, owasp = PBKDF2PasswordHasher(), Argon2PasswordHasher(), Argon2idHasher()
    hashes = {hasher: hasher.encode(PASSWORD, hasher.salt()) for hasher in (pbkdf2, argon2, owasp)}

    def argon2_label(hasher, note):
        params = hasher.params()
        return (
            f"Argon2id, time {params.time_cost}, {params.memory_cost // 1024} MiB, "
            f"parallelism {params.parallelism} ({note})"
        )

    labels = {
        pbkdf2: f"PBKDF2-SHA256, {pbkdf2.iterations:_} iterations (before)".replace("_", " "),
        argon2: argon2_label(argon2, "Django's default, not used"),
        owasp: argon2_label(owasp, "OWASP profile: now"),
    }
    results = {}
    print(f"Password check at login (median of {options.checks}):")
    for hasher, encoded in hashes.items():
        cpu, wall = measure(lambda h=hasher, e=encoded: h.verify(PASSWORD, e), options.checks)
        results[hasher] = cpu
        print(f"  {labels[hasher]:<66} CPU {cpu * 1000:6.1f} ms   wall {wall * 1000:6.1f} ms")
    print(f"A rush of {RUSH} logins on {CORES} cores (CPU-bound, password checks only):")
    for hasher, cpu in results.items():
        print(f"  {labels[hasher]:<66} {RUSH * cpu / CORES:5.2f} s")
    for hasher in (argon2, owasp):
        ratio = results[pbkdf2] / results[hasher]
        print(f"PBKDF2 / {labels[hasher]}: {ratio:.1f}× the CPU")

    def first_login_after_upgrade():
        pbkdf2.verify(PASSWORD, hashes[pbkdf2])
        owasp.encode(PASSWORD, owasp.salt())

    cpu, _wall = measure(first_login_after_upgrade, max(3, options.checks // 3))
    print(f"First login after the upgrade (PBKDF2 check, Argon2id hash): CPU {cpu * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
