"""The library API: everything the CLI (and the local page) does, as calls that return data.

    plan = load("club.yaml")                                  # a Document, or PlanLoadError
    result = check_file("club.yaml", load_rules())            # FileResult: problems, findings, risk, health
    report = check_paths(["plans/"], load_rules(), jobs=2)    # a Report over many files
    text = render_plan_file("club.yaml", load_rules(), fmt="html")[1]
    schedule = session_schedule(plan, "s1", rules=load_rules())
    result.to_dict("en"); result.findings[0].text("zh")       # results hold every language; pick one to read

Every call that runs user-supplied work (plans, rule packs, templates) runs it inside ONE time
bound, set here and nowhere else (`run.limits`): a plan is loaded, validated and diagnosed
within FILE_SECONDS; a document command (plan, sop) does all of its work, diagnosis included,
within FILE_SECONDS + RENDER_SECONDS.
"""
from __future__ import annotations

from ..load.files import discover
from ..load.schema import schema_path
from ..output.write import write_atomic
from ..rules.pack import load_rules
from .checking import (CheckOptions, check_document, check_file, check_paths, check_text, iter_results, load,
                       run_inputs, sidecar_path, validate_file)
from .documents import (adhoc_session, campaign_schedule, render_plan, render_plan_file, render_schedule,
                        session_schedule, sop_document)
from .evidence import evidence_report, forget, observe, write_observed, write_report
from .starters import install_schema, starter, starter_plan, wizard_questions

__all__ = ["CheckOptions", "load", "load_rules", "validate_file", "check_file", "check_text", "check_document", "iter_results",
           "check_paths", "render_plan", "render_plan_file", "session_schedule", "campaign_schedule",
           "adhoc_session", "render_schedule", "sop_document", "starter", "starter_plan", "wizard_questions",
           "install_schema", "discover", "schema_path", "write_atomic", "run_inputs", "observe", "write_observed",
           "sidecar_path", "forget", "evidence_report", "write_report"]
