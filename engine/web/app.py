"""The local page's server: a Starlette app whose handlers call engine.api as the CLI does.

Handlers are `async def` on purpose: they run on the event loop's thread, which under
`qunce serve` is the main thread, where api's time bound (a SIGALRM timer) can be set. A plan is
small and a check takes milliseconds, so blocking the loop that long costs nothing for one user;
a sync handler would run in a worker thread, where the bound is skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from .. import api
from ..errors import QunceError, UsageError
from ..i18n import LANGS, resolve_lang
from ..i18n.labels import label
from ..model.domain import SINS
from .guard import LOCAL_NAMES, Guard
from .workspace import Workspace

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 2 * 1024 * 1024  # a plan is capped at 1 MiB; its JSON envelope a little more
SOP_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
             "ics": "text/calendar; charset=utf-8"}
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"


def localized_schema(lang: str) -> dict[str, Any]:
    """The plan schema with each "中文 / English" title and "中文\\nEnglish" description reduced to
    the page's language, so the browser gets one language and no parsing to do."""
    index = list(LANGS).index(resolve_lang(lang))
    schema = json.loads(api.schema_path().read_text("utf-8"))

    def pick(text: str, sep: str) -> str:
        parts = text.split(sep)
        return parts[index].strip() if len(parts) > index else text

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                node["title"] = pick(node["title"], " / ")
            if isinstance(node.get("description"), str):
                node["description"] = pick(node["description"], "\n")
            if isinstance(node.get("x-enum-labels"), dict):
                node["x-enum-labels"] = {k: pick(v, " / ") for k, v in node["x-enum-labels"].items()}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def _error(err: QunceError, lang: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": {"code": err.code, "params": {k: str(v) for k, v in err.params.items()},
                                   "message": err.message(lang), "line": err.line, "column": err.column}},
                        status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise UsageError("web-too-large", {"name": "request"})
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise UsageError("web-bad-request", {}) from None
    if not isinstance(body, dict):
        raise UsageError("web-bad-request", {})
    return body


def _text(body: dict[str, Any]) -> str:
    text = body.get("text")
    if not isinstance(text, str):
        raise UsageError("web-bad-request", {})
    return text


