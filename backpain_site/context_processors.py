"""Addresses every page links to that depend on the language of the page."""

from django.utils.translation import get_language

from backpain_site.views import manifest_url


def site_links(request) -> dict[str, str]:
    return {"manifest_url": manifest_url(get_language())}
