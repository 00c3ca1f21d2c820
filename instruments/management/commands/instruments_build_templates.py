"""``manage.py instruments_build_templates``: (re)write the default DOCX templates from ``docx_builder``."""

from pathlib import Path

from django.core.management.base import BaseCommand

from instruments.docx_builder import TEMPLATES_DIR, build_all


class Command(BaseCommand):
    help = "Generate the default GB/T 9704 DOCX templates into instruments/templates_docx/."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(TEMPLATES_DIR), help="target directory")

    def handle(self, *args, **options):
        for path in build_all(Path(options["output"])):
            self.stdout.write(f"{path}")
