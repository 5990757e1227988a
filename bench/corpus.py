"""A seeded corpus of varied community plans for the benchmark (issue 6).

    python bench/corpus.py OUT [--n 1000] [--seed 1] [--check]

Mix, stratified in blocks of 20 plans so that any corpus of a multiple of 20 has it exactly (a
10,000-plan corpus is then ten 1,000-plan corpora in content, which the scale figure needs): 55%
typical plans (every section, like
examples/*.yaml), 25% small drafts (version, community and a couple of sections), 10% large ones
(hundreds of groups, sessions and output items, long rule lists) and 10% invalid ones (wrong
types, typo'd keys, bad enum values, unquoted `20:00` times, occasionally a duplicate key or a
YAML syntax error). All text is Chinese; enum values come from schemas/plan.schema.json; dates
fall in 2027.

Plan i depends only on (seed, i), so the same seed gives byte-identical files, and the first
1,000 plans of a 10,000-plan corpus have the content of the 1,000-plan corpus (file names one digit
wider). A `manifest.json` beside the plans records the kind and the defects of every file (qunce
only reads *.yaml, so it is not a plan).

`--check` validates the corpus with `qunce validate --format json`: every invalid plan must be
reported invalid, a sample of the valid ones (all large ones included) must be reported valid,
and generating twice must give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
MANIFEST = "manifest.json"
KINDS = ("typical", "small", "large", "invalid")
WEIGHTS = (55, 25, 10, 10)

# The dumper: libyaml's emitter when PyYAML has it (same bytes as the pure-Python one for this
# data, checked by --check, and much faster for 10,000 plans).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _enum(*path: str) -> list[str]:
    node: dict[str, Any] = SCHEMA
    for key in path:
        node = node["items"] if key == "[]" else node["properties"][key]
    return list(node["enum"])


PLATFORMS = _enum("structure", "platform")
COMMUNITY_KINDS = _enum("positioning", "kind")
BUILT_AROUND = _enum("positioning", "built_around")
MOTIVES = _enum("positioning", "motives", "[]")
PURPOSES = _enum("positioning", "purposes", "[]")
TIERS = _enum("structure", "groups", "[]", "tier")
JOIN_MODES = _enum("structure", "joining", "mode")
APPROVALS = _enum("structure", "joining", "approval")
TEAM_ROLES = _enum("structure", "team", "[]", "role")
ADS = _enum("structure", "moderation", "ads")
SPAM = _enum("structure", "moderation", "spam")
REMOVERS = _enum("structure", "moderation", "removal", "by")
OUTPUT_KINDS = _enum("output", "[]", "kind")
CADENCES = _enum("output", "[]", "cadence")
TOOLS = _enum("operations", "tools", "[]")
METRICS = _enum("operations", "kpis", "[]", "metric")
PERIODS = _enum("operations", "kpis", "[]", "per")
REVIEW = _enum("operations", "review_cadence")
REPLICATION = _enum("replication", "mode")
REWARD_KINDS = _enum("campaigns", "[]", "reward_kind")

# --- Chinese text --------------------------------------------------------------------------------

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "重庆", "武汉", "西安", "南京", "苏州", "长沙",
          "厦门", "青岛", "大连", "昆明", "合肥", "郑州", "天津", "宁波", "福州", "济南", "沈阳", "哈尔滨",
          "南昌", "贵阳", "南宁", "兰州", "珠海", "佛山", "东莞", "无锡", "温州", "绍兴", "泉州", "洛阳"]
DISTRICTS = ["朝阳", "海淀", "浦东", "徐汇", "天河", "南山", "西湖", "武侯", "江汉", "雁塔", "鼓楼", "园区",
             "思明", "市南", "高新", "经开", "滨江", "龙华", "福田", "黄浦", "静安", "越秀", "锦江", "渝中"]
INTERESTS = ["摄影", "读书", "跑步", "骑行", "徒步", "咖啡", "烘焙", "露营", "围棋", "书法", "茶艺", "手帐",
             "钓鱼", "瑜伽", "羽毛球", "飞盘", "桌游", "剧本杀", "古典音乐", "吉他", "插花", "养猫", "养狗",
             "数据分析", "Python编程", "产品经理", "设计", "理财", "育儿", "考研", "英语口语", "日语",
             "健身", "减脂", "汉服", "民谣", "黑胶", "葡萄酒", "精酿啤酒", "马拉松", "潜水", "滑雪", "电影"]
SUFFIXES = ["交流群", "同好会", "俱乐部", "研习社", "成长营", "打卡群", "爱好者联盟", "学习小组", "福利群", "圈"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "晓东", "子涵", "一诺", "浩然", "欣怡", "梓轩", "思远", "雨桐",
         "建华", "国平", "文博", "嘉怡", "晨曦", "宇航", "若曦", "天佑", "慧敏", "立群", "海燕", "志强"]
NICKNAMES = ["小周", "阿光", "苏苏", "大K", "老钟", "晓雯", "阿杰", "小鹿", "老猫", "团子", "阿May", "豆豆",
             "小满", "老白", "七七", "阿木", "米粒", "小舟", "橙子", "老马"]
TITLES = ["老师", "教练", "姐", "哥", "总", "博士"]
JOBS = ["产品经理", "数据分析师", "资深设计师", "连续创业者", "注册营养师", "中学语文老师", "职业摄影师",
        "马拉松教练", "注册会计师", "律师", "咖啡烘焙师", "前大厂运营总监", "自由撰稿人", "心理咨询师",
        "独立开发者", "茶艺师", "户外领队", "健身教练", "儿科医生", "投资人"]
EXPERIENCE = ["十年", "八年", "十五年", "五年", "二十年", "十二年", "六年"]
RULE_POOL = [
    "进群先做自我介绍,群昵称改为“{nick}”",
    "邀请朋友入群请先告诉管理员,审核通过后由管理员拉入",
    "不发与{interest}无关的广告,第一次提醒,第二次移出",
    "不刷屏,不连续发语音,不发无意义的表情包",
    "不讨论政治、宗教等敏感话题,不在群内争吵",
    "{quiet}闭群,请勿发言",
    "分享链接请附一句推荐理由,纯链接会被撤回",
    "发红包可以,但禁止用红包拉人加好友",
    "私加群友前请先征得对方同意,被投诉骚扰将直接移出",
    "活动由官方统一发布,个人不得以本群名义组织收费活动",
    "群内求助请写清背景和问题,方便大家回答",
    "每周一次打卡,连续一个月未打卡将被移到观察群",
    "转发他人作品请注明作者和出处",
    "尊重不同观点,对事不对人",
    "二手交易请到专门的交易群,本群只聊{interest}",
    "晒图请尽量原创,注明拍摄地点更好",
    "群公告和精华每周更新,提问前先翻一下精华",
    "只有管理员可以@所有人和发群公告",
    "违规者先私聊提醒一次,再犯移出,可在三天内申诉",
    "新人入群一周内可以在新人帖里提任何问题",
]
SHARED = ["每月一起{verb}{thing},把学到的方法用到生活里", "在{city}一起{verb}{interest},认识志同道合的朋友",
          "想系统提升{interest}水平、愿意每天花半小时练习的人", "喜欢{interest}、愿意分享自己作品和经验的{city}本地人"]
VERBS = ["练习", "研究", "体验", "打卡", "探索", "学习"]
THINGS = ["一本书", "一个主题", "一项技能", "一条路线", "一套方法"]
PORTRAITS = ["25-35岁一二线城市职场人,周末有空,想培养一个长期爱好", "大学生和刚工作的年轻人,预算有限但热情很高",
             "30-45岁的宝爸宝妈,希望和孩子一起参加活动", "本地中小企业主和高管,时间紧,重视圈子质量",
             "退休不久的叔叔阿姨,时间充裕,喜欢线下聚会"]
NEEDS = ["系统学习", "找到同伴", "获得反馈", "线下活动", "资源对接", "职场成长", "省钱攻略", "专业答疑", "坚持打卡"]
DIFFERENCES = ["行业不同", "水平不同", "年龄不同", "所在城市不同", "擅长领域不同", "可投入时间不同"]
SOURCES = ["公众号", "老带新", "小红书", "门店海报", "线下活动", "合作社群互推", "朋友圈", "视频号直播", "抖音", "社区团购"]
OUTPUT_NAMES = ["每周主题分享", "每日打卡", "精华周报", "月度线下聚会", "新人答疑", "作品点评", "资源对接会",
                "专家直播课", "周末外拍", "读书会", "话题讨论", "福利团购", "季度复盘会", "晨读", "夜聊"]
SENSES = {
    "ritual": ["新人欢迎仪式", "大咖入群介绍", "每月主题发布仪式", "入群授勋", "年度答谢会"],
    "participation": ["每日打卡", "每月投票选题", "作品互评", "接龙报名", "话题征集"],
    "organization": ["小组长制", "轮值主持", "各群固定管理员", "志愿者团队"],
    "belonging": ["生日祝福", "年度勋章", "专属编号", "纪念周边", "成员故事墙"],
}
EARN = ["打卡", "分享", "邀请好友", "作品被评为精华", "回答新人问题", "参加线下活动"]
REDEEM = ["签名书", "线下活动门票", "优惠券", "周边礼品", "一对一咨询", "进阶群入群资格"]
TOPICS = ["{interest}入门的十个常见误区", "怎样坚持{interest}一整年", "{city}最适合{interest}的地方",
          "从零开始的{interest}计划", "{interest}进阶:高手都在练什么", "{interest}与职业发展",
          "花小钱玩转{interest}", "新手如何选择第一套{interest}装备"]
PERKS = ["抽三位成员送签名书", "全员领10元优惠券", "提问被选中的成员送定制周边", "会后可预约一次20分钟咨询",
         "到场成员送精美明信片", "直播中答对问题的十位成员送体验装"]
INTERACTIONS = ["提前收集问题,分享后半段逐一解答", "直播中有奖问答", "分组讨论后每组派代表发言",
                "会前投票决定讨论顺序", "分享中随时发红包提问"]
GOALS = ["一年内发展{n}位活跃成员,成员续费率不低于六成", "三个月内把周活跃率提高到三成",
         "半年内开出{k}个分群,每群保持两百人以上", "为品牌收集一百条真实的产品反馈"]
REVENUE = ["年费会员{fee}元/年,线下活动单独收费", "不盈利,靠赞助支付场地费", "电商团购抽佣,按月评估转化率",
           "付费课程和一对一咨询", "广告位收费,每月不超过两条"]
REWARDS = ["电子书合集", "《新手入门手册》电子版", "10元无门槛优惠券", "定制帆布袋", "一节免费体验课", "现金红包5元"]
CHANNELS = ["公众号推文", "朋友圈", "老群", "店铺包裹卡", "合作社群", "视频号", "小红书笔记"]
TZS = ["Asia/Shanghai"] * 8 + ["Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "America/Los_Angeles"]
ASCII = ["talk", "salon", "qa", "live", "workshop", "meetup", "course", "share"]
FISSION = ["fission", "referral", "newyear", "spring", "summer", "double11", "anniv"]


class Text:
    """Chinese text for one plan, from that plan's generator."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.city = rng.choice(CITIES)
        self.interest = rng.choice(INTERESTS)
        self.community = f"{self.city}{self.interest}{rng.choice(SUFFIXES)}"

    def person(self) -> str:
        r = self.r.random()
        if r < 0.2:
            return self.r.choice(NICKNAMES)
        if r < 0.35:
            return self.r.choice(SURNAMES) + self.r.choice(TITLES)
        return self.r.choice(SURNAMES) + self.r.choice(GIVEN)

    def fill(self, template: str, **extra: Any) -> str:
        values = dict(city=self.city, interest=self.interest, verb=self.r.choice(VERBS),
                      thing=self.r.choice(THINGS), nick="姓名+城市+" + self.r.choice(["行业", "年级", "水平"]),
                      quiet="23:00至次日07:00", n=self.r.choice([200, 300, 500, 1000]), k=self.r.randint(2, 8),
                      fee=self.r.choice([99, 199, 299, 699]))
        values.update(extra)
        return template.format(**values)

    def some(self, pool: list[str], lo: int, hi: int) -> list[str]:
        return self.r.sample(pool, self.r.randint(lo, min(hi, len(pool))))

    def bio(self) -> str:
        return f"{self.r.choice(JOBS)},{self.r.choice(EXPERIENCE)}{self.interest}经验"


