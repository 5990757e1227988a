"""The operations plan document (社群运营方案): a plan plus its diagnosis, as Markdown or HTML.

Library entry point (the CLI only maps options onto it):

    render_plan(plan, result, rules, *, fmt="md"|"html", lang="zh"|"en", templates_dir=None, today=None) -> str

How it works:

1. `build_view()` turns the plan and the check result into a plain view model: dicts and lists
   with everything already computed (group fill, role gaps, calendar cells, KPI rows, lifecycle
   phases, funnel conversions, findings grouped by sin, and for every missing part what is missing
   and which rules flag it). Templates only lay it out.
2. `output_templates/plan.md.j2` (and its includes under `output_templates/plan/`) lays the view
   out as Markdown. Every `{{ ... }}` the template prints passes through an escaping `finalize`
   hook, so no plan string can become Markdown or HTML markup, even in a user's own template:
   - Markdown output: Markdown metacharacters are backslash-escaped, whitespace collapsed;
   - HTML output: the same, then HTML-escaped (`<` `>` `&`), before the `markdown` package sees it.
   Charts and paste-ready blocks (group rules, scripts) become placeholders that are swapped for
   the SVG (escaped by engine.charts) and for `<pre>` blocks (escaped here) after conversion.
3. For HTML, the converted body is cut into one `<section>` per `##` heading and handed to the
   autoescaped shell `output_templates/plan.html.j2`, which holds the stylesheet.

Templates run in the bounded sandbox of engine.templating with StrictUndefined; any failure is a
TemplateError naming the template file and line.
"""

from __future__ import annotations

import calendar
import html
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable

from . import charts
from ..model.domain import CATEGORIES, SEVERITY_LABELS, SINS, label as domain_label
from ..errors import QunceError, TemplateError
from ..i18n import pick, t
from ..model.plan import Document, dotted, get_path
from ..model.report import FileResult, Finding
from ..rules.pack import RuleSet
from ..load.schema import load_schema
from .templating import WEEKDAYS, environment, fence, format_date, format_datetime, format_percent
from .templating import render as render_template

FORMATS = {"md": "Markdown", "html": "HTML"}  # --format choices; the CLI and docs read this
TEMPLATES = {"md": "plan.md.j2", "html": "plan.html.j2"}  # the names --templates DIR can override
SECTION_IDS = ("summary", "positioning", "structure", "output", "operations", "replication", "sessions",
               "campaigns", "diagnosis", "appendix")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
FUNNEL_STAGES = ("launches", "scans", "joins", "completions")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not calendar.month_name: that follows the process locale
MD_EXTENSIONS = ("tables", "fenced_code", "attr_list", "sane_lists")


def render_plan(plan: Document, result: FileResult, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                templates_dir: str | Path | None = None, today: date | None = None) -> str:
    """The operations plan of one loaded, valid plan, as Markdown (`fmt="md"`) or one
    self-contained HTML file (`fmt="html"`). `result` is api.check_file's for that file.

    Raises TemplateError (file and line of the failing template). Unbounded: api.render_plan
    runs it inside the document's time bound.
    """
    fmt = "html" if str(fmt).lower() in ("html", "htm") else "md"
    lang = "en" if lang == "en" else "zh"
    view = build_view(plan, result, rules, lang=lang, today=today or date.today())
    writer = _Writer(fmt, lang)
    env = environment("md", templates_dir)
    writer.install(env)
    env.bytecode_cache = _bytecode_cache(f"md-{fmt}")
    body = _render(env, TEMPLATES["md"], dict(writer.wrap(view), fmt=fmt, html=fmt == "html"))
    if fmt == "md":
        return _tidy_markdown(body)
    from markupsafe import Markup

    converted = writer.convert(body)
    cover, sections = _split_sections(converted, view["sections"])
    shell = environment("html", templates_dir)
    shell.bytecode_cache = _bytecode_cache("html")
    context = dict(view, fmt=fmt, html=True, cover=Markup(cover),
                   body_sections=[dict(s, html=Markup(s["html"])) for s in sections])
    return _render(shell, TEMPLATES["html"], context)


_CACHES: dict[str, Any] = {}


def _bytecode_cache(kind: str) -> Any:
    """Compiled templates kept in memory per kind of environment, keyed by name and source
    checksum (so an edited template recompiles): rendering several documents in one process
    then skips Jinja's parser and code generator."""
    if kind not in _CACHES:
        from jinja2 import BytecodeCache

        class _Memory(BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: Any) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: Any) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        _CACHES[kind] = _Memory()
    return _CACHES[kind]


def _render(env: Any, name: str, context: dict[str, Any]) -> str:
    """engine.templating.render, with the error pointing into the included template that failed
    (plan/*.md.j2 or a user's own include) rather than at the top template's include line."""
    try:
        return render_template(env, name, context)
    except TemplateError as err:
        where = _innermost_template_frame(err.__context__)
        if where is None or (where[0] == err.params.get("template") and where[1] == err.line):
            raise
        params = dict(err.params, template=where[0], line=where[1])
        raise TemplateError(err.code, params, file=where[0], line=where[1]) from None


def _innermost_template_frame(error: BaseException | None) -> tuple[str, int] | None:
    """Jinja rewrites tracebacks so each template frame carries its file and line; the last one
    is where the template went wrong."""
    found = None
    tb = error.__traceback__ if error is not None else None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


# ---- escaping ----------------------------------------------------------------------------------


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~])")
_HTML_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")  # what Python-Markdown itself un-escapes
_LEADING = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+])(?=\s|$)")  # what would start a list


def _escape_markdown(text: str, html_out: bool) -> str:
    """One line of plan text made inert for Markdown (and then for HTML, when `html_out`).

    Newlines collapse (a plan string cannot start a heading or a list), metacharacters get a
    backslash (no emphasis, links, images, attribute lists or table cells), and a leading list
    marker is escaped. For HTML, `<`, `>` and `&` then become entities, which the markdown
    package leaves as they are: raw HTML in a plan shows as text.
    """
    out = re.sub(r"\s+", " ", str(text))  # one space stays: labels such as ": " keep theirs
    out = (_HTML_MD_SPECIAL if html_out else _MD_SPECIAL).sub(r"\\\1", out)
    out = _LEADING.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(3), out)
    return html.escape(out, quote=False) if html_out else out


