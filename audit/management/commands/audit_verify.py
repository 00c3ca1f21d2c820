"""``manage.py audit_verify``: recompute the whole audit chain and the digests of its recorded files.

Exit status 0 with a Chinese summary when the chain is intact; non-zero naming the first bad entry
(sequence number, action, what is wrong) otherwise. The run itself is recorded (``audit.Verification``
and an ``audit.verify`` entry) unless ``--no-record`` is given.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import acting_as
from audit.services import verification_record
from audit.verification import CHUNK_SIZE, verify_chain


class Command(BaseCommand):
    help = "Verify the audit chain (HMAC-SM3 of every entry, links, sequence, file digests)."

    def add_arguments(self, parser):
        parser.add_argument("--skip-files", action="store_true", help="do not re-hash recorded files")
        parser.add_argument("--no-record", action="store_true", help="do not store the result of this run")
        parser.add_argument("--notify", action="store_true", help="notify the auditors when the chain is broken")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
        parser.add_argument("--archive", help="verify an archive written by audit_archive instead of the database")

    def handle(self, *args, **options):
        if options["archive"]:
            from audit.archive import verify_archive

            result = verify_archive(options["archive"])
            if not result.ok:
                raise CommandError(result.summary(), returncode=2)
            self.stdout.write(self.style.SUCCESS(result.summary()))
            return
        started = timezone.now()

        def progress(result):
            self.stderr.write(_("已校验 {n} 条……").format(n=result.entries_checked))

        result = verify_chain(check_files=not options["skip_files"], chunk_size=options["chunk_size"],
                              progress=progress if options["verbosity"] > 1 else None)
        if not options["no_record"]:
            with acting_as(None, channel="cli"):
                verification_record(result=result, started_at=started, channel="cli",
                                    notify_auditors=options["notify"])
        if not result.ok:
            raise CommandError(result.summary(), returncode=2)
        self.stdout.write(self.style.SUCCESS(result.summary()))
