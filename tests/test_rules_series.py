"""Groups named as a numbered series: the split practice operators write in many ways."""

from __future__ import annotations

import pytest

from qunce.engine.rules.series import series_size


@pytest.mark.parametrize("names, size", [
    (["粉丝1群", "粉丝2群", "粉丝3群"], 3),
    (["打卡群1", "打卡群2", "成长星球"], 2),
    (["资料群A1", "资料群A2"], 2),
    (["业主①群", "业主②群"], 2),
    (["读书会一群", "读书会二群"], 2),
    (["Study Group 1", "study group 2"], 2),
    (["福利1-4群(老客)", "福利5-11群(新客)"], 11),   # a name covering a range stands for each group in it
    (["冲刺营1群"], 1),
    (["读书会", "写作会"], 0),
    ([], 0),
    (None, 0),
    ([None, 3, "1群"], 1),
])
def test_series_size(names, size):
    assert series_size(names) == size
