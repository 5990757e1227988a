"""The long fuzz run: tests/test_fuzz.py in seeded chunks, several at once, with a record.

One pytest process for 100,000 cases would use one core and say nothing for hours. Chunks with
distinct hypothesis seeds run on every core, report progress as they finish, stop at the first
failure (printing the seed that reproduces it) and treat a chunk that overruns its time as a hang.

    python tools/fuzz.py                       # 100,000 cases, chunks of 5,000, one job per core
    python tools/fuzz.py --cases 2000 --chunk 500 --record docs/fuzz-run.md

Hypothesis counts the examples it actually ran ("N passing, 0 failing"); the total reported is the
sum of those counts, not the number asked for.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSING = re.compile(r"(\d+) passing, (\d+) failing")


def run_chunk(seed: int, cases: int, timeout: float) -> tuple[int, int, str, float]:
    """(seed, passing examples, output, seconds); passing is -1 on a failure or hang."""
    env = dict(os.environ, QUNCE_FUZZ_EXAMPLES=str(cases))
    cmd = [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-m", "fuzz", "-x", "-q", "-p", "no:cacheprovider",
           f"--hypothesis-seed={seed}", "--hypothesis-show-statistics"]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return seed, -1, f"chunk overran {timeout:.0f} s (a hang)\n{out}", time.monotonic() - started
    elapsed = time.monotonic() - started
    found = PASSING.findall(proc.stdout)
    if proc.returncode != 0 or not found:
        return seed, -1, proc.stdout + proc.stderr, elapsed
    return seed, sum(int(p) for p, _ in found), proc.stdout, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1, help="seed of the first chunk; chunk k uses seed+k")
    parser.add_argument("--seconds-per-case", type=float, default=2.0,
                        help="a chunk taking longer than chunk x this counts as a hang")
    parser.add_argument("--record", type=Path, help="write a Markdown record of the run here")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.chunk < 1 or args.jobs < 1:
        parser.error("--cases, --chunk and --jobs must be positive")

    commit = _commit()
    sizes = [min(args.chunk, args.cases - i) for i in range(0, args.cases, args.chunk)]
    seeds = [args.seed + k for k in range(len(sizes))]
    started, done, rows, failure = time.monotonic(), 0, [], None
    print(f"fuzz: {args.cases:,} cases in {len(sizes)} chunks, {args.jobs} at a time", flush=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_chunk, s, n, max(600.0, n * args.seconds_per_case)) for s, n in zip(seeds, sizes)]
        for future in as_completed(futures):
            seed, passed, output, seconds = future.result()
            if passed < 0:
                failure = (seed, output)
                for f in futures:
                    f.cancel()
                break
            done += passed
            rows.append((seed, passed, seconds))
            elapsed = time.monotonic() - started
            print(f"  seed {seed:>4}: {passed:>6,} cases in {seconds:6.0f} s · {done:>7,} done · "
                  f"{elapsed / 60:5.1f} min · {done / elapsed:5.1f} cases/s", flush=True)
    elapsed = time.monotonic() - started
    if failure:
        seed, output = failure
        log = Path(tempfile.gettempdir()) / f"qunce-fuzz-seed{seed}.log"
        log.write_text(output, encoding="utf-8")
        print(output[-6000:], file=sys.stderr)
        print(f"fuzz: the whole output of the failing chunk is in {log}", file=sys.stderr)
        print(f"fuzz: FAILED in the chunk with seed {seed}; repeat it with\n"
              f"  QUNCE_FUZZ_EXAMPLES={args.chunk} python -m pytest tests/test_fuzz.py -m fuzz -x "
              f"--hypothesis-seed={seed}", file=sys.stderr)
        return 1
    print(f"fuzz: {done:,} cases, no failure, {elapsed / 60:.1f} min")
    if args.record:
        _record(args.record, rows, done, elapsed, args, commit)
    return 0


def _commit() -> str:
    """The commit under test, taken when the run starts; "+changes" when the tree differs from it."""
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" +changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def _record(path: Path, rows: list, done: int, elapsed: float, args: argparse.Namespace, commit: str) -> None:
    lines = [
        "# Long fuzz run / 长跑模糊测试记录", "",
        f"Written by `python tools/fuzz.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"at commit `{commit}`, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, {args.jobs} jobs.", "",
        f"- Cases run (hypothesis's own count of passing examples): **{done:,}**",
        "- Failures: **0** (every case exited 0, 1 or 2 with a message, no traceback, no hang, "
        "no partial output file, input unchanged; every valid plan rendered or was stopped by the time bound)",
        f"- Wall time: {elapsed / 60:.1f} min ({done / elapsed:.1f} cases/s)", "",
        "| seed | cases | seconds |", "|---:|---:|---:|",
        *[f"| {seed} | {n:,} | {s:.0f} |" for seed, n, s in sorted(rows)], "",
        "Repeat one chunk: `QUNCE_FUZZ_EXAMPLES=<cases> python -m pytest tests/test_fuzz.py -m fuzz -x "
        "--hypothesis-seed=<seed>`.", "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    sys.exit(main())
