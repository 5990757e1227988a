"""Render a sample of a corpus's valid plans with one `qunce plan --format html` process each.

A small driver that any version of qunce can be timed with from outside (the driver is the same
for both, so comparing two installs compares their `plan`): the sample is the one bench/run.py
renders (the manifest's valid plans, `random.Random(seed).sample`, sorted).

    python bench/plans.py CORPUS QUNCE [--sample 20] [--seed 1]

CORPUS is a folder written by bench/corpus.py; QUNCE the `qunce` executable to run. Exit status
0 when every plan rendered, 1 otherwise (the failures are listed on standard error).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path


def sample(corpus: Path, n: int, seed: int) -> list[str]:
    """The valid plans bench/run.py renders, in name order."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    valid = [f"{corpus}/{f['file']}" for f in manifest["files"] if f["kind"] != "invalid"]
    return sorted(random.Random(seed).sample(valid, min(n, len(valid))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("qunce")
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for plan in sample(args.corpus, args.sample, args.seed):
            out = Path(tmp) / (Path(plan).stem + ".html")
            run = subprocess.run([args.qunce, "plan", plan, "--format", "html", "-o", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if run.returncode != 0 or not out.is_file():
                failed.append(f"{plan}: exit {run.returncode} {run.stderr.strip()[-200:]}")
    for line in failed:
        print(line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
