"""English and Russian: the Russian articles (content, pages, search, loading), the language of
a visit (Accept-Language, the footer switcher, the profile), and the Russian catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.loading import load_shipped_translations, shipped_articles, shipped_translations
from articles.models import Article, ArticleTranslation
from articles.rendering import render_markdown
from diary.models import Profile

RU_DISCLAIMER = "Статья носит справочный характер: это не диагноз и не замена консультации врача."
ENGLISH = {article.slug: article for article in shipped_articles()}
RUSSIAN = [translation for translation in shipped_translations() if translation.language == "ru"]
PO_FILE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def found_slugs(html: str, prefix: str = "/ru/articles/") -> list[str]:
    """The article links of a result list, in order, without the page's other links."""
    results = html.split('id="results-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(rf'class="fw-semibold" href="{prefix}([a-z0-9-]+)/"', results)


# --- The Russian articles as shipped ------------------------------------------------------------


def test_every_shipped_article_has_exactly_one_russian_version():
    assert sorted(translation.slug for translation in RUSSIAN) == sorted(ENGLISH)


@pytest.mark.parametrize("russian", RUSSIAN, ids=lambda translation: translation.slug)
def test_each_russian_article_keeps_the_sections_links_and_sources_of_the_english_one(russian):
    english = ENGLISH[russian.slug]

    # Same structure: as many sections, linking to the same articles (in their Russian version).
    assert len(render_markdown(russian.body).headings) == len(render_markdown(english.body).headings)
    assert set(re.findall(r"\]\(/ru/articles/([a-z0-9-]+)/\)", russian.body)) == set(
        re.findall(r"\]\(/articles/([a-z0-9-]+)/\)", english.body)
    )
    assert not re.search(r"\]\((?!https://|/ru/articles/)", russian.body)  # no English or odd links
    # Same sources: every web source, and every journal reference word for word.
    assert set(re.findall(r"\]\((https://[^)]+)\)", russian.body)) == set(
        re.findall(r"\]\((https://[^)]+)\)", english.body)
    )
    for reference in re.findall(r"^- ([A-Z][^\[\n]+ et al\..+)$", english.body, flags=re.MULTILINE):
        assert reference in russian.body
    assert russian.body.rstrip().split("\n## ")[-1].startswith("Источники")


@pytest.mark.parametrize("russian", RUSSIAN, ids=lambda translation: translation.slug)
def test_each_russian_article_is_written_in_russian_at_a_readable_length(russian):
    text = re.sub(r"\([^)]*\)|\*[^*]+\* \d{4}[^\n]*|^- [A-Z].*$", " ", russian.body, flags=re.MULTILINE)
    words = re.findall(r"\w+", text)
    cyrillic = [word for word in words if re.search(r"[а-яё]", word, flags=re.IGNORECASE)]

    assert 300 <= len(words) <= 900
    assert len(cyrillic) / len(words) > 0.9  # written in Russian, not left in English
    assert 40 <= len(russian.summary) <= 300
    assert re.search(r"[а-яё]", russian.title, flags=re.IGNORECASE)


def test_russian_headings_get_readable_ids_for_the_table_of_contents():
    rendered = render_markdown("## Когда обращаться к врачу\n\nТекст.\n\n## Источники\n\n- Книга.")

    assert '<h2 id="когда-обращаться-к-врачу">Когда обращаться к врачу</h2>' in rendered.html
    assert [heading.id for heading in rendered.headings] == ["когда-обращаться-к-врачу", "источники"]


# --- Russian article pages ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("russian", RUSSIAN, ids=lambda translation: translation.slug)
def test_each_russian_article_page_is_russian_from_header_to_footer(client, russian):
    response = client.get(f"/ru/articles/{russian.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    html = html_of(response)

    assert '<html lang="ru"' in html
    assert f"<h1>{russian.title}</h1>" in html
    assert RU_DISCLAIMER in html
    assert '<h2 id="источники">Источники</h2>' in html
    assert "Последняя проверка:" in html
    assert ">Статьи</a>" in html and "Когда обращаться к врачу</a>" in html  # header and footer
    assert f'<link rel="canonical" href="http://testserver/ru/articles/{russian.slug}/">' in html
    assert response["Content-Language"] == "ru"  # the page's language, not the English visitor's


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/ru/articles/", "/ru/articles/?q=матрас", "/ru/articles/muscle-spasm/"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed in"])
def test_no_english_is_left_around_a_russian_article(client, alice, url, signed_in):
    if signed_in:
        client.force_login(alice)
    html = html_of(client.get(url))
    # What a reader sees, without the article's own text (its sources are cited in English).
    page = re.sub(r'<div class="article-body">.*?</div>', " ", html.split("<body", 1)[1], flags=re.S)
    page = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
    attributes = re.findall(r'(?:aria-label|placeholder|title)="([^"]*)"', html)

    latin = set(re.findall(r"[A-Za-z]{2,}", " ".join([page, *attributes])))
    assert latin <= {"English"}, latin  # the switcher names English in English
    assert html.split("<title>", 1)[1].split("</title>", 1)[0].count("Дневник ночной боли в спине") == 1


