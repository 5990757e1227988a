"""The sandbox every user-supplied expression and template runs in.

Rule packs and templates may come from anyone, so they run in Jinja2's immutable sandbox (no
attribute tricks, no mutation of the plan). Jinja2 leaves size unbounded: `'x'.ljust(2**32)` asks
for 4 GB in one C call that no timer can interrupt, and `[[0]]*n | sum(start=[])` copies a
growing list n times. So every operation that can make a result much larger than its inputs is
checked BEFORE it runs, from its arguments alone, and refused with SecurityError when the result
would pass the cap (reported as a located rule or template error):

    text (characters)   MAX_TEXT      ljust rjust center zfill expandtabs join replace format
                                      format_map, `%` and `format` widths, `+`, `~`, `*`,
                                      the center indent wordwrap join replace format filters
    items (lists)       MAX_SEQUENCE  `*`, `+`, sum with a list start, batch, slice, range
    exponent            MAX_POWER     `**`
    integer (bits)      MAX_BITS      `*`, `**`
    one render          MAX_OUTPUT    the text a template or message produces, counted as it grows

What still takes long (nested loops) or builds a large output piece by piece is stopped by the
time and memory bounds of run.isolate. Rules (rules.vocabulary), SOP task texts (schedule) and
documents (output.templating) all build on this one class.
"""

from __future__ import annotations

import functools
import operator
import re
from string import Formatter
from typing import Any, Callable

from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_POWER = 64
MAX_SEQUENCE = 100_000  # items in a list built by an expression (Jinja2's own range() cap)
MAX_TEXT = 4_000_000  # characters in a text built by one operation: twice the largest plan file
MAX_OUTPUT = 32_000_000  # characters one render may produce (a rule message, a whole document)
MAX_BITS = 1 << 22  # bits in an integer built by `*` or `**` (about 1.3 million digits)

_SIZED = (str, list, tuple)
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")
_DIGITS = re.compile(r"\d+")


def refuse(what: str, size: int, cap: int) -> None:
    """Raise SecurityError when an operation would build `size` (characters or items) over `cap`."""
    if size > cap:
        raise SecurityError(f"{what} would build {size:,} {'items' if cap == MAX_SEQUENCE else 'characters'}, "
                            f"over the limit of {cap:,}")


def _cap(value: Any) -> int:
    return MAX_TEXT if isinstance(value, str) else MAX_SEQUENCE


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _text_len(items: Any) -> int:
    return sum(len(x) if isinstance(x, str) else 1 for x in items)


def _numbers(values: Any) -> int:
    """The largest int among call arguments: a `*` width or a nested `{:{w}}` takes its size from them."""
    flat = values.values() if isinstance(values, dict) else values if isinstance(values, (list, tuple)) else [values]
    return max((abs(_int(v)) for v in flat), default=0)


def check_percent(fmt: Any, args: Any) -> None:
    """`fmt % args`: each conversion's width and precision, `*` taking its value from the args."""
    if not isinstance(fmt, str):
        return
    total = len(fmt)
    for width, precision in _PERCENT.findall(fmt):
        for part in (width, precision):
            total += _numbers(args) if part == "*" else int(part) if part else 0
    refuse("a % format", total + _text_len(args if isinstance(args, (list, tuple)) else [args]), MAX_TEXT)


def check_format(fmt: str, args: tuple, kwargs: dict) -> None:
    """str.format: the widths written in each field's spec, and nested `{w}` widths from the args."""
    total = len(fmt)
    try:
        for _, _, spec, _ in Formatter().parse(fmt):
            if spec:
                total += sum(int(d) for d in _DIGITS.findall(spec))
                if "{" in spec:
                    total += max(_numbers(args), _numbers(kwargs))
    except ValueError:
        return  # str.format raises the same error itself
    refuse("a format", total + _text_len(args) + _text_len(kwargs.values()), MAX_TEXT)


def _join_size(sep: str, items: list) -> int:
    return len(sep) * max(len(items) - 1, 0) + _text_len(items)


