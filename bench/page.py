"""How fast the local page answers (issue 14): validation plus diagnosis round trip and the plan
document preview, over HTTP to a real `qunce serve` server on 127.0.0.1, warm, for one plan.

    python bench/page.py [PLAN] [--checks 50] [--previews 20]

Prints p50, p95 and max in milliseconds; the targets are a check round trip of at most 100 ms and
a preview of at most 500 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _summary(samples: list[float]) -> str:
    ms = sorted(x * 1000 for x in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):.1f} ms · p95 {p95:.1f} ms · max {ms[-1]:.1f} ms (n={len(ms)})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("plan", nargs="?", default=str(ROOT / "examples" / "reading-club.yaml"))
    ap.add_argument("--checks", type=int, default=50)
    ap.add_argument("--previews", type=int, default=20)
    args = ap.parse_args(argv)

    import uvicorn

    from qunce.engine.api import load_rules
    from qunce.engine.web import create_app

    folder = Path(tempfile.mkdtemp(prefix="qunce-bench-page-"))
    name = Path(args.plan).name
    shutil.copy(args.plan, folder / name)
    token, port = "bench-token-0123456789", _free_port()
    app = create_app(folder, token=token, rules=load_rules())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.open(f"{base}/?token={token}").read()

        def post(path: str, body: dict) -> float:
            request = urllib.request.Request(base + path, data=json.dumps(body).encode("utf-8"), method="POST",
                                             headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            opener.open(request).read()
            return time.perf_counter() - started

        text = (folder / name).read_text(encoding="utf-8")
        for _ in range(5):  # warm: compiled packs, templates, schema
            post("/api/check", {"name": name, "text": text})
            post("/api/preview", {"name": name, "text": text})
        checks = [post("/api/check", {"name": name, "text": text}) for _ in range(args.checks)]
        previews = [post("/api/preview", {"name": name, "text": text}) for _ in range(args.previews)]
    finally:
        server.should_exit = True
        thread.join(10)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"plan: {name}")
    print(f"validation + diagnosis round trip: {_summary(checks)}  (target p95 <= 100 ms)")
    print(f"document preview:                  {_summary(previews)}  (target p95 <= 500 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
