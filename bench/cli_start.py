"""Bench: what a CLI command costs before it does its work (issue 13, item 5).

Runs each command as a user does, a new process every time, on a data folder made once
(migrated, one account), and measures the user + system CPU of the child process from
``resource.getrusage(RUSAGE_CHILDREN)`` before and after it: CPU, not wall time, so that other
work on the machine counts less. Reports the median of ``--runs`` runs per command, and each
figure beyond the bare interpreter (``python -c pass``), against the target: 0.5 s of CPU
beyond the bare Python start for ``coffeechat --help`` and a one-row import.

    .venv/bin/python bench/cli_start.py [--runs 7]
    .venv/bin/python bench/cli_start.py --compare /tmp/old-checkout/src   # this code and another

``--src DIR`` measures another checkout's ``src`` instead of this one (put first on the path, the
same virtualenv runs it); ``--compare DIR`` measures it too, in turn with this checkout, so that
both see the same load. The exit status counts the first version only. Each import run imports
a new one-row file (a new person each time), so every run writes one contact.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

TARGET_BEYOND_PYTHON_S = 0.5
USERNAME = "bench"
MESSAGE = "Hi Dana, thanks for your talk at the alumni panel. Would you have 20 minutes?\n"


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(argv: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    before = child_cpu()
    result = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)
    cpu = child_cpu() - before
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    return cpu


def one_row_csv(folder: Path, n: int) -> Path:
    path = folder / f"one-{n}.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Ada{n},Lovelace,https://www.linkedin.com/in/ada-{n},ada{n}@example.com,"
        "Analytical Engines,Engineer,08 Feb 2026\n"
    )
    return path


def version_cases(folder: Path, src: str | None) -> list[tuple[str, Callable[[], float]]]:
    """The commands to time for one version of the code, on its own data folder, made here as
    a user has it after a first command: tables made, one account."""
    env = os.environ | {"COFFEECHAT_DATA_DIR": str(folder / "data"), "COFFEECHAT_TESTING": "0"}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "COFFEECHAT_DEBUG", "PYTHONPATH"):
        env.pop(name, None)
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve())
    coffeechat = [sys.executable, "-m", "coffeechat"]
    subprocess.run([*coffeechat, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run(
        [*coffeechat, "createuser", USERNAME, "--password-stdin"],
        env=env,
        input="a long enough secret\n",
        capture_output=True,
        check=True,
        text=True,
    )
    counter = iter(range(1, 1_000_000))

    def one_row_import() -> float:
        path = one_row_csv(folder, next(counter))
        return run_measured([*coffeechat, "import", str(path), "--user", USERNAME], env)

    return [
        ("python -c pass", lambda: run_measured([sys.executable, "-c", "pass"], env)),
        ("coffeechat --help", lambda: run_measured([*coffeechat, "--help"], env)),
        ("coffeechat import --help", lambda: run_measured([*coffeechat, "import", "--help"], env)),
        (
            "coffeechat check-message (15 words)",
            lambda: run_measured([*coffeechat, "check-message", "-"], env, stdin=MESSAGE),
        ),
        (IMPORT_LABEL, one_row_import),
    ]


IMPORT_LABEL = "coffeechat import ONE-ROW.csv --user bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", metavar="DIR", help="another checkout's src folder to measure")
    parser.add_argument(
        "--compare",
        metavar="DIR",
        help="another checkout's src folder, measured in turn with this one",
    )
    args = parser.parse_args()

    versions = [args.src or "this checkout"] + ([args.compare] if args.compare else [])
    with tempfile.TemporaryDirectory(prefix="coffeechat-cli-bench-") as tmp:
        cases = {
            version: version_cases(
                Path(tmp) / str(n), None if version == "this checkout" else version
            )
            for n, version in enumerate(versions)
        }
        # Warm the file cache and the bytecode caches once, then measure round-robin (each
        # command of each version in turn) so that a burst of load elsewhere hits all alike.
        for version_list in cases.values():
            for _, case in version_list:
                case()
        samples = {v: {label: [] for label, _ in cases[v]} for v in versions}
        for _ in range(args.runs):
            for version in versions:
                for label, case in cases[version]:
                    samples[version][label].append(case())

    load = os.getloadavg()
    missed = []
    for version in versions:
        print(
            f"{version}: CPU of each command (user + sys, median of {args.runs}; load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; Python {sys.version.split()[0]})"
        )
        print(f"{'command':<44} {'median s':>9} {'min s':>7} {'max s':>7} {'beyond python':>14}")
        bare = statistics.median(samples[version]["python -c pass"])
        for label, values in samples[version].items():
            median = statistics.median(values)
            beyond = median - bare
            verdict = ""
            if label in ("coffeechat --help", IMPORT_LABEL):
                ok = beyond < TARGET_BEYOND_PYTHON_S
                verdict = "  PASS" if ok else f"  FAIL (target {TARGET_BEYOND_PYTHON_S} s)"
                if not ok and version == versions[0]:
                    missed.append(label)
            print(
                f"{label:<44} {median:9.3f} {min(values):7.3f} {max(values):7.3f} "
                f"{'' if label.startswith('python') else f'{beyond:14.3f}'}{verdict}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
