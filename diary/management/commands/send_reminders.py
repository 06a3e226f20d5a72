"""python manage.py send_reminders: run from cron every few minutes; each reminder goes out once a day."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from diary.reminders import send_due_reminders


class Command(BaseCommand):
    help = "E-mail the daily 'log last night' reminders that are due now. Safe to run as often as you like."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
