"""Jinja2 environments for rendered documents (SOP checklists, the operations plan, ...).

One place decides how documents are templated (STYLE.md §10): the bounded immutable sandbox
(templates may come from a user's folder), `StrictUndefined` so a typo in a template is an
error instead of a silent blank, autoescape for HTML only, and a loader that looks in the
user's template folder first and then in the templates bundled with qunce. Errors become a
`TemplateError` naming the template file and line.

The `md` filter is engine.output.markup's one Markdown escaper; the date helpers come from
engine.i18n.format, so "12月5日 周六 20:00" reads the same in templates and outside them.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Any, Callable

from jinja2 import (BaseLoader, BytecodeCache, ChoiceLoader, StrictUndefined, TemplateError as JinjaError,
                    TemplateNotFound, TemplateSyntaxError)
from jinja2.bccache import Bucket
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import TemplateError
from ..i18n import Key
from ..i18n.filters import add_date_filters
from ..load.files import package_data, read_regular
from ..run.sandbox import BoundedSandbox
from .markup import drop_controls, escape_markdown, fence

BUNDLED = "output_templates"
MAX_TEMPLATE_BYTES = 256 * 1024  # one user template; the largest bundled one is under 8 KiB


def add_helpers(env: Any) -> Any:
    """Register the date/number helpers and the Markdown ones on a document environment."""
    add_date_filters(env)
    env.filters.update({"fence": fence, "md": escape_markdown})
    return env


# ---- loading -----------------------------------------------------------------------------------


class _BundledLoader(BaseLoader):
    """Templates shipped inside the qunce package (output_templates/), read as package data."""

    def __init__(self) -> None:
        self.root = package_data(BUNDLED)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = [p for p in template.split("/") if p]
        if not parts or any(p in ("..", ".") for p in parts):
            raise TemplateNotFound(template)
        node = self.root
        for p in parts:
            node = node / p
        if not node.is_file():
            raise TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), f"{BUNDLED}/{template}", lambda: True


class _FolderLoader(BaseLoader):
    """A user's `--templates` folder, closed: a template is a regular file inside the folder after
    every link is resolved, at most MAX_TEMPLATE_BYTES, in UTF-8. An absolute name, `..`, or a link
    leading out of the folder (`root -> /`, `plan.md.j2 -> /etc/passwd`) is refused with an
    error, never looked up elsewhere; a name the folder lacks falls through to the bundled ones."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = str(folder)
        try:
            self.root = Path(folder).resolve(strict=True)
        except (OSError, RuntimeError):
            raise TemplateError("templates-missing", {"path": self.folder}, file=self.folder) from None
        if not self.root.is_dir():
            raise TemplateError("templates-missing", {"path": self.folder}, file=self.folder)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.replace("\\", "/").split("/")
        if template.startswith(("/", "\\")) or "\0" in template or any(p in ("..", ".") for p in parts):
            raise TemplateError("template-refused", {"name": template, "dir": self.folder}, file=template)
        parts = [p for p in parts if p]
        candidate = self.root.joinpath(*parts) if parts else self.root
        if not parts or not os.path.lexists(candidate):
            raise TemplateNotFound(template)
        shown = os.path.join(self.folder, *parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link or a loop
            raise TemplateError("template-refused", {"name": template, "dir": self.folder}, file=shown) from None
        if not resolved.is_relative_to(self.root):
            raise TemplateError("template-refused", {"name": template, "dir": self.folder}, file=shown)
        try:
            data = read_regular(resolved, MAX_TEMPLATE_BYTES, TemplateError)
        except TemplateError as err:
            if err.code == "too-large":
                raise TemplateError("template-too-large", {"template": template, "limit": MAX_TEMPLATE_BYTES},
                                    file=shown) from None
            raise TemplateError(err.code, err.params, file=shown) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
            raise TemplateError("template-not-utf8", {"template": template, "offset": e.start}, file=shown,
                                line=line, column=column) from None
        return text, shown, lambda: True


class DocumentSandbox(BoundedSandbox):
    """The rule sandbox's bounds, with strict undefined names, for whole documents."""


class _CompiledTemplates(BytecodeCache):
    """Compiled templates, kept in this process and beside the compiled rule packs (rules.cache:
    the same folder, the same trust checks, the same versions), so neither a second document in
    one process (the page) nor a new `qunce plan` process turns the templates into Python again.
    An entry is found by the template's name, file, source and every setting of the environment
    the generated code depends on, and counts only when all of them are equal; the code is what
    the sandbox's own compiler made of that source, so a user's template runs exactly as
    sandboxed as when compiled afresh."""

    def __init__(self) -> None:
        self.memory: dict[str, tuple[bytes, Any]] = {}

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        from ..rules import cache

        bucket = Bucket(environment, name, "")
        data = "\0".join([name, filename or "", _settings(environment), source]).encode("utf-8", "surrogatepass")
        bucket.key = cache.key(data, environment)
        bucket.checksum = data  # type: ignore[assignment]  # compared whole, not by a digest
        known = self.memory.get(bucket.key)
        if known is not None and known[0] == data:
            bucket.code = known[1]
            return bucket
        hit = cache.get(bucket.key)
        if (isinstance(hit, dict) and hit.get("source") == data
                and hit.get("versions") == list(cache.versions(environment))):
            bucket.code = hit.get("code")
            self.memory[bucket.key] = (data, bucket.code)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        from ..rules import cache

        self.memory[bucket.key] = (bucket.checksum, bucket.code)  # type: ignore[assignment]
        cache.put(bucket.key, {"source": bucket.checksum, "versions": list(cache.versions(bucket.environment)),
                               "code": bucket.code})


def _settings(env: Any) -> str:
    """What a template's generated code depends on besides its source and the filters' names."""
    return repr((type(env).__qualname__, env.code_generator_class.__qualname__, env.autoescape, env.trim_blocks,
                 env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence, env.optimized,
                 env.block_start_string, env.block_end_string, env.variable_start_string,
                 env.variable_end_string, env.comment_start_string, env.comment_end_string,
                 env.line_statement_prefix, env.line_comment_prefix, env.undefined.__qualname__,
                 sorted(env.extensions), env.finalize is not None, getattr(env.finalize, "jinja_pass_arg", None)))


_CODE_CACHE = _CompiledTemplates()


def environment(fmt: str, user_dir: str | Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment for rendering documents of one format.

    `fmt` "html" (or "htm", "xml", "svg") turns autoescape on; any other format leaves it off.
    Templates are looked up in `user_dir` first, then in qunce's bundled `output_templates`; a
    `user_dir` that is not an existing folder is a TemplateError, not silently ignored.
    """
    loaders: list[BaseLoader] = []
    if user_dir is not None:
        loaders.append(_FolderLoader(user_dir))
    loaders.append(_BundledLoader())
    env = DocumentSandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=fmt.lower() in ("html", "htm", "xml", "svg"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_CODE_CACHE,
    )
    add_helpers(env)
    return env


def render(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render template `name`; any failure is a TemplateError with the template's file and line."""
    try:
        template = env.get_template(name)
    except TemplateError:
        raise
    except (RecursionError, SyntaxError, MemoryError) as e:  # 150 nested for loops: Python's own limit
        where = getattr(e, "filename", None) or name  # its line is one of the generated Python code
        raise TemplateError("template-failed", {"template": where, "line": "?", "error": Key("nested-too-deep")},
                            file=where) from None
    except TemplateNotFound:
        raise TemplateError("template-not-found", {"template": name}, file=name) from None
    except TemplateSyntaxError as e:
        raise TemplateError("template-failed", {"template": e.filename or name, "line": e.lineno,
                                                "error": e.message or str(e)},
                            file=e.filename or name, line=e.lineno) from None
    try:
        return drop_controls(template.render(context))  # no NUL or C1 control in any document
    except TemplateError as e:  # an include the folder loader refused: say where it was included
        if e.line is not None:
            raise
        where = template.filename or name
        line = _template_line(e, where)
        raise TemplateError(e.code, e.params, file=where, line=line) from None
    except Exception as e:  # UndefinedError, SecurityError, TypeError in a template expression...
        where = template.filename or name
        line = _template_line(e, where)
        error = f"{type(e).__name__}: {e}" if not isinstance(e, JinjaError) else str(e)
        raise TemplateError("template-failed", {"template": where, "line": line if line is not None else "?",
                                                "error": error}, file=where, line=line) from None


def _template_line(error: BaseException, filename: str) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's file name and line."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename or frame.filename.endswith("/" + filename):
            line = frame.lineno
    return line
