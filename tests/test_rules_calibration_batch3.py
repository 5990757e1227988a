"""General classes the calibration plans 49-60 showed the diagnosis getting wrong (issue 12),
each pinned on a small plan: tyranny read from what is done to critics, not only from what
the rules say about the owner."""

from __future__ import annotations

from conftest import fired_rules


def _group(rules: list[str], bots: list[str] | None = None, platform: str = "wechat_group") -> dict:
    moderation = {"ads": "forbidden", "spam": "warn_then_remove", "removal": {"warnings": 2, "by": "admins"},
                  "appeal": True}
    if bots:
        moderation["bots"] = bots
    return {"structure": {"platform": platform, "rules": rules, "moderation": moderation,
                          "team": [{"role": "owner", "name": "老周"}, {"role": "admin", "name": "小李"}]}}


def test_removing_those_who_question_the_accounts_is_tyranny_even_with_fair_procedures(ruleset):
    """Warnings and an appeal on paper do not help a member removed for asking where the money went."""
    fired = fired_rules(ruleset, _group(["只讨论筹备事项", "质疑筹备组账目的，一律直接移出"]))
    assert "tyranny.critics-removed" in fired, fired


def test_a_bot_deleting_refund_talk_is_read_as_suppression_and_as_keyword_tooling(ruleset):
    """A Telegram bot set to delete every message with 'refund': criticism wiped out, and the
    keyword filter is on (it is misused, not missing)."""
    fired = fired_rules(ruleset, _group(["Stay positive."], ["Combot, deletes messages with the word refund"],
                                   platform="telegram_group"))
    assert "tyranny.critics-removed" in fired, fired
    assert "harassment.keyword-filter-off" not in fired, fired


def test_removing_abuse_and_ads_is_ordinary_moderation(ruleset):
    """Control: rumours, attacks and spam links are not criticism; a refund rule without removal is no threat."""
    fired = fired_rules(ruleset, _group(["恶意差评、造谣的移出", "退款问题请私聊客服", "发广告直接移出"]))
    assert "tyranny.critics-removed" not in fired, fired
    fired = fired_rules(ruleset, _group(["No spam or scam links; spammers are banned"], platform="telegram_group"))
    assert "tyranny.critics-removed" not in fired, fired


def test_an_operator_noting_the_same_few_talking_is_staleness(ruleset):
    """陈旧 as the operator sees it: 'the same thirty old faces do the talking' is a finding."""
    base = "version: 1\ncommunity: {name: 打印交流群}\nstructure: {platform: qq_group}\n"
    assert "staleness.same-few-noted" not in fired_rules(ruleset, base)
    noted = base + "# 每天说话的基本是那三四十个老面孔，新人几乎一句话没说过\n"
    assert "staleness.same-few-noted" in fired_rules(ruleset, noted)
    founders = base + "# 建群的时候就我们几个人，现在三百多人了\n"
    assert "staleness.same-few-noted" not in fired_rules(ruleset, founders)


def test_newcomers_are_judged_against_their_own_number(ruleset):
    """240 joiners of 1,870 writing 2% of the messages speak at a sixth of their weight; the same
    2% from 10 joiners of 1,870 is about their share."""
    def plan(new: int) -> dict:
        return {"structure": {"platform": "qq_group"},
                "observed": {"members": 1870, "new_30d": new, "recent_joiner_share_30d": 0.02}}
    assert "staleness.evidence-newcomers-mute" in fired_rules(ruleset, plan(240))
    assert "staleness.evidence-newcomers-mute" not in fired_rules(ruleset, plan(10))


def test_a_steady_intake_in_the_figures_answers_the_intake_questions(ruleset):
    """A group taking in 13% a month needs no advice about its way in or its rhythm of admission."""
    data = {"positioning": {"kind": "interest", "shared_interest": "桌面3D打印"},
            "structure": {"platform": "qq_group", "joining": {"mode": "application"}},
            "observed": {"members": 1870, "new_30d": 240}}
    fired = fired_rules(ruleset, data)
    assert not fired & {"staleness.no-intake-channel", "staleness.closed-no-rhythm"}, fired
    data["observed"]["new_30d"] = 5
    fired = fired_rules(ruleset, data)
    assert {"staleness.no-intake-channel", "staleness.closed-no-rhythm"} <= fired, fired
