"""A bullet of an operator's notes that wraps onto the next comment line is one note: rules hear
"the old-timers ... have left" although the two halves sit on two lines."""

from __future__ import annotations

from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.notes import joined

PLAN = """\
version: 1
community: {name: Lounge}
# Things I worry about:
# - The old-timers who used to answer questions (Hannah, the sourcing guy)
#   have left for a paid Discord.
# - Spam bots join every day.
# 第一行说明
# 第二行说明
"""


def _notes(text: str) -> list[tuple[int, str]]:
    return [(n["line"], n["text"]) for n in joined(load_plan_bytes(text.encode("utf-8")).locator.comments)]


def test_a_wrapped_bullet_is_joined_onto_its_mark_and_plain_lines_stay_apart():
    assert _notes(PLAN) == [
        (3, "Things I worry about:"),
        (4, "- The old-timers who used to answer questions (Hannah, the sourcing guy) have left for a paid Discord."),
        (6, "- Spam bots join every day."),
        (7, "第一行说明"),
        (8, "第二行说明"),
    ]


def test_a_line_after_a_gap_or_at_another_path_is_not_joined():
    text = "version: 1\n# - 老队员越来越少\n\n#   新来的不见了\noutput:\n  - {name: a}  # - 停了\n  # 补一句\n"
    assert _notes(text) == [(2, "- 老队员越来越少"), (4, "新来的不见了"), (6, "- 停了"), (7, "补一句")]
