"""Articles: shipped content, Markdown rendering and sanitising, list/detail/search pages,
drafts, the load_articles command, and the slugs the report links to."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.loading import load_shipped_articles, parse_article, shipped_articles
from articles.models import Article, Topic
from articles.rendering import render_markdown

DISCLAIMER = "This article gives information, not a diagnosis, and does not replace a doctor."
SHIPPED_SLUGS = [
    "why-does-my-back-hurt-at-night",
    "is-it-your-bed",
    "osteochondrosis",
    "herniated-disc",
    "ankylosing-spondylitis",
    "kidney-pain-or-back-pain",
    "old-spine-injuries",
    "spinal-instability",
    "muscle-spasm",
    "stress-and-back-pain",
    "when-to-see-a-doctor",
    "keeping-a-pain-diary",
]
CAUSE_SLUGS = SHIPPED_SLUGS[1:10]
OVERVIEW = "why-does-my-back-hurt-at-night"


def make_article(**overrides) -> Article:
    values = {
        "title": "A test article",
        "slug": "a-test-article",
        "summary": "A short summary of the test article.",
        "body": "## First part\n\nSome words.\n\n## Second part\n\nMore words.\n",
        "topic": Topic.MUSCLE,
        "published": True,
        "reviewed_on": date(2026, 11, 25),
    }
    values.update(overrides)
    return Article.objects.create(**values)


def page(client, slug: str) -> str:
    response = client.get(reverse("articles:detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def visible_words(markdown_text: str) -> int:
    """Words a reader sees: rendered HTML without tags, so link addresses do not count."""
    text = unescape(re.sub(r"<[^>]+>", " ", render_markdown(markdown_text).html))
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


# --- Rendering and sanitising ------------------------------------------------------------------


def test_markdown_headings_get_ids_and_make_the_table_of_contents():
    rendered = render_markdown("## Why & how\n\nText.\n\n### A detail\n\n## When to see a doctor\n\nMore.")

    assert '<h2 id="why-how">Why &amp; how</h2>' in rendered.html
    assert [(h.id, h.text) for h in rendered.headings] == [
        ("why-how", "Why & how"),
        ("when-to-see-a-doctor", "When to see a doctor"),
    ]


def test_markdown_keeps_links_lists_and_emphasis():
    html = render_markdown("- **Bold** and *soft*\n- [NICE](https://www.nice.org.uk/guidance/ng59)").html

    assert "<li><strong>Bold</strong> and <em>soft</em></li>" in html
    assert '<a href="https://www.nice.org.uk/guidance/ng59">NICE</a>' in html


def test_scripts_event_handlers_and_javascript_links_are_stripped():
    body = (
        "<script>alert('x')</script>\n\n"
        '<p onclick="alert(1)" style="color:red">Click</p>\n\n'
        '<img src="x" onerror="alert(2)">\n\n'
        '<iframe src="https://example.com"></iframe>\n\n'
        "[bad](javascript:alert(3))\n\n"
        '<a href="javascript:alert(4)" onmouseover="alert(5)">also bad</a>'
    )
    html = render_markdown(body).html.lower()

    for dangerous in (
        "<script",
        "alert",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "style=",
        "<iframe",
        "<img",
    ):
        assert dangerous not in html
    assert "click" in html  # the text itself survives


@pytest.mark.django_db
def test_a_pasted_script_never_reaches_the_article_page(client):
    make_article(body='## Part\n\n<script>alert("pwned")</script><b onclick="steal()">hello</b>')

    html = page(client, "a-test-article")

    assert "pwned" not in html
    assert "steal()" not in html
    assert "hello" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # every script on the page is a file


# --- List and search ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_groups_published_articles_by_topic_for_anyone(client):
    response = client.get(reverse("articles:list"))
    html = response.content.decode()

    assert response.status_code == 200
    for label in (Topic.OVERVIEW.label, Topic.KIDNEY.label, Topic.RED_FLAGS.label):
        assert f">{label}</h2>" in html
    for slug in SHIPPED_SLUGS:
        assert f'href="/articles/{slug}/"' in html
    # Topics appear in the declared order: overview first, the diary last.
    overview, kidney, diary = (str(topic.label) for topic in (Topic.OVERVIEW, Topic.KIDNEY, Topic.DIARY))
    assert html.index(overview) < html.index(kidney) < html.index(diary)


@pytest.mark.django_db
def test_the_list_leaves_out_drafts(client):
    make_article(title="Secret draft", slug="secret-draft", published=False)

    html = client.get(reverse("articles:list")).content.decode()

    assert "Secret draft" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Zebrafish nights"), ("summary", "All about zebrafish."), ("body", "## Part\n\nA zebrafish swims.")],
)
def test_search_finds_a_word_in_the_title_summary_or_body(client, field, value):
    make_article(**{field: value})

    html = client.get(reverse("articles:list"), {"q": "zebrafish"}).content.decode()

    assert 'href="/articles/a-test-article/"' in html
    assert 'href="/articles/osteochondrosis/"' not in html


@pytest.mark.django_db
def test_search_finds_shipped_articles_and_hides_drafts(client):
    make_article(title="Kidney draft", slug="kidney-draft", published=False)

    html = client.get(reverse("articles:list"), {"q": "kidney infection"}).content.decode()

    assert 'href="/articles/kidney-pain-or-back-pain/"' in html
    assert "kidney-draft" not in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_search_without_matches_says_so(client):
    html = client.get(reverse("articles:list"), {"q": "xylophone"}).content.decode()

    assert "No article matches that search" in html


@pytest.mark.django_db
def test_an_empty_search_shows_the_full_list(client):
    html = client.get(reverse("articles:list"), {"q": "   "}).content.decode()

    assert "Results for" not in html
    assert 'href="/articles/keeping-a-pain-diary/"' in html


@pytest.mark.django_db
def test_word_search_needs_every_word_somewhere_in_the_article():
    make_article(title="Zebrafish", body="## Part\n\nThe lantern glows.")

    assert list(Article.objects.word_search("zebrafish LANTERN").values_list("slug", flat=True)) == ["a-test-article"]
    assert not Article.objects.word_search("zebrafish trumpet").exists()


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL-only")
def test_search_on_postgresql_matches_word_stems_and_ranks_title_matches_first():
    make_article(title="Zebrafish care", slug="in-title", body="## Part\n\nWords.")
    make_article(title="Something else", slug="in-body", body="## Part\n\nA zebrafish swims.")

    found = list(Article.objects.search("zebrafishes").values_list("slug", flat=True))

    # "zebrafishes" is not a substring of "zebrafish": only stemming can match it.
    assert found[:2] == ["in-title", "in-body"]
    assert not Article.objects.word_search("zebrafishes").exists()


# --- Detail pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_detail_page_has_contents_disclaimer_review_date_and_related_articles(client):
    html = page(client, "is-it-your-bed")

    assert 'aria-labelledby="toc-heading"' in html
    assert 'href="#the-15-minute-morning-test"' in html
    assert '<h2 id="the-15-minute-morning-test">' in html
    assert DISCLAIMER in html
    assert "Last reviewed" in html and "25 November 2026" in html
    assert "Related articles" in html
    assert 'href="/articles/keeping-a-pain-diary/"' in html


@pytest.mark.django_db
def test_the_detail_page_has_a_title_meta_description_and_absolute_canonical_link(client):
    article = Article.objects.get(slug="kidney-pain-or-back-pain")

    html = page(client, article.slug)

    assert f"<title>{article.title} · Night Back-Pain Diary</title>" in html
    assert f'<meta name="description" content="{article.summary}">' in html
    assert '<link rel="canonical" href="http://testserver/articles/kidney-pain-or-back-pain/">' in html


@pytest.mark.django_db
def test_the_list_page_has_a_canonical_link_without_the_search_query(client):
    html = client.get(reverse("articles:list"), {"q": "bed"}).content.decode()

    assert '<link rel="canonical" href="http://testserver/articles/">' in html


@pytest.mark.django_db
def test_related_articles_include_the_same_topic_and_listed_ones_but_not_drafts():
    article = make_article()
    same_topic = Article.objects.get(slug="muscle-spasm")
    listed = Article.objects.get(slug="osteochondrosis")
    draft = make_article(slug="draft", published=False, topic=Topic.MUSCLE)
    article.related.add(listed, draft)

    related = list(article.related_articles())

    assert same_topic in related
    assert listed in related
    assert draft not in related and article not in related


@pytest.mark.django_db
def test_visitors_without_an_account_are_invited_to_start_a_diary(client):
    html = page(client, OVERVIEW)

    assert "Start a diary" in html
    assert f'href="{reverse("account_signup")}"' in html
    assert "See your report" not in html


@pytest.mark.django_db
def test_signed_in_users_are_invited_to_log_a_night_and_see_their_report(alice_client):
    html = page(alice_client, OVERVIEW)

    assert f'href="{reverse("diary:night-create")}"' in html
    assert f'href="{reverse("diary:report")}"' in html
    assert "Start a diary" not in html


@pytest.mark.django_db
def test_an_unknown_slug_is_404(client):
    assert client.get(reverse("articles:detail", kwargs={"slug": "no-such-article"})).status_code == 404


# --- Drafts -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unpublished_article_is_404_to_visitors_and_ordinary_users(client, alice_client):
    make_article(slug="draft", published=False)
    url = reverse("articles:detail", kwargs={"slug": "draft"})

    assert client.get(url).status_code == 404
    assert alice_client.get(url).status_code == 404


@pytest.mark.django_db
def test_staff_can_preview_an_unpublished_article_under_a_draft_banner(client, alice):
    make_article(slug="draft", published=False)
    alice.is_staff = True
    alice.save()
    client.force_login(alice)

    html = page(client, "draft")

    assert "Draft preview" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_published_articles_show_no_draft_banner_to_staff(admin_client):
    assert "Draft preview" not in page(admin_client, OVERVIEW)


# --- Shipped content ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_all_twelve_shipped_articles_are_published_after_migrate():
    published = set(Article.objects.published().values_list("slug", flat=True))

    assert set(SHIPPED_SLUGS) <= published
    assert Article.objects.count() == len(SHIPPED_SLUGS)


def test_the_content_files_ship_exactly_the_twelve_slugs_with_known_topics():
    articles = shipped_articles()

    assert [article.slug for article in articles] == SHIPPED_SLUGS
    assert {article.topic for article in articles} == set(Topic.values)
    # Rules v2 (issue 14) added the kidney-stone and sciatica sections, reviewed on 1 December.
    rules_v2 = {"kidney-pain-or-back-pain", "herniated-disc"}
    assert all(article.reviewed_on == date(2026, 11, 25) for article in articles if article.slug not in rules_v2)
    assert all(article.reviewed_on == date(2026, 12, 1) for article in articles if article.slug in rules_v2)


@pytest.mark.parametrize("article", shipped_articles(), ids=lambda article: article.slug)
def test_each_shipped_article_is_300_to_900_words_with_headings_summary_and_further_reading(article):
    assert 300 <= visible_words(article.body) <= 900
    assert 300 <= len(article.body.split()) <= 900
    assert len(render_markdown(article.body).headings) >= 3
    assert 40 <= len(article.summary) <= 300
    further_reading = article.body.split("## Further reading", 1)
    assert len(further_reading) == 2
    assert further_reading[1].count("\n- ") >= 2


@pytest.mark.parametrize("article", shipped_articles(), ids=lambda article: article.slug)
def test_each_shipped_article_links_only_to_articles_that_exist(article):
    linked = set(re.findall(r"\]\(/articles/([a-z0-9-]+)/\)", article.body))

    assert linked <= set(SHIPPED_SLUGS)
    assert not re.search(r"\]\((?!https://|/articles/)", article.body)  # no relative or odd links
    if article.slug != "when-to-see-a-doctor":
        assert "/articles/when-to-see-a-doctor/" in article.body


def test_the_overview_links_to_every_cause():
    overview = next(article for article in shipped_articles() if article.slug == OVERVIEW)

    for slug in CAUSE_SLUGS:
        assert f"(/articles/{slug}/)" in overview.body


def test_the_kidney_article_explains_stones_and_the_disc_article_sciatica_as_the_report_uses_them():
    bodies = {article.slug: article.body for article in shipped_articles()}
    kidney, disc = bodies["kidney-pain-or-back-pain"], bodies["herniated-disc"]
    assert "## Kidney stones" in kidney
    for words in ("comes in waves", "groin", "fever or shivering is an emergency", "Pain came in waves"):
        assert words in kidney
    assert "## What usually happens, and sciatica that keeps going" in disc
    for words in ("NG59", "not improving", "Down a leg"):
        assert words in disc


def test_the_bed_article_calls_the_15_minute_test_a_rule_of_thumb_and_asks_for_four_weeks():
    bed = next(article for article in shipped_articles() if article.slug == "is-it-your-bed").body

    assert "rule of thumb" in bed and "not a medical guideline" in bed
    assert "four weeks" in bed
    assert "medium-firm" in bed


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SHIPPED_SLUGS)
def test_each_shipped_article_page_shows_the_disclaimer_and_further_reading(client, slug):
    html = page(client, slug)

    assert DISCLAIMER in html
    assert '<h2 id="further-reading">Further reading</h2>' in html
    assert "Last reviewed" in html


@pytest.mark.django_db
def test_every_article_the_report_links_to_is_published():
    from diary.rules import ARTICLE_SLUGS

    published = set(Article.objects.published().values_list("slug", flat=True))

    assert ARTICLE_SLUGS
    assert published >= ARTICLE_SLUGS, f"report links to missing articles: {sorted(ARTICLE_SLUGS - published)}"


# --- Loading ------------------------------------------------------------------------------------


def test_parse_article_reads_the_header_and_the_body():
    article = parse_article(
        "---\ntitle: Is it: your bed?\nslug: bed\ntopic: bed\norder: 5\nreviewed: 2026-11-25\n"
        "related: a, b\nsummary: Short.\n---\n## Heading\n\nText.\n"
    )

    assert article.title == "Is it: your bed?"
    assert (article.slug, article.topic, article.order) == ("bed", "bed", 5)
    assert article.reviewed_on == date(2026, 11, 25)
    assert article.related == ("a", "b")
    assert article.body == "## Heading\n\nText.\n"


@pytest.mark.parametrize(
    "text",
    [
        "## No header\n",
        "---\ntitle: T\nslug: s\n",
        "---\ntitle: T\nslug: s\ntopic: bed\norder: 1\nreviewed: 2026-11-25\n---\nBody",
        "---\ntitle: T\nslug: s\ntopic: bed\norder: 1\nreviewed: 2026-11-25\nsummary: S\ncolour: red\n---\nBody",
    ],
    ids=["no header", "unclosed header", "missing summary", "unknown key"],
)
def test_parse_article_rejects_a_broken_header(text):
    with pytest.raises(ValueError, match="broken.md"):
        parse_article(text, source="broken.md")


@pytest.mark.django_db
def test_load_articles_restores_missing_articles_and_keeps_an_editors_changes():
    Article.objects.filter(slug="muscle-spasm").delete()
    Article.objects.filter(slug="is-it-your-bed").update(title="Edited title", body="## Edited\n\nBy an editor.")

    call_command("load_articles", verbosity=0)

    assert Article.objects.count() == len(SHIPPED_SLUGS)
    assert Article.objects.get(slug="muscle-spasm").published
    edited = Article.objects.get(slug="is-it-your-bed")
    assert (edited.title, edited.body) == ("Edited title", "## Edited\n\nBy an editor.")


@pytest.mark.django_db
def test_load_articles_run_twice_creates_no_duplicates(capsys):
    call_command("load_articles")
    call_command("load_articles")

    assert Article.objects.count() == len(SHIPPED_SLUGS)
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_loader_links_new_articles_to_their_related_ones():
    Article.objects.all().delete()

    created = load_shipped_articles(Article)

    assert created == SHIPPED_SLUGS
    overview = Article.objects.get(slug=OVERVIEW)
    assert set(overview.related.values_list("slug", flat=True)) >= {"is-it-your-bed", "when-to-see-a-doctor"}
    assert overview in Article.objects.get(slug="is-it-your-bed").related.all()  # both directions


# --- Phone width and strict CSP -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/articles/", "/articles/?q=bed", "/articles/when-to-see-a-doctor/"])
def test_article_pages_fit_a_phone_screen_without_inline_code(client, url):
    html = client.get(url).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "/static/css/articles.css" in html
    assert "<table" not in html  # no wide tables to scroll sideways at 375 px
    assert not re.search(r"\swidth=", html)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_article_stylesheet_sets_no_fixed_width_wider_than_a_phone():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "articles.css").read_text()

    for value in re.findall(r"(?<![-\w])(?:min-)?width:\s*(\d+)px", css):
        assert int(value) <= 375


# --- Admin --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lists_searches_and_prefills_the_slug(admin_client):
    listing = admin_client.get("/admin/articles/article/", {"q": "kidney"}).content.decode()
    add_form = admin_client.get("/admin/articles/article/add/").content.decode()

    assert "Kidney pain or back pain?" in listing
    assert "Muscle spasm" not in listing
    assert "prepopulated" in add_form


@pytest.mark.django_db
def test_a_null_byte_in_a_search_is_not_a_server_error(client):
    # PostgreSQL refuses NUL in text; the view drops it before searching.
    response = client.get("/articles/", {"q": "back\x00pain"})
    assert response.status_code == 200
