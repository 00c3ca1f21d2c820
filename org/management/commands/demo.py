"""``python manage.py demo``: build the fictional demo town (清溪镇), then every other app's demo activity."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from audit.context import acting_as
from org import demo
from org.models import Town


class Command(BaseCommand):
    help = "建立虚构的演示镇（清溪镇）及各角色演示账号；--logins 打印登录清单。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help=_("已有任何镇街时不做任何事。"))
        parser.add_argument("--logins", action="store_true", help=_("打印访问地址和各角色演示账号。"))
        parser.add_argument("--seed", type=int, default=demo.SEED, help=_("随机种子（相同种子生成相同数据）。"))
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help=_("打印的访问地址。"))

    def handle(self, *args, if_empty=False, logins=False, seed=demo.SEED, url="http://127.0.0.1:8000/", **options):
        exists = Town.objects.filter(code=demo.TOWN["code"]).exists()
        if if_empty and Town.objects.exists():
            if not logins:
                self.stdout.write(_("已有镇街数据，未生成演示数据。"))
        elif exists:
            if not logins:
                self.stdout.write(_("演示镇“{name}”已存在，未重复生成。").format(name=demo.TOWN["name"]))
        else:
            started = time.monotonic()
            with acting_as(None, channel="cli"):
                built = demo.build(seed=seed, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(
                _("已生成演示镇“{name}”（{abbr}）：{posts} 个岗位，{grids} 个网格，用时 {s} 秒。").format(
                    name=built.town.name, abbr=built.town.abbreviation, posts=len(built.posts),
                    grids=len(built.grids), s=round(time.monotonic() - started, 1))))
        if logins:
            self.print_logins(url)

    def print_logins(self, url="http://127.0.0.1:8000/"):
        from django.contrib.auth import get_user_model

        present = set(get_user_model().objects.filter(
            username__in=[u for _r, u, _n, _s in demo.ROLE_USERS]).values_list("username", flat=True))
        out = self.stdout
        out.write("")
        out.write(_("法治 Fazhi 演示环境：请在浏览器打开 {url}").format(url=url))
        out.write(_("所有演示账号的密码均为：{pw}").format(pw=demo.PASSWORD))
        out.write("")
        rows = [(_("角色"), _("用户名"), _("密码"), _("登录后可见"))]
        for role, username, _name, seen in demo.ROLE_USERS:
            if username in present:
                rows.append((str(role.label), username, demo.PASSWORD, _(seen)))
        if len(rows) == 1:
            out.write(_("（尚无演示账号：请先运行 python manage.py demo）"))
            return
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        for r in rows:
            out.write("  ".join(_pad(r[i], widths[i]) for i in range(3)) + "  " + str(r[3]))
        out.write("")
        out.write(_("演示数据均为虚构（人名、电话 1390000xxxx、企业、坐标），不含真实身份证号。"))


def _width(text) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _pad(text, width: int) -> str:
    return str(text) + " " * (width - _width(text))