# --- dates and times in 2027 ---------------------------------------------------------------------

def _date(r: random.Random) -> tuple[int, int]:
    return r.randint(1, 12), r.randint(1, 28)


def _clock(r: random.Random, lo: int = 7, hi: int = 22) -> str:
    return f"{r.randint(lo, hi):02d}:{r.choice([0, 0, 30, 15, 45]):02d}"


def _datetime(r: random.Random) -> str:
    m, d = _date(r)
    return f"2027-{m:02d}-{d:02d}T{_clock(r, 9, 21)}:00+08:00"


# --- sections ------------------------------------------------------------------------------------

def community(t: Text) -> dict[str, Any]:
    c: dict[str, Any] = {"name": t.community, "owner": t.person()}
    if t.r.random() < 0.9:
        c["language"] = "zh-CN" if t.r.random() < 0.95 else "en"
    if t.r.random() < 0.85:
        c["timezone"] = t.r.choice(TZS)
    return c


def positioning(t: Text, full: bool = True) -> dict[str, Any]:
    r = t.r
    p: dict[str, Any] = {
        "kind": r.choice(COMMUNITY_KINDS),
        "built_around": r.choice(BUILT_AROUND),
        "motives": t.some(MOTIVES, 1, 2),
        "purposes": t.some(PURPOSES, 1, 3),
        "shared_interest": t.fill(r.choice(SHARED)),
        "value": f"每周一次{t.interest}主题分享,每天打卡互评,{r.choice(['每月', '每季度'])}一次线下活动",
    }
    if full:
        p["goal"] = t.fill(r.choice(GOALS))
        p["audience"] = {
            "portrait": r.choice(PORTRAITS),
            "common_needs": t.some(NEEDS, 2, 4),
            "differences": t.some(DIFFERENCES, 2, 3),
            "sources": t.some(SOURCES, 2, 4),
        }
        if r.random() < 0.6:
            p["audience"]["screening"] = f"入群前填写问卷,说明自己的{t.interest}经历,按水平打标签"
        p["lifespan_months"] = r.choice([6, 12, 18, 24, 36])
        p["revenue_model"] = t.fill(r.choice(REVENUE))
        if r.random() < 0.7:
            p["mode"] = "群内以话题交流和打卡为主,每周一次线上分享,每月一次线下活动"
            p["strategy"] = f"先做好种子用户的{t.interest}体验,再靠口碑带新;每次活动后复盘"
    return p