@pytest.mark.django_db
def test_both_language_versions_point_to_each_other_for_readers_and_search_engines(client):
    english = html_of(client.get("/articles/is-it-your-bed/"))
    russian = html_of(client.get("/ru/articles/is-it-your-bed/"))

    for html in (english, russian):
        assert '<link rel="alternate" hreflang="en" href="http://testserver/articles/is-it-your-bed/">' in html
        assert '<link rel="alternate" hreflang="ru" href="http://testserver/ru/articles/is-it-your-bed/">' in html
        assert '<link rel="alternate" hreflang="x-default" href="http://testserver/articles/is-it-your-bed/">' in html
    assert 'lang="ru">Русский</a>' in english
    assert 'lang="en-gb">English</a>' in russian
    assert '<html lang="en-gb"' in english


@pytest.mark.django_db
def test_the_russian_list_groups_articles_under_russian_topic_names(client):
    html = html_of(client.get("/ru/articles/"))

    assert "<h1>Статьи</h1>" in html
    assert ">С чего начать</h2>" in html and ">Почки</h2>" in html
    for slug in ENGLISH:
        assert f'href="/ru/articles/{slug}/"' in html
    assert html.index("С чего начать") < html.index(">Почки<") < html.index("Как пользоваться дневником")


@pytest.mark.django_db
def test_related_articles_on_a_russian_page_are_russian(client):
    html = html_of(client.get("/ru/articles/why-does-my-back-hurt-at-night/"))
    related = html.split('id="related-heading"', 1)[1]

    assert 'href="/ru/articles/is-it-your-bed/"' in related
    assert "Дело в кровати?" in related
    assert 'href="/articles/' not in related


@pytest.mark.django_db
def test_an_article_without_a_russian_version_is_404_at_its_russian_address(client):
    Article.objects.create(title="English only", slug="english-only", summary="S.", body="## A\n\nB.", published=True)

    assert client.get("/articles/english-only/").status_code == 200
    assert client.get("/ru/articles/english-only/").status_code == 404
    assert client.get("/de/articles/is-it-your-bed/").status_code == 404  # not a site language


@pytest.mark.django_db
def test_a_draft_stays_hidden_in_russian_too(client):
    Article.objects.filter(slug="muscle-spasm").update(published=False)

    assert client.get("/ru/articles/muscle-spasm/").status_code == 404
    assert 'href="/ru/articles/muscle-spasm/"' not in html_of(client.get("/ru/articles/"))


# --- Search in Russian (SQLite and PostgreSQL) --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("матрасы", "is-it-your-bed"),  # another ending than the text's "матрас"
        ("ПИЕЛОНЕФРИТ", "kidney-pain-or-back-pain"),  # capitals: SQLite's LIKE would not fold them
        ("ёжиться спазм", None),  # every word must match
        ("синдром конского хвоста", "when-to-see-a-doctor"),
    ],
)
def test_russian_search_finds_russian_words_whatever_their_case_or_ending(client, query, slug):
    html = html_of(client.get("/ru/articles/", {"q": query}))
    found = found_slugs(html)

    if slug is None:
        assert found == []
        assert "По этому запросу статей не нашлось." in html
    else:
        assert slug in found
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_russian_search_looks_only_at_russian_text_and_english_search_only_at_english(client):
    assert found_slugs(html_of(client.get("/ru/articles/", {"q": "stiffness"}))) == []
    assert found_slugs(html_of(client.get("/articles/", {"q": "матрас"})), prefix="/articles/") == []


