from django.contrib import admin

from articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "order", "published", "reviewed_on", "updated_at"]
    list_filter = ["published", "topic"]
    list_editable = ["order", "published"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["related"]
    readonly_fields = ["updated_at"]
    fields = ["title", "slug", "summary", "topic", "order", "published", "reviewed_on", "body", "related", "updated_at"]
