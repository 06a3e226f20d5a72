"""The article addresses every page links to (header, footer), in the language of the page."""

from django.conf import settings
from django.utils.translation import get_language

from articles.models import DEFAULT_LANGUAGE, article_url, articles_list_url


def article_links(request) -> dict[str, str]:
    language = get_language()
    if language not in dict(settings.LANGUAGES):
        language = DEFAULT_LANGUAGE
    return {
        "articles_url": articles_list_url(language),
        "see_a_doctor_url": article_url("when-to-see-a-doctor", language),
    }