@pytest.mark.django_db
def test_the_fallback_search_folds_case_and_yo_in_any_language():
    article = Article.objects.create(title="T", slug="t", summary="S.", body="## A\n\nB.", published=True)
    ArticleTranslation.objects.create(article=article, language="ru", title="Ёлка", summary="Ночью", body="Почки")

    found = ArticleTranslation.objects.filter(article=article).folded_word_search
    assert found("ЕЛКА НОЧЬЮ почек").exists()  # case, ё and a different ending
    assert not found("ёлка матрас").exists()


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the russian text-search configuration is PostgreSQL's")
def test_postgresql_search_uses_russian_stemming_and_ranks_title_matches_first(client):
    html = html_of(client.get("/ru/articles/", {"q": "спазмы"}))

    assert found_slugs(html)[0] == "muscle-spasm"
    # "болям" shares its stem with the text's "боль" and "боли" only through Russian stemming.
    assert "why-does-my-back-hurt-at-night" in found_slugs(html_of(client.get("/ru/articles/", {"q": "болям"})))


# --- Loading both languages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_loads_every_russian_translation():
    assert ArticleTranslation.objects.filter(language="ru").count() == len(ENGLISH)


@pytest.mark.django_db
def test_load_articles_run_twice_adds_no_duplicate_in_either_language(capsys):
    call_command("load_articles")
    call_command("load_articles")

    assert Article.objects.count() == len(ENGLISH)
    assert ArticleTranslation.objects.count() == len(RUSSIAN)
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_articles_restores_a_missing_translation_and_keeps_an_edited_one(capsys):
    ArticleTranslation.objects.filter(article__slug="muscle-spasm").delete()
    ArticleTranslation.objects.filter(article__slug="is-it-your-bed").update(title="Правка редактора")

    call_command("load_articles")

    assert "ru:muscle-spasm" in capsys.readouterr().out
    assert ArticleTranslation.objects.filter(article__slug="muscle-spasm", language="ru").exists()
    assert ArticleTranslation.objects.get(article__slug="is-it-your-bed").title == "Правка редактора"


@pytest.mark.django_db
def test_a_restored_article_gets_both_languages_back():
    Article.objects.filter(slug="muscle-spasm").delete()  # its translation goes with it

    call_command("load_articles", verbosity=0)

    assert list(Article.objects.get(slug="muscle-spasm").translations.values_list("language", flat=True)) == ["ru"]


@pytest.mark.django_db
def test_translations_of_articles_missing_from_the_database_are_skipped():
    Article.objects.filter(slug="muscle-spasm").delete()

    assert load_shipped_translations(Article) == []


@pytest.mark.django_db
def test_the_admin_edits_an_articles_russian_version_on_the_article_page(admin_client):
    article = Article.objects.get(slug="muscle-spasm")
    page = html_of(admin_client.get(f"/admin/articles/article/{article.pk}/change/"))
    found = html_of(admin_client.get("/admin/articles/article/", {"q": "Мышечный"}))

    assert "Мышечный спазм: когда мышцы спины сводит ночью" in page
    assert '<option value="ru" selected>Русский</option>' in page
    assert '<option value="en-gb"' not in page  # English lives on the article itself
    assert "Muscle spasm" in found