class _Writer:
    """Per-render escaping and placeholders for one output format.

    The Markdown template runs with autoescape on and this `finalize`: whatever a template prints
    is escaped for Markdown (and HTML) unless it is `Markup` (template literals, macro output, the
    filters below). Every string of the view model is also wrapped in a `Text` whose `__html__`
    does the same escaping, so Jinja's own joins and concatenations escape plan text correctly.
    """

    def __init__(self, fmt: str, lang: str = "zh") -> None:
        self.fmt = fmt
        self.html = fmt == "html"
        self.lang = lang
        self.nonce = secrets.token_hex(8)  # unguessable: plan text cannot forge a placeholder
        self.blocks: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        writer = self

        class Text(str):
            __slots__ = ()

            def __html__(self) -> str:
                return writer.escape_text(self)

        self.Text = Text

    def escape_text(self, value: Any) -> str:
        return _escape_markdown(value, self.html)

    def finalize(self, value: Any) -> Any:
        from markupsafe import Markup

        if isinstance(value, Markup):
            return value
        if value is None:
            return Markup("—")
        if isinstance(value, bool):
            return Markup(self.escape_text(t("plan:yes" if value else "plan:no", self.lang)))
        return Markup(self.escape_text(value))

    def wrap(self, value: Any) -> Any:
        """The view model with every string wrapped in Text (see the class docstring)."""
        from markupsafe import Markup

        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return self.Text(value)
        if isinstance(value, dict):
            return {k: self.wrap(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.wrap(v) for v in value]
        return value

    def _placeholder(self, html_text: str) -> Any:
        from markupsafe import Markup

        key = f"qunce{self.nonce}x{len(self.blocks)}z"  # "z": x1z is no prefix of x10z
        self.blocks[key] = html_text
        return Markup(f"\n\n{key}\n\n")

    def block(self, text: Any) -> Any:
        """A paste-ready block (group rules, a script): a fence in Markdown, <pre> in HTML."""
        from markupsafe import Markup

        text = "" if text is None else str(text).strip("\n")
        if self.html:
            return self._placeholder(f'<pre class="paste">{html.escape(text, quote=False)}</pre>')
        mark = fence(text)
        return Markup(f"{mark}text\n{text}\n{mark}")

    def figure(self, svg: Any) -> Any:
        """An SVG chart in HTML (its title is inside); nothing in Markdown, where the tables beside
        each chart carry the figures."""
        from markupsafe import Markup

        if not self.html or not svg:
            return Markup("")
        return self._placeholder(f'<figure class="chart">{svg}</figure>')

    def table_class(self, names: Any) -> Any:
        """Put on the line before a table: gives that table CSS classes in HTML (e.g. "calendar")."""
        from markupsafe import Markup

        if not self.html:
            return Markup("")
        classes = " ".join(re.findall(r"[a-z][a-z0-9-]*", str(names).lower()))
        key = f"qunce{self.nonce}t{len(self.classes)}z"
        self.classes[key] = classes
        return Markup(f"{key}\n")

    def code(self, value: Any) -> Any:
        """Inline code (plan paths, rule ids); the markdown package escapes code spans itself."""
        from markupsafe import Markup

        text = " ".join(str(value).split()).replace("`", "'")
        return Markup(f"`{text}`")

    def cell(self, items: Any) -> Any:
        """Several short texts in one table cell, one per line."""
        from markupsafe import Markup

        if isinstance(items, str):
            items = [items]
        parts = [self.escape_text(x) for x in (items or [])]
        return Markup("<br>".join(parts) if parts else "—")

    def install(self, env: Any) -> None:
        """Turn a document environment into this writer's. Everything is `pass_context`, so Jinja
        never runs it at compile time: a compiled template is reused by later renders (see
        _bytecode_cache), and the writer's state must not be baked into it."""
        from jinja2 import pass_context

        def late(fn: Callable[..., Any]) -> Callable[..., Any]:
            return pass_context(lambda _ctx, *args: fn(*args))

        env.autoescape = True
        env.finalize = late(self.finalize)
        env.filters.update({"block": late(self.block), "figure": late(self.figure), "code": late(self.code),
                            "cell": late(self.cell), "table_class": late(self.table_class)})

    def convert(self, body: str) -> str:
        import markdown

        out = markdown.markdown(body, extensions=list(MD_EXTENSIONS), output_format="html")
        # One pass per kind of marker: a pass per marker would be quadratic in a long plan.
        block = rf"qunce{self.nonce}x\d+z"
        out = re.sub(rf"<p>({block})</p>|({block})", lambda m: self.blocks.get(m.group(1) or m.group(2), ""), out)
        table = rf"qunce{self.nonce}t\d+z"  # the marker sticks to the table's first line

        def table_open(m: re.Match) -> str:
            return f'<table class="{self.classes.get(m.group(1), "")}">' if m.group(1) else ""

        return re.sub(rf"<p>({table})\s*</p>\s*<table>|{table}\s*", table_open, out)


def _tidy_markdown(text: str) -> str:
    """No trailing spaces outside fenced blocks, at most one blank line in a row, one newline at
    the end."""
    lines, fence_mark = [], None
    for line in text.split("\n"):
        m = re.match(r"(`{3,})", line)
        if fence_mark is None and m:
            fence_mark = m.group(1)
        elif fence_mark is not None and line == fence_mark:
            fence_mark = None
        elif fence_mark is not None:
            lines.append(line)
            continue
        lines.append(line.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"


_H2 = re.compile(r"<h2(?:\s[^>]*)?>(.*?)</h2>", re.S)


def _split_sections(body: str, known: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """Cut the converted body at each <h2>: the part before is the cover, each part a section.

    Plan text is escaped, so every <h2> comes from a template; the nth one gets the nth known
    section id (a custom template with other headings gets section-N)."""
    marks = list(_H2.finditer(body))
    if not marks:
        return body, []
    cover = body[: marks[0].start()]
    sections = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        sid = known[i]["id"] if i < len(known) else f"section-{i + 1}"
        heading = re.sub(r"<[^>]+>", "", m.group(1))
        sections.append({"id": sid, "heading": html.unescape(heading), "html": body[m.start():end]})
    return cover, sections


# ---- small helpers -----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _texts(value: Any) -> list[str]:
    """A string-or-list field as a list of non-empty strings."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [x.strip() for x in value if isinstance(x, str) and x.strip()]
    return []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _number(value: Any) -> str:
    """1234 -> 1,234; 0.5 -> 0.5; missing -> —."""
    v = _num(value)
    if v is None:
        return "—"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _bi(value: Any, lang: str) -> str:
    """One side of a playbook's {zh, en} record."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _months(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


@lru_cache(maxsize=None)
def _schema_node(path: tuple) -> dict:
    schema = load_schema()
    defs = schema.get("$defs", {})
    node: Any = schema
    for part in path:
        while isinstance(node, dict) and "$ref" in node:
            node = {**defs.get(node["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in node.items() if k != "$ref"}}
        if part == "[]":
            node = _dict(node).get("items", {})
        else:
            node = _dict(_dict(node).get("properties")).get(part, {})
    return _dict(node)


def _title(path: tuple, lang: str) -> str:
    """A field's title from the plan schema, in one language."""
    title = _schema_node(path).get("title")
    return pick(title, lang) if isinstance(title, str) else str(path[-1])


def _enum(path: tuple, value: Any, lang: str) -> str:
    """An enum value's label from the plan schema (`x-enum-labels`), in one language."""
    node = _schema_node(path)
    labels = node.get("x-enum-labels") or _dict(node.get("items")).get("x-enum-labels") or {}
    text = labels.get(value) if isinstance(value, str) else None
    return pick(text, lang) if isinstance(text, str) else ("" if value is None else str(value))


# ---- the view model ----------------------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    """"a.b[0].c" -> ["a", "a.b", "a.b[0]", "a.b[0].c"]: the paths it lies under, and itself."""
    return [path[:m.start()] for m in re.finditer(r"(?<=.)[.\[]", path)] + [path]


@dataclass
class _Ctx:
    plan: Document
    result: FileResult
    rules: RuleSet
    lang: str
    today: date
    data: dict = field(default_factory=dict)
    plan_lang: str = "zh"
    schedules: dict = field(default_factory=dict)

    def schedule(self, section: str, index: int, item: dict, lang: str) -> Any:
        """The SOP engine's schedule of one session or campaign (None when it has no usable start),
        computed once per language."""
        key = (section, index, lang)
        if key not in self.schedules:
            from ..schedule import sop

            make = sop.session_schedule if section == "sessions" else sop.campaign_schedule
            try:
                self.schedules[key] = make(_one_item(self.plan, section, item), None,
                                           rules=_facts_only(self.rules), lang=lang, today=self.today)
            except QunceError:
                self.schedules[key] = None
        return self.schedules[key]

    def L(self, key: str, *args: Any, **params: Any) -> str:
        return t("plan:" + key, self.lang, *args, **params)

    def P(self, key: str, *args: Any, **params: Any) -> str:
        """A label in the plan's own language (texts members will read: rules, scripts)."""
        return t("plan:" + key, self.plan_lang, *args, **params)

    def get(self, *path: Any) -> Any:
        return get_path(self.data, path)

    def people(self, n: Any) -> str:
        return self.L("n-person" if n == 1 else "n-people", n=_number(n))

    @property
    def sep(self) -> str:
        return ", " if self.lang == "en" else "、"

    # -- which rule flags a missing part
    def flagged(self, path: tuple) -> list[str]:
        """Rule ids of the findings at `path`, under it, or (for a missing part) at its parent."""
        under, at = self._finding_index
        base = dotted(path)
        hits = under.get(base) or sorted(hit for p in _prefixes(base)[:-1] for hit in at.get(p, []))
        return list(dict.fromkeys(rid for _, rid in hits))

    @cached_property
    def _finding_index(self) -> tuple[dict[str, list], dict[str, list]]:
        """(path -> findings at or below it, path -> findings exactly there), each finding as
        (position, rule id); built once, as a long plan asks flagged() for thousands of paths."""
        under: dict[str, list] = {}
        at: dict[str, list] = {}
        for i, f in enumerate(self.result.findings):
            at.setdefault(f.path, []).append((i, f.rule))
            for prefix in _prefixes(f.path):
                under.setdefault(prefix, []).append((i, f.rule))
        return under, at

    def missing(self, path: tuple, what: str | None = None) -> dict[str, Any]:
        """What is missing, the plan path to fill in, and which rules flag it."""
        schema_path = tuple("[]" if isinstance(p, int) else p for p in path)
        what = what or _title(schema_path, self.lang)
        rules = self.flagged(path)
        return {"what": what, "path": dotted(path), "rules": rules, "text": self.L("missing-text", what=what)}

    def field(self, path: tuple, value: Any = None, *, label: str | None = None) -> dict[str, Any]:
        """One labelled fact: its value (text or list) or a missing note."""
        schema_path = tuple("[]" if isinstance(p, int) else p for p in path)
        raw = self.get(*path) if value is None else value
        if isinstance(raw, list):
            shown: Any = [x for x in raw if x not in (None, "")]
        elif isinstance(raw, bool):
            shown = self.L("yes") if raw else self.L("no")
        else:
            shown = _text(raw)
        row = {"label": label or _title(schema_path, self.lang), "value": shown or None, "list": isinstance(shown, list),
               "missing": None}
        if not shown:
            row["missing"] = self.missing(path, row["label"])
        return row

    def owner_label(self, who: Any) -> str | None:
        """An output owner: a team role key becomes its label (with the names the team gives it)."""
        who = _text(who)
        if not who:
            return None
        roles = _schema_node(("structure", "team", "[]", "role")).get("enum", [])
        if who in roles:
            names = [m.get("name") for m in _list(self.get("structure", "team"))
                     if isinstance(m, dict) and m.get("role") == who and _text(m.get("name"))]
            label = _enum(("structure", "team", "[]", "role"), who, self.lang)
            return f"{label}（{self.sep.join(names)}）" if names and self.lang == "zh" else (
                f"{label} ({self.sep.join(names)})" if names else label)
        return who


def build_view(plan: Document, result: FileResult, rules: RuleSet, *, lang: str = "zh",
               today: date | None = None) -> dict[str, Any]:
    """The plain data every template reads (documented by the bundled templates)."""
    lang = "en" if lang == "en" else "zh"
    data = plan.data if isinstance(plan.data, dict) else {}
    plan_lang = "en" if _dict(data.get("community")).get("language") == "en" else "zh"
    ctx = _Ctx(plan, result, rules, lang, today or date.today(), data, plan_lang)
    labels = {k[len("plan:"):].replace("-", "_"): t(k, lang) for k in _label_keys()}
    sections = [{"id": sid, "heading": ctx.L(f"h-{sid}"), "number": i + 1 if sid != "appendix" else None}
                for i, sid in enumerate(SECTION_IDS)]
    view: dict[str, Any] = {
        "lang": lang,
        "html_lang": "en" if lang == "en" else "zh-CN",
        "plan_lang": plan_lang,
        "L": labels,
        "sections": sections,
        "doc": _doc(ctx),
        "summary": _summary(ctx),
        "positioning": _positioning(ctx),
        "structure": _structure(ctx),
        "output": _output(ctx),
        "operations": _operations(ctx),
        "replication": _replication(ctx),
        "sessions": _sessions(ctx),
        "campaigns": _campaigns(ctx),
        "diagnosis": _diagnosis(ctx),
    }
    view["appendix"] = _appendix(ctx, view)
    return view


@lru_cache(maxsize=1)
def _label_keys() -> tuple[str, ...]:
    from ..i18n import MESSAGES

    return tuple(k for k in MESSAGES if k.startswith("plan:"))


# ---- cover and summary -------------------------------------------------------------------------


def _doc(ctx: _Ctx) -> dict[str, Any]:
    name = _text(ctx.get("community", "name")) or Path(ctx.plan.path).stem
    return {"community": name, "title": ctx.L("doc-title", name=name), "subtitle": ctx.L("doc-subtitle"),
            "generated": format_date(ctx.today, ctx.lang, year=True, weekday=False),
            "source": Path(ctx.plan.path).name}


def _health_band(score: int | None, ctx: _Ctx) -> dict[str, str]:
    if score is None:
        return {"key": "unknown", "label": "—"}
    key = "good" if score >= 80 else "watch" if score >= 60 else "risk"
    return {"key": key, "label": ctx.L(f"band-{key}")}


def _finding_view(f: Finding, ctx: _Ctx) -> dict[str, Any]:
    group = domain_label(SINS, f.sin, ctx.lang) if f.sin else domain_label(CATEGORIES, f.category, ctx.lang)
    group = group[:1].upper() + group[1:] if ctx.lang == "en" else group
    where = ctx.L("at-line", line=f.line) if f.line else ""
    return {"rule": f.rule, "sin": f.sin, "group": group, "severity": f.severity,
            "severity_label": domain_label(SEVERITY_LABELS, f.severity, ctx.lang), "title": f.title,
            "message": f.message, "rationale": f.rationale, "remedy": f.remedy, "line": f.line, "path": f.path,
            "where": where, "weight": f.weight}


def _ranked(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.weight, SEVERITY_ORDER.get(f.severity, 3), f.line or 0, f.rule))


def _summary(ctx: _Ctx) -> dict[str, Any]:
    result = ctx.result
    groups = [g for g in _list(ctx.get("structure", "groups")) if isinstance(g, dict)]
    members = sum(_int(g.get("members")) or 0 for g in groups) or _int(ctx.get("observed", "members"))
    platform = ctx.get("structure", "platform")
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY_ORDER}
    top, seen = [], set()
    for f in _ranked(result.findings):
        if f.rule in seen:
            continue
        seen.add(f.rule)
        top.append(_finding_view(f, ctx))
        if len(top) == 3:
            break
    risks = [{"sin": s, "label": _cap(SINS[s]["en" if ctx.lang == "en" else "zh"]), "risk": result.risk.get(s, 0),
              "findings": sum(1 for f in result.findings if f.sin == s)} for s in SINS]
    radar = charts.radar([(ctx.L(f"radar-{r['sin']}"), r["risk"]) for r in risks], title=ctx.L("chart-radar"),
                         empty_text=ctx.L("chart-empty"))
    kind = ctx.get("positioning", "kind")
    facts = [
        {"label": ctx.L("f-community"), "value": _text(ctx.get("community", "name"))},
        {"label": ctx.L("f-kind"), "value": _enum(("positioning", "kind"), kind, ctx.lang) if kind else None},
        {"label": ctx.L("f-owner"), "value": _text(ctx.get("community", "owner"))},
        {"label": ctx.L("f-platform"), "value": _enum(("structure", "platform"), platform, ctx.lang) if platform else None},
        {"label": ctx.L("f-members"), "value": ctx.L("n-members-groups", members=_number(members), groups=len(groups))
         if members else None},
        {"label": ctx.L("f-health"), "value": f"{result.health} / 100" if result.health is not None else None},
        {"label": ctx.L("f-generated"), "value": format_date(ctx.today, ctx.lang, year=True, weekday=False)},
    ]
    one_line = _text(ctx.get("positioning", "value")) or _text(ctx.get("positioning", "shared_interest"))
    return {
        "facts": facts,
        "pitch": one_line,
        "pitch_missing": None if one_line else ctx.missing(("positioning", "value")),
        "health": result.health,
        "band": _health_band(result.health, ctx),
        "counts": counts,
        "total": len(result.findings),
        "counts_text": ctx.L("counts", error=counts["error"], warning=counts["warning"], info=counts["info"]),
        "top": top,
        "risks": risks,
        "radar": radar,
        "suppressed": len(result.suppressed),
    }


# ---- positioning -------------------------------------------------------------------------------


def _positioning(ctx: _Ctx) -> dict[str, Any]:
    P = ("positioning",)
    pos = _dict(ctx.get("positioning"))
    lang = ctx.lang
    kind = pos.get("kind")
    built = pos.get("built_around")

    def enum_list(key: str) -> list[str]:
        return [_enum(P + (key,), v, lang) for v in _list(pos.get(key)) if isinstance(v, str)]

    lifespan = _int(pos.get("lifespan_months"))
    life_facts = _dict(_dict(ctx.rules.facts.get("structure")).get("lifespan"))
    life_text = None
    if lifespan:
        years = lifespan / 12
        life_text = ctx.L("lifespan-months", months=lifespan, years=_months(round(years, 1)))
    groups = [
        {"title": ctx.L("pos-interest"), "rows": [
            ctx.field(P + ("shared_interest",)), ctx.field(P + ("value",)), ctx.field(P + ("goal",))]},
        {"title": ctx.L("pos-audience"), "rows": [
            ctx.field(P + ("audience", "portrait")), ctx.field(P + ("audience", "common_needs")),
            ctx.field(P + ("audience", "differences")), ctx.field(P + ("audience", "sources")),
            ctx.field(P + ("audience", "screening"))]},
        {"title": ctx.L("pos-motives"), "rows": [
            ctx.field(P + ("kind",), _enum(P + ("kind",), kind, lang) if kind else None),
            ctx.field(P + ("built_around",), _enum(P + ("built_around",), built, lang) if built else None),
            ctx.field(P + ("motives",), enum_list("motives")), ctx.field(P + ("purposes",), enum_list("purposes"))]},
        {"title": ctx.L("pos-business"), "rows": [
            ctx.field(P + ("revenue_model",)), ctx.field(P + ("lifespan_months",), life_text),
            ctx.field(P + ("mode",)), ctx.field(P + ("strategy",))]},
    ]
    return {"present": bool(pos), "missing": None if pos else ctx.missing(P),
            "groups": groups, "lifespan_note": ctx.L("lifespan-note", plain=life_facts.get("plain_months", 6),
                                                    commercial=life_facts.get("commercial_months", 24))}


# ---- structure ---------------------------------------------------------------------------------


def _platform_facts(ctx: _Ctx) -> dict:
    platforms = _dict(ctx.rules.facts.get("platforms"))
    name = ctx.get("structure", "platform")
    return _dict(platforms.get(name)) if isinstance(name, str) else {}


def _quiet(text: Any) -> tuple[str, str] | None:
    m = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", text) if isinstance(text, str) else None
    return (m.group(1), m.group(2)) if m else None


def _structure(ctx: _Ctx) -> dict[str, Any]:
    S = ("structure",)
    st = _dict(ctx.get("structure"))
    lang = ctx.lang
    platform = st.get("platform")
    pf = _platform_facts(ctx)
    cap = _int(pf.get("group_cap"))
    size = _dict(st.get("size"))
    split_at = _int(size.get("split_at"))
    near = _num(_dict(ctx.rules.facts.get("structure")).get("near_full")) or 0.9

    groups = []
    total_members = total_capacity = 0
    for i, g in enumerate(_list(st.get("groups"))):
        if not isinstance(g, dict):
            continue
        members = _int(g.get("members"))
        capacity = _int(g.get("capacity")) or cap
        fill = members / capacity if members is not None and capacity else None
        limit = min(x for x in (split_at, capacity) if x) if (split_at or capacity) else None
        if members is not None and capacity and members > capacity:
            status = ctx.L("g-over")
        elif members is not None and split_at and members >= split_at and g.get("tier") != "vip":
            status = ctx.L("g-split")
        elif fill is not None and fill >= near:
            status = ctx.L("g-near")
        else:
            status = ctx.L("g-ok")
        total_members += members or 0
        total_capacity += capacity or 0
        groups.append({"name": _text(g.get("name")) or f"#{i + 1}", "tier": _enum(S + ("groups", "[]", "tier"), g.get("tier"), lang)
                       if g.get("tier") else None, "region": _text(g.get("region")), "members": _number(members),
                       "capacity": _number(capacity), "fill": format_percent(fill, 0) if fill is not None else "—",
                       "fill_pct": round(min(fill, 1.0) * 100) if fill is not None else 0, "status": status,
                       "purpose": _text(g.get("purpose")),
                       "room": _number(limit - members) if limit and members is not None and limit >= members else "—"})
    platform_text = None
    if platform:
        platform_text = _enum(S + ("platform",), platform, lang)
        if cap:
            platform_text += ctx.L("platform-cap", cap=_number(cap))
    split = []
    if _int(size.get("target")):
        split.append(ctx.L("size-target", n=_number(size.get("target"))))
    if split_at:
        split.append(ctx.L("size-split", n=_number(split_at)))
    elif cap:
        split.append(ctx.L("size-split-cap", n=_number(cap)))

    joining = _dict(st.get("joining"))
    J = S + ("joining",)
    rhythm = _dict(joining.get("rhythm"))
    rhythm_text = None
    if _int(rhythm.get("batch")) and _int(rhythm.get("every_days")):
        rhythm_text = ctx.L("rhythm" if rhythm["every_days"] > 1 else "rhythm-daily", batch=rhythm["batch"],
                            days=rhythm["every_days"])
    join_rows = [
        ctx.field(J + ("mode",), _enum(J + ("mode",), joining.get("mode"), lang) if joining.get("mode") else None),
        ctx.field(J + ("threshold",)),
        ctx.field(J + ("rhythm",), rhythm_text),
        ctx.field(J + ("rules_ack",)),
        ctx.field(J + ("mentoring",)),
        ctx.field(J + ("channels",)),
        ctx.field(J + ("approval",), _enum(J + ("approval",), joining.get("approval"), lang)
                  if joining.get("approval") else None),
    ]

    team = []
    for m in _list(st.get("team")):
        if not isinstance(m, dict) or not m.get("role"):
            continue
        role = _enum(S + ("team", "[]", "role"), m.get("role"), lang)
        who = _text(m.get("name"))
        count = _int(m.get("count"))
        entry = next((x for x in team if x["key"] == m["role"]), None)
        if entry is None:
            entry = {"key": m["role"], "role": role, "people": [], "count": 0}
            team.append(entry)
        if who:
            entry["people"].append(who)
            entry["count"] += 1
        else:
            entry["count"] += count or 1
    for entry in team:
        unnamed = entry["count"] - len(entry["people"])
        if unnamed > 0:
            entry["people"].append(ctx.L("n-unnamed", n=unnamed) if entry["people"] else ctx.people(unnamed))
    owner = _text(ctx.get("community", "owner"))
    if owner and not any(e["key"] == "owner" for e in team):
        team.insert(0, {"key": "owner", "role": _enum(S + ("team", "[]", "role"), "owner", lang), "people": [owner],
                        "count": 1})

    roles_data = _dict(st.get("roles"))
    roles = []
    for key in ("organizer", "thinker", "entertainer", "asker", "onlooker", "challenger"):
        who = _texts(roles_data.get(key))
        row = {"key": key, "label": _title(S + ("roles", key), lang), "who": who or None,
               "gap": None if who else ctx.missing(S + ("roles", key))}
        roles.append(row)
    gaps = [r["label"] for r in roles if r["gap"]]

    mod = _dict(st.get("moderation"))
    M = S + ("moderation",)
    removal = _dict(mod.get("removal"))
    removal_text = None
    if _int(removal.get("warnings")) is not None or removal.get("by"):
        by = _enum(M + ("removal", "by"), removal.get("by"), lang) if removal.get("by") else "—"
        by = by.lower() if lang == "en" else by
        n = _int(removal.get("warnings"))
        removal_text = ctx.L("removal-one" if n == 1 else "removal", n=_number(n), by=by)
    cleanup = _int(mod.get("inactive_cleanup_days"))
    mod_rows = [
        ctx.field(M + ("ads",), _enum(M + ("ads",), mod.get("ads"), lang) if mod.get("ads") else None),
        ctx.field(M + ("spam",), _enum(M + ("spam",), mod.get("spam"), lang) if mod.get("spam") else None),
        ctx.field(M + ("removal",), removal_text),
        ctx.field(M + ("appeal",)),
        ctx.field(M + ("inactive_cleanup_days",), ctx.L("n-days", n=cleanup) if cleanup else None),
        ctx.field(M + ("keyword_filter",)),
    ]
    return {
        "present": bool(st), "missing": None if st else ctx.missing(S),
        "platform": ctx.field(S + ("platform",), platform_text),
        "groups": groups,
        "groups_missing": None if groups else ctx.missing(S + ("groups",)),
        "totals": {"members": _number(total_members), "capacity": _number(total_capacity) if total_capacity else "—",
                   "fill": format_percent(total_members / total_capacity, 0) if total_capacity else "—"},
        "split": ctx.sep.join(split) if split else None,
        "split_missing": None if split else ctx.missing(S + ("size", "split_at")),
        "joining": join_rows,
        "joining_missing": None if joining else ctx.missing(J),
        "rules_block": _rules_block(ctx),
        "rules_missing": None if _texts(st.get("rules")) else ctx.missing(S + ("rules",)),
        "quiet_hours": ctx.field(S + ("quiet_hours",)),
        "nickname": ctx.field(S + ("nickname_format",)),
        "team": team,
        "team_missing": None if team else ctx.missing(S + ("team",)),
        "roles": roles,
        "role_gaps": gaps,
        "roles_text": ctx.L("roles-gaps", roles=ctx.sep.join(gaps)) if gaps else ctx.L("roles-full"),
        "moderation": mod_rows,
        "moderation_missing": None if mod else ctx.missing(M),
    }


def _rules_block(ctx: _Ctx) -> str | None:
    """The group rules to paste into the group announcement, in the plan's language: numbered,
    with the nickname format, the quiet hours and the removal policy woven in when the rules do
    not already say them."""
    st = _dict(ctx.get("structure"))
    rules = _texts(st.get("rules"))
    nickname = _text(st.get("nickname_format"))
    quiet = _quiet(st.get("quiet_hours"))
    removal = _dict(_dict(st.get("moderation")).get("removal"))
    if not rules and not nickname and not quiet:
        return None
    lines = list(rules)
    joined = "\n".join(rules)
    if nickname and nickname not in joined:
        lines.insert(0, ctx.P("rule-nickname", format=nickname))
    if quiet and quiet[0] not in joined and ctx.P("quiet-word") not in joined:
        start, end = quiet
        next_day = end < start or start == "24:00"
        lines.append(ctx.P("rule-quiet-next" if next_day else "rule-quiet", start=start, end=end))
    warnings = _int(removal.get("warnings"))
    if warnings:
        by = _enum(("structure", "moderation", "removal", "by"), removal.get("by"), ctx.plan_lang) \
            if removal.get("by") else ctx.P("admins")
        by = by.lower() if ctx.plan_lang == "en" else by
        lines.append(ctx.P("rule-removal-one" if warnings == 1 else "rule-removal", n=warnings, by=by))
    name = _text(ctx.get("community", "name")) or ""
    head = ctx.P("rules-head", name=name)
    body = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
    return f"{head}\n{body}"


# ---- output: the content calendar --------------------------------------------------------------


def _first_weekday(year: int, month: int, weekday: int) -> date:
    """The first given weekday (1 = Monday) of a month."""
    d = date(year, month, 1)
    return d + timedelta(days=(weekday - 1 - d.weekday()) % 7)


def _month_dates(item: dict, year: int, month: int) -> list[date]:
    """Suggested dates of a non-weekly item in one month (the calendar's convention, stated in it)."""
    cadence = item.get("cadence")
    weekday = _int(item.get("weekday"))
    first = _first_weekday(year, month, weekday) if weekday else date(year, month, 1)
    if cadence == "biweekly":
        return [first, first + timedelta(days=14)] if weekday else [first, date(year, month, 15)]
    if cadence == "monthly":
        return [first]
    if cadence == "quarterly":
        return [first] if month in (1, 4, 7, 10) else []
    return []


def _next_month(d: date) -> tuple[int, int]:
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def _next_dates(item: dict, today: date, n: int = 2) -> list[date]:
    out: list[date] = []
    year, month = today.year, today.month
    for _ in range(24):
        for d in _month_dates(item, year, month):
            if d > today and d not in out:
                out.append(d)
        if len(out) >= n:
            break
        year, month = _next_month(date(year, month, 1))
    return sorted(out)[:n]


def _output(ctx: _Ctx) -> dict[str, Any]:
    O = ("output",)
    lang = ctx.lang
    days = WEEKDAYS[lang]
    items = []
    week_cells: list[list[dict[str, str]]] = [[] for _ in range(7)]
    grid_items: list[tuple[str, int, str]] = []
    unscheduled = []
    rest = []
    for i, raw in enumerate(_list(ctx.get("output"))):
        if not isinstance(raw, dict):
            continue
        name = _text(raw.get("name")) or f"#{i + 1}"
        cadence = raw.get("cadence")
        weekday = _int(raw.get("weekday"))
        time = _text(raw.get("time"))
        kind = _enum(O + ("[]", "kind"), raw.get("kind"), lang) if raw.get("kind") else None
        owner = ctx.owner_label(raw.get("owner"))
        when = _when(cadence, weekday, time, ctx)
        row = {"name": name, "kind": kind, "cadence": _enum(O + ("[]", "cadence"), cadence, lang) if cadence else None,
               "when": when, "owner": owner, "owner_missing": None if owner else ctx.missing(O + (i, "owner")),
               "topic_source": _text(raw.get("topic_source"))}
        items.append(row)
        cell = {"time": time or "", "name": name, "owner": owner or "—"}
        if cadence == "daily":
            for col in week_cells:
                col.append(cell)
            grid_items.append((name, 0, kind or ""))
        elif cadence == "weekly" and weekday:
            week_cells[weekday - 1].append(cell)
            grid_items.append((name, weekday, kind or ""))
        elif cadence == "weekly":
            unscheduled.append(name)
        else:
            nxt = _next_dates(raw, ctx.today)
            rest.append({**row, "raw": raw,
                         "next": [format_date(d, lang, year=d.year != ctx.today.year) for d in nxt] or None})
    for col in week_cells:
        col.sort(key=lambda c: c["time"] or "99")
    year, month = _next_month(ctx.today)
    month_rows = _month_grid(year, month, rest, lang)
    month_title = ctx.L("month-title", year=year, month=month, month_en=MONTHS[month - 1])
    for r in rest:
        r.pop("raw")
    week_svg = charts.week_grid(grid_items, title=ctx.L("chart-week"), day_labels=days,
                                empty_text=ctx.L("chart-empty")) if grid_items else None
    return {
        "present": bool(items), "missing": None if items else ctx.missing(O),
        "entries": items,
        "days": list(days),
        "week": [{"day": days[i], "cells": week_cells[i]} for i in range(7)],
        "week_empty": not grid_items,
        "week_svg": week_svg,
        "unscheduled": unscheduled,
        "rest": rest,
        "month_title": month_title,
        "month_weeks": month_rows,
        "month_note": ctx.L("month-note"),
    }


def _when(cadence: Any, weekday: int | None, time: str | None, ctx: _Ctx) -> str:
    day = WEEKDAYS[ctx.lang][weekday - 1] if weekday else ""
    parts = {
        "daily": ctx.L("when-daily"), "weekly": ctx.L("when-weekly", day=day) if day else ctx.L("when-weekly-any"),
        "biweekly": ctx.L("when-biweekly", day=day) if day else ctx.L("when-biweekly-any"),
        "monthly": ctx.L("when-monthly", day=day) if day else ctx.L("when-monthly-any"),
        "quarterly": ctx.L("when-quarterly", day=day) if day else ctx.L("when-quarterly-any"),
        "once": ctx.L("when-once"),
    }
    text = parts.get(cadence, "—") if isinstance(cadence, str) else "—"
    return f"{text} {time}" if time else text


def _month_grid(year: int, month: int, rest: list[dict], lang: str) -> list[list[dict[str, Any]]]:
    """Weeks (Monday first) of one month; each day lists the non-weekly items that fall on it."""
    on: dict[date, list[str]] = {}
    for r in rest:
        for d in _month_dates(r["raw"], year, month):
            on.setdefault(d, []).append(r["name"])
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"day": d.day if d.month == month else None, "entries": on.get(d, []) if d.month == month else []}
                      for d in week])
    return weeks


# ---- operations --------------------------------------------------------------------------------


def _operations(ctx: _Ctx) -> dict[str, Any]:
    OP = ("operations",)
    lang = ctx.lang
    ops = _dict(ctx.get("operations"))
    senses = []
    for key in ("ritual", "participation", "organization", "belonging"):
        values = _texts(get_path(ops, ("senses", key)))
        senses.append({"key": key, "label": _title(OP + ("senses", key), lang), "practices": values or None,
                       "missing": None if values else ctx.missing(OP + ("senses", key))})
    inc = _dict(ops.get("incentives"))
    points = inc.get("points")
    inc_rows = [
        ctx.field(OP + ("incentives", "points"), points if isinstance(points, bool) else None),
        ctx.field(OP + ("incentives", "earn")),
        ctx.field(OP + ("incentives", "redeem")),
    ]
    tools = [_enum(OP + ("tools",), x, lang) for x in _list(ops.get("tools")) if isinstance(x, str)]
    known = _schema_node(OP + ("tools", "[]")).get("enum", [])
    absent = [_enum(OP + ("tools",), x, lang) for x in known if x not in _list(ops.get("tools"))]
    facts = _dict(_dict(ctx.rules.facts.get("structure")).get("kpi"))
    rate_metrics = set(_list(facts.get("rate_metrics")) or ["active_rate", "retention", "conversion", "churn"])
    observed = _dict(ctx.get("observed"))
    kpis = []
    for i, k in enumerate(_list(ops.get("kpis"))):
        if not isinstance(k, dict):
            continue
        metric = k.get("metric")
        target = _num(k.get("target"))
        is_rate = metric in rate_metrics
        shown = (format_percent(target, 0 if target is not None and round(target * 100) == target * 100 else 1)
                 if is_rate else _number(target)) if target is not None else None
        current = _kpi_now(metric, k.get("per"), observed)
        kpis.append({"metric": _enum(OP + ("kpis", "[]", "metric"), metric, lang) if metric else "—",
                     "target": shown, "per": _enum(OP + ("kpis", "[]", "per"), k.get("per"), lang) if k.get("per") else None,
                     "current": (format_percent(current, 1) if is_rate else _number(current)) if current is not None else None,
                     "missing": None if shown and k.get("per") else ctx.missing(OP + ("kpis", i))})
    review = ops.get("review_cadence")
    as_of = _text(observed.get("as_of"))
    return {
        "present": bool(ops), "missing": None if ops else ctx.missing(OP),
        "senses": senses,
        "incentives": inc_rows,
        "incentives_missing": None if inc else ctx.missing(OP + ("incentives",)),
        "points_text": ctx.L("points-on") if points is True else ctx.L("points-off") if points is False else None,
        "tools": tools or None,
        "tools_missing": None if tools else ctx.missing(OP + ("tools",)),
        "tools_absent": absent,
        "kpis": kpis,
        "kpis_missing": None if kpis else ctx.missing(OP + ("kpis",)),
        "as_of": as_of,
        "review": ctx.field(OP + ("review_cadence",), _enum(OP + ("review_cadence",), review, lang) if review else None),
        "review_rows": _review_rows(ctx, observed),
    }


def _kpi_now(metric: Any, per: Any, observed: dict) -> float | None:
    """The observed figure that matches a KPI and its period, when the plan's figures give one."""
    members = _num(observed.get("members"))
    if metric == "active_rate" and per == "week" and members and _num(observed.get("active_7d")) is not None:
        return _num(observed.get("active_7d")) / members
    if metric == "new_members" and per == "month":
        return _num(observed.get("new_30d"))
    if metric == "churn" and members:
        left = observed.get("left_30d") if per == "month" else observed.get("left_7d") if per == "week" else None
        return _num(left) / members if _num(left) is not None else None
    if metric == "revenue" and per == "month":
        return _num(observed.get("revenue_30d"))
    return None


def _review_rows(ctx: _Ctx, observed: dict) -> list[dict[str, Any]]:
    """The weekly review sheet: each figure, how to count it, the latest observed value."""
    def seen(key: str, span: str | None = None) -> str | None:
        v = observed.get(key)
        if _num(v) is None:
            return None
        return _number(v) + (f" ({span})" if span and ctx.lang == "en" else f"（{span}）" if span else "")

    return [
        {"figure": ctx.L("rv-members"), "how": ctx.L("rv-members-how"), "seen": seen("members")},
        {"figure": ctx.L("rv-new"), "how": ctx.L("rv-new-how"), "seen": seen("new_30d", ctx.L("span-30d"))},
        {"figure": ctx.L("rv-left"), "how": ctx.L("rv-left-how"), "seen": seen("left_7d", ctx.L("span-7d"))},
        {"figure": ctx.L("rv-active"), "how": ctx.L("rv-active-how"), "seen": seen("active_7d", ctx.L("span-7d"))},
        {"figure": ctx.L("rv-messages"), "how": ctx.L("rv-messages-how"), "seen": seen("messages_7d", ctx.L("span-7d"))},
        {"figure": ctx.L("rv-content"), "how": ctx.L("rv-content-how"), "seen": None},
        {"figure": ctx.L("rv-revenue"), "how": ctx.L("rv-revenue-how"), "seen": seen("revenue_30d", ctx.L("span-30d"))},
    ]


# ---- replication and lifecycle -----------------------------------------------------------------


def _commercial(ctx: _Ctx) -> bool:
    spec = _dict(_dict(ctx.rules.facts.get("structure")).get("commercial"))
    pos = _dict(ctx.get("positioning"))
    return (pos.get("kind") in _list(spec.get("kinds"))
            or any(m in _list(spec.get("motives")) for m in _list(pos.get("motives")))
            or any(p in _list(spec.get("purposes")) for p in _list(pos.get("purposes"))))


def _replication(ctx: _Ctx) -> dict[str, Any]:
    R = ("replication",)
    lang = ctx.lang
    rep = _dict(ctx.get("replication"))
    ready = _dict(rep.get("readiness"))
    seed_facts = _dict(_dict(ctx.rules.facts.get("structure")).get("seed_users"))
    target = _int(ctx.get("structure", "size", "target"))
    need = int(seed_facts.get("min", 50))
    if target and _num(seed_facts.get("share_of_target")):
        need = min(need, max(1, round(target * float(seed_facts["share_of_target"]))))
    seeds = _int(ready.get("seed_users"))
    checklist = []
    for key in ("staff", "budget", "materials"):
        value = ready.get(key)
        checklist.append({"label": _title(R + ("readiness", key), lang),
                          "ok": value if isinstance(value, bool) else None, "detail": None,
                          "rules": ctx.flagged(R + ("readiness", key))})
    checklist.append({"label": _title(R + ("readiness", "seed_users"), lang),
                      "ok": seeds >= need if seeds is not None else None,
                      "detail": ctx.L("seeds", have=_number(seeds), need=need),
                      "rules": ctx.flagged(R + ("readiness", "seed_users"))})
    sub = _text(ready.get("subculture"))
    checklist.append({"label": _title(R + ("readiness", "subculture"), lang), "ok": True if sub else None,
                      "detail": sub, "rules": ctx.flagged(R + ("readiness", "subculture"))})
    all_ready = all(c["ok"] is True for c in checklist)
    naming = _text(rep.get("naming"))
    examples = [naming.replace("{n}", str(n)) for n in (1, 2, 3)] if naming and "{n}" in naming else None
    mode = rep.get("mode")
    return {
        "present": bool(rep), "missing": None if rep else ctx.missing(R),
        "checklist": checklist,
        "ready": all_ready,
        "verdict": ctx.L("ready-yes") if all_ready else ctx.L("ready-no"),
        "mode": ctx.field(R + ("mode",), _enum(R + ("mode",), mode, lang) if mode else None),
        "naming": ctx.field(R + ("naming",)),
        "naming_examples": examples,
        "trigger": ctx.field(R + ("trigger",)),
        "lifecycle": _lifecycle(ctx),
    }


def _lifecycle(ctx: _Ctx) -> dict[str, Any]:
    """Phases over the stated lifespan (or the playbook's default), with "now" when the group's
    age is known."""
    lang = ctx.lang
    stated = _int(ctx.get("positioning", "lifespan_months"))
    life = _dict(_dict(ctx.rules.facts.get("structure")).get("lifespan"))
    default = int(life.get("commercial_months", 24) if _commercial(ctx) else life.get("plain_months", 6))
    total = float(stated or default)

    step = 0.5 if total >= 6 else 0.1  # phase bounds on half months (tenths for a short-lived group)

    def r(x: float) -> float:
        return min(total, round(round(x / step) * step, 1))

    b1 = max(step, min(r(total * 0.1), 3.0))
    b2 = max(b1, r(total * 0.35))
    b3 = max(b2, r(total * 0.75))
    bounds = [(0.0, b1), (b1, b2), (b2, b3), (b3, total)]
    phases = []
    for key, (a, b) in zip(("launch", "growth", "mature", "renew"), bounds):
        phases.append({"key": key, "label": ctx.L(f"ph-{key}"), "start": a, "end": b,
                       "span": ctx.L("month-span", a=_months(a), b=_months(b)), "focus": ctx.L(f"ph-{key}-focus")})
    markers = []
    age = _int(ctx.get("observed", "group_age_days"))
    now_at = None
    if age is not None:
        now_at = round(age / 30.4, 1)
        markers.append((ctx.L("now-marker"), min(now_at, total)))
    svg = charts.timeline([(p["label"], p["start"], p["end"]) for p in phases], total=total,
                          unit_label=ctx.L("unit-months"), markers=markers, title=ctx.L("chart-timeline"),
                          empty_text=ctx.L("chart-empty"))
    current = None
    if now_at is not None:
        current = next((p["label"] for p in phases if p["start"] <= now_at < p["end"]), phases[-1]["label"])
    return {"total": _months(total), "stated": stated is not None,
            "missing": None if stated else ctx.missing(("positioning", "lifespan_months")),
            "default_note": None if stated else ctx.L("lifespan-default", months=default),
            "phases": phases, "svg": svg, "now": _months(now_at) if now_at is not None else None,
            "current": current, "past_lifespan": now_at is not None and now_at > total,
            "now_text": (ctx.L("now-text", months=_months(now_at), phase=current if lang == "zh" else current.lower())
                         + (" " + ctx.L("past-lifespan") if now_at > total else "")) if now_at is not None else None}


# ---- sessions and campaigns (through the SOP engine) -------------------------------------------


def _facts_only(rules: RuleSet) -> RuleSet:
    """The SOP engine needs the packs' facts; the findings come from `result` already."""
    return RuleSet([], rules.facts, rules.packs)


def _one_item(plan: Document, section: str, item: dict) -> Document:
    """The plan narrowed to one session or campaign, so ids missing or repeated cannot confuse the pick."""
    return Document(plan.path, {**plan.data, section: [item]}, plan.locator)


def _local_findings(ctx: _Ctx, prefix: tuple) -> list[dict[str, Any]]:
    base = dotted(prefix)
    return [_finding_view(f, ctx) for f in ctx.result.findings
            if f.path == base or f.path.startswith(base + ".") or f.path.startswith(base + "[")]


def _sessions(ctx: _Ctx) -> dict[str, Any]:
    from ..schedule import sop

    lang = ctx.lang
    out = []
    step_names = [_bi(s, lang) for s in _list(_dict(sop.sop_facts(ctx.rules.facts).get("session")).get("steps"))]
    for i, item in enumerate(_list(ctx.get("sessions"))):
        if not isinstance(item, dict):
            continue
        S = ("sessions", i)
        guest = _dict(item.get("guest"))
        schedule = ctx.schedule("sessions", i, item, lang)
        rows = [
            ctx.field(S + ("topic",)),
            ctx.field(S + ("guest", "name")),
            ctx.field(S + ("guest", "bio")),
            ctx.field(S + ("host",)),
            ctx.field(S + ("group",)),
            ctx.field(S + ("start",), format_datetime(schedule.start, lang, year=True) if schedule and schedule.start
                      else None),
            ctx.field(S + ("duration_minutes",), ctx.L("n-minutes", n=item["duration_minutes"])
                      if _int(item.get("duration_minutes")) else None),
            ctx.field(S + ("perks",)),
            ctx.field(S + ("interaction",)),
            ctx.field(S + ("material",)),
            ctx.field(S + ("rehearsal",)),
        ]
        steps = _task_rows(schedule, ctx) if schedule is not None else []
        out.append({
            "id": _text(item.get("id")) or f"#{i + 1}",
            "title": _text(item.get("title")) or _text(item.get("id")) or f"#{i + 1}",
            "rows": rows,
            "steps": steps,
            "step_names": step_names,
            "no_schedule": None if schedule is not None else ctx.missing(S + ("start",)),
            "findings": _local_findings(ctx, S),
        })
    return {"entries": out, "missing": None if out else ctx.missing(("sessions",))}


def _task_rows(schedule: Any, ctx: _Ctx) -> list[dict[str, Any]]:
    """The schedule's tasks as table rows; a task repeated on three or more days in a row at the
    same time (watching a campaign's figures) becomes one row "daily 21:00 (first – last day)"."""
    groups: list[list[Any]] = []
    open_runs: dict[tuple, list[Any]] = {}
    for task in schedule.tasks:
        key = (task.step, task.title, task.owner, task.at.hour, task.at.minute)
        run = open_runs.get(key)
        if run is not None and task.at.date() - run[-1].at.date() == timedelta(days=1):
            run.append(task)
            continue
        open_runs[key] = [task]
        groups.append(open_runs[key])
    rows = []
    for run in groups:
        first, last = run[0], run[-1]
        base = {"step": first.step, "name": schedule.steps.get(first.step, ""), "owner": first.owner,
                "task": first.title}
        if len(run) >= 3:
            rows.append(dict(base, at=ctx.L("daily-run", time=f"{first.at.hour:02d}:{first.at.minute:02d}",
                                            first=format_date(first.at, ctx.lang),
                                            last=format_date(last.at, ctx.lang))))
        else:
            rows.extend(dict(base, at=format_datetime(task.at, ctx.lang)) for task in run)
    return rows


def _campaigns(ctx: _Ctx) -> dict[str, Any]:
    from ..schedule import sop

    lang = ctx.lang
    out = []
    for i, item in enumerate(_list(ctx.get("campaigns"))):
        if not isinstance(item, dict):
            continue
        C = ("campaigns", i)
        schedule = ctx.schedule("campaigns", i, item, lang)
        sop_facts = sop.sop_facts(ctx.rules.facts)
        section = _dict(sop_facts.get("campaign"))
        poster_labels = {k: _cap(_bi(v, lang)) for k, v in _dict(section.get("poster")).items()}
        script_labels = {k: _cap(_bi(v, lang)) for k, v in _dict(section.get("scripts")).items()}
        poster_data = _dict(item.get("poster"))
        poster = []
        for key in sop.POSTER_ELEMENTS:
            value = poster_data.get(key)
            ok = value is True if key == "live_code" else bool(_text(value))
            poster.append({"label": poster_labels.get(key, key), "ok": ok,
                           "text": _text(value) if key != "live_code" else None,
                           "rules": ctx.flagged(C + ("poster", key))})
        scripts_data = _dict(item.get("scripts"))
        scripts = [{"label": script_labels.get(k, k), "text": _text(scripts_data.get(k)),
                    "missing": None if _text(scripts_data.get(k)) else ctx.missing(C + ("scripts", k), script_labels.get(k))}
                   for k in sop.SCRIPTS]
        review = sop.funnel_review(item.get("funnel"), ctx.rules.facts, lang)
        funnel = None
        if review:
            stages = [{"label": s["label"], "count": _number(s["count"]),
                       "conversion": format_percent(s["conversion"]) if s["conversion"] is not None else "—",
                       "weakest": s["name"] == review["weakest"]} for s in review["stages"]]
            svg = charts.funnel([(s["label"], s["count"]) for s in review["stages"] if s["count"] is not None],
                                title=ctx.L("chart-funnel", name=_text(poster_data.get("title")) or _text(item.get("id")) or ""),
                                weakest=review.get("weakest_label"), empty_text=ctx.L("chart-empty"))
            target = _int(item.get("target"))
            joins = _int(_dict(item.get("funnel")).get("joins"))
            funnel = {"stages": stages, "weakest": review.get("weakest_label"), "suggestion": review.get("suggestion"),
                      "svg": svg, "target": ctx.L("target-vs", joins=_number(joins), target=_number(target),
                                                  pct=format_percent(joins / target, 0))
                      if target and joins is not None else None}
        period = None
        if schedule is not None and schedule.start:
            last = schedule.details.get("last_day") or (schedule.end.date() if schedule.end else None)
            period = format_date(schedule.start, lang, year=True) + (
                " – " + format_date(last, lang, year=True) if last and last != schedule.start.date() else "")
        reward_kind = item.get("reward_kind")
        rows = [
            ctx.field(C + ("goal",)),
            ctx.field(C + ("target",), ctx.people(item["target"]) if _int(item.get("target")) else None),
            ctx.field(C + ("start",), period, label=ctx.L("period")),
            ctx.field(C + ("reward",), (_text(item.get("reward")) or "") + (
                f"（{_enum(C[:1] + ('[]', 'reward_kind'), reward_kind, lang)}）" if reward_kind and lang == "zh" else
                f" ({_enum(C[:1] + ('[]', 'reward_kind'), reward_kind, lang)})" if reward_kind else "")
                if _text(item.get("reward")) else None),
            ctx.field(C + ("channels",)),
            ctx.field(C + ("receiver",)),
        ]
        tasks = _task_rows(schedule, ctx) if schedule is not None else []
        checklist = [{"label": _cap(c["label"]), "ok": c["ok"], "detail": c.get("detail")}
                     for c in (schedule.checklist if schedule is not None and schedule.checklist else [])]
        title = _text(poster_data.get("title")) or _text(item.get("goal")) or _text(item.get("id")) or f"#{i + 1}"
        out.append({
            "id": _text(item.get("id")) or f"#{i + 1}", "title": title, "rows": rows, "poster": poster,
            "poster_ok": sum(1 for p in poster if p["ok"]), "poster_total": len(poster),
            "scripts": scripts, "funnel": funnel,
            "funnel_missing": None if funnel else ctx.missing(C + ("funnel",)),
            "funnel_stages": [_bi(_dict(_dict(section.get("funnel")).get(k)).get("label"), lang) or k
                              for k in FUNNEL_STAGES],
            "checklist": checklist, "tasks": tasks,
            "no_schedule": None if schedule is not None else ctx.missing(C + ("start",)),
            "findings": _local_findings(ctx, C),
        })
    return {"entries": out, "missing": None if out else ctx.missing(("campaigns",))}


# ---- diagnosis ---------------------------------------------------------------------------------


def _diagnosis(ctx: _Ctx) -> dict[str, Any]:
    result = ctx.result
    groups = []
    for sin in SINS:
        found = [f for f in result.findings if f.sin == sin]
        groups.append({"key": sin, "label": _cap(domain_label(SINS, sin, ctx.lang)), "kind": "sin",
                       "risk": result.risk.get(sin, 0),
                       "findings": [_finding_view(f, ctx) for f in _ranked(found)]})
    others: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.sin not in SINS:
            others.setdefault(f.category, []).append(f)
    for cat in list(CATEGORIES) + sorted(c for c in others if c not in CATEGORIES):
        if cat in others:
            groups.append({"key": cat, "label": _cap(domain_label(CATEGORIES, cat, ctx.lang)), "kind": "category",
                           "risk": None, "findings": [_finding_view(f, ctx) for f in _ranked(others[cat])]})
    clean = [domain_label(SINS, g["key"], ctx.lang) for g in groups if g["kind"] == "sin" and not g["findings"]]
    return {
        "health": result.health,
        "band": _health_band(result.health, ctx),
        "total": len(result.findings),
        "groups": [g for g in groups if g["findings"]],
        "clean": clean,
        "clean_text": ctx.L("clean-sins", sins=ctx.sep.join(clean)) if clean else None,
        "suppressed": [{"rule": s.get("rule"), "reason": s.get("reason") or "—"} for s in result.suppressed],
        "checked": result.checked,
        "file": Path(ctx.plan.path).name,
    }


# ---- appendix: message scripts ------------------------------------------------------------------


def _appendix(ctx: _Ctx, view: dict[str, Any]) -> dict[str, Any]:
    """Drafts to paste into the group, in the plan's language."""
    from ..schedule import sop

    data = ctx.data
    st = _dict(data.get("structure"))
    name = _text(ctx.get("community", "name")) or ""
    P = ctx.P
    sep = "、" if ctx.plan_lang == "zh" else ", "
    value = _text(ctx.get("positioning", "value"))
    nickname = _text(st.get("nickname_format"))
    quiet = _quiet(st.get("quiet_hours"))
    days = WEEKDAYS[ctx.plan_lang]

    welcome = [P("sc-welcome", name=name)]
    if value:
        welcome.append(P("sc-welcome-value", value=value))
    welcome.append(P("sc-welcome-intro"))
    if nickname:
        welcome.append(P("sc-welcome-nickname", format=nickname))
    regular = []
    for item in _list(data.get("output")):
        if isinstance(item, dict) and item.get("cadence") in ("daily", "weekly") and _text(item.get("name")):
            wd = _int(item.get("weekday"))
            when = P("sc-daily") if item["cadence"] == "daily" else (P("sc-weekly", day=days[wd - 1]) if wd else P("sc-weekly-any"))
            time = _text(item.get("time"))
            regular.append(f"{when}{(' ' + time) if time else ''} {item['name']}")
    if regular:
        welcome.append(P("sc-welcome-regular", items=sep.join(regular[:3])))
    welcome.append(P("sc-welcome-rules"))

    rules = _texts(st.get("rules"))
    reminder = [P("sc-reminder", name=name)]
    reminder += [f"{i}. {r}" for i, r in enumerate(rules[:4], 1)]
    if quiet:
        reminder.append(P("sc-reminder-quiet", start=quiet[0], end=quiet[1]))
    reminder.append(P("sc-reminder-end"))

    mod = _dict(st.get("moderation"))
    removal_by = _dict(mod.get("removal")).get("by")
    by = _enum(("structure", "moderation", "removal", "by"), removal_by, ctx.plan_lang) if removal_by else P("admins")
    by = by.lower() if ctx.plan_lang == "en" else by
    warnings = _int(_dict(mod.get("removal")).get("warnings"))
    removal = [P("sc-removal", by=by) if not warnings else P("sc-removal-one" if warnings == 1 else "sc-removal-n",
                                                            n=warnings, by=by)]
    if mod.get("appeal") is True:
        removal.append(P("sc-removal-appeal"))
    cleanup = _int(mod.get("inactive_cleanup_days"))
    if cleanup:
        removal.append(P("sc-cleanup", days=cleanup))

    notices = []
    for i, item in enumerate(_list(data.get("sessions"))):
        if not isinstance(item, dict):
            continue
        title = _text(item.get("title")) or _text(item.get("id")) or f"#{i + 1}"
        schedule = ctx.schedule("sessions", i, item, ctx.plan_lang)
        if schedule is None:
            notices.append({"title": title, "when": None, "text": None,
                            "missing": ctx.missing(("sessions", i, "start"))})
            continue
        drafts = [task for task in schedule.tasks if task.message and task.to == "group"]
        first = next((task for task in drafts if task.phase == "notify"), drafts[0] if drafts else None)
        when = format_datetime(first.at, ctx.lang) if first else None
        notices.append({"title": title, "when": when, "text": first.message if first else None, "missing": None})

    campaign_scripts = []
    for item in _list(data.get("campaigns")):
        if isinstance(item, dict):
            removal_script = _text(_dict(item.get("scripts")).get("removal"))
            if removal_script:
                campaign_scripts.append(removal_script)
    return {
        "language": t("plan:lang-" + ctx.plan_lang, ctx.lang),
        "scripts": [
            {"key": "welcome", "title": ctx.L("sc-h-welcome"), "when": ctx.L("sc-w-welcome"), "text": "\n".join(welcome)},
            {"key": "reminder", "title": ctx.L("sc-h-reminder"), "when": ctx.L("sc-w-reminder"),
             "text": "\n".join(reminder) if rules else None,
             "missing": None if rules else ctx.missing(("structure", "rules"))},
            {"key": "removal", "title": ctx.L("sc-h-removal"), "when": ctx.L("sc-w-removal"), "text": "\n".join(removal)},
        ],
        "campaign_removal": campaign_scripts,
        "notices": notices,
        "notices_missing": None if notices else ctx.missing(("sessions",)),
    }


__all__ = ["render_plan", "build_view", "FORMATS", "TEMPLATES"]