def _replace_size(s: str, old: Any, new: Any, count: Any = -1) -> int:
    if not (isinstance(old, str) and isinstance(new, str)):
        return len(s)
    hits = len(s) + 1 if old == "" else s.count(old)
    if _int(count, -1) >= 0:
        hits = min(hits, count)
    return len(s) + hits * max(len(new) - len(old), 0)


def _method(name: str, s: str, args: tuple, kwargs: dict) -> tuple[tuple, int]:
    """(the arguments to call with, the size of the result) for an amplifying str method."""
    if name in ("ljust", "rjust", "center", "zfill"):
        width = args[0] if args else kwargs.get("width", 0)
        return args, max(len(s), _int(width))
    if name == "expandtabs":
        size = _int(args[0] if args else kwargs.get("tabsize", 8), 8)
        return args, len(s) + s.count("\t") * max(size, 0)
    if name == "join" and args:
        items = list(args[0])  # a generator is consumed once, here, and joined from the list
        return (items, *args[1:]), _join_size(s, items)
    if name == "replace" and len(args) >= 2:
        return args, _replace_size(s, *args[:3])
    if name in ("format", "format_map"):
        check_format(s, args if name == "format" else (), kwargs if name == "format" else (args[0] if args else {}))
    return args, len(s)


_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "join", "replace", "format",
                      "format_map"})


# ---- the amplifying filters: same arguments as Jinja2's, checked first --------------------------


