"""Benchmark of `qunce observe` on large chat exports (issue 13): time and peak memory against floors.

For each size it generates one conversation (tools/synth_exports.py, seeded) in the Telegram
Desktop and WeChatMsg CSV layouts, then runs, each in its own process so that wait4's rusage gives
that run's peak resident set and CPU seconds:

- the naive floor: `json.load` of the whole Telegram file / `csv.reader` over the whole CSV;
- the streaming floor: ijson's C backend over `messages.item` (Telegram) / pyarrow's streaming
  CSV reader block by block (WeChat);
- for the CSV, the store floor: DuckDB's own reader loading the file as it is into a table on one
  thread, the least a design that keeps the messages in DuckDB can spend before any metric;
- `qunce observe EXPORT` end to end (read, normalise, store, all metrics, roles) in a fresh folder;
- the incremental cost of a second export of the same group: the store first holds the first 75%
  of the messages, then an export of the last 50% (half of it already stored) is observed.

    .venv/bin/python bench/observe.py --sizes 1000000,10000000
    .venv/bin/python bench/observe.py --sizes 200000 --work /tmp/qunce-observe-bench   # a quick trial

It reports figures; it never fails because a target is missed. The figures go to standard output
as a Markdown table (and `--json FILE`); bench/RESULTS.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SEED = 7

JSON_LOAD = "import json,sys\nwith open(sys.argv[1], encoding='utf-8') as f: d = json.load(f)\nprint(len(d['messages']))"
CSV_READER = ("import csv,sys\nwith open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
              "    print(sum(1 for _ in csv.reader(f)) - 1)")
IJSON = ("import sys, ijson.backends.yajl2_c as ij\nwith open(sys.argv[1], 'rb') as f:\n"
         "    print(sum(1 for _ in ij.items(f, 'messages.item', use_float=True)))")
ARROW_CSV = ("import sys, pyarrow.csv as pc\nr = pc.open_csv(sys.argv[1])\nn = 0\nfor b in r: n += b.num_rows\nprint(n)")
# The least any design that keeps the messages in DuckDB can spend on a CSV: DuckDB's own C++ reader
# loading the file as it is into a table, on one thread, before any normalising or metric.
DUCK_CSV = ("import sys, duckdb\ncon = duckdb.connect()\ncon.execute('SET threads=1')\n"
            "con.execute('CREATE TABLE m AS SELECT * FROM read_csv(?, header=true)', [sys.argv[1]])\n"
            "print(con.execute('SELECT count(*) FROM m').fetchone()[0])")


def measure(argv: list[str], cwd: Path) -> dict:
    """One process: wall and CPU seconds (user + system), peak RSS in MB, exit code, stderr tail."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err.seek(0)
        tail = err.read()[-600:].decode("utf-8", "replace")
    return {"wall": round(wall, 2), "cpu": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024), "exit": os.waitstatus_to_exitcode(status), "stderr": tail}


def generate(work: Path, n: int) -> dict[str, Path]:
    """The full export per layout, plus its first 75% and last 50% (same group, overlapping).

    Written by a child process: Linux hands a child the parent's peak resident set at fork, so the
    measuring process itself must stay small for the children's peaks to be their own.
    """
    out = work / f"n{n}"
    done = out / "done.json"
    if not done.is_file():
        subprocess.run([PY, str(Path(__file__).resolve()), "--generate", str(n), "--work", str(work)], check=True)
    return {k: Path(v) for k, v in json.loads(done.read_text()).items()}


