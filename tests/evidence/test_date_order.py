"""`qunce observe --date-order`: a Discord CSV whose dates cannot tell day from month is read in the
order the operator names, through api to the reader; without it the reader guesses and says so."""

from __future__ import annotations

import csv

import yaml
from click.testing import CliRunner

from qunce.cli import cli


def _export(tmp_path):
    """Two days that read either way: 03/04 and 05/04 (3 and 5 April, or 4 March and 4 May)."""
    path = tmp_path / "读书会 - general [900000000000000002].csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"])
        w.writerow(["300000000000000004", "member4", "03/04/2026 10:00", "早上好", "", ""])
        w.writerow(["300000000000000005", "member5", "05/04/2026 11:00", "晚安", "", ""])
    plan = tmp_path / "club.yaml"
    plan.write_text("version: 1\ncommunity: {name: 读书会}\nstructure: {platform: discord, groups: [{name: 读书会}]}\n",
                    "utf-8")
    return path, plan


def _as_of(tmp_path, *extra):
    path, plan = _export(tmp_path)
    result = CliRunner().invoke(cli, ["observe", str(path), "--plan", str(plan), "--lang", "en", *extra])
    assert result.exit_code == 0, result.output
    return yaml.safe_load(plan.read_text("utf-8"))["observed"]["as_of"], result.output


def test_dmy_and_mdy_read_the_same_file_differently(tmp_path):
    """dmy: the last message is 5 April; mdy: 4 May; no ambiguity notice when the order is given."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    dmy, out = _as_of(tmp_path / "a", "--date-order", "dmy")
    mdy, _ = _as_of(tmp_path / "b", "--date-order", "mdy")
    assert (str(dmy), str(mdy)) == ("2026-04-05", "2026-05-04")
    assert "day/month order" not in out


def test_without_the_option_the_guess_is_reported(tmp_path):
    """Left out: read as mdy, with the reader's notice that the dates do not show the order."""
    as_of, out = _as_of(tmp_path)
    assert str(as_of) == "2026-05-04" and "day/month order" in out


def test_an_unknown_order_is_a_usage_error(tmp_path):
    """Anything but dmy, mdy or ymd: exit 2 with click's message, no traceback."""
    path, plan = _export(tmp_path)
    result = CliRunner().invoke(cli, ["observe", str(path), "--plan", str(plan), "--date-order", "dym"])
    assert result.exit_code == 2 and "Traceback" not in result.output
