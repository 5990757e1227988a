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
from qunce.engine.model.domain import DATE_ORDERS, KINDS
from qunce.engine.output.formats import PLAN_FORMATS, REPORT_FORMATS, SOP_FORMATS
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


TODAY_YEARS = (1900, 9000)  # schedules reach weeks around a day: far from datetime's years 1 and 9999


def _today_range(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and not TODAY_YEARS[0] <= value.year <= TODAY_YEARS[1]:
        raise click.BadParameter(f"give a day between the years {TODAY_YEARS[0]} and {TODAY_YEARS[1]}")
    return value


def _time_limit_env() -> None:
    """QUNCE_TIME_LIMIT must be a finite number of seconds above 0: `nan` would switch the bound
    off without a word, `inf` overflow the timer."""
    import math

    raw = os.environ.get("QUNCE_TIME_LIMIT")
    if raw is None:
        return
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > 86400:
        raise click.UsageError(t("bad-time-limit", resolve_lang(os.environ.get("QUNCE_LANG")), value=raw))


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


def _report(results: Iterator[Any], fmt: str, lang: str, output: str | None, inputs: Any,
            rules: list | None = None) -> Any:
    """Stream a report to the output as results arrive; returns the tally for the exit code."""
    from qunce.engine.model.report import Tally
    from qunce.engine.reporters import stream

    tally = Tally()
    chunks = stream(results, fmt, tally, lang, color=_color() and not _to_file(output), rules=rules)
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
            from qunce.engine.reporters import visible  # a file name or value cannot drive the terminal

            where = ":".join(str(x) for x in (err.file, err.line, err.column) if x is not None)
            click.echo(visible(f"{where + ': ' if where else ''}error[{err.code}]: {err.message(lang)}"), err=True)
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
    _time_limit_env()


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

    tally = _report(_results(paths, None, CheckOptions(lang=lang), jobs), fmt, lang, None, ())
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
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, callback=_today_range,
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
    from qunce.engine.api import CheckOptions, load_rules, run_inputs

    rules = load_rules(rule_paths, defaults=not no_default_rules)
    options = CheckOptions(lang=lang, ignore=ignores, today=today.date() if today else None)
    inputs = run_inputs(paths, rule_paths) if _to_file(output) else ()
    tally = _report(_results(paths, rules, options, jobs), fmt, lang, output, inputs, rules.rules)
    sys.exit(tally.exit_code(fail_on))


def _to_file(output: str | None) -> bool:
    """`-o -` (or no -o) is standard output."""
    return bool(output) and output != "-"


def _emit(text: str | bytes | Iterable[str], output: str | None, inputs: Any = ()) -> None:
    """To the output file (atomically, never over anything the run read) or to standard output."""
    if _to_file(output):
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

    ctx.obj = load_rules(rule_paths, defaults=not no_default_rules)
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
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, callback=_today_range, help="Check dates as of this day.")
@_rules_options
@_lang_option
@_guarded
def sop(plan_file: str | None, session_id: str | None, campaign_id: str | None, fmt: str | None,
        output: str | None, title: str | None, start: str | None, guest: str | None, host: str | None,
        duration: int | None, timezone: str | None, today: Any, rule_paths: tuple[str, ...],
        no_default_rules: bool, lang: str) -> None:
    """Dated SOP checklist for a sharing session (nine steps) or a referral campaign."""
    from qunce.engine.api import load_rules, run_inputs, sop_document
    from qunce.engine.output.formats import infer

    fmt = infer(fmt, output if _to_file(output) else None, SOP_FORMATS)
    rules = load_rules(rule_paths, defaults=not no_default_rules)
    adhoc = None if plan_file is not None else {"title": title or "", "start": start or "", "guest": guest,
                                                "host": host, "duration": duration, "timezone": timezone}
    result, text = sop_document(plan_file, rules, session_id=session_id, campaign_id=campaign_id, adhoc=adhoc,
                                fmt=fmt, lang=lang, today=today.date() if today else None)
    if result is not None:
        _usable(result, text, lang)
    _emit(text, output, run_inputs([plan_file] if plan_file else [], rule_paths) if _to_file(output) else ())