class Page:
    """The handlers, over one workspace, one rule set and one language."""

    def __init__(self, workspace: Workspace, rules: Any, lang: str) -> None:
        self.ws = workspace
        self.rules = rules
        self.lang = resolve_lang(lang)
        self._schema: bytes | None = None

    def check(self, name: str, text: str) -> tuple[dict[str, Any], Any, Any]:
        result, plan = api.check_text(text.encode("utf-8"), name, self.rules, api.CheckOptions(lang=self.lang))
        out = result.to_dict(self.lang)
        out["data"] = plan.data if plan is not None else None
        out["syntax"] = result.load_failed
        out["checked"] = result.checked
        out["sins"] = {s: label("sin", s, self.lang) for s in SINS}
        return out, result, plan

    async def index(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if not re.fullmatch(r"[a-z0-9_-]+\.(js|css|json)", name) or not (STATIC / name).is_file():
            return Response(status_code=404)
        return FileResponse(STATIC / name)

    async def boot(self, request: Request) -> Response:
        ui = json.loads((STATIC / "ui.json").read_text("utf-8"))
        return JSONResponse({"lang": self.lang, "ui": ui[self.lang], "plans": self.ws.plans(),
                             "first": self.ws.first})

    async def schema(self, request: Request) -> Response:
        if self._schema is None:
            self._schema = json.dumps(localized_schema(self.lang), ensure_ascii=False).encode()
        return Response(self._schema, media_type="application/json")

    async def open_plan(self, request: Request) -> Response:
        try:
            return JSONResponse(self.ws.open(request.query_params.get("name", "")))
        except QunceError as err:
            return _error(err, self.lang, 404)

    async def check_route(self, request: Request) -> Response:
        try:
            body = await _body(request)
            name, text = str(body.get("name") or "plan.yaml"), _text(body)
            edit = body.get("edit")
            if isinstance(edit, dict) and isinstance(edit.get("key"), str):
                text = self._apply(name, text, edit["key"], edit.get("value"))
            out = self.check(name, text)[0]
            out["text"] = text
            return JSONResponse(out)
        except QunceError as err:
            return _error(err, self.lang)

    def _apply(self, name: str, text: str, key: str, value: Any) -> str:
        """A form edit as the YAML the Save would write: the same deliberate-edit function, dry,
        on a scratch copy of the page's text (the plan file is not involved)."""
        import tempfile

        from ..output.edit import set_top_level

        data = text.encode("utf-8")
        value = _in_plan_language(data, name, key, value)
        with tempfile.TemporaryDirectory(prefix="qunce-page-") as scratch:
            path = Path(scratch) / "plan.yaml"
            path.write_bytes(data)
            return set_top_level(path, key, value, loaded=data, dry_run=True).after.decode("utf-8-sig")

    async def draft(self, request: Request) -> Response:
        try:
            body = await _body(request)
            self.ws.keep_draft(str(body.get("name", "")), _text(body))
            return JSONResponse({"kept": True})
        except QunceError as err:
            return _error(err, self.lang)

    async def save(self, request: Request) -> Response:
        try:
            body = await _body(request)
            return JSONResponse(self.ws.save(str(body.get("name", "")), _text(body), str(body.get("loaded", ""))))
        except QunceError as err:
            return _error(err, self.lang, 409 if err.code == "edit-conflict" else 400)

    async def preview(self, request: Request) -> Response:
        try:
            body = await _body(request)
            out, result, plan = self.check(str(body.get("name") or "plan.yaml"), _text(body))
            if plan is None or not result.valid:
                return JSONResponse(out, status_code=422)
            html = api.render_plan(plan, result, self.rules, fmt="html", lang=self.lang)
            return Response(html, media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": PREVIEW_CSP})
        except QunceError as err:
            return _error(err, self.lang)

    async def sop(self, request: Request) -> Response:
        try:
            body = await _body(request)
            fmt = str(body.get("fmt", "md"))
            kind = "campaigns" if body.get("kind") == "campaigns" else "sessions"
            if fmt not in SOP_TYPES:
                raise UsageError("web-bad-request", {})
            out, result, plan = self.check(str(body.get("name") or "plan.yaml"), _text(body))
            if plan is None or result.load_failed or result.errors:
                return JSONResponse(out, status_code=422)
            item = body.get("id")
            item = str(item) if item not in (None, "") else None
            build = api.campaign_schedule if kind == "campaigns" else api.session_schedule
            schedule = build(plan, item, rules=self.rules, lang=self.lang)
            content = api.render_schedule(schedule, fmt, self.lang)
            filename = f"sop-{re.sub(r'[^A-Za-z0-9_-]', '_', schedule.id or kind)}.{fmt}"
            return Response(content, media_type=SOP_TYPES[fmt],
                            headers={"Content-Disposition": f'attachment; filename="{filename}"'})
        except QunceError as err:
            return _error(err, self.lang)

    async def new_plan(self, request: Request) -> Response:
        try:
            body = await _body(request)
            answers = {k: str(v) for k, v in (body.get("answers") or {}).items()} if isinstance(
                body.get("answers"), dict) else {}
            name = self.ws.create(str(body.get("name", "")), answers)
            return JSONResponse({"name": name, "plans": self.ws.plans()})
        except QunceError as err:
            return _error(err, self.lang)


def create_app(target: str | Path | None = None, *, token: str, lang: str = "zh", rules: Any = None,
               hosts: tuple[str, ...] = LOCAL_NAMES) -> Any:
    """The page as an ASGI app for `target` (a plan or a folder of plans). `token` is the secret
    of the printed URL; `hosts` the Host names accepted (DNS rebinding is refused)."""
    page = Page(Workspace.at(target), rules if rules is not None else api.load_rules(), lang)
    routes = [Route("/", page.index), Route("/favicon.ico", lambda r: Response(status_code=204)), Route("/static/{name}", page.static),
              Route("/api/boot", page.boot), Route("/api/schema", page.schema),
              Route("/api/plan", page.open_plan), Route("/api/check", page.check_route, methods=["POST"]),
              Route("/api/draft", page.draft, methods=["POST"]), Route("/api/save", page.save, methods=["POST"]),
              Route("/api/preview", page.preview, methods=["POST"]), Route("/api/sop", page.sop, methods=["POST"]),
              Route("/api/new", page.new_plan, methods=["POST"])]
    return Guard(Starlette(routes=routes), token=token, hosts=hosts)


__all__ = ["create_app", "localized_schema"]


def _in_plan_language(data: bytes, name: str, key: str, value: Any) -> Any:
    """Choices chosen in the form, written the way the plan is written: Chinese names in a plan
    whose language is Chinese (the default), ids in an English one. Both load the same."""
    from ..i18n import DEFAULT_LANG, resolve_lang
    from ..load.choices import named
    from ..load.schema import choice_tree
    from ..load.yaml import load_plan_bytes

    try:
        plan = load_plan_bytes(data, name).data
    except QunceError:
        plan = {}
    community = plan.get("community")
    language = community.get("language") if isinstance(community, dict) else None
    tree = choice_tree()
    if tree is None or resolve_lang(language if isinstance(language, str) and language else DEFAULT_LANG) != DEFAULT_LANG:
        return value  # the catalog's names are Chinese: other plan languages keep the ids
    return named(value, tree.props.get(key), plan.get(key))
