"""The sin, category and severity labels exist once (engine.i18n.labels) and the rule schema's
"中文 / English" labels for the same keys agree with them."""

from __future__ import annotations

import json
import pickle

from qunce.engine.i18n.labels import LABELS, label, labels
from qunce.engine.load.files import package_data
from qunce.engine.model.domain import CATEGORIES, SEVERITY_LABELS, SINS


def _schema_labels(field: str) -> dict[str, str]:
    schema = json.loads(package_data("schemas").joinpath("rule.schema.json").read_text(encoding="utf-8"))
    return schema["$defs"]["rule"]["properties"][field]["x-enum-labels"]


def _bilingual(table: str, key: str) -> str:
    en = label(table, key, "en")
    return f"{label(table, key, 'zh')} / {en[:1].upper()}{en[1:]}"


def test_schema_sin_labels_agree_with_catalog():
    """Every sin in the rule schema reads exactly as the catalog's zh label and capitalised en label."""
    schema = _schema_labels("sin")
    assert list(schema) == list(LABELS["sin"])
    for key, text in schema.items():
        assert text == _bilingual("sin", key), key


def test_schema_choice_labels_agree_with_catalog():
    """Categories (all but the catch-all `sin`) and severities agree the same way."""
    for field, table in (("category", "category"), ("severity", "severity")):
        schema = _schema_labels(field)
        assert set(schema) == set(LABELS[table]) - {"sin"}
        for key, text in schema.items():
            assert text == _bilingual(table, key), (field, key)


def test_domain_keeps_only_keys_and_reads_labels_from_the_catalog():
    """domain's registries are key tuples; the old `SINS[key]` form still gives the catalog's text."""
    assert tuple(SINS) == tuple(LABELS["sin"]) and tuple(CATEGORIES) == tuple(LABELS["category"])
    assert tuple(SEVERITY_LABELS) == tuple(LABELS["severity"])
    assert SINS["leaderless"] == {"zh": "无首", "en": "no head"}
    assert label(SINS, "focus", "en") == "loss of focus" and label("severity", "info", "zh") == "提示"
    assert label(SINS, "unknown", "en") == "unknown" and label(SINS, None, "en") == ""
    assert labels("category", "en")["kpi"] == "KPIs"
    assert pickle.loads(pickle.dumps(SINS)) == SINS


# The plan document's radar chart still carries its own short sin names ("Unfocused"); they go
# when the chart reads label("sin", ...) (the document split, engine/output and i18n/plan_document).
RADAR_PENDING = {"i18n/plan_document.py"}


def test_no_other_module_defines_sin_labels():
    """The zh sin names appear as a table in one engine module only (the catalog)."""
    import pathlib

    import qunce.engine as engine

    root = pathlib.Path(engine.__file__).parent
    holders = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if '"失焦"' in p.read_text(encoding="utf-8") and '"陈旧"' in p.read_text(encoding="utf-8")]
    assert sorted(set(holders) - RADAR_PENDING) == ["i18n/labels.py"], holders
