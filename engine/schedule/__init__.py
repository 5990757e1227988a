"""The schedule engine: a session's nine steps or a campaign's flow as dated tasks.

    timing     the offset grammar, time zones, start times, playbook records -> timed slots
    playbook   facts.sop, task texts in the sandbox, owners, picking the item
    sessions   session_schedule, adhoc_plan
    campaigns  campaign_schedule, checklist, funnel_review, groups_needed
    filters    the rules' sop_* filters (imported lazily by engine.rules.vocabulary)

It may import engine.load, engine.model, engine.run and engine.i18n, never engine.rules or
anything above: the rules' findings are attached by engine.api. The records it builds (Task,
Schedule) live in engine.model.schedule.
"""
