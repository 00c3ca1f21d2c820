"""The statute registry: every rule code of ``shared/reference/statutes.md`` as data.

The data lives in ``clocks/statutes.yaml`` (see its header for the fields); this module loads and
validates it once per process and answers::

    get("penalty.decision")            -> Rule (raises UnknownRule)
    find("penalty.decision")           -> Rule | None
    citation_for("penalty.hearing.request") -> "《行政处罚法》第六十四条第（一）项、第八十五条"
    all_rules(), clock_rules(), sections()

Codes are stable; ``recon.*`` resolves to ``reconsideration.*`` and each entry may list ``aliases``.
Per-town lengths of configurable defaults are in the database (``clocks.models.RuleOverride``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext_lazy as _

from .errors import NotAClock, UnknownRule

DATA_FILE = Path(__file__).with_name("statutes.yaml")

KINDS = {
    "clock": _("期限"),
    "step": _("程序环节"),
    "guard": _("禁止性规则"),
    "threshold": _("数额标准"),
    "counting": _("期间计算规则"),
    "calendar": _("日历规则"),
    "enum": _("枚举"),
    "metric": _("统计指标"),
    "accrual": _("按日累计"),
}
UNITS = {
    "wd": _("个工作日"),
    "d": _("日"),
    "m": _("个月"),
    "y": _("年"),
    "h": _("小时"),
    "fixed": _("固定日期"),
    "none": "",
}
PERIOD_UNITS = ("wd", "d", "m", "y", "h", "fixed")
DIRECTIONS = {"forward": _("向后计算"), "before": _("事件日前倒算")}
BOUNDS = {"max": _("应在期限内完成"), "min": _("不得早于期限届满")}
STATUSES = {"verified": _("已核对"), "unverified": _("可配置默认值（未经核实）")}
SECTIONS = {
    "period": _("期间计算"),
    "calendar": _("工作日历"),
    "penalty": _("行政处罚"),
    "ogi": _("政府信息公开"),
    "decision": _("重大行政决策"),
    "normdoc": _("行政规范性文件"),
    "npc": _("人大代表建议"),
    "reconsideration": _("行政复议"),
    "lit": _("行政应诉"),
    "mediation": _("人民调解"),
    "petition": _("信访"),
    "enfpub": _("行政执法公示"),
    "license": _("行政许可"),
    "report": _("年度报告"),
    "org": _("组织架构"),
}
DEFAULT_COUNTING = {"wd": "period.wd.explicit", "d": "period.natural", "m": "period.month_end",
                    "y": "period.month_end", "h": "period.hours"}
PREFIX_ALIASES = {"recon.": "reconsideration."}

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..9999 in Chinese numerals as used in article numbers: 64 → 六十四, 201 → 二百零一, 10 → 十."""
    if n <= 0 or n >= 10000:
        raise ValueError(n)
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero, rest = "", False, n
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                out += "零"
                zero = False
            if not (value == 10 and digit == 1 and not out):
                out += _DIGITS[digit]
            out += name
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _DIGITS[rest]
    return out


_ARTICLE = re.compile(
    r"^(?P<a>\d+)(?:-(?P<b>\d+))?(?: para (?P<p>\d+))?(?:\((?P<i>\d+)\)(?:-\((?P<j>\d+)\))?)?$"
)


def render_article(token: str) -> str:
    """"64(1)" → 第六十四条第（一）项; "201 para 1" → 第二百零一条第一款; "18-21" → 第十八条至第二十一条."""
    token = token.strip()
    if not token or token == "—":
        return ""
    if not token[0].isdigit():
        return token
    m = _ARTICLE.match(token)
    if not m:
        raise ValueError(f"cannot parse article {token!r}")
    text = "第{}条".format(chinese_number(int(m["a"])))
    if m["b"]:
        text += "至第{}条".format(chinese_number(int(m["b"])))
    if m["p"]:
        text += "第{}款".format(chinese_number(int(m["p"])))
    if m["i"]:
        text += "第（{}）项".format(chinese_number(int(m["i"])))
        if m["j"]:
            text += "至第（{}）项".format(chinese_number(int(m["j"])))
    return text


