"""Create the shipped translations in articles/content/<language>/ (only the missing ones)."""

from django.db import migrations

from articles.loading import load_shipped_translations


def load_translations(apps, schema_editor):
    # The historical model, never the live one: later model changes cannot break this step.
    Article = apps.get_model("articles", "Article")
    load_shipped_translations(Article, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_article_translation")]

    operations = [migrations.RunPython(load_translations, migrations.RunPython.noop)]
