from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.utils import translation

from articles.models import (
    DEFAULT_LANGUAGE,
    Article,
    article_url,
    articles_list_url,
    group_by_topic,
    published_in,
    search_in,
)
from articles.rendering import render_markdown

MAX_QUERY_LENGTH = 200


# The address says the language (/articles/… English, /ru/articles/… Russian), and the whole
# page, not just the text, is rendered in it: search engines index each language at its own
# address, and a shared link opens in the language it was shared in.
def article_list(request, language=DEFAULT_LANGUAGE):
    # NUL bytes cannot be stored or searched in PostgreSQL text: drop them with the other noise.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    context = {
        "query": query,
        "canonical_url": request.build_absolute_uri(articles_list_url(language)),
        "alternates": alternates(request, [code for code, _ in settings.LANGUAGES], articles_list_url),
    }
    if query:
        context["results"] = search_in(language, query)
    else:
        context["groups"] = group_by_topic(published_in(language))
    return render_in(language, request, "articles/article_list.html", context)


def article_detail(request, slug, language=DEFAULT_LANGUAGE):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    if language != DEFAULT_LANGUAGE:
        article = get_object_or_404(article.translations.select_related("article"), language=language)
    context = {
        "article": article,
        "rendered": render_markdown(article.body),
        "related": article.related_articles(),
        "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
        "alternates": alternates(request, article.languages(), lambda code: article_url(slug, code)),
    }
    return render_in(language, request, "articles/article_detail.html", context)


def render_in(language: str, request, template: str, context: dict):
    """The page in `language`, whatever the visitor's own language (LocaleMiddleware keeps this header)."""
    with translation.override(language):
        response = render(request, template, context)
    response.headers["Content-Language"] = language
    return response


def alternates(request, languages, url_for) -> list[dict[str, str]]:
    """The page in every language it exists in, for hreflang links and the "read in" links."""
    names = dict(settings.LANGUAGES)
    return [
        # hreflang "en", not "en-gb": the English pages are for every English reader.
        {
            "code": code,
            "hreflang": code.split("-")[0],
            "name": names[code],
            "url": request.build_absolute_uri(url_for(code)),
        }
        for code in languages
        if code in names
    ]


def same_article_in(url: str, language: str) -> str:
    """`url` when it is not an article page; else the same page in `language` (the list when the
    article has no version in it). set_language's redirect calls this."""
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return url
    if match.namespace != "articles":
        return url
    slug = match.kwargs.get("slug")
    if slug and (
        language == DEFAULT_LANGUAGE or Article.objects.filter(slug=slug, translations__language=language).exists()
    ):
        return article_url(slug, language)
    return articles_list_url(language)
