"""``manage.py audit_archive --output FILE [--until YYYY-MM-DD] [--from-seq N]``: an offline copy of the log.

Nothing is deleted: the entries stay in the database for at least FAZHI_AUDIT_RETENTION_DAYS (≥ 180 days,
网络安全法 第二十一条), and the application never deletes them at all. See docs/audit.md.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.archive import write_archive
from audit.context import acting_as
from audit.models import AuditEntry
from audit.services import record


class Command(BaseCommand):
    help = "Write a verifiable, gzip'd JSON-lines copy of audit entries (never deletes anything)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)
        parser.add_argument("--until", help="entries before this date (Asia/Shanghai), e.g. 2026-01-01")
        parser.add_argument("--from-seq", type=int, default=1)

    def handle(self, *args, **options):
        qs = AuditEntry.objects.filter(seq__gte=options["from_seq"])
        if options["until"]:
            try:
                day = dt.date.fromisoformat(options["until"])
            except ValueError:
                raise CommandError(_("日期格式应为 YYYY-MM-DD。"))
            qs = qs.filter(at__lt=timezone.make_aware(dt.datetime.combine(day, dt.time.min)))
        manifest = write_archive(options["output"], qs)
        with acting_as(None, channel="cli"):
            record(action="audit.archive", after=manifest)
        self.stdout.write(_("已归档 {n} 条（序号 {a}–{b}），SM3 {sm3}。数据库中的记录保持不变。").format(
            n=manifest["entries"], a=manifest["first_seq"] or "—", b=manifest["last_seq"] or "—",
            sm3=manifest["sm3"]))
