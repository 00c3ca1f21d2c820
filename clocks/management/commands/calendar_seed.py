"""Add the years of the installed chinesecalendar package that the database does not have yet."""

from django.core.management.base import BaseCommand

from audit.context import acting_as
from clocks import services


class Command(BaseCommand):
    help = "从 chinesecalendar 数据包导入数据库中尚无的年份（升级数据包后运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true",
                            help="同时重写仍以数据包为来源的年份（手工录入或Excel导入的年份不受影响）。")

    def handle(self, *args, replace=False, **options):
        with acting_as(None, channel="cli"):
            years = services.calendar_seed(actor=None, replace=replace)
        if years:
            self.stdout.write("已导入：" + "、".join(str(y) for y in years))
        else:
            self.stdout.write("没有需要导入的年份。")
