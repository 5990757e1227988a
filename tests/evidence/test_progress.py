"""The progress of a long read: bytes read out of all the exports' size (a row count cannot say
how much is left), drawn as a bar on a terminal and nowhere else."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

from qunce.engine.evidence.readers import Meter, read_export

FIXTURES = Path(__file__).parent / "fixtures"
TELEGRAM = FIXTURES / "telegram" / "result.json"
WECHAT = FIXTURES / "wechatmsg" / "读书会_utf8.csv"


def test_the_meter_counts_bytes_of_every_export_to_the_whole():
    """A JSON export and a CSV export, read in one run: the meter knows their whole size before the
    first message, is part way after the first export, and at the whole size at the end."""
    meter = Meter()
    total = TELEGRAM.stat().st_size + WECHAT.stat().st_size
    reading = read_export([str(TELEGRAM), str(WECHAT)], meter=meter)
    next(reading)
    assert meter.total == total and meter.done() <= TELEGRAM.stat().st_size
    seen = [meter.done()]
    for _ in reading:
        seen.append(meter.done())
    assert seen == sorted(seen)  # never goes back
    assert meter.done() == total


def test_a_folder_of_pages_counts_its_pages_to_the_whole():
    """A PyWxDump folder: its message pages are what is streamed (users.json is a small side file)."""
    meter = Meter()
    folder = FIXTURES / "pywxdump"
    list(read_export([str(folder)], meter=meter))
    assert meter.total == sum(p.stat().st_size for p in folder.glob("*_*_*.csv"))
    assert meter.done() == meter.total


def test_observe_draws_a_bar_on_a_terminal_only(tmp_path):
    """On a terminal the bar reaches 100% and names the messages read; piped, stderr has no bar."""
    export = tmp_path / "result.json"
    shutil.copy(TELEGRAM, export)
    qunce = [sys.executable, "-m", "qunce", "observe", str(export)]
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(qunce, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=secondary,
                              cwd=tmp_path, timeout=120, env=dict(os.environ, QUNCE_LANG="en", COLUMNS="100"))
        os.close(secondary)
        drawn = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(primary)
    assert proc.returncode == 0, drawn.decode("utf-8", "replace")
    text = drawn.decode("utf-8", "replace")
    assert "reading exports" in text and "100%" in text and "messages" in text
    piped = subprocess.run(qunce, stdin=subprocess.DEVNULL, capture_output=True, cwd=tmp_path, timeout=120,
                           env=dict(os.environ, QUNCE_LANG="en"))
    assert piped.returncode == 0 and "reading exports" not in piped.stderr.decode("utf-8", "replace")

