"""Create the articles shipped in articles/content/ (only those whose slug is missing)."""

from django.db import migrations

from articles.loading import load_shipped_articles


def load_articles(apps, schema_editor):
    # The historical model, never the live one: later model changes cannot break this step.
    Article = apps.get_model("articles", "Article")
    load_shipped_articles(Article, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(load_articles, migrations.RunPython.noop)]