def group(t: Text, i: int, regional: bool = False) -> dict[str, Any]:
    r = t.r
    cap = 500 if r.random() < 0.8 else r.choice([200, 1000, 2000, 3000])
    g: dict[str, Any] = {"name": f"{t.community}{i}群", "tier": r.choice(TIERS),
                         "members": r.randint(0, cap), "capacity": cap}
    if regional:
        district = r.choice(DISTRICTS)
        g["name"] = f"{t.community}·{district}{i}群"
        g["region"] = f"{t.city}{district}"
    if r.random() < 0.4:
        g["purpose"] = r.choice(["新人引导", "复购服务", "活动通知", "作品交流", "发广告", "核心成员讨论"])
    return g


def structure(t: Text, n_groups: int, n_rules: int, full: bool = True) -> dict[str, Any]:
    r = t.r
    s: dict[str, Any] = {"platform": r.choice(PLATFORMS),
                         "groups": [group(t, i + 1, regional=n_groups > 20) for i in range(n_groups)]}
    if not full:
        return s
    target = r.choice([80, 150, 200, 300])
    s["size"] = {"target": target, "split_at": target + r.choice([100, 150, 200])}
    s["joining"] = {"mode": r.choice(JOIN_MODES), "threshold": f"填写入群问卷并认同{t.interest}群规",
                    "rhythm": {"batch": r.choice([10, 20, 50]), "every_days": r.choice([3, 7, 14])},
                    "rules_ack": r.random() < 0.8, "mentoring": r.random() < 0.6}
    if r.random() < 0.5:
        s["joining"]["channels"] = t.some(SOURCES, 1, 3)
        s["joining"]["approval"] = r.choice(APPROVALS)
    rules = [t.fill(rule) for rule in RULE_POOL]
    r.shuffle(rules)
    while len(rules) < n_rules:  # long rule lists: numbered supplements
        rules.append(f"补充条款{len(rules) + 1}:" + t.fill(r.choice(RULE_POOL)))
    s["rules"] = rules[:n_rules]
    s["quiet_hours"] = r.choice(["23:00-07:00", "23:30-07:00", "24:00-07:00", "22:00-08:00"])
    s["nickname_format"] = r.choice(["姓名+城市+行业", "昵称+水平", "姓名+行业"])
    team = [{"role": "owner", "name": t.person()}]
    team += [{"role": "admin", "name": t.person()} for _ in range(r.randint(1, 3))]
    for role in r.sample(TEAM_ROLES[2:], r.randint(1, 4)):
        team.append({"role": role, "count": r.randint(1, 3)} if r.random() < 0.5 else {"role": role, "name": t.person()})
    s["team"] = team
    s["roles"] = {"organizer": [t.person()], "thinker": [t.person()],
                  "entertainer": t.person() if r.random() < 0.5 else [t.person(), t.person()],
                  "asker": "新成员为主,每周问答帖收集问题", "onlooker": "约六成成员,打卡带动发言",
                  "challenger": "每月一次吐槽会,意见公开回复"}
    s["moderation"] = {"ads": r.choice(ADS), "spam": r.choice(SPAM),
                       "removal": {"warnings": r.randint(0, 2), "by": r.choice(REMOVERS)},
                       "appeal": r.random() < 0.7, "inactive_cleanup_days": r.choice([30, 60, 90, 120])}
    return s


