"""Property tests: whatever text or bytes reach `qunce validate`, it ends with 0, 1 or 2 and a
message, never a traceback."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.cli import cli

YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@` \n\t,?0123456789群社中文\u3000\ufeff")),
                  max_size=200)


def _run(tmp_path, data: bytes):
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    data = json.loads(result.output)
    if result.exit_code:
        assert data["files"][0]["errors"], data
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path, data):
    _run(tmp_path, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_arbitrary_text(tmp_path, text):
    _run(tmp_path, text.encode("utf-8"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAMLISH)
def test_yaml_like_text(tmp_path, text):
    _run(tmp_path, ("version: 1\ncommunity:\n  name: x\n" + text).encode("utf-8"))
