"""Check an exported 卷宗 ZIP offline: every document against the SM3 digest in its manifest.

    python manage.py enforcement_verify_casefile casefile-12.zip

Exit status 0 when every document matches, 1 otherwise (each problem printed). Needs no database.
Without this project: unzip the file and compare ``openssl dgst -sm3 <file>`` with the line in SM3SUMS.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enforcement.services import casefile_verify


class Command(BaseCommand):
    help = "Verify an exported enforcement case file (卷宗 ZIP) against its SM3 manifest."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("zipfile")

    def handle(self, *args, **options):
        path = Path(options["zipfile"])
        if not path.is_file():
            raise CommandError(_("找不到文件：{p}").format(p=path))
        problems = casefile_verify(path.read_bytes())
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            raise CommandError(_("卷宗校验未通过：{n}处问题。").format(n=len(problems)), returncode=1)
        self.stdout.write(_("卷宗校验通过：全部文件与清单中的SM3摘要一致。"))
