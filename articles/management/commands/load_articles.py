# Placeholder until the articles work lands.
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the shipped articles (placeholder)."

    def handle(self, *args, **options):
        pass
