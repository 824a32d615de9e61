"""Check that the audit log's hash chain is unbroken: `manage.py audit_check`.

Exits with status 1 and names each entry where the chain breaks."""

from django.core.management.base import BaseCommand, CommandError

from lms.audit import audit_chain_breaks
from lms.models import AuditEntry


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report any break."

    def handle(self, *args, **options):
        breaks = list(audit_chain_breaks())
        for found in breaks:
            self.stdout.write(f"Entry {found.entry_id}: {found.reason}.")
        if breaks:
            raise CommandError(
                f"The audit log has {len(breaks)} break(s): it was changed "
                "outside Ustaz."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit log is intact: {AuditEntry.objects.count()} entries."
            )
        )
