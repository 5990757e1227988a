"""The English side of the trouble lists (facts.keywords) reads what operators of Discord servers
and Telegram groups write: mods argued with and timed out, threads locked, bans that cannot be
appealed, leads who went dark, events that died, tickets nobody answers. Near-misses keep the
innocent senses out. The sentences are written for this test, not taken from any plan (issue 12)."""

from __future__ import annotations

import pytest

from conftest import checked, said, with_group_rules


@pytest.mark.parametrize("text, name", [
    ("He kept arguing with the mods about the new roles", "criticism"),
    ("she talked back to an admin in general", "criticism"),
    ("a member was calling out the staff over the giveaway", "criticism"),
    ("people asked where the money went after the raffle", "criticism"),
    ("two regulars raised concerns about the pricing", "criticism"),
    ("he pointed out a bug in the bot", "criticism"),
    ("buyers demanding their money back", "criticism"),
    ("they were yeeted from the server", "removal"),
    ("the mod is removing anyone who posts links", "removal"),
    ("got demoted and then blacklisted", "removal"),
    ("the thread got nuked within an hour", "silencing"),
    ("he was given a timeout for that", "silencing"),
    ("the mods locked the thread", "silencing"),
    ("staff shut down the discussion about fees", "silencing"),
    ("his messages were censored", "silencing"),
    ("keep your complaints out of general", "hushed"),
    ("members are too scared to say anything", "hushed"),
    ("everyone is walking on eggshells around the owner", "hushed"),
    ("Don't argue with mod decisions", "domineering"),
    ("The mods are always right", "domineering"),
    ("My server, my rules", "domineering"),
    ("Moderation is not up for debate", "domineering"),
    ("All bans are final", "redress_refused"),
    ("Removed without explanation", "unwarned"),
    ("our lead mod went dark in March", "away"),
    ("the owner is busy IRL and barely logs on", "away"),
    ("she is rarely on the server these days", "away"),
    ("The Friday game night kind of died", "lapsed"),
    ("nobody's been running the weekly recap", "lapsed"),
    ("the book club happens once in a blue moon now", "lapsed"),
    ("ModMail questions sit for days", "unanswered"),
    ("support tickets get left on read", "unanswered"),
    ("Alex is taking a step back from modding", "stepping_down"),
    ("Sam left the mod team in June", "departed"),
    ("banned for hate speech", "abuse"),
    ("raiders flooded the channel", "abuse"),
    ("no mass pings or walls of text", "flooding"),
])
def test_english_phrasings_are_read(text: str, name: str) -> None:
    assert said(text, name), (text, name)


@pytest.mark.parametrize("text, name", [
    ("We never argue in front of newcomers", "criticism"),
    ("Ask the mods any questions you have", "criticism"),
    ("Pick a role in #roles to unlock channels", "removal"),
    ("Time zones: events run at 8pm UTC", "silencing"),
    ("The general channel is for chat", "hushed"),
    ("Be kind to each other", "domineering"),
    ("We never time out people for disagreeing", "silencing"),
    ("We drafted the deadline together", "lapsed"),
    ("He is afraid of heights", "abuse"),
    ("The model of the controller is listed", "abuse"),
])
def test_english_near_misses_are_not_read(text: str, name: str) -> None:
    assert not said(text, name), (text, name)


@pytest.mark.parametrize("rules, rule", [
    (["Arguing with the mods in chat gets you a timeout"], "tyranny.critics-removed"),
    (["Anyone trash-talking the server will be yeeted"], "tyranny.critics-removed"),
    (["Don't argue with the admins. My server, my rules"], "tyranny.domineering-rules"),
])
def test_english_rules_fire(rules: list[str], rule: str) -> None:
    assert rule in checked(with_group_rules(rules))


@pytest.mark.parametrize("rules, rule", [
    (["Spam and slurs get a timeout", "Feedback about the server is welcome in #feedback"], "tyranny.critics-removed"),
    (["Criticism is welcome; we never ban anyone for disagreeing with the mods"], "tyranny.critics-removed"),
    (["Be kind", "Events are announced in #events"], "tyranny.domineering-rules"),
])
def test_english_rules_do_not_fire(rules: list[str], rule: str) -> None:
    assert rule not in checked(with_group_rules(rules))
