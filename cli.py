"""The `qunce` command: parse options, call the engine, print, pick the exit code. No logic here."""

from __future__ import annotations

import functools
import os
import signal
import sys
from typing import Any, Callable, Iterable, Iterator

import click

from qunce import __version__
from qunce.engine.errors import EXIT_ERROR, QunceError
from qunce.engine.i18n import LANGS, resolve_lang, t
from qunce.engine.model.domain import KINDS
from qunce.engine.output.formats import PLAN_FORMATS, SOP_FORMATS
from qunce.engine.model.report import FAIL_ON
from qunce.engine.reporters import REPORTERS, VALIDATE_FORMATS


def _lang_option(fn: Callable) -> Callable:
    def normalise(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        if value and value.replace("_", "-").split("-")[0].lower() not in LANGS:
            raise click.BadParameter(f"choose from {', '.join(LANGS)}")
        return resolve_lang(value)

    return click.option("--lang", envvar="QUNCE_LANG", callback=normalise, metavar="zh|en",
                        help="Output language: zh (default) or en; also QUNCE_LANG.")(fn)


def _color(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


PROGRESS_FROM = 50  # files; shorter batches finish before a bar would help


def _jobs_option(fn: Callable) -> Callable:
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes for many files (default: the machine's cores).")(fn)


def _results(paths: tuple[str, ...], rules: Any, options: Any, jobs: int | None) -> Iterator[Any]:
    """Results as they are ready, with a progress bar on stderr for long batches on a TTY."""
    from qunce.engine.api import iter_results
    from qunce.engine.run.batch import default_jobs

    results = iter_results(paths, rules, options, jobs=jobs or default_jobs())
    if not sys.stderr.isatty():
        yield from results
        return
    from qunce.engine.load.files import discover

    total = len(discover(paths))
    if total < PROGRESS_FROM:
        yield from results
        return
    with click.progressbar(length=total, file=sys.stderr, label="qunce", show_pos=True) as bar:
        for result in results:
            bar.update(1)
            yield result


def _report(results: Iterator[Any], fmt: str, lang: str, output: str | None, inputs: tuple[str, ...],
            rules: list | None = None) -> Any:
    """Stream a report to the output as results arrive; returns the tally for the exit code."""
    from qunce.engine.model.report import Tally
    from qunce.engine.reporters import stream

    tally = Tally()
    chunks = stream(results, fmt, tally, lang, color=_color() and not output, rules=rules)
    _emit(chunks, output, inputs)
    return tally


def _guarded(fn: Callable) -> Callable:
    """Every failure becomes a located message and exit 2, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = resolve_lang(kwargs.get("lang"))
        try:
            return fn(*args, **kwargs)
        except QunceError as err:
            where = ":".join(str(x) for x in (err.file, err.line, err.column) if x is not None)
            click.echo(f"{where + ': ' if where else ''}error[{err.code}]: {err.message(lang)}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.exit(EXIT_ERROR)
        except Exception as err:  # the last net: report, do not dump a traceback on a user
            if os.environ.get("QUNCE_DEBUG"):
                raise
            click.echo(f"error[internal-error]: {t('internal-error', lang, error=type(err).__name__ + ': ' + str(err))}",
                       err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="qunce")
def cli() -> None:
    """群策 qunce: validate, diagnose and render online community plans (社群运营方案)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(VALIDATE_FORMATS), default="text", show_default=True,
              help="Output format.")
@_jobs_option
@_lang_option
@_guarded
def validate(paths: tuple[str, ...], fmt: str, jobs: int | None, lang: str) -> None:
    """Check plan files (or directories of *.yaml) against the plan schema."""
    from qunce.engine.api import CheckOptions

    tally = _report(_results(paths, None, CheckOptions(lang=lang), jobs), fmt, lang, None, paths)
    sys.exit(tally.exit_code("never"))


def _rules_options(fn: Callable) -> Callable:
    fn = click.option("--no-default-rules", is_flag=True,
                      help="Do not load the bundled playbook (only --rules packs).")(fn)
    return click.option("--rules", "rule_paths", multiple=True, type=click.Path(),
                        help="Extra rule pack file or directory; repeatable; adds to the bundled playbook.")(fn)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
              help="Output format: " + "; ".join(f"{k}: {v}" for k, v in REPORTERS.items()) + ".")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True,
              help="Exit 1 when a finding of this severity or worse is found.")
