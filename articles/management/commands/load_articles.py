from django.core.management.base import BaseCommand
from django.db import transaction

from articles.loading import load_shipped_articles, load_shipped_translations
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Add the shipped articles and translations that are missing (matched by slug and language). "
        "Existing ones are never changed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load_shipped_articles(Article)
            translated = load_shipped_translations(Article)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Added {len(created)} article(s): {', '.join(created)}"))
        if translated:
            self.stdout.write(self.style.SUCCESS(f"Added {len(translated)} translation(s): {', '.join(translated)}"))
        if not created and not translated:
            self.stdout.write("All shipped articles and translations are already present; nothing changed.")