@cli.command(name="plan")
@click.argument("plan_file", type=click.Path(), metavar="PLAN")
@click.option("-o", "--output", type=click.Path(), help="Write here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(list(PLAN_FORMATS)), default=None,
              help="md or html (default: from the -o extension, else md).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False),
              help="A folder of templates overriding the bundled ones by name (run in the sandbox).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, callback=_today_range, help="Date the document as of this day.")
@_rules_options
@_lang_option
@_guarded
def plan_command(plan_file: str, output: str | None, fmt: str | None, templates_dir: str | None, today: Any,
                 rule_paths: tuple[str, ...], no_default_rules: bool, lang: str) -> None:
    """Render the full operations plan document (社群运营方案) with its diagnosis."""
    from qunce.engine.api import load_rules, render_plan_file, run_inputs
    from qunce.engine.output.formats import infer

    fmt = infer(fmt, output if _to_file(output) else None, PLAN_FORMATS)
    rules = load_rules(rule_paths, defaults=not no_default_rules)
    day = today.date() if today else None
    result, text = render_plan_file(plan_file, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=day)
    _usable(result, text, lang)
    _emit(text, output, run_inputs([plan_file], rule_paths, templates_dir=templates_dir) if _to_file(output) else ())


@cli.command()
@click.option("--install", "install_dir", is_flag=False, flag_value=".", default=None, metavar="[DIR]",
              type=click.Path(file_okay=False),
              help="Write (or refresh) DIR/.qunce/plan.schema.json, the copy a starter's modeline points at, "
                   "with every choice's Chinese names for editor completion (DIR: the current folder).")
@_lang_option
@_guarded
def schema(install_dir: str | None, lang: str) -> None:
    """Print the plan's JSON Schema, or install the editors' copy beside your plans."""
    from qunce.engine.api import install_schema, schema_path

    if install_dir is None:
        click.echo(schema_path().read_text(encoding="utf-8"), nl=False)
    else:
        click.echo(t("init:written", lang, path=install_schema(install_dir)), err=True)


WIZARD = ("kind", "platform", "name", "goal", "members", "mode", "strategy", "revenue")  # the wizard's keys


def _ask(questions: list[dict[str, Any]], answers: dict[str, str], lang: str) -> dict[str, str]:
    """On a terminal: ask every question not answered by a flag (prompts on stderr, so stdout can
    still be the plan). Fixed choices are numbered; a number, an id or a Chinese name is taken."""
    from qunce.engine.load.starter import QUESTIONS, resolve_answer

    click.echo(t("init:intro", lang), err=True)
    by_key = {q.key: q for q in QUESTIONS}
    for i, q in enumerate(questions, 1):
        if answers.get(q["key"]):
            continue
        click.echo(t("init:ask", lang, i=i, n=len(questions), question=q["question"], hint=q["hint"]), err=True)
        if not q["options"]:
            answers[q["key"]] = click.prompt(">", default="", show_default=False, err=True)
            continue
        for n, option in enumerate(q["options"], 1):
            click.echo(f"  {n:>2}) {option['name']}  {option['id']}", err=True)
        default = "1" if q["key"] == "kind" else ""
        while True:
            raw = click.prompt(t("init:pick", lang), default=default, show_default=bool(default), err=True)
            if not raw.strip() or resolve_answer(by_key[q["key"]], raw) is not None:
                answers[q["key"]] = raw
                break
            click.echo(t("init:not-a-choice", lang, value=raw), err=True)
    return answers


@cli.command()
@click.option("--kind", help="Community kind (社群类型): product, interest, knowledge, resource, marketing, "
                             "or its Chinese name (产品型, 兴趣型, 知识型, 资源人脉型, 营销型).")
@click.option("--platform", help="Main platform: an id or its Chinese name (微信群, 企业微信, QQ群, 知识星球, 飞书, ...).")
@click.option("--name", help="Community name (社群名称).")
@click.option("--goal", help="Goal (目标), the first of the five pre-launch questions.")
@click.option("--members", help="Who the members are and how they are screened (成员与筛选).")
@click.option("--mode", help="How members interact, content forms, activities (模式).")
@click.option("--strategy", help="Operating process and activity planning (运营策略).")
@click.option("--revenue", help="Revenue model and how it is evaluated (盈利模式).")
@click.option("-o", "--output", type=click.Path(), help="Write here (and .qunce/plan.schema.json beside it) "
                                                       "instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@_lang_option
@_guarded
def init(output: str | None, force: bool, lang: str, **flags: str | None) -> None:
    """Write a commented starter plan; on a terminal, ask the wizard's questions first (each
    skippable with its flag). Without a terminal, --kind is required."""
    from qunce.engine.api import install_schema, starter_plan, wizard_questions, write_atomic

    answers = {k: v for k, v in flags.items() if v is not None}
    if sys.stdin.isatty():
        answers = _ask(wizard_questions(lang), answers, lang)
        if output is None and sys.stdout.isatty():
            output = click.prompt(t("init:q-output", lang), default="plan.yaml", err=True)
    elif not answers.get("kind"):
        raise click.UsageError(t("init-needs-kind", lang, choices=", ".join(KINDS)))
    text = starter_plan(answers, lang)
    if _to_file(output):
        write_atomic(output, text, force=force)
        install_schema(os.path.dirname(os.path.abspath(output)))
        click.echo(output, err=True)
    else:
        click.echo(text, nl=False)
        if sys.stderr.isatty():
            click.echo(t("init:schema-hint", lang), err=True)


@cli.command()
@click.argument("target", required=False, type=click.Path(exists=True), metavar="[PLAN_OR_FOLDER]")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="First port to try; a port in use moves to the next free one.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; only this machine by default.")
@click.option("--no-browser", is_flag=True, help="Print the URL without opening a browser.")
@_lang_option
@_guarded
def serve(target: str | None, port: int, host: str, no_browser: bool, lang: str) -> None:
    """A local page that edits, checks and renders a plan (or the plans of a folder)."""
    from qunce.engine.web.server import prepare, run

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: other machines can reach this page (the token still guards it)",
                   err=True)
    serving = prepare(host, port)
    if serving.port != port and port != 0:
        click.echo(f"port {port} is in use; using {serving.port}", err=True)
    click.echo(serving.url)
    if not no_browser:
        import webbrowser

        webbrowser.open(serving.url)
    run(serving, target or ".", lang=lang)


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


