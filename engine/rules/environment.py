"""The environment rules are written in: the sandbox their `when:`, `let:` and messages run in,
with the vocabulary's judgements, the free-text readers and the time helpers registered as
filters and tests under the names rule authors use (`plan | admin_count`, `plan is commercial`,
`x is present`). What a word means lives in engine.rules.vocabulary; this module only says how
rules reach it, so the rule-code cache can key compiled packs on exactly this set."""

from __future__ import annotations

from typing import Any

from jinja2 import ChainableUndefined, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..model.platforms import platform_profile
from ..run.memo import remembered
from ..run.sandbox import BoundedSandbox
from .moments import days_between, in_quiet_hours, minutes_of, to_datetime
from .reading import answered, clauses, mentions, not_mentioning, noted, noting, placeholder_paths, texts
from .vocabulary import (admin_count, cadence_days, choice_label, cite, coordinators, fastest_cadence, full_groups,
                         funnel_counts, group_cap, group_status, is_commercial, is_present, largest_group, listify,
                         lookup, member_count, missing_keys, output_load, per_days, pluck, ratio, replicates,
                         says_why, seed_users_needed, seeks_revenue, staff_count, team_people, text_length, total)
from .demand import answers_on_demand
from .desk import serves_customers
from .selling import weekly_runs
from .platforms import platforms_used
from .series import series_size
from .beside import beside
from .belonging import admitted_by_membership
from .seasons import in_quiet_season
from .departures import explains_departures
from .trends import rate_trend, trend

FILTERS = {
    "listify": listify, "staff": team_people, "cadence_days": cadence_days, "per_days": per_days,
    "output_load": output_load, "weekly_runs": weekly_runs,
    "ratio": ratio, "total": total, "pluck": remembered(pluck), "to_datetime": to_datetime,
    "days_between": days_between, "text_length": text_length, "minutes_of": minutes_of, "cite": cite,
    # domain judgements
    "platform_profile": platform_profile, "group_cap": group_cap, "group_status": group_status,
    "largest_group": largest_group, "full_groups": full_groups, "member_count": member_count,
    "seed_users_needed": seed_users_needed, "admin_count": admin_count, "staff_count": staff_count,
    "coordinators": coordinators, "fastest_cadence": fastest_cadence,
    "funnel_counts": funnel_counts, "missing_keys": missing_keys, "choice_label": choice_label,
    "lookup": lookup, "trend": trend, "rate_trend": rate_trend,  # observed.history (rules.trends)
    # reading free text (rules.reading): `plan.structure.rules | mentions(facts.keywords.domineering)`
    "mentions": remembered(mentions), "texts": remembered(texts), "not_mentioning": not_mentioning, "noting": noting,
    "noted": noted, "clauses": remembered(clauses),
    "platforms_used": platforms_used,  # rules.platforms: the platform families members are spread over
    "series_size": series_size,  # rules.series: groups opened as a numbered series (1群/2群, A1/A2, ①/②)
    "beside": beside,  # rules.beside: the notes on one entry of a list (a team member's own lines)
}


@pass_context
def _answered(context: Any, value: Any) -> bool:
    """`x is present`: filled in, and not with a placeholder (暂定, 待定, TBD, starter sample text)."""
    test = context.get("_placeholder")
    return answered(value, test) if test is not None else is_present(value)


@pass_context
def _is_placeholder(context: Any, value: Any) -> bool:
    """`x is placeholder`: text that stands for an answer not given yet."""
    test = context.get("_placeholder")
    return bool(test is not None and test(value))


@pass_context
def _placeholder_paths(context: Any, value: Any) -> list[str]:
    """`plan | placeholder_paths`: where the plan holds placeholder text, as dotted paths."""
    test = context.get("_placeholder")
    return placeholder_paths(value, test) if test is not None else []


FILTERS["placeholder_paths"] = _placeholder_paths

TESTS = {"present": _answered, "placeholder": _is_placeholder, "in_quiet_hours": in_quiet_hours,
         "commercial": is_commercial, "answering_on_demand": answers_on_demand,
         "replicating": replicates, "seeking_revenue": seeks_revenue, "saying_why": says_why,
         "mentioning": lambda value, words: bool(mentions(value, words)),  # `selectattr('successor', 'mentioning', words)`
         "in_quiet_season": in_quiet_season,  # rules.seasons: a quiet season the plan explains
         "explaining_departures": explains_departures,  # rules.departures: departures the plan explains
         "admitted_by_membership": admitted_by_membership,  # rules.belonging: membership is the way in
         "service_desk": serves_customers}  # rules.desk: a group kept for customers to bring problems


def _sop(name: str) -> Any:
    """A filter that lives in engine.schedule.filters, imported on first use so this module stays light."""

    def call(*args: Any, **kwargs: Any) -> Any:
        from ..schedule import filters

        return getattr(filters, name)(*args, **kwargs)

    call.__name__ = name
    return call


# The SOP schedule inside expressions: `item | sop_tasks(plan, facts)` (task times as local ISO
# text), `item | sop_start(plan)`, `item.funnel | sop_funnel(facts)` (conversions, weakest stage),
# `item.target | sop_groups_needed(platform)` (receiving groups a campaign target needs).
FILTERS.update({"sop_tasks": _sop("filter_tasks"), "sop_start": remembered(_sop("filter_start")),
                "sop_funnel": _sop("filter_funnel"), "sop_groups_needed": _sop("groups_needed")})


def _selecting(keep: bool, by_attribute: bool) -> Any:
    """Jinja's select/reject/selectattr/rejectattr, calling a plain test directly instead of through
    `environment.call_test` for every element (rules filter lists of hundreds of sessions and
    outputs, and that dispatch was a tenth of a check). Attributes are still read through the
    sandbox's `getitem`; a test that wants the context, or an unknown one, takes Jinja's own path."""
    from jinja2.filters import make_attrgetter, select_or_reject

    @pass_context
    def select(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        env = context.environment
        off = 1 if by_attribute else 0
        test = env.tests.get(args[off]) if len(args) > off and isinstance(args[off], str) else None
        if test is None or kwargs or getattr(test, "jinja_pass_arg", None) is not None:
            return select_or_reject(context, value, args, kwargs, (lambda x: x) if keep else (lambda x: not x),
                                    by_attribute)
        get = make_attrgetter(env, args[0]) if by_attribute else None
        rest = args[off + 1:]
        return _kept(value, test, get, rest, keep)

    return select


def _kept(value: Any, test: Any, get: Any, rest: tuple, keep: bool) -> Any:
    if value:
        for item in value:
            if bool(test(get(item) if get is not None else item, *rest)) is keep:
                yield item


def sandbox() -> ImmutableSandboxedEnvironment:
    """For `when:` conditions and rule messages: missing plan parts are falsy and render empty,
    so `not plan.a.b` works on drafts that leave whole sections out."""
    env = BoundedSandbox(undefined=ChainableUndefined, autoescape=False)
    env.filters.update(FILTERS)
    env.filters.update({"select": _selecting(True, False), "reject": _selecting(False, False),
                        "selectattr": _selecting(True, True), "rejectattr": _selecting(False, True)})
    env.tests.update(TESTS)
    # Only harmless globals: the default `cycler`, `joiner`, `lipsum` are not needed by rules.
    env.globals = {"range": env.globals["range"], "dict": dict}
    return env