@click.option("--ignore", "ignores", multiple=True, metavar="RULE_ID", help="Switch a rule off for this run; repeatable.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Evaluate date rules as of this day (default: today).")
@click.option("-o", "--output", type=click.Path(), help="Write the report here instead of standard output.")
@_rules_options
@_jobs_option
@_lang_option
@_guarded
def check(paths: tuple[str, ...], fmt: str, fail_on: str, ignores: tuple[str, ...], today: Any,
          output: str | None, rule_paths: tuple[str, ...], no_default_rules: bool, jobs: int | None,
          lang: str) -> None:
    """Validate plans, then diagnose them against the seven deadly sins and other failure modes."""
    from qunce.engine.api import CheckOptions, load_rules

    rules = load_rules(rule_paths, defaults=not no_default_rules, lang=lang)
    options = CheckOptions(lang=lang, ignore=ignores, today=today.date() if today else None)
    tally = _report(_results(paths, rules, options, jobs), fmt, lang, output, paths, rules.rules)
    sys.exit(tally.exit_code(fail_on))


def _emit(text: str | bytes | Iterable[str], output: str | None, inputs: tuple[str, ...] = ()) -> None:
    """To the output file (atomically, never over an input) or to standard output."""
    if output:
        from qunce.engine.output.write import write_atomic

        write_atomic(output, text, inputs=inputs)
    else:
        for chunk in [text] if isinstance(text, (str, bytes)) else text:
            click.echo(chunk, nl=False)


@cli.group(invoke_without_command=True)
@_rules_options
@_lang_option
@click.pass_context
@_guarded
def rules(ctx: click.Context, rule_paths: tuple[str, ...], no_default_rules: bool, lang: str) -> None:
    """List the rules (id, sin or category, severity, title)."""
    from qunce.engine.api import load_rules

    ctx.obj = load_rules(rule_paths, defaults=not no_default_rules, lang=lang)
    if ctx.invoked_subcommand is None:
        from qunce.engine.output.rule_docs import rule_table

        click.echo(rule_table(ctx.obj, lang), nl=False)


@rules.command()
@click.argument("rule_id")
@_lang_option
@click.pass_obj
@_guarded
def explain(ruleset: Any, rule_id: str, lang: str) -> None:
    """Print one rule's rationale, remedy and condition."""
    from qunce.engine.output.rule_docs import explain as explain_rule

    click.echo(explain_rule(ruleset, rule_id, lang), nl=False)


def _usable(result: Any, plan: Any, lang: str) -> Any:
    """A document command goes on only with a valid plan; otherwise its problems and the exit."""
    from qunce.engine.model.report import Report
    from qunce.engine.reporters import render

    if plan is None or not result.valid:
        report = Report([result], lang=lang)
        click.echo(render(report, "text", color=_color(sys.stderr)), err=True, nl=False)
        sys.exit(report.exit_code("never"))
    return plan


@cli.command()
@click.argument("plan_file", required=False, type=click.Path(), metavar="[PLAN]")
@click.option("--session", "session_id", metavar="ID", help="Which sharing session (sessions[].id).")
@click.option("--campaign", "campaign_id", metavar="ID", help="Which referral campaign (campaigns[].id).")
@click.option("--format", "fmt", type=click.Choice(list(SOP_FORMATS)), default=None,
              help="Output format (default: from the -o extension, else md): "
                   + "; ".join(f"{k}: {v}" for k, v in SOP_FORMATS.items()) + ".")