@cli.command()
@click.argument("exports", nargs=-1, type=click.Path())
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False), help="The plan: its groups, team, topics; the store sits beside it.")
@click.option("--sidecar", is_flag=True, help="Write PLAN's figures to <plan>.observed.yaml instead of into the plan.")
@click.option("--dry-run", is_flag=True, help="Show the diff; leave the plan as it is (a --report is still written).")
@click.option("--group", metavar="NAME", help="Put every export in this plan group.")
@click.option("--from", "fmt", metavar="FORMAT", help="Read every export with this reader (default: detected).")
@click.option("--tz", metavar="ZONE", help="Time zone of times without an offset (default: the plan's, else Asia/Shanghai).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Figures as of this day (default: the last message).")
@click.option("--anonymize", is_flag=True, help="Store salted hashes instead of names and ids.")
@click.option("--forget", is_flag=True, help="Delete the evidence store and its salt, then stop.")
@click.option("--topics", metavar="WORDS", default="", help="Extra on-topic words, comma-separated.")
@click.option("--date-order", type=click.Choice(DATE_ORDERS), default=None,
              help="Day/month order of culture-formatted dates (Discord CSV) when the export cannot tell.")
@click.option("--report", "report", type=click.Path(dir_okay=False), default=None,
              help="Also write the evidence report (groups by risk, activity, retention, roles, sins, this week's "
                   "actions) here: " + "; ".join(f"{k}: {v}" for k, v in REPORT_FORMATS.items())
                   + " (by the extension, else html).")
