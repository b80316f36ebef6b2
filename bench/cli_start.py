"""Bench: what a CLI command costs before it does its work (issue 13, item 5).

Runs each command as a user does, a new process every time, on a data folder made once
(migrated, one account), and measures the user + system CPU of the child process from
``resource.getrusage(RUSAGE_CHILDREN)`` before and after it: CPU, not wall time, so that other
work on the machine counts less. Reports the median of ``--runs`` runs per command, and each
figure beyond the bare interpreter (``python -c pass``), against the target: 0.5 s of CPU
beyond the bare Python start for ``coffeechat --help`` and a one-row import.

    .venv/bin/python bench/cli_start.py [--runs 7]
    .venv/bin/python bench/cli_start.py --src /tmp/old-checkout/src   # another version's code

``--src`` puts another checkout's ``src`` first on the path (the same virtualenv runs it), to
measure a version before a change on the same machine, minutes apart. Each import run imports a
new one-row file (a new person each time), so every run writes one contact.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", metavar="DIR", help="another checkout's src folder to measure")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coffeechat-cli-bench-") as tmp:
        folder = Path(tmp)
        env = os.environ | {"COFFEECHAT_DATA_DIR": str(folder / "data"), "COFFEECHAT_TESTING": "0"}
        for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "COFFEECHAT_DEBUG"):
            env.pop(name, None)
        if args.src:
            env["PYTHONPATH"] = str(Path(args.src).resolve())
        coffeechat = [sys.executable, "-m", "coffeechat"]
        # The data folder as a user has it after a first command: tables made, one account.
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
        cases: list[tuple[str, Callable[[], float]]] = [
            ("python -c pass", lambda: run_measured([sys.executable, "-c", "pass"], env)),
            ("coffeechat --help", lambda: run_measured([*coffeechat, "--help"], env)),
            (
                "coffeechat import --help",
                lambda: run_measured([*coffeechat, "import", "--help"], env),
            ),
            (
                "coffeechat check-message (15 words)",
                lambda: run_measured([*coffeechat, "check-message", "-"], env, stdin=MESSAGE),
            ),
            (
                "coffeechat import ONE-ROW.csv --user bench",
                lambda: run_measured(
                    [
                        *coffeechat,
                        "import",
                        str(one_row_csv(folder, next(counter))),
                        "--user",
                        USERNAME,
                    ],
                    env,
                ),
            ),
        ]
        # Warm the file cache and the bytecode caches once, then measure round-robin so that a
        # burst of load elsewhere hits every command alike.
        for _, case in cases:
            case()
        samples: dict[str, list[float]] = {label: [] for label, _ in cases}
        for _ in range(args.runs):
            for label, case in cases:
                samples[label].append(case())

    bare = statistics.median(samples["python -c pass"])
    load = os.getloadavg()
    print(
        f"CPU of each command (user + sys, median of {args.runs}; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; Python {sys.version.split()[0]}"
        f"{'; src ' + args.src if args.src else ''})"
    )
    print(f"{'command':<44} {'median s':>9} {'min s':>7} {'max s':>7} {'beyond python':>14}")
    missed = []
    for label, values in samples.items():
        median = statistics.median(values)
        beyond = median - bare
        targeted = label in ("coffeechat --help", "coffeechat import ONE-ROW.csv --user bench")
        verdict = ""
        if targeted:
            ok = beyond < TARGET_BEYOND_PYTHON_S
            verdict = "  PASS" if ok else f"  FAIL (target {TARGET_BEYOND_PYTHON_S} s)"
            if not ok:
                missed.append(label)
        print(
            f"{label:<44} {median:9.3f} {min(values):7.3f} {max(values):7.3f} "
            f"{'' if label.startswith('python') else f'{beyond:14.3f}'}{verdict}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
