from django.core.management.base import BaseCommand
from django.db import transaction

from articles.loading import load_shipped_articles
from articles.models import Article


class Command(BaseCommand):
    help = "Add the shipped articles that are missing (matched by slug). Existing articles are never changed."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load_shipped_articles(Article)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Added {len(created)} article(s): {', '.join(created)}"))
        else:
            self.stdout.write("All shipped articles are already present; nothing changed.")
