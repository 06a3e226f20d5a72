"""Articles: plain-language pages on the causes of night back pain, editable in the admin."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse


class Topic(models.TextChoices):
    """The cause (or purpose) an article is about; the list page groups articles in this order."""

    OVERVIEW = "overview", "Start here"
    BED = "bed", "Your bed and mattress"
    DEGENERATIVE = "degenerative", "Wear-and-tear changes in the spine"
    DISC = "disc", "Disc problems"
    INFLAMMATORY = "inflammatory", "Inflammatory back pain"
    KIDNEY = "kidney", "Kidney problems"
    INJURY = "injury", "Old injuries"
    INSTABILITY = "instability", "Spinal instability"
    MUSCLE = "muscle", "Muscles"
    STRESS = "stress", "Stress and sleep"
    RED_FLAGS = "red_flags", "Warning signs"
    DIARY = "diary", "Using your diary"


class ArticleQuerySet(models.QuerySet):
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
            return self.full_text_search(query)
        return self.word_search(query)

    def full_text_search(self, query: str):
        """PostgreSQL only: stems words ("stiff" finds "stiffness") and ranks title hits first."""
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            self.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank", "order", "title")
        )

    def word_search(self, query: str):
        """Any database: every word must appear somewhere in the title, summary or body."""
        matches = Q()
        for word in query.split():
            matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        return self.filter(matches)


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the address; the report links to it.")
    summary = models.CharField(
        max_length=300, help_text="One or two sentences; shown in lists and as the search-engine description."
    )
    body = models.TextField(help_text="Markdown. Start sections with '## '; they form the table of contents.")
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OVERVIEW)
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first.")
    published = models.BooleanField(default=False, help_text="Drafts are visible to staff only.")
    related = models.ManyToManyField("self", blank=True, help_text="Shown as related reading, in both directions.")
    reviewed_on = models.DateField(null=True, blank=True, help_text="When the content was last checked.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def related_articles(self, limit: int = 4):
        """Published articles on the same topic or linked by an editor, without this one."""
        return (
            Article.objects.published()
            .filter(Q(topic=self.topic) | Q(related=self))
            .exclude(pk=self.pk)
            .distinct()
            .order_by("order", "title")[:limit]
        )


def group_by_topic(articles) -> list[tuple[str, list[Article]]]:
    """(topic label, articles) pairs in the order topics are declared, leaving out empty topics."""
    by_topic: dict[str, list[Article]] = {}
    for article in articles:
        by_topic.setdefault(article.topic, []).append(article)
    return [(label, by_topic[value]) for value, label in Topic.choices if value in by_topic]
