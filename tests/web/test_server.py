"""The page's server API through Starlette's TestClient: who may talk to it, live checks, the
deliberate-edit Save with its conflict, drafts, outputs and the wizard."""

from __future__ import annotations

import base64
import shutil
import socket
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from qunce.engine.api import load_rules, render_plan_file
from qunce.engine.web import create_app
from qunce.engine.web.app import localized_schema
from qunce.engine.web.guard import cookie_name, host_name
from qunce.engine.web.server import bind

TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1:8765"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture
def folder(tmp_path):
    shutil.copy(EXAMPLES / "reading-club.yaml", tmp_path / "reading-club.yaml")
    shutil.copy(EXAMPLES / "coffee-fans.yaml", tmp_path / "coffee-fans.yaml")
    return tmp_path


@pytest.fixture
def client(folder, rules):
    app = create_app(folder, token=TOKEN, rules=rules)
    with TestClient(app, base_url=BASE) as c:
        assert c.get(f"/?token={TOKEN}", follow_redirects=False).status_code == 303
        yield c


def _opened(client, name="reading-club.yaml"):
    out = client.get("/api/plan", params={"name": name}).json()
    assert out["name"] == name
    return out


def test_requests_without_the_token_or_cookie_are_refused(folder, rules):
    """No cookie, no token (or a wrong one): 403 on the page and on the API."""
    with TestClient(create_app(folder, token=TOKEN, rules=rules), base_url=BASE) as c:
        assert c.get("/").status_code == 403
        assert c.get("/api/boot").status_code == 403
        assert c.get("/?token=wrong").status_code == 403
        assert c.post("/api/check", json={"text": "version: 1\n"}).status_code == 403