@click.option("-o", "--output", type=click.Path(), help="Write here instead of standard output.")
@click.option("--title", help="Without a plan: the session's title.")
@click.option("--start", help="Without a plan: the start, e.g. 2026-12-05T20:00.")
@click.option("--guest", help="Without a plan: the guest's name.")
@click.option("--host", help="Without a plan: the host's name.")
@click.option("--duration", type=click.IntRange(1, 600), help="Without a plan: minutes.")
@click.option("--timezone", help="Without a plan: IANA time zone (default Asia/Shanghai).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Check dates as of this day.")
@_rules_options
@_lang_option
@_guarded
def sop(plan_file: str | None, session_id: str | None, campaign_id: str | None, fmt: str | None,
        output: str | None, title: str | None, start: str | None, guest: str | None, host: str | None,
        duration: int | None, timezone: str | None, today: Any, rule_paths: tuple[str, ...],
        no_default_rules: bool, lang: str) -> None:
    """Dated SOP checklist for a sharing session (nine steps) or a referral campaign."""
    from qunce.engine.api import load_rules, sop_document
    from qunce.engine.output.formats import infer

    fmt = infer(fmt, output, SOP_FORMATS)
    rules = load_rules(rule_paths, defaults=not no_default_rules, lang=lang)
    adhoc = None if plan_file is not None else {"title": title or "", "start": start or "", "guest": guest,
                                                "host": host, "duration": duration, "timezone": timezone}
    result, text = sop_document(plan_file, rules, session_id=session_id, campaign_id=campaign_id, adhoc=adhoc,
                                fmt=fmt, lang=lang, today=today.date() if today else None)
    if result is not None:
        _usable(result, text, lang)
    _emit(text, output, (plan_file,) if plan_file else ())


@cli.command(name="plan")
@click.argument("plan_file", type=click.Path(), metavar="PLAN")
@click.option("-o", "--output", type=click.Path(), help="Write here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(list(PLAN_FORMATS)), default=None,
              help="md or html (default: from the -o extension, else md).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False),
              help="A folder of templates overriding the bundled ones by name (run in the sandbox).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date the document as of this day.")
@_rules_options
@_lang_option
@_guarded
def plan_command(plan_file: str, output: str | None, fmt: str | None, templates_dir: str | None, today: Any,
                 rule_paths: tuple[str, ...], no_default_rules: bool, lang: str) -> None:
    """Render the full operations plan document (社群运营方案) with its diagnosis."""
    from qunce.engine.api import load_rules, render_plan_file
    from qunce.engine.output.formats import infer

    fmt = infer(fmt, output, PLAN_FORMATS)
    rules = load_rules(rule_paths, defaults=not no_default_rules, lang=lang)
    day = today.date() if today else None
    result, text = render_plan_file(plan_file, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=day)
    _usable(result, text, lang)
    _emit(text, output, (plan_file,))


@cli.command()
@_guarded
def schema() -> None:
    """Print the plan's JSON Schema."""
    from qunce.engine.api import schema_path

    click.echo(schema_path().read_text(encoding="utf-8"), nl=False)


@cli.command()
@click.option("--kind", required=True, type=click.Choice(KINDS),
              help="Community kind (社群类型).")
@click.option("-o", "--output", type=click.Path(), help="Write here instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@_lang_option
@_guarded
def init(kind: str, output: str | None, force: bool, lang: str) -> None:
    """Write a commented starter plan for one community kind."""
    from qunce.engine.api import starter, write_atomic

    text = starter(kind)
    if output:
        write_atomic(output, text, force=force)
        click.echo(output, err=True)
    else:
        click.echo(text, nl=False)


class _Stopped(BaseException):
    """Raised by the first SIGINT, SIGTERM or SIGHUP. Not an Exception (nor KeyboardInterrupt, which
    click turns into "Aborted!" and exit 1): it unwinds past every handler, so an output being
    written loses its temp file and workers are killed on the way, then main() exits 128+n."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]


def _stop(signum: int, frame: Any) -> None:
    for sig in _STOP_SIGNALS:  # one unwinding at a time: a second signal must not cut the clean-up short
        signal.signal(sig, signal.SIG_IGN)
    raise _Stopped(signum)


def main() -> None:
    for sig in _STOP_SIGNALS:
        signal.signal(sig, _stop)
    try:
        cli(prog_name="qunce")
    except _Stopped as stopped:
        name = signal.Signals(stopped.signum).name
        pool = sys.modules.get("multiprocessing")
        if pool is not None:  # workers of a batch whose generator was not closed on the way out
            for child in pool.active_children():
                child.kill()
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        try:
            sys.stderr.write(f"\nerror[interrupted]: {t('interrupted', resolve_lang(None), signal=name)}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(128 + stopped.signum)  # everything is cleaned up; skip waiting for worker threads


if __name__ == "__main__":  # pragma: no cover
    main()