def output_item(t: Text, i: int, owners: list[str]) -> dict[str, Any]:
    r = t.r
    cadence = r.choice(CADENCES)
    o: dict[str, Any] = {"name": r.choice(OUTPUT_NAMES) + (f"{i}" if i > len(OUTPUT_NAMES) else ""),
                         "kind": r.choice(OUTPUT_KINDS), "cadence": cadence, "owner": r.choice(owners)}
    if cadence in ("weekly", "biweekly", "monthly") and r.random() < 0.7:
        o["weekday"] = r.randint(1, 7)
    if r.random() < 0.75 or i == 1:
        o["time"] = _clock(r, 7, 22)
    if r.random() < 0.5:
        o["topic_source"] = f"成员在群里提出的{t.interest}问题"
    return o


def operations(t: Text) -> dict[str, Any]:
    r = t.r
    return {
        "senses": {k: t.some(v, 1, 3) for k, v in SENSES.items()},
        "incentives": {"points": r.random() < 0.6, "earn": t.some(EARN, 1, 3), "redeem": t.some(REDEEM, 1, 3)},
        "tools": t.some(TOOLS, 2, 6),
        "kpis": [{"metric": m, "target": (round(r.uniform(0.1, 0.6), 2) if m.endswith("rate") or m in ("retention", "churn", "conversion")
                                          else r.choice([20, 50, 100, 300, 3000])),
                  "per": r.choice(PERIODS)} for m in t.some(METRICS, 2, 4)],
        "review_cadence": r.choice(REVIEW),
    }


