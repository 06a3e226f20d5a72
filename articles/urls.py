from django.conf import settings
from django.urls import path, register_converter

from articles import views


class TranslatedLanguageConverter:
    """A language prefix for the article pages: every site language except the default one,
    whose articles keep their unprefixed addresses."""

    regex = "|".join(code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE) or "(?!)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TranslatedLanguageConverter, "article_language")

app_name = "articles"
urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("<article_language:language>/articles/", views.article_list, name="list"),
    path("<article_language:language>/articles/<slug:slug>/", views.article_detail, name="detail"),
]