def _bounded_filters(filters: dict[str, Callable]) -> dict[str, Callable]:
    """Wrap Jinja2's built-in filters that can amplify; the others are passed through."""
    original = dict(filters)
    out: dict[str, Callable] = {}

    def wrap(name: str, check: Callable[..., Any]) -> None:
        if name not in original:
            return
        inner = original[name]

        passes = getattr(inner, "jinja_pass_arg", None) is not None  # environment or eval context first

        @functools.wraps(inner)  # keeps jinja_pass_arg, so Jinja2 passes the same arguments
        def bounded(*args: Any, **kwargs: Any) -> Any:
            replaced = check(*args, **kwargs) if passes else check(None, *args, **kwargs)
            return inner(*args, **kwargs) if replaced is None else replaced

        out[name] = bounded

    def center(_: Any, value: Any, width: Any = 80) -> None:
        refuse("center", max(len(str(value)), _int(width)), MAX_TEXT)

    def indent(_: Any, s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> None:
        text = str(s)
        pad = len(width) if isinstance(width, str) else _int(width)
        refuse("indent", len(text) + pad * (text.count("\n") + 1), MAX_TEXT)

    def wordwrap(environment: Any, s: Any, width: Any = 79, break_long_words: bool = True,
                 wrapstring: Any = None, break_on_hyphens: bool = True) -> None:
        text = str(s)
        lines = len(text) // max(_int(width, 1), 1) + text.count("\n") + 1
        refuse("wordwrap", len(text) + lines * len(str(wrapstring or "\n")), MAX_TEXT)

    def join(eval_ctx: Any, value: Any, d: Any = "", attribute: Any = None) -> Any:
        items = list(value)
        if attribute is None:
            refuse("join", _join_size(str(d), items), MAX_TEXT)
            return original["join"](eval_ctx, items, d)
        return None if len(items) <= MAX_SEQUENCE else refuse("join", len(items), MAX_SEQUENCE)

    def replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> None:
        refuse("replace", _replace_size(str(s), old, new, -1 if count is None else count), MAX_TEXT)

    def do_format(_: Any, value: Any, *args: Any, **kwargs: Any) -> None:
        check_percent(str(value), kwargs or args)

    def do_sum(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        if not isinstance(start, (list, tuple)):
            return None  # numbers (and the TypeError of a text start): Jinja2's own sum
        items = list(iterable)
        if attribute is not None:
            getter = __import__("jinja2.filters", fromlist=["make_attrgetter"]).make_attrgetter(environment, attribute)
            items = [getter(x) for x in items]
        refuse("sum with a list start", len(start) + sum(len(x) if isinstance(x, _SIZED) else 1 for x in items),
               _cap(start))
        total = start  # concatenated in linear time, not the quadratic list + list of builtins.sum
        if all(type(x) is type(start) for x in items):
            return type(start)(x for part in (start, *items) for x in part)
        for x in items:
            total = total + x  # mixed types: the same TypeError builtins.sum raises
        return total

    def batch(_: Any, value: Any, linecount: Any, fill_with: Any = None) -> None:
        refuse("batch", _int(linecount), MAX_SEQUENCE)

    def do_slice(_: Any, value: Any, slices: Any, fill_with: Any = None) -> None:
        refuse("slice", _int(slices), MAX_SEQUENCE)

    for name, check in (("center", center), ("indent", indent), ("wordwrap", wordwrap), ("join", join),
                        ("replace", replace), ("format", do_format), ("sum", do_sum), ("batch", batch),
                        ("slice", do_slice)):
        wrap(name, check)
    return out


def _lipsum(inner: Callable) -> Callable:
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        refuse("lipsum", _int(n) * _int(max) * 12, MAX_TEXT)
        return inner(n, html, min, max)

    return lipsum


class _Generator(CodeGenerator):
    """`a ~ b` compiles to a join the sandbox never sees; this one asks the environment first."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.concat_parts((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


_DICT_NAMES = frozenset(dir(dict))  # `d.items` is the method, as in Jinja; any other name is a key


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every amplifying operation bounded (Jinja2 leaves them unbounded)."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = _Generator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.update(_bounded_filters(self.filters))
        if "lipsum" in self.globals:
            self.globals["lipsum"] = _lipsum(self.globals["lipsum"])

    def getattr(self, obj: Any, attribute: str) -> Any:  # type: ignore[override]
        """`record.key` on plain data: a dict has no attribute of that name, so Jinja's sandbox would
        raise and catch an AttributeError before reading the key. The same answer, without the
        exception, for the case nearly every rule expression reads (`plan.structure.groups`)."""
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def concat(self, pieces: Any) -> str:  # type: ignore[override]
        """A render's output, joined once it is complete: refused as soon as it passes MAX_OUTPUT."""
        out, size = [], 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT:
                refuse("the rendered text", size, MAX_OUTPUT)
            out.append(piece)
        return "".join(out)

    def concat_parts(self, parts: tuple) -> tuple:
        refuse("joining texts with ~", _text_len(parts), MAX_TEXT)
        return parts

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_POWER:
                raise SecurityError(f"exponent {right} is over the limit of {MAX_POWER}")
            if _int(left) and _int(right) > 0 and abs(left).bit_length() * right > MAX_BITS:
                raise SecurityError(f"a power of about {abs(left).bit_length() * right:,} bits is over the limit "
                                    f"of {MAX_BITS:,}")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, _SIZED) and isinstance(n, int):
                    refuse("a repeated sequence", len(seq) * n, MAX_SEQUENCE)
            if _int(left) and _int(right) and abs(left).bit_length() + abs(right).bit_length() > MAX_BITS:
                raise SecurityError(f"a product of about {abs(left).bit_length() + abs(right).bit_length():,} bits "
                                    f"is over the limit of {MAX_BITS:,}")
            return operator.mul(left, right)
        if operator_name == "+":
            if isinstance(left, _SIZED) and isinstance(right, _SIZED):
                refuse("joining with +", len(left) + len(right), _cap(left))
            return operator.add(left, right)
        if operator_name == "%":
            check_percent(left, right)
            return operator.mod(left, right)
        return super().call_binop(context, operator_name, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`'{:>9999999999}'.format(1)`: Jinja2 hands out its own wrapper of str.format; check it first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner, name = value.__self__, value.__name__

        def bounded(*args: Any, **kwargs: Any) -> str:
            if name == "format":
                check_format(owner, args, kwargs)
            else:
                check_format(owner, (), args[0] if args and isinstance(args[0], dict) else {})
            return wrapped(*args, **kwargs)

        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name in _METHODS:
            args, size = _method(name, owner, args, kwargs)
            refuse(f"str.{name}", size, MAX_TEXT)
        return super().call(__context, __obj, *args, **kwargs)
