from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.models import Article, group_by_topic
from articles.rendering import render_markdown

MAX_QUERY_LENGTH = 200


def article_list(request):
    # NUL bytes cannot be stored or searched in PostgreSQL text: drop them with the other noise.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    articles = Article.objects.published()
    context = {"query": query, "canonical_url": request.build_absolute_uri(reverse("articles:list"))}
    if query:
        context["results"] = articles.search(query)
    else:
        context["groups"] = group_by_topic(articles)
    return render(request, "articles/article_list.html", context)


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    context = {
        "article": article,
        "rendered": render_markdown(article.body),
        "related": article.related_articles(),
        "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
    }
    return render(request, "articles/article_detail.html", context)
