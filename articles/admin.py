from django import forms
from django.conf import settings
from django.contrib import admin

from articles.models import DEFAULT_LANGUAGE, Article, ArticleTranslation


class ArticleTranslationForm(forms.ModelForm):
    # Only the site's other languages: the article's own fields hold the default one.
    language = forms.ChoiceField(
        choices=[(code, name) for code, name in settings.LANGUAGES if code != DEFAULT_LANGUAGE]
    )

    class Meta:
        model = ArticleTranslation
        fields = ["language", "title", "summary", "reviewed_on", "body"]


class ArticleTranslationInline(admin.StackedInline):
    model = ArticleTranslation
    form = ArticleTranslationForm
    extra = 0
    fields = ["language", "title", "summary", "reviewed_on", "body"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    inlines = [ArticleTranslationInline]
    list_display = ["title", "topic", "order", "published", "reviewed_on", "updated_at"]
    list_filter = ["published", "topic"]
    list_editable = ["order", "published"]
    search_fields = ["title", "slug", "summary", "body", "translations__title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["related"]
    readonly_fields = ["updated_at"]
    fields = ["title", "slug", "summary", "topic", "order", "published", "reviewed_on", "body", "related", "updated_at"]