# --- The language of a visit --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_first_visit_follows_the_browsers_accept_language(client):
    russian = html_of(client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5"))
    english = html_of(Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    unknown = html_of(Client().get("/", HTTP_ACCEPT_LANGUAGE="de-DE"))

    assert '<html lang="ru"' in russian and "Перейти к основному содержанию" in russian
    assert '<html lang="en-gb"' in english and "Skip to main content" in english
    assert '<html lang="en-gb"' in unknown


@pytest.mark.django_db
def test_the_footer_switcher_is_a_plain_post_form_without_script_or_token(client):
    html = html_of(client.get("/articles/"))
    footer = html.split("<footer", 1)[1]
    form = footer.split('<form class="language-switcher', 1)[1].split("</form>", 1)[0]

    assert 'method="post" action="/language/"' in form
    assert '<input type="hidden" name="next" value="/articles/">' in form
    assert 'name="language" value="ru" lang="ru">Русский</button>' in form
    assert 'aria-current="true">English</span>' in form
    # No token: whole pages are cached (the view checks the browser's headers instead).
    assert "csrfmiddlewaretoken" not in form
    assert "<script" not in footer and "onclick" not in footer and " style=" not in footer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://sub.testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},  # an older browser: Origin only
        {"HTTP_ORIGIN": "null"},
    ],
    ids=["cross-site", "same-site", "foreign origin", "opaque origin"],
)
def test_the_switcher_refuses_a_post_from_another_site(alice, headers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post("/language/", {"language": "ru", "next": "/"}, **headers)

    assert response.status_code == 403
    assert Profile.language_for(alice) == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver"},
    ],
    ids=["fetch metadata", "origin only"],
)
def test_the_switcher_accepts_a_post_from_the_site_itself(alice, headers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post("/language/", {"language": "ru", "next": "/"}, **headers)

    assert response.status_code == 302
    assert Profile.language_for(alice) == "ru"


@pytest.mark.django_db
def test_a_visitors_choice_is_kept_in_a_cookie(client):
    response = client.post("/language/", {"language": "ru", "next": "/articles/"})

    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert '<html lang="ru"' in html_of(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_switching_on_an_article_opens_the_same_article_in_the_new_language(client):
    to_russian = client.post("/language/", {"language": "ru", "next": "/articles/is-it-your-bed/"})
    to_english = client.post("/language/", {"language": "en-gb", "next": "/ru/articles/is-it-your-bed/"})
    elsewhere = client.post("/language/", {"language": "ru", "next": "/accounts/login/"})
    offsite = client.post("/language/", {"language": "ru", "next": "https://evil.example/"})

    assert to_russian["Location"] == "/ru/articles/is-it-your-bed/"
    assert to_english["Location"] == "/articles/is-it-your-bed/"
    assert elsewhere["Location"] == "/accounts/login/"
    assert offsite["Location"] == "/"


@pytest.mark.django_db
def test_a_signed_in_persons_choice_is_saved_on_the_profile_and_follows_them(alice_client, alice):
    alice_client.post("/language/", {"language": "ru", "next": "/"})

    assert Profile.language_for(alice) == "ru"
    # Another device: no language cookie, an English browser; the profile wins.
    other_device = Client(HTTP_ACCEPT_LANGUAGE="en-US")
    other_device.force_login(alice)
    html = html_of(other_device.get(reverse("diary:night-list")))
    assert '<html lang="ru"' in html and ">Дневник</a>" in html


@pytest.mark.django_db
def test_the_account_page_shows_and_changes_the_saved_language(alice_client, alice):
    form = html_of(alice_client.get(reverse("profile")))
    assert '<option value="" selected>The language of my browser</option>' in form

    response = alice_client.post(reverse("profile"), {"time_zone": "Europe/London", "language": "ru"})

    assert response.status_code == 302
    assert Profile.language_for(alice) == "ru"
    assert '<html lang="ru"' in html_of(alice_client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en"))
    alice_client.post(reverse("profile"), {"time_zone": "Europe/London", "language": ""})  # back to the browser's
    assert '<html lang="en-gb"' in html_of(alice_client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_a_language_outside_the_site_languages_changes_nothing(alice_client, alice):
    alice_client.post("/language/", {"language": "xx", "next": "/"})

    assert Profile.language_for(alice) == ""


@pytest.mark.django_db
def test_the_switcher_creates_the_profile_of_a_person_who_had_none(client, django_user_model):
    user = django_user_model.objects.create_user(username="carol", email="carol@example.com", password="x" * 12)
    client.force_login(user)

    client.post("/language/", {"language": "ru", "next": "/"})

    assert Profile.objects.get(user=user).language == "ru"


@pytest.mark.django_db
def test_a_cached_diary_page_is_shown_in_the_newly_chosen_language(alice_client):
    url = reverse("diary:night-list")
    assert '<html lang="en-gb"' in html_of(alice_client.get(url))

    alice_client.post("/language/", {"language": "ru", "next": url})

    assert '<html lang="ru"' in html_of(alice_client.get(url))


# --- The Russian catalogue ----------------------------------------------------------------------


def test_the_russian_catalogue_has_no_empty_or_fuzzy_entry():
    text = PO_FILE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header

    assert "#, fuzzy" not in text
    assert entries
    for entry in entries:
        if entry.startswith("#~"):
            continue  # obsolete entries are not compiled
        assert not re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, flags=re.MULTILINE), entry


def test_the_compiled_catalogue_translates_the_interface():
    with translation.override("ru"):
        assert translation.gettext("Articles") == "Статьи"
        assert translation.pgettext("article review date", "j F Y") == "j E Y"


@pytest.mark.parametrize(
    ("count", "noun"), [(1, "ключ"), (2, "ключа"), (5, "ключей"), (11, "ключей"), (21, "ключ"), (22, "ключа")]
)
def test_russian_plurals_follow_the_catalogues_plural_rule(count, noun):
    singular, plural = "You have added %(count)s security key.", "You have added %(count)s security keys."

    with translation.override("ru"):
        text = translation.ngettext(singular, plural, count) % {"count": count}

    assert text == f"Вы добавили {count} {noun} безопасности."