def replication(t: Text) -> dict[str, Any]:
    r = t.r
    return {"readiness": {"staff": r.random() < 0.7, "budget": r.random() < 0.6, "materials": r.random() < 0.7,
                          "seed_users": r.randint(0, 120), "subculture": f"{t.interest}打卡勋章和“新人日”"},
            "mode": r.choice(REPLICATION), "naming": t.community + "{n}群",
            "trigger": f"{r.choice(['1群', '最新的群'])}满{r.choice([300, 400, 450])}人后开新群"}


def session(t: Text, i: int, groups: list[str], hosts: list[str]) -> dict[str, Any]:
    r = t.r
    s: dict[str, Any] = {
        "id": f"{r.choice(ASCII)}-{i}",
        "title": t.fill(r.choice(TOPICS)),
        "topic": f"结合{t.city}本地情况,聊聊{t.interest}的方法和心得",
        "guest": {"name": t.person(), "bio": t.bio()},
        "host": r.choice(hosts),
        "group": r.choice(groups) if groups else f"{t.community}1群",
        "start": _datetime(r),
        "duration_minutes": r.choice([30, 45, 60, 90, 120]),
    }
    if r.random() < 0.8:
        s["perks"] = r.choice(PERKS)
    if r.random() < 0.7:
        s["material"] = r.random() < 0.8
        s["rehearsal"] = r.random() < 0.5
        s["notices"] = r.sample(["-7d", "-3d", "-1d", "-2h", "-1h", "-10m"], r.randint(1, 4))
    if r.random() < 0.5:
        s["interaction"] = r.choice(INTERACTIONS)
    if r.random() < 0.2:
        s["offsets"] = {"prepare": r.choice(["-21d", "-14d"]), "digest": r.choice(["+1d", "+2d"])}
    return s


def campaign(t: Text, i: int) -> dict[str, Any]:
    r = t.r
    m, d = _date(r)
    reward = r.choice(REWARDS)
    c: dict[str, Any] = {
        "id": f"{r.choice(FISSION)}-{i}",
        "goal": f"新增{r.choice([200, 500, 1000, 3000])}名{t.interest}群成员",
        "target": r.choice([200, 500, 1000, 3000]),
        "start": f"2027-{m:02d}-{d:02d}",
        "end": f"2027-{m:02d}-{min(28, d + r.randint(3, 10)):02d}" if r.random() < 0.7
        else f"2027-{m:02d}-28T23:59:00+08:00",
        "reward": reward,
        "reward_kind": r.choice(REWARD_KINDS),
        "poster": {"title": f"2027年一起玩{t.interest}", "subtitle": "每月一个主题,老师亲自带",
                   "selling_point": "打卡陪伴 + 专家分享", "endorsement": f"已有{r.choice([800, 3000, 20000])}位同好参加",
                   "call_to_action": f"扫码进群领取{reward}", "live_code": r.random() < 0.8},
        "scripts": {"join": f"欢迎进群!转发海报到朋友圈并截图发群里,即可领取{reward}",
                    "review": "已审核,奖励已私信发送", "reminder": "还差一步:截图发群里就能领取",
                    "removal": "本群仅限活动参与者,未完成任务的朋友将在24小时后移出"},
        "groups_ready": r.randint(0, 8),
        "tested": r.random() < 0.7,
    }
    if r.random() < 0.5:
        c["own_people"] = r.random() < 0.7
        c["receiver"] = "客服企业微信号"
        c["remove_invalid"] = r.random() < 0.6
        c["channels"] = t.some(CHANNELS, 1, 4)
    if r.random() < 0.5:
        launches = r.randint(500, 10000)
        scans = int(launches * r.uniform(0.3, 0.8))
        joins = int(scans * r.uniform(0.5, 0.9))
        c["funnel"] = {"launches": launches, "scans": scans, "joins": joins,
                       "completions": int(joins * r.uniform(0.2, 0.6))}
    return c