@dataclass(frozen=True)
class Law:
    key: str
    title: str
    full: str
    version: str
    kind: str = "statute"  # statute | policy | practice

    @property
    def cited(self) -> str:
        return self.title if self.kind == "practice" else f"《{self.title}》"


@dataclass(frozen=True)
class Basis:
    law: Law
    articles: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.law.cited + "、".join(a for a in self.articles if a)


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    title: str
    length: int | None = None
    unit: str = "none"
    direction: str = "forward"
    bound: str = "max"
    start: str = ""
    pause: str = ""
    lapse: str = ""
    pausable: bool = False
    max_extensions: int = 0
    extension_length: int | None = None
    counting: str = ""
    basis: tuple[Basis, ...] = ()
    quote: str = ""
    status: str = "verified"
    configurable: bool = False
    per_matter: bool = False
    value: float | None = None
    value_unit: str = ""
    values: dict = field(default_factory=dict)
    fixed_date: str = ""
    note: str = ""
    aliases: tuple[str, ...] = ()
    retired: bool = False
    source_version: str = ""

    # --- presentation -------------------------------------------------------------------------
    @property
    def citation(self) -> str:
        return "；".join(b.text for b in self.basis)

    @property
    def verified(self) -> bool:
        return self.status == "verified"

    @property
    def is_clock(self) -> bool:
        return self.kind == "clock"

    @property
    def section(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def section_label(self) -> str:
        return str(SECTIONS.get(self.section, self.section))

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def unit_label(self) -> str:
        return str(UNITS.get(self.unit, self.unit))

    @property
    def direction_label(self) -> str:
        return str(DIRECTIONS[self.direction])

    def length_text(self, length: int | None = None) -> str:
        """"20个工作日", "3个月", "每年1月31日前", "" (no fixed length)."""
        length = self.length if length is None else length
        if self.unit == "fixed":
            month, day = self.fixed_date.split("-")
            return str(_("每年{m}月{d}日前")).format(m=int(month), d=int(day))
        if length is None or self.unit == "none":
            return ""
        text = f"{length}{self.unit_label}"
        if self.direction == "before":
            text = str(_("事件日前{x}")).format(x=text)
        return text

    @property
    def value_text(self) -> str:
        if self.value is None:
            return ""
        value = int(self.value) if float(self.value).is_integer() else self.value
        return f"{value}{self.value_unit}"


# --- loading -----------------------------------------------------------------------------------
class RegistryError(ValueError):
    pass


def _load_laws(raw: dict) -> dict[str, Law]:
    return {key: Law(key=key, title=v["title"], full=v.get("full", v["title"]), version=str(v.get("version", "")),
                     kind=v.get("kind", "statute"))
            for key, v in raw.items()}


def _parse_basis(items, laws: dict[str, Law], code: str) -> tuple[Basis, ...]:
    out = []
    for item in items or []:
        key, _sep, rest = str(item).partition(" ")
        if key not in laws:
            raise RegistryError(f"{code}: unknown law {key!r}")
        try:
            articles = tuple(render_article(t) for t in rest.split(",")) if rest.strip() else ()
        except ValueError as exc:
            raise RegistryError(f"{code}: {exc}") from None
        out.append(Basis(law=laws[key], articles=articles))
    return tuple(out)


def _build(entry: dict, laws: dict[str, Law], source: str) -> Rule:
    code = entry["code"]
    kind = entry.get("kind", "clock")
    if kind not in KINDS:
        raise RegistryError(f"{code}: unknown kind {kind!r}")
    unit = entry.get("unit") or ("none" if kind != "clock" else "")
    if unit not in UNITS:
        raise RegistryError(f"{code}: unknown unit {unit!r}")
    status = entry.get("status", "verified")
    if status not in STATUSES:
        raise RegistryError(f"{code}: unknown status {status!r}")
    direction = entry.get("direction", "forward")
    bound = entry.get("bound", "max")
    if direction not in DIRECTIONS or bound not in BOUNDS:
        raise RegistryError(f"{code}: bad direction/bound")
    basis = _parse_basis(entry.get("basis"), laws, code)
    length = entry.get("length")
    if kind == "clock":
        if unit not in PERIOD_UNITS:
            raise RegistryError(f"{code}: a clock needs a period unit")
        if unit == "fixed":
            if not re.fullmatch(r"\d\d-\d\d", str(entry.get("fixed_date", ""))):
                raise RegistryError(f"{code}: fixed unit needs fixed_date MM-DD")
        elif length is None and not (entry.get("per_matter") or status == "unverified"
                                     or entry.get("configurable")):
            raise RegistryError(f"{code}: a verified clock needs a length")
        if direction == "before" and unit not in ("wd", "d"):
            raise RegistryError(f"{code}: before-event periods are counted in wd or d")
    versions = []
    for b in basis:
        if b.law.kind == "statute":
            versions.append(f"{b.law.key} {b.law.version}")
        elif b.law.kind == "policy":
            versions.append(f"{b.law.full} {b.law.version}")
    source_version = entry.get("source_version") or "；".join(dict.fromkeys(versions))
    if basis and any(b.law.kind == "statute" for b in basis):
        source_version = f"{source_version}（{source}）"
    counting = entry.get("counting") or (DEFAULT_COUNTING.get(unit, "") if kind == "clock" else "")
    return Rule(
        code=code, kind=kind, title=str(entry["title"]), length=length, unit=unit, direction=direction,
        bound=bound, start=str(entry.get("start", "")), pause=str(entry.get("pause", "")),
        lapse=str(entry.get("lapse", "")), pausable=bool(entry.get("pausable", False)),
        max_extensions=int(entry.get("max_extensions", 0)), extension_length=entry.get("extension_length"),
        counting=counting, basis=basis, quote=str(entry.get("quote", "")), status=status,
        configurable=bool(entry.get("configurable", status == "unverified")) and kind == "clock",
        per_matter=bool(entry.get("per_matter", False)), value=entry.get("value"),
        value_unit=str(entry.get("value_unit", "")), values=dict(entry.get("values") or {}),
        fixed_date=str(entry.get("fixed_date", "")), note=str(entry.get("note", "")),
        aliases=tuple(entry.get("aliases") or ()), retired=bool(entry.get("retired", False)),
        source_version=source_version,
    )


@cache
def _registry() -> tuple[dict[str, Rule], dict[str, str], dict[str, Law]]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    laws = _load_laws(raw["laws"])
    rules: dict[str, Rule] = {}
    aliases: dict[str, str] = {}
    for entry in raw["rules"]:
        rule = _build(entry, laws, raw.get("source", ""))
        if rule.code in rules:
            raise RegistryError(f"duplicate rule code {rule.code}")
        rules[rule.code] = rule
        for alias in rule.aliases:
            aliases[alias] = rule.code
    for rule in rules.values():
        if rule.counting and rule.counting not in rules:
            raise RegistryError(f"{rule.code}: counting rule {rule.counting} is not registered")
    return rules, aliases, laws


def resolve(code: str) -> str:
    rules, aliases, _laws = _registry()
    if code in rules:
        return code
    if code in aliases:
        return aliases[code]
    for prefix, target in PREFIX_ALIASES.items():
        if code.startswith(prefix) and target + code[len(prefix):] in rules:
            return target + code[len(prefix):]
    return code


def find(code: str) -> Rule | None:
    return _registry()[0].get(resolve(code or ""))


def get(code: str) -> Rule:
    rule = find(code)
    if rule is None:
        raise UnknownRule(code)
    return rule


def get_clock_rule(code: str) -> Rule:
    rule = get(code)
    if not rule.is_clock:
        raise NotAClock(rule.code, rule.title)
    return rule


def all_rules() -> list[Rule]:
    return list(_registry()[0].values())


def clock_rules() -> list[Rule]:
    return [r for r in all_rules() if r.is_clock and not r.retired]


def laws() -> dict[str, Law]:
    return dict(_registry()[2])


def sections() -> list[tuple[str, str]]:
    present = dict.fromkeys(r.section for r in all_rules())
    return [(key, str(SECTIONS.get(key, key))) for key in present]


def citation_for(code: str) -> str:
    """The citation of a rule, e.g. "《行政处罚法》第六十四条第（一）项、第八十五条"; "" when unknown."""
    rule = find(code)
    return rule.citation if rule else ""


def counting_citation(rule: Rule) -> str:
    counting = find(rule.counting) if rule.counting else None
    return counting.citation if counting else ""
