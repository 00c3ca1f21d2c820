"""Compute a statutory due date from the command line.

    python manage.py deadline ogi.request.reply 2026-09-30      # first line: the due date (ISO 8601)
    python manage.py deadline --list                            # every rule code with its citation
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from clocks import registry, services
from clocks.calendar import DbCalendar
from core.errors import DomainError


class Command(BaseCommand):
    help = "计算法定期限的届满日：第一行输出届满日（ISO 8601），其后为计算说明。"

    def add_arguments(self, parser):
        parser.add_argument("rule_code", nargs="?", help="规则代码，如 ogi.request.reply")
        parser.add_argument("start", nargs="?",
                            help="起算日 YYYY-MM-DD（倒算期限为事件日；按小时计算的可写 YYYY-MM-DDTHH:MM）")
        parser.add_argument("--list", action="store_true", help="列出全部规则代码及依据。")
        parser.add_argument("--length", type=int, help="本事项依法另有规定时的期限长度。")
        parser.add_argument("--town", help="按该镇街（区划代码）调整后的默认值计算。")

    def handle(self, *args, rule_code=None, start=None, list=False, length=None, town=None, **options):
        if list:
            for rule in registry.all_rules():
                self.stdout.write("\t".join([rule.code, rule.kind, rule.length_text() or rule.value_text or "-",
                                             rule.title, rule.citation or "-", rule.status]))
            return
        if not rule_code or not start:
            raise CommandError("请给出规则代码和起算日，例如：manage.py deadline ogi.request.reply 2026-09-30")
        rule = registry.find(rule_code)
        if rule is None:
            raise CommandError(f"未知的期限规则代码：{rule_code}（manage.py deadline --list 列出全部代码）")
        try:
            moment = dt.datetime.fromisoformat(start) if "T" in start else dt.date.fromisoformat(start)
        except ValueError:
            raise CommandError(f"起算日“{start}”无效，请使用 YYYY-MM-DD 格式。") from None
        town_id = None
        if town:
            from org.models import Town

            town_id = Town.objects.filter(code=town).values_list("pk", flat=True).first()
            if town_id is None:
                raise CommandError(f"未找到区划代码为 {town} 的镇街。")
        try:
            if length is not None and not rule.per_matter:
                raise DomainError(f"“{rule.title}”为法定期限，不能按事项调整。", rule=rule.code)
            value, source = services.effective_length(rule, town_id=town_id, matter_length=length)
            result = services.compute_rule(rule, start=moment, calendar=DbCalendar(), length=value,
                                           length_source=source)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        due = result.due
        self.stdout.write(due.isoformat(timespec="minutes") if isinstance(due, dt.datetime) else due.isoformat())
        for step in result.steps:
            self.stdout.write(step)
