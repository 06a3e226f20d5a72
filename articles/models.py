"""Articles: plain-language pages on the causes of night back pain, editable in the admin."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Article's own title, summary and body are in this language (English, the reviewed source);
# every other language of settings.LANGUAGES lives in ArticleTranslation rows.
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
# PostgreSQL text-search configuration per language: stemming and stop words of that language.
SEARCH_CONFIGS = {"en-gb": "english", "ru": "russian"}


class Topic(models.TextChoices):
    """The cause (or purpose) an article is about; the list page groups articles in this order."""

    OVERVIEW = "overview", _("Start here")
    BED = "bed", _("Your bed and mattress")
    DEGENERATIVE = "degenerative", _("Wear-and-tear changes in the spine")
    DISC = "disc", _("Disc problems")
    INFLAMMATORY = "inflammatory", _("Inflammatory back pain")
    KIDNEY = "kidney", _("Kidney problems")
    INJURY = "injury", _("Old injuries")
    INSTABILITY = "instability", _("Spinal instability")
    MUSCLE = "muscle", _("Muscles")
    STRESS = "stress", _("Stress and sleep")
    RED_FLAGS = "red_flags", _("Warning signs")
    DIARY = "diary", _("Using your diary")


class TextSearchQuerySet(models.QuerySet):
    """Search over `title`, `summary` and `body`, the fields Article (in the default language)
    and ArticleTranslation (in the others) share: one ranking for every language."""

    order_after_rank: tuple[str, ...] = ("order", "title")

    def full_text_search(self, query: str, config: str = "english"):
        """PostgreSQL only: stems words in the language of `config` ("stiff" finds "stiffness",
        "матрасы" finds "матрас") and ranks title hits first."""
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )
        search_query = SearchQuery(query, search_type="websearch", config=config)
        return (
            self.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank", *self.order_after_rank)
        )

    def ranked_by_place(self, query: str):
        """These articles, title matches first, then matches in a heading, then the summary, then
        the body (by how often), on every database alike; ties keep the current order.

        Both the full-text and the word search only decide *which* articles match: where the
        words are decides the order, so "kidney" lists the kidney article before one that merely
        mentions kidneys. A few dozen rows per language, so this runs in Python.
        """
        stems = [rough_stem(word) for word in re.findall(r"\w+", fold(query))]
        if not stems:
            return self
        rows = list(self.values_list("pk", "title", "summary", "body"))

        def hits(text: str) -> int:
            folded = fold(text)
            return sum(1 for stem in stems if re.search(rf"\b{re.escape(stem)}", folded))

        def place(row) -> tuple[int, int, int, int]:
            _pk, title, summary, body = row
            headings = "\n".join(line for line in body.splitlines() if line.lstrip().startswith("#"))
            in_body = sum(len(re.findall(rf"\b{re.escape(stem)}", fold(body))) for stem in stems)
            return (-hits(title), -hits(headings), -hits(summary), -in_body)

        order = [row[0] for row in sorted(rows, key=place)]  # sorted() is stable: ties keep their order
        if not order:
            return self
        return self.order_by(Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(order))))

    def folded_word_search(self, query: str):
        """Any database: every word must start a word of the title, summary or body.

        SQLite's LIKE and lower() fold ASCII letters only ("Почки" would miss "почки"), so the
        comparison runs in Python with Unicode case folding, over the few dozen articles of one
        language. Word endings are trimmed first: a rough stand-in for stemming.
        """
        stems = [rough_stem(word) for word in re.findall(r"\w+", fold(query))]
        matching = [
            pk
            for pk, title, summary, body in self.values_list("pk", "title", "summary", "body")
            if all(re.search(rf"\b{re.escape(stem)}", fold(f"{title} {summary} {body}")) for stem in stems)
        ]
        return self.filter(pk__in=matching)


class ArticleQuerySet(TextSearchQuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff may preview drafts; everyone else sees published articles only."""
        return self if user.is_staff else self.published()

    def search(self, query: str):
        """Articles matching `query` in title, summary or body: full-text search on PostgreSQL."""
        query = query.strip()
        if not query:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return self.full_text_search(query).ranked_by_place(query)
        return self.word_search(query).order_by("order", "title").ranked_by_place(query)

    def word_search(self, query: str):
        """Any database: every word must appear somewhere in the title, summary or body."""
        matches = Q()
        for word in query.split():
            matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        return self.filter(matches)


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text=_("Part of the address; the report links to it."))
    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences; shown in lists and as the search-engine description.")
    )
    body = models.TextField(help_text=_("Markdown. Start sections with '## '; they form the table of contents."))
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OVERVIEW)
    order = models.PositiveSmallIntegerField(default=100, help_text=_("Lower numbers come first."))
    published = models.BooleanField(default=False, help_text=_("Drafts are visible to staff only."))
    related = models.ManyToManyField("self", blank=True, help_text=_("Shown as related reading, in both directions."))
    reviewed_on = models.DateField(null=True, blank=True, help_text=_("When the content was last checked."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return article_url(self.slug, DEFAULT_LANGUAGE)

    def languages(self) -> list[str]:
        """The languages this article can be read in: its own, then those of its translations."""
        return [DEFAULT_LANGUAGE, *self.translations.order_by("language").values_list("language", flat=True)]

    def related_articles(self, limit: int = 4):
        """Published articles on the same topic or linked by an editor, without this one."""
        return (
            Article.objects.published()
            .filter(Q(topic=self.topic) | Q(related=self))
            .exclude(pk=self.pk)
            .distinct()
            .order_by("order", "title")[:limit]
        )


class ArticleTranslationQuerySet(TextSearchQuerySet):
    order_after_rank = ("article__order", "title")

    def published(self):
        return self.filter(article__published=True)

    def search(self, query: str, language: str):
        """Translations in `language` matching `query` in title, summary or body."""
        query = query.strip()
        if not query:
            return self.none()
        translations = self.filter(language=language)
        if connections[self.db].vendor == "postgresql":
            found = translations.full_text_search(query, SEARCH_CONFIGS.get(language, "simple"))
        else:
            found = translations.folded_word_search(query).order_by(*self.order_after_rank)
        return found.ranked_by_place(query)


def fold(text: str) -> str:
    """Case-folded, with ё written as е (Russian texts use both for the same letter)."""
    return text.casefold().replace("ё", "е")


def rough_stem(word: str) -> str:
    """A word without its last two letters when it is long enough to keep three: Russian
    endings change with case and number (почка, почки, почкой), English ones less so."""
    return word[: max(3, len(word) - 2)] if len(word) > 4 else word


class ArticleTranslation(models.Model):
    """One article in one more language; the article row holds what every language shares
    (slug, topic, order, publication, related articles)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, help_text=_("A language code from the site's languages, e.g. ru."))
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text=_("Markdown, with the same sections as the original."))
    reviewed_on = models.DateField(null=True, blank=True, help_text=_("When this translation was last checked."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleTranslationQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_translation_per_language")]
        ordering = ["article__order", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        return article_url(self.article.slug, self.language)

    # The article page and lists read these as they read an Article's.
    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def topic(self) -> str:
        return self.article.topic

    @property
    def published(self) -> bool:
        return self.article.published

    def get_topic_display(self) -> str:
        return self.article.get_topic_display()

    def languages(self) -> list[str]:
        return self.article.languages()

    def related_articles(self, limit: int = 4):
        related = self.article.related_articles(limit)
        return (
            ArticleTranslation.objects.filter(language=self.language, article__in=related)
            .select_related("article")
            .order_by("article__order", "title")
        )


def article_url(slug: str, language: str) -> str:
    """The address of an article in `language`: /articles/<slug>/ in English, /ru/articles/<slug>/ in Russian."""
    if language == DEFAULT_LANGUAGE:
        return reverse("articles:detail", kwargs={"slug": slug})
    return reverse("articles:detail", kwargs={"slug": slug, "language": language})


def articles_list_url(language: str) -> str:
    if language == DEFAULT_LANGUAGE:
        return reverse("articles:list")
    return reverse("articles:list", kwargs={"language": language})


def published_in(language: str):
    """The published articles in `language`: Article rows in the default language, translations otherwise."""
    if language == DEFAULT_LANGUAGE:
        return Article.objects.published()
    return ArticleTranslation.objects.published().filter(language=language).select_related("article")


def search_in(language: str, query: str):
    if language == DEFAULT_LANGUAGE:
        return Article.objects.published().search(query)
    return ArticleTranslation.objects.published().select_related("article").search(query, language)


def group_by_topic(articles) -> list[tuple[str, list[Article]]]:
    """(topic label, articles) pairs in the order topics are declared, leaving out empty topics."""
    by_topic: dict[str, list[Article]] = {}
    for article in articles:
        by_topic.setdefault(article.topic, []).append(article)
    return [(label, by_topic[value]) for value, label in Topic.choices if value in by_topic]
