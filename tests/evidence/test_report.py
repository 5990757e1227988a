"""The evidence report (`qunce observe --report`): for a generated dying group each section carries
the figures the store and the plan's own diagnosis give when computed another way; md and html
from one run agree; names from an export never become markup; --anonymize leaves no real name;
unanswered questions are listed by time and id, never by text; nothing is written over an input."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine import api
from qunce.engine.evidence.store import EvidenceStore
from qunce.engine.views.evidence import SECTION_IDS, pct

from conftest import EXAMPLES, load_tool

GROUP = "读书成长营1群"

EVENTS = ("join", "leave", "removal", "recall", "pin")
CHAT = "<b>群</b> [x](javascript:1) {{ 7*7 }}"
HOSTILE = ("<script>alert(1)</script>", "{{ 7*7 }}", "[点我](javascript:alert(1))", "<img src=x onerror=alert(1)>")


def _plan(folder: Path) -> Path:
    """A copy of the reading-club example whose owner has the generated owner's name."""
    text = (EXAMPLES / "reading-club.yaml").read_text("utf-8").replace("name: 林老师", "name: 陈一帆")
    plan = folder / "club.yaml"
    plan.write_text(text, "utf-8")
    return plan


class Sections(HTMLParser):
    """Each <section id>'s tables (rows of cell texts) and its whole text."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None
        self.row: list[str] | None = None
        self.tags: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        attrs = dict(attrs)
        if tag == "section":
            self.current = attrs.get("id")
            self.sections[self.current] = {"tables": [], "text": ""}
        elif self.current and tag == "table":
            self.sections[self.current]["tables"].append([])
        elif self.current and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.sections[self.current]["tables"][-1].append(self.row)
            self.row = None
        elif tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.current:
            self.sections[self.current]["text"] += data


def parse(html: str) -> Sections:
    p = Sections()
    p.feed(html)
    return p


def md_tables(md: str) -> dict[str, list[list[str]]]:
    """The Markdown report's tables per `##` section (in SECTION_IDS order), cells unescaped."""
    out: dict[str, list[list[str]]] = {}
    parts = re.split(r"^## .*$", md, flags=re.M)[1:]
    for sid, part in zip(SECTION_IDS, parts):
        rows = [[c.strip().replace("\\", "") for c in line.strip().strip("|").split(" | ")]
                for line in part.splitlines() if line.startswith("|") and not line.startswith("|--")
                and not line.startswith("|---")]
        out[sid] = rows
    return out


@pytest.fixture(scope="module")
def dying_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("dying-report")
    export = load_tool("synth_exports").write_all(str(out / "x"), 20000, seed=7, scenario="dying", layouts=("wechatmsg-csv",))
    plan = _plan(out)
    obs = api.observe([export["wechatmsg-csv"]], plan=str(plan), group=GROUP)
    html = api.evidence_report(obs, plan=str(plan), fmt="html")
    md = api.evidence_report(obs, plan=str(plan), fmt="md")
    with EvidenceStore.open(plan, create=False) as store:
        rows = list(store.rows("SELECT ts, sender_id, kind FROM messages"))
    return {"obs": obs, "html": html, "md": md, "rows": rows, "plan": plan, "export": export["wechatmsg-csv"]}


def _weekly(rows, as_of: date) -> dict[str, tuple[int, int]]:
    """Messages and speakers per Monday week in Shanghai time, counted in Python from raw rows."""
    messages, speakers = Counter(), defaultdict(set)
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time()) - timedelta(hours=8)
    for r in rows:
        if r["ts"] >= end or r["kind"] in EVENTS:
            continue
        day = (r["ts"] + timedelta(hours=8)).date()
        week = (day - timedelta(days=day.weekday())).isoformat()
        messages[week] += 1
        if r["sender_id"] is not None:
            speakers[week].add(r["sender_id"])
    return {w: (messages[w], len(speakers[w])) for w in messages}