@_lang_option
@_guarded
def observe(exports: tuple[str, ...], plan_file: str | None, sidecar: bool, dry_run: bool, group: str | None,
            fmt: str | None, tz: str | None, as_of: Any, anonymize: bool, forget: bool, topics: str,
            date_order: str | None, report: str | None, lang: str) -> None:
    """Read chat exports and write the observed figures (per group and for the community) into a plan."""
    from qunce.engine import api
    from qunce.engine.reporters import visible

    if forget:
        gone = api.forget(plan_file)
        click.echo(t("observe-forgotten", lang, paths=", ".join(map(str, gone)) or "-"))
        return
    if not exports:
        raise click.UsageError("EXPORT required (or --forget)")
    tty = sys.stderr.isatty()
    bar: list[Any] = []  # opened at the first stored batch, when the exports' whole size is known

    def progress(rows: int, added: int, meter: Any) -> None:
        """A bar over the bytes read of all the exports, with the messages read so far."""
        if not tty:
            return
        if not bar:
            bar.append(click.progressbar(length=max(meter.total, 1), file=sys.stderr, label=t("observe-reading", lang),
                                         item_show_func=lambda n: t("observe-rows", lang, rows=f"{n:,}") if n else None))
            bar[0].__enter__()
        bar[0].update(max(0, meter.done() - bar[0].pos), current_item=rows)

    try:
        obs = api.observe(exports, plan=plan_file, group=group, fmt=fmt, tz=tz, as_of=as_of.date() if as_of else None,
                          anonymize=anonymize, topics=[w.strip() for w in topics.split(",") if w.strip()],
                          progress=progress, date_order=date_order)
    except KeyboardInterrupt:
        click.echo("\n" + t("observe-interrupted", lang), err=True)
        sys.exit(130)
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
    for p in obs.problems:
        where = ":".join(x for x in (p.file, p.where.replace("line ", "")) if x)
        click.echo(visible(f"{where}: {p.severity}[{p.code}]: {t(p.code, lang, **p.params)}"), err=True)
    rows = obs.load["rows_in"]
    click.echo(t("observe-summary", lang, rows=rows, added=obs.load["rows_added"], dup=obs.load["rows_duplicate"],
                 seconds=f"{obs.seconds:.1f}", rate=f"{rows / obs.seconds:,.0f}" if obs.seconds else "-"), err=True)
    if plan_file:
        for chat, target in obs.mapping.items():
            if not target and not group:
                click.echo(visible(t("observe-unmapped", lang, chat=chat)), err=True)
    for g in obs.groups:
        click.echo(visible(t("observe-group", lang, name=g["name"], risk=g["risk"], members=g.get("members", "-"),
                             active=g.get("active_7d", "-"), messages=g.get("messages_7d", "-"))))
    if not plan_file:
        import yaml

        click.echo(yaml.safe_dump({"observed": obs.observed}, allow_unicode=True, sort_keys=False), nl=False)
        _observe_report(obs, report, exports, None, anonymize, lang)
        return
    edit = api.write_observed(plan_file, obs, sidecar=sidecar, dry_run=dry_run)
    if dry_run:
        click.echo("".join(visible(line.rstrip("\n")) + "\n" for line in edit.diff().splitlines(True)), nl=False)
    else:
        click.echo(t("observe-written", lang, path=edit.path), err=True)
    _observe_report(obs, report, exports, plan_file, anonymize, lang)
    sys.exit(1 if any(p.severity == "error" for p in obs.problems) else 0)


def _observe_report(obs: Any, report: str | None, exports: tuple[str, ...], plan_file: str | None, anonymize: bool,
                    lang: str) -> None:
    """`observe --report PATH`: the evidence report in the format its extension names (else html),
    written atomically and never over anything the run read."""
    from qunce.engine import api
    from qunce.engine.output.formats import infer

    if not report:
        return
    fmt = infer(None, report, REPORT_FORMATS, default="html")
    text = api.evidence_report(obs, plan=plan_file, fmt=fmt, lang=lang, anonymized=anonymize)
    path = api.write_report(report, text, exports=exports, plan=plan_file)
    click.echo(t("observe-report", lang, path=path), err=True)