def _generate(work: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from synth_exports import write_all

    out = work / f"n{n}"
    shutil.rmtree(out, ignore_errors=True)
    paths = write_all(str(out), n, SEED, "healthy", ("telegram-json", "wechatmsg-csv"))
    tg, wc = Path(paths["telegram-json"]), Path(paths["wechatmsg-csv"])
    files = {"telegram": tg, "wechat": wc}
    files.update(_slices(tg, out, "telegram", "utf-8"))
    files.update(_slices(wc, out, "wechat", "utf-8-sig"))
    (out / "done.json").write_text(json.dumps({k: str(v) for k, v in files.items()}))


def _split(line: str, fmt: str, state: list[str]) -> str:
    """Which part of the file a line is: 'head', 'body' (one record) or 'tail'."""
    if state[0] == "head":
        if fmt == "wechat" or line.rstrip().endswith("["):
            state[0] = "body"
        return "head"
    if state[0] == "body" and fmt == "telegram" and not line.lstrip().startswith("{"):
        state[0] = "tail"
    return state[0]


def _slices(path: Path, out: Path, fmt: str, encoding: str) -> dict[str, Path]:
    """First 75% and last 50% of the records, streamed line by line: the synthetic writers put one
    record per line (JSON: one message per line between the header and `]`; CSV: no newline inside
    a field)."""
    state = ["head"]
    with open(path, encoding=encoding, newline="") as fh:
        body = sum(1 for line in fh if _split(line, fmt, state) == "body")
    result = {}
    for name, lo, hi in ((f"{fmt}-first", 0, body * 3 // 4), (f"{fmt}-second", body // 2, body)):
        target = out / name / path.name
        target.parent.mkdir(exist_ok=True)
        state, i = ["head"], 0
        with open(path, encoding=encoding, newline="") as src, \
                open(target, "w", encoding=encoding, newline="") as dst:
            for line in src:
                part = _split(line, fmt, state)
                if part != "body":
                    dst.write(line)
                    continue
                if lo <= i < hi:
                    if fmt == "telegram":  # the last message written takes no comma
                        line = line.rstrip().rstrip(",") + (",\n" if i < hi - 1 else "\n")
                    dst.write(line)
                i += 1
        result[name] = target
    return result


def observe(exports: list[Path], store: Path) -> dict:
    return measure([PY, "-m", "qunce", "observe", *map(str, exports)], store)


def bench_size(work: Path, n: int, naive: bool) -> list[dict]:
    files = generate(work, n)
    rows = []
    for fmt, naive_code, naive_name, stream_code, stream_name in (
            ("telegram", JSON_LOAD, "json.load", IJSON, "ijson C backend"),
            ("wechat", CSV_READER, "csv.reader", ARROW_CSV, "pyarrow.csv streaming")):
        export = files[fmt]
        size_mb = export.stat().st_size / 2**20
        print(f"[{n:,}] {fmt}: {size_mb:.0f} MB", file=sys.stderr, flush=True)
        fig = {"size": n, "format": fmt, "file_mb": round(size_mb)}
        if naive or fmt == "wechat":
            fig["naive"] = {"name": naive_name, **measure([PY, "-c", naive_code, str(export)], ROOT)}
        else:
            fig["naive"] = {"name": naive_name, "skipped": "needs several times the file's size in memory"}
        fig["stream"] = {"name": stream_name, **measure([PY, "-c", stream_code, str(export)], ROOT)}
        if fmt == "wechat":
            fig["store"] = {"name": "DuckDB read_csv into a table", **measure([PY, "-c", DUCK_CSV, str(export)], ROOT)}
        with tempfile.TemporaryDirectory(dir=work) as store:
            fig["observe"] = observe([export], Path(store))
            fig["observe"]["messages"] = _count(Path(store))
        with tempfile.TemporaryDirectory(dir=work) as store:
            fig["first"] = observe([files[f"{fmt}-first"]], Path(store))
            fig["second"] = observe([files[f"{fmt}-second"]], Path(store))
            fig["second"]["messages"] = _count(Path(store), last=True)
        rows.append(fig)
        print(json.dumps(fig, ensure_ascii=False), file=sys.stderr, flush=True)
    return rows


def _count(store: Path, last: bool = False) -> int:
    """Rows read by the (last) load, from the store's own `loads` table."""
    code = ("import duckdb,sys\ncon = duckdb.connect(sys.argv[1], read_only=True)\n"
            "print(con.execute('SELECT rows_in FROM loads ORDER BY load_id DESC LIMIT 1').fetchone()[0])")
    out = subprocess.run([PY, "-c", code, str(store / ".qunce" / "evidence.duckdb")], capture_output=True,
                         text=True, check=True)
    return int(out.stdout.strip())


def table(figs: list[dict]) -> str:
    """The Markdown table of RESULTS.md's evidence section."""
    lines = ["| messages | layout | file MB | naive floor CPU s (peak MB) | streaming floor CPU s | "
             "`qunce observe` CPU s | msg/CPU-s | peak MB | × naive | × streaming | second export (last 50%, half already stored) |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for f in figs:
        o, s, nv, sec = f["observe"], f["stream"], f["naive"], f["second"]
        naive = f"{nv['name']} {nv['cpu']} ({nv['peak_mb']})" if "cpu" in nv else f"{nv['name']}: not run"
        ratio_naive = f"{o['cpu'] / nv['cpu']:.2f}×" if "cpu" in nv and nv["cpu"] else "–"
        stream = f"{s['name']} {s['cpu']}"
        if "store" in f:  # the CSV's store floor beside its streaming floor; the ratio stays to the latter
            stream += f"; {f['store']['name']} {f['store']['cpu']}"
        lines.append(
            f"| {f['size']:,} | {f['format']} | {f['file_mb']} | {naive} | {stream} | {o['cpu']} | "
            f"{o['messages'] / o['cpu']:,.0f} | {o['peak_mb']} | {ratio_naive} | {o['cpu'] / s['cpu']:.1f}× | "
            f"{sec['cpu']} s for {sec['messages']:,}, {sec['peak_mb']} MB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000000,10000000", help="messages per export, comma-separated")
    ap.add_argument("--work", default=None, help="folder for exports and stores (default: a temporary one)")
    ap.add_argument("--naive-max", type=int, default=3_000_000,
                    help="largest size at which json.load is run (it needs ~2 GB per 1M messages)")
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    ap.add_argument("--generate", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generate:
        _generate(Path(args.work), args.generate)
        return 0
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="qunce-observe-"))
    work.mkdir(parents=True, exist_ok=True)
    figs = []
    for n in (int(x) for x in args.sizes.split(",")):
        figs += bench_size(work, n, n <= args.naive_max)
    if args.json:
        Path(args.json).write_text(json.dumps(figs, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(figs))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