def test_every_section_in_order_self_contained(dying_run):
    """Seven sections in reading order; two inline SVG charts; no script, no external reference."""
    html = dying_run["html"]
    p = parse(html)
    assert list(p.sections) == list(SECTION_IDS)
    assert html.count("<svg") == 2 and p.tags["script"] == 0
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "@media print" in html and 'name="viewport"' in html


def test_groups_and_this_week(dying_run):
    """The ranked group table carries observe's figures; the riskiest group is named first."""
    obs, p = dying_run["obs"], parse(dying_run["html"])
    g = obs.groups[0]
    header, first = p.sections["groups"]["tables"][0][:2]
    assert first[1] == GROUP and float(first[2]) == g["risk"] and int(first[3]) == g["members"]
    assert int(first[5]) == g["messages_7d"] and first[6] == pct(g["churn_30d"])
    week = p.sections["week"]["text"]
    assert GROUP in week and str(int(g["risk"])) in week
    assert g["risk"] > 50  # the dying group is flagged, not just listed


def test_activity_matches_the_raw_rows(dying_run):
    """Messages and speakers per week equal counts done in Python over the stored rows."""
    obs, p = dying_run["obs"], parse(dying_run["html"])
    expected = _weekly(dying_run["rows"], date.fromisoformat(obs.observed["as_of"]))
    table = p.sections["activity"]["tables"][0][1:]
    assert len(table) == len(expected) >= 8
    for week, messages, speakers, *_ in table:
        assert (int(messages), int(speakers)) == expected[week], week
    # the dying group: far fewer speakers in the last full week than at the peak
    assert int(table[-2][2]) * 5 < max(int(r[2]) for r in table)


def test_cohorts_roles_and_sins(dying_run):
    """Cohort sizes cover every person once; role counts are observe's; every observed-basis
    finding of `qunce check` on the same figures is in the report with its figure and window."""
    obs, p = dying_run["obs"], parse(dying_run["html"])
    cohorts = p.sections["cohorts"]["tables"][0][1:]
    people = {r["sender_id"] for r in dying_run["rows"] if r["sender_id"] is not None}
    assert sum(int(r[1]) for r in cohorts) == len(people)
    first = obs.metrics["cohorts"][0]
    assert cohorts[0][2] == pct(first["active"][0] / first["size"])
    roles = {r[0]: r[1] for r in p.sections["roles"]["tables"][0][1:]}
    assert roles["组织者"] == str(obs.roles["roles"]["organizer"]["count"])
    assert roles["围观者"] == str(obs.roles["roles"]["onlooker"]["count"])
    assert roles["挑战者"].startswith("未知")  # no text stored: unknown, never zero
    side = CliRunner().invoke(cli, ["observe", dying_run["export"], "--plan", str(dying_run["plan"]), "--group", GROUP,
                                    "--sidecar"])
    assert side.exit_code == 0, side.output
    checked = json.loads(CliRunner().invoke(cli, ["check", str(dying_run["plan"]), "--format", "json",
                                                  "--fail-on", "never"]).output)["files"][0]["findings"]
    titles = {f["title"] for f in checked if f["basis"] == "observed"}
    text = p.sections["sins"]["text"]
    assert titles and all(t in text for t in titles)
    assert f"churn_30d = {pct(obs.observed['churn_30d'])} · 近 30 天" in text
    assert f"owner_share_30d = {pct(obs.observed['owner_share_30d'])} · 近 30 天" in text


def test_markdown_and_html_agree(dying_run):
    """The same run's Markdown and HTML tables hold the same cells."""
    html, md = parse(dying_run["html"]), md_tables(dying_run["md"])
    for sid in ("groups", "activity", "cohorts"):
        assert [r for r in html.sections[sid]["tables"][0]] == md[sid], sid