def test_the_token_is_traded_for_an_httponly_strict_cookie_and_leaves_the_url(folder, rules):
    with TestClient(create_app(folder, token=TOKEN, rules=rules), base_url=BASE) as c:
        r = c.get(f"/?token={TOKEN}&plan=x.yaml", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/?plan=x.yaml"
        cookie = r.headers["set-cookie"]
        assert cookie.startswith(f"{cookie_name(TOKEN)}={TOKEN}")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert c.get("/api/boot").status_code == 200


def test_a_foreign_host_is_refused_even_with_the_cookie(client):
    """DNS rebinding: a name that now points at 127.0.0.1 still sends its own Host."""
    assert client.get("/api/boot", headers={"Host": "evil.example:8765"}).status_code == 403
    assert client.get("/api/boot", headers={"Host": "localhost:8765"}).status_code == 200


def test_cross_site_writes_are_refused(client):
    text = (EXAMPLES / "reading-club.yaml").read_text("utf-8")
    assert client.post("/api/check", json={"text": text}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/check", json={"text": text}, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/api/check", json={"text": text}, headers={"Origin": BASE}).status_code == 200


@pytest.mark.parametrize("host, name", [("127.0.0.1:80", "127.0.0.1"), ("[::1]:8000", "[::1]"),
                                        ("LocalHost", "localhost"), ("a.b:1:2", "a.b:1:2")])
def test_host_name(host, name):
    assert host_name(host) == name


def test_check_returns_problems_with_paths_and_positions_and_the_diagnosis(client):
    text = (EXAMPLES / "reading-club.yaml").read_text("utf-8")
    good = client.post("/api/check", json={"name": "reading-club.yaml", "text": text}).json()
    assert good["valid"] and good["checked"] and good["findings"] and set(good["risk"]) == set(good["sins"])
    assert all(f["remedy"] and f["path"] for f in good["findings"])
    bad = client.post("/api/check", json={"text": text.replace("platform: wechat_group", "platform: nope")}).json()
    assert not bad["valid"] and not bad["checked"] and not bad["syntax"]
    problem = next(p for p in bad["errors"] if p["path"] == "structure.platform")
    assert problem["line"] == text.splitlines().index(next(l for l in text.splitlines() if "platform: wechat" in l)) + 1
    broken = client.post("/api/check", json={"text": "community: [\n"}).json()
    assert broken["syntax"] and broken["errors"][0]["line"]


def test_a_form_edit_becomes_yaml_with_comments_kept(client):
    text = (EXAMPLES / "reading-club.yaml").read_text("utf-8")
    data = client.post("/api/check", json={"text": text}).json()["data"]
    community = dict(data["community"], owner="张老师")
    out = client.post("/api/check", json={"text": text, "edit": {"key": "community", "value": community}}).json()
    assert "owner: 张老师" in out["text"] and out["data"]["community"]["owner"] == "张老师"
    assert out["text"].replace("张老师", "林老师", 1) == text  # every other byte kept, comments included


def test_save_writes_only_changed_sections_and_keeps_every_other_byte(client, folder):
    plan = folder / "reading-club.yaml"
    before = plan.read_bytes()
    opened = _opened(client)
    text = opened["text"].replace("members: 320", "members: 330", 1)
    out = client.post("/api/save", json={"name": "reading-club.yaml", "text": text, "loaded": opened["loaded"]}).json()
    assert out["saved"] == ["structure"]
    after = plan.read_bytes()
    head, tail = _outside(before, b"structure:")
    assert after.startswith(head) and after.endswith(tail) and b"members: 330" in after
    assert b"# " in head and b"# " in tail  # comments outside the edited section are there, byte for byte
    assert base64.b64decode(out["loaded"]) == after


def _outside(data: bytes, key: bytes) -> tuple[bytes, bytes]:
    """The bytes before the top-level `key` line and from the next top-level key on."""
    start = data.index(b"\n" + key) + 1
    rest = data[start + len(key):]
    import re

    following = re.search(rb"\n(?=[a-z_]+:)", rest)
    return data[:start], rest[following.end():]


def test_a_file_changed_behind_the_page_is_a_conflict_and_nothing_is_written(client, folder):
    plan = folder / "reading-club.yaml"
    opened = _opened(client)
    plan.write_bytes(plan.read_bytes() + b"# edited elsewhere\n")
    behind = plan.read_bytes()
    text = opened["text"].replace("members: 320", "members: 330", 1)
    r = client.post("/api/save", json={"name": "reading-club.yaml", "text": text, "loaded": opened["loaded"]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "edit-conflict"
    assert plan.read_bytes() == behind


def test_only_plans_the_page_opened_are_written_and_names_stay_inside_the_folder(client, folder):
    loaded = base64.b64encode((folder / "coffee-fans.yaml").read_bytes()).decode()
    r = client.post("/api/save", json={"name": "coffee-fans.yaml", "text": "version: 1\n", "loaded": loaded})
    assert r.status_code == 400 and r.json()["error"]["code"] == "web-not-opened"
    for name in ("../reading-club.yaml", "/etc/passwd", "nope.yaml"):
        assert client.get("/api/plan", params={"name": name}).status_code == 404


def test_drafts_are_kept_beside_the_plan_and_offered_back_until_saved(client, folder):
    opened = _opened(client)
    assert opened["draft"] is None
    draft = opened["text"] + "# draft\n"
    assert client.post("/api/draft", json={"name": "reading-club.yaml", "text": draft}).json() == {"kept": True}
    assert list((folder / ".qunce" / "drafts").iterdir())
    assert _opened(client)["draft"] == draft
    client.post("/api/save", json={"name": "reading-club.yaml", "text": opened["text"], "loaded": opened["loaded"]})
    assert _opened(client)["draft"] is None
    assert client.get("/api/boot").json()["plans"] == ["coffee-fans.yaml", "reading-club.yaml"]


def test_preview_is_the_plan_document_and_sops_download_in_three_formats(client, folder, rules):
    text = (folder / "reading-club.yaml").read_text("utf-8")
    r = client.post("/api/preview", json={"name": "reading-club.yaml", "text": text})
    assert r.status_code == 200 and "default-src 'none'" in r.headers["content-security-policy"]
    expected = render_plan_file(str(folder / "reading-club.yaml"), rules, fmt="html")[1]
    assert r.text.count("<section") == expected.count("<section") and "读书成长营" in r.text
    for fmt, marker in (("ics", "BEGIN:VCALENDAR"), ("md", "# "), ("html", "<html")):
        r = client.post("/api/sop", json={"text": text, "kind": "sessions", "id": "author-talk-dec", "fmt": fmt})
        assert r.status_code == 200 and marker in r.text
        assert r.headers["content-disposition"] == f'attachment; filename="sop-author-talk-dec.{fmt}"'
    r = client.post("/api/sop", json={"text": text, "kind": "campaigns", "fmt": "ics"})
    assert r.status_code == 200 and "BEGIN:VEVENT" in r.text
    assert client.post("/api/preview", json={"text": "version: 1\n"}).status_code == 422


def test_the_wizard_writes_a_new_plan_from_the_answers_and_never_over_one(client, folder):
    answers = {"goal": "一年内办20场线下活动", "members": "同城跑步爱好者", "mode": "线下为主", "strategy": "每周一跑",
               "revenue_model": "不盈利", "kind": "interest", "platform": "feishu"}
    out = client.post("/api/new", json={"name": "跑团.yaml", "answers": answers}).json()
    assert out["name"] == "跑团.yaml" and "跑团.yaml" in out["plans"]
    check = client.post("/api/check", json={"text": (folder / "跑团.yaml").read_text("utf-8")}).json()
    assert check["valid"]
    assert check["data"]["positioning"]["goal"] == answers["goal"]
    assert check["data"]["positioning"]["audience"]["portrait"] == answers["members"]
    assert check["data"]["structure"]["platform"] == "feishu"
    again = client.post("/api/new", json={"name": "跑团.yaml", "answers": answers})
    assert again.json()["error"]["code"] == "web-exists"
    assert client.post("/api/new", json={"name": "../x.yaml", "answers": answers}).json()["error"]["code"] == "web-bad-name"


def test_the_schema_comes_in_the_pages_language():
    zh, en = localized_schema("zh"), localized_schema("en")
    assert zh["properties"]["community"]["title"] == "社群"
    assert en["properties"]["community"]["title"] == "Community"
    platform = zh["properties"]["structure"]["properties"]["platform"]["x-enum-labels"]
    assert platform["wechat_group"] == "微信群"


def test_a_port_in_use_moves_to_the_next_free_one():
    taken, port = bind("127.0.0.1", 0)
    try:
        sock, got = bind("127.0.0.1", port)
        sock.close()
        assert got != port and got > port
    finally:
        taken.close()
    assert isinstance(socket.gethostname(), str)


def test_choices_are_written_in_the_plans_language(client):
    """A choice changed in the form lands as its Chinese name in a Chinese plan (kind: 兴趣型) and
    as its id in an English one; a choice left alone keeps its spelling; all read back as ids."""
    from qunce.engine.load.yaml import plan_from_bytes

    text = _opened(client)["text"]
    positioning = dict(client.post("/api/check", json={"text": text}).json()["data"]["positioning"], kind="interest")
    zh = client.post("/api/check", json={"text": text, "edit": {"key": "positioning", "value": positioning}}).json()
    section = zh["text"].split("positioning:")[1].split("structure:")[0]
    assert "kind: 兴趣型" in section and "built_around: soul_figure" in section  # changed / left alone
    assert plan_from_bytes(zh["text"].encode(), "p.yaml").data["positioning"]["kind"] == "interest"
    english = text.replace("language: zh-CN", "language: en")
    en = client.post("/api/check", json={"text": english, "edit": {"key": "positioning", "value": positioning}}).json()
    assert "kind: interest" in en["text"]
