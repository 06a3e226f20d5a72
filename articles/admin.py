from django.contrib import admin

from articles.models import Article, ArticleTranslation


class ArticleTranslationInline(admin.StackedInline):
    model = ArticleTranslation
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