def test_english(dying_run):
    """--lang en goes through the catalog: English headings, the same numbers."""
    en = api.evidence_report(dying_run["obs"], plan=str(dying_run["plan"]), fmt="md", lang="en")
    assert "## What to do this week" in en and "本周要做的事" not in en
    assert md_tables(en)["activity"][1:] == md_tables(dying_run["md"])["activity"][1:]


def _hostile_export(path: Path) -> Path:
    """A Telegram export with hostile member and chat names, one answered and one unanswered question."""
    base = datetime(2026, 5, 4, 9, 0)

    def msg(i, minutes, who, uid, text):
        ts = base + timedelta(minutes=minutes)
        return {"id": i, "type": "message", "date": ts.isoformat(), "date_unixtime": str(int(ts.timestamp())),
                "from": who, "from_id": uid, "text": text, "text_entities": [{"type": "plain", "text": text}]}

    names = [(HOSTILE[i % len(HOSTILE)] + f" {i}", f"user{i}") for i in range(6)]
    messages = [msg(1, 0, *names[0], "大家好"), msg(2, 1, *names[1], "请问周六的活动在哪里报名？"),
                msg(3, 3, *names[2], "在群公告里")]
    messages += [msg(10 + i, 10 + i, *names[i % 3], "哈哈") for i in range(5)]
    messages.append(msg(20, 60, *names[3], "有人知道秘密暗号是什么吗？"))
    messages.append(msg(40, 60 * 30, *names[4], "早上好"))  # 29 hours later: question 20 went unanswered
    data = {"name": CHAT, "type": "private_supergroup", "id": 99, "messages": messages}
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize("anonymize", [False, True])
def test_hostile_names_escaped_and_anonymised(tmp_path, monkeypatch, anonymize):
    """Member and chat names with markup stay text in both formats; with --anonymize no member
    name appears at all; the unanswered question is there by id and time, its text nowhere."""
    monkeypatch.chdir(tmp_path)  # without --plan the store sits in the working folder
    export = _hostile_export(tmp_path / "result.json")
    args = ["observe", str(export), "--report", str(tmp_path / "r.html")] + (["--anonymize"] if anonymize else [])
    for out in ("r.html", "r.md"):
        args[3] = str(tmp_path / out)
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    html, md = (tmp_path / "r.html").read_text("utf-8"), (tmp_path / "r.md").read_text("utf-8")
    p = parse(html)
    assert p.tags["script"] == 0 and p.tags["img"] == 0 and p.tags["b"] == 0
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only ever inside text, never an attribute
    assert "](javascript" not in md.replace("\\]", "")  # every bracket escaped: no link
    assert not re.search(r"(?<!\\)<(script|img|b>)", md)  # Markdown escapes them with a backslash
    assert p.sections["groups"]["tables"][0][1][1] == CHAT  # shown as the characters it is
    assert "49" not in p.sections["groups"]["text"]
    for text in ("秘密暗号", "周六的活动"):
        assert text not in html and text not in md
    unanswered = p.sections["unanswered"]["tables"][0][1:]
    assert [r[2] for r in unanswered] == ["20"] and unanswered[0][0].startswith("2026-05-0")
    assert "1 个提问" in p.sections["unanswered"]["text"]
    who = " ".join(r[2] for r in p.sections["roles"]["tables"][0][1:])
    if anonymize:
        assert all(h not in html and h not in md for h in ("alert(1)", "点我", "onerror"))  # member names only
        assert "user" not in who and re.search(r"[0-9a-f]{16}", who)
    else:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_never_over_an_input(tmp_path, monkeypatch):
    """--report naming the export or the evidence store is refused (exit 2); both stay intact."""
    monkeypatch.chdir(tmp_path)
    export = _hostile_export(tmp_path / "result.json")
    before = export.read_bytes()
    for target in (export, tmp_path / ".qunce" / "evidence.duckdb"):
        result = CliRunner().invoke(cli, ["observe", str(export), "--report", str(target)])
        assert result.exit_code == 2 and "output-is-input" in result.output, result.output
    assert export.read_bytes() == before