def observed(t: Text) -> dict[str, Any]:
    r = t.r
    members = r.randint(20, 3000)
    m, d = _date(r)
    return {"as_of": f"2027-{m:02d}-{d:02d}", "members": members, "new_30d": r.randint(0, members // 5),
            "left_30d": r.randint(0, members // 8), "active_7d": r.randint(0, members),
            "messages_7d": r.randint(0, 5000), "ad_messages_7d": r.randint(0, 40),
            "core_active": r.randint(0, 8), "core_total": r.randint(8, 12),
            "days_since_last_activity": r.randint(0, 30)}


def full_plan(t: Text, n_groups: int, n_outputs: int, n_sessions: int, n_campaigns: int,
              n_rules: int) -> dict[str, Any]:
    r = t.r
    plan: dict[str, Any] = {"version": 1, "community": community(t), "positioning": positioning(t),
                            "structure": structure(t, n_groups, n_rules)}
    groups = [g["name"] for g in plan["structure"]["groups"]]
    people = [plan["community"]["owner"]] + [m["name"] for m in plan["structure"]["team"] if "name" in m]
    plan["output"] = [output_item(t, i + 1, people) for i in range(n_outputs)]
    plan["operations"] = operations(t)
    plan["replication"] = replication(t)
    plan["sessions"] = [session(t, i + 1, groups, people) for i in range(n_sessions)]
    plan["campaigns"] = [campaign(t, i + 1) for i in range(n_campaigns)]
    if r.random() < 0.6:
        plan["observed"] = observed(t)
    plan["check"] = {"ignore": []}
    return plan


def typical(t: Text) -> dict[str, Any]:
    r = t.r
    return full_plan(t, r.randint(2, 6), r.randint(3, 7), r.randint(1, 4), r.randint(1, 2), r.randint(4, 10))


def large(t: Text) -> dict[str, Any]:
    r = t.r
    return full_plan(t, r.randint(150, 400), r.randint(100, 300), r.randint(100, 200), r.randint(3, 10),
                     r.randint(40, 120))


def small(t: Text) -> dict[str, Any]:
    r = t.r
    plan: dict[str, Any] = {"version": 1, "community": community(t)}
    sections: dict[str, Callable[[], Any]] = {
        "positioning": lambda: positioning(t, full=False),
        "structure": lambda: structure(t, r.randint(1, 2), 0, full=False),
        "output": lambda: [output_item(t, i + 1, [plan["community"]["owner"]]) for i in range(r.randint(1, 3))],
        "operations": lambda: operations(t),
    }
    for name in r.sample(list(sections), r.randint(1, 3)):
        plan[name] = sections[name]()
    return {k: plan[k] for k in ["version", "community", *sections] if k in plan}  # schema order


# --- defects of the invalid plans ----------------------------------------------------------------

TYPOS = [(("positioning",), "positoning"), (("positioning", "shared_interest"), "shared_intrest"),
         (("structure", "quiet_hours"), "quite_hours"), (("structure", "platform"), "platfrom"),
         (("sessions",), "sesions"), (("structure", "nickname_format"), "nick_name_format"),
         (("operations", "review_cadence"), "review_cadense"), (("campaigns",), "campains")]


def _rename(d: dict[str, Any], old: str, new: str) -> None:
    items = [(new if k == old else k, v) for k, v in d.items()]
    d.clear()
    d.update(items)


def _wrong_type(p: dict[str, Any], r: random.Random) -> str:
    choice = r.randrange(5)
    if choice == 0:
        p["structure"]["groups"][0]["members"] = "三百人"
    elif choice == 1:
        p["positioning"]["lifespan_months"] = "两年"
    elif choice == 2:
        p["sessions"][0]["material"] = "是"
    elif choice == 3:
        p["structure"]["rules"] = "不发广告,不刷屏"
    else:
        p["operations"]["kpis"][0]["target"] = "五十"
    return "wrong-type"


def _typo_key(p: dict[str, Any], r: random.Random) -> str:
    path, typo = r.choice(TYPOS)
    parent = p
    for key in path[:-1]:
        parent = parent[key]
    _rename(parent, path[-1], typo)
    return "typo-key"


def _bad_enum(p: dict[str, Any], r: random.Random) -> str:
    choice = r.randrange(5)
    if choice == 0 and "platform" in p.get("structure", {}):
        p["structure"]["platform"] = r.choice(["wechat", "微信群", "wechatgroup"])
    elif choice == 1 and "kind" in p.get("positioning", {}):
        p["positioning"]["kind"] = r.choice(["knowlege", "兴趣型", "intrest"])
    elif choice == 2:
        p["output"][0]["cadence"] = r.choice(["每周", "weekley", "twice_a_week"])
    elif choice == 3:
        p["structure"]["groups"][0]["tier"] = r.choice(["premium", "付费", "VIP"])
    else:
        p["structure"]["moderation"]["ads"] = r.choice(["forbid", "禁止", "no_ads"])
    return "bad-enum"


def _bad_pattern(p: dict[str, Any], r: random.Random) -> str:
    choice = r.randrange(4)
    if choice == 0:
        p["sessions"][0]["start"] = "2027年3月5日晚上8点"
    elif choice == 1:
        p["campaigns"][0]["start"] = "2027/03/05"
    elif choice == 2:
        p["sessions"][0]["id"] = "三月分享会"
    else:
        p["structure"]["quiet_hours"] = "晚上11点到早上7点"
    return "bad-pattern"


def _out_of_range(p: dict[str, Any], r: random.Random) -> str:
    choice = r.randrange(3)
    if choice == 0:
        p["sessions"][0]["duration_minutes"] = 900
    elif choice == 1:
        p["positioning"]["lifespan_months"] = 0
    else:
        p["structure"]["groups"][0]["members"] = -5
    return "out-of-range"


def _missing_required(p: dict[str, Any], r: random.Random) -> str:
    if r.random() < 0.5:
        del p["community"]["name"]
    else:
        p["version"] = 2
    return "missing-required"


DATA_DEFECTS = [_wrong_type, _typo_key, _bad_enum, _bad_pattern, _out_of_range, _missing_required]


def _unquote_times(text: str, r: random.Random) -> str:
    """The YAML 1.1 trap: `time: 20:00` unquoted is the sexagesimal integer 1200."""
    spots = list(re.finditer(r"^(\s*time: )'(\d\d:\d\d)'$", text, flags=re.M))
    if not spots:  # a data defect took the times away; the plan must still be invalid
        return _syntax_error(text, r)
    keep = set(r.sample(range(len(spots)), r.randint(1, len(spots))))
    for k in sorted(keep, reverse=True):
        m = spots[k]
        text = text[:m.start()] + m.group(1) + m.group(2) + text[m.end():]
    return text


def _duplicate_key(text: str, t: Text) -> str:
    """A second `owner:` in community (every typical plan has one): a duplicate key."""
    head = "community:\n"
    at = text.index(head) + len(head)
    return text[:at] + f"  owner: {t.person()}\n" + text[at:]


def _syntax_error(text: str, r: random.Random) -> str:
    lines = text.split("\n")
    i = r.randrange(1, max(2, len(lines) - 1))
    lines.insert(i, "  motives: [growth, brand")  # an unclosed flow sequence
    return "\n".join(lines)


def invalid(t: Text) -> tuple[dict[str, Any], list[str], list[Callable[[str], str]]]:
    r = t.r
    plan = typical(t)
    edits: list[Callable[[str], str]] = []
    defects: list[str] = []
    roll = r.random()
    has_times = any(isinstance(o, dict) and "time" in o for o in plan.get("output") or [])
    if roll < 0.2 and has_times:
        defects.append("yaml-trap-time")
        edits.append(lambda s: _unquote_times(s, r))
    elif roll < 0.3:
        defects.append("duplicate-key")
        edits.append(lambda s: _duplicate_key(s, t))
    elif roll < 0.35:
        defects.append("syntax-error")
        edits.append(lambda s: _syntax_error(s, r))
    chosen = r.sample(DATA_DEFECTS, r.randint(0 if edits else 1, 2))
    for fn in sorted(chosen, key=lambda fn: fn is _typo_key):  # a renamed section last
        defects.append(fn(plan, r))
    return plan, defects, edits


# --- writing -------------------------------------------------------------------------------------

def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


BLOCK = 20


def _block_kinds(seed: int, block: int) -> list[str]:
    """The kinds of one block of 20 plans, in the exact WEIGHTS proportions, in a seeded order."""
    kinds = [k for k, w in zip(KINDS, WEIGHTS) for _ in range(round(w * BLOCK / sum(WEIGHTS)))]
    assert len(kinds) == BLOCK, kinds
    random.Random(f"qunce-bench/{seed}/block/{block}").shuffle(kinds)
    return kinds


def plan_text(seed: int, i: int) -> tuple[str, str, list[str]]:
    """(kind, YAML text, defects) of plan i; depends on nothing else."""
    r = random.Random(f"qunce-bench/{seed}/{i}")
    kind = _block_kinds(seed, i // BLOCK)[i % BLOCK]
    t = Text(r)
    defects: list[str] = []
    edits: list[Callable[[str], str]] = []
    if kind == "typical":
        data = typical(t)
    elif kind == "small":
        data = small(t)
    elif kind == "large":
        data = large(t)
    else:
        data, defects, edits = invalid(t)
    header = f"# 基准测试语料 {i:05d}:{ {'typical': '典型计划', 'small': '草稿', 'large': '大型计划', 'invalid': '有错误的计划'}[kind]}\n"
    text = header + dump(data)
    for edit in edits:
        text = edit(text)
    return kind, text, defects


def fingerprint(n: int, seed: int) -> str:
    """What the corpus depends on: this generator's source, the schema, PyYAML, n and the seed."""
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update((ROOT / "schemas" / "plan.schema.json").read_bytes())
    h.update(f"{yaml.__version__}/{_DUMPER.__name__}/{n}/{seed}".encode())
    return h.hexdigest()[:16]


def read_manifest(out_dir: str | Path) -> dict[str, Any] | None:
    try:
        return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def generate(out_dir: str | Path, n: int = 1000, seed: int = 1) -> dict[str, Any]:
    """Write n plans (and manifest.json) into out_dir, emptied of earlier plans first."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    width = max(4, len(str(n)))
    files = []
    counts = dict.fromkeys(KINDS, 0)
    total = 0
    for i in range(1, n + 1):
        kind, text, defects = plan_text(seed, i)
        name = f"{i:0{width}d}-{kind}.yaml"
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        counts[kind] += 1
        total += len(data)
        files.append({"file": name, "kind": kind, "bytes": len(data), **({"defects": defects} if defects else {})})
    manifest = {"generator": "bench/corpus.py", "fingerprint": fingerprint(n, seed), "n": n, "seed": seed,
                "counts": counts, "bytes": total, "files": files}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def is_current(out_dir: str | Path, n: int, seed: int) -> bool:
    """True when out_dir holds exactly the corpus generate(out_dir, n, seed) would write."""
    m = read_manifest(out_dir)
    if not m or m.get("fingerprint") != fingerprint(n, seed):
        return False
    present = {p.name for p in Path(out_dir).glob("*.yaml")}
    return present == {f["file"] for f in m["files"]} and all(
        (Path(out_dir) / f["file"]).stat().st_size == f["bytes"] for f in m["files"])


# --- self-check ----------------------------------------------------------------------------------

def _qunce() -> str:
    exe = Path(sys.executable).parent / "qunce"
    return str(exe) if exe.exists() else (shutil.which("qunce") or "qunce")


def _validate(files: list[Path]) -> dict[str, bool]:
    proc = subprocess.run([_qunce(), "validate", "--format", "json", *map(str, files)],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1, 2) or not proc.stdout.strip():
        raise SystemExit(f"qunce validate failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    return {Path(f["path"]).name: bool(f["valid"]) for f in report["files"]}


def self_check(out_dir: Path, manifest: dict[str, Any], sample: int = 100) -> None:
    files = manifest["files"]
    valid = [f for f in files if f["kind"] != "invalid"]
    r = random.Random(manifest["seed"])
    picked = [f for f in valid if f["kind"] == "large"]
    picked += r.sample([f for f in valid if f["kind"] != "large"], min(sample, len(valid) - len(picked)))
    bad = [f for f in files if f["kind"] == "invalid"]
    verdict = _validate([out_dir / f["file"] for f in picked + bad])
    wrong_valid = [f["file"] for f in picked if not verdict.get(f["file"], False)]
    wrong_invalid = [f["file"] for f in bad if verdict.get(f["file"], True)]
    assert not wrong_valid, f"plans generated as valid but reported invalid: {wrong_valid[:10]}"
    assert not wrong_invalid, f"plans generated as invalid but reported valid: {wrong_invalid[:10]}"
    print(f"check: {len(picked)} valid plans valid, {len(bad)} invalid plans invalid")

    with tempfile.TemporaryDirectory() as tmp:  # reproducible: same seed, same bytes
        again = generate(tmp, manifest["n"], manifest["seed"])
        assert again["files"] == files, "a second generation differs"
        for f in files:
            assert (Path(tmp) / f["file"]).read_bytes() == (out_dir / f["file"]).read_bytes(), f["file"]
    print("check: a second generation with the same seed is byte-identical")

    if _DUMPER is not yaml.SafeDumper:  # the C emitter writes what yaml.safe_dump would
        for f in files[:200]:
            kind, text, _ = plan_text(manifest["seed"], int(f["file"].split("-")[0]))
            if kind == "invalid":
                continue
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            assert text.split("\n", 1)[1] == yaml.safe_dump(data, allow_unicode=True, sort_keys=False), f["file"]
        print("check: libyaml's emitter writes the same bytes as yaml.safe_dump")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="directory to write the plans into (its *.yaml are replaced)")
    ap.add_argument("--n", type=int, default=1000, help="number of plans (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--check", action="store_true",
                    help="validate the corpus with qunce and check that generation is reproducible")
    args = ap.parse_args(argv)
    m = generate(args.out, args.n, args.seed)
    print(f"{args.n} plans in {args.out}: " + ", ".join(f"{k} {v}" for k, v in m["counts"].items())
          + f"; {m['bytes'] / 1e6:.1f} MB")
    if args.check:
        self_check(Path(args.out), m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
