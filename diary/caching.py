"""The page cache of the diary and report pages: the one home for it.

`cache_per_user` wraps a view from outside (as djangoproject.com's docs views are wrapped by
cache_page): the whole page per user, path, local day and `data_stamp`, one indexed query that
changes whenever anything the pages show changes. Inside, `cached_html` keeps the expensive part
of a page per diary version (diary.reporting.diary_state) for requests the outer layer cannot
serve (a message waiting, a new day).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# The version below is bumped when a template change must not be served stale.
HTML_CACHE_SECONDS = 10 * 60
HTML_CACHE_VERSION = 1


def page_cache():
    """The per-process cache of rendered pages; security state is never kept there (docs/security.md)."""
    return caches[settings.PAGE_CACHE_ALIAS]


def cached_html(key_parts: tuple, render: Callable[[], str]) -> SafeString:
    """HTML from `render()`, kept in the cache under `key_parts` (which must include a DiaryState
    version and every request parameter the HTML depends on) for HTML_CACHE_SECONDS."""
    key = _html_cache_key(key_parts)
    html = page_cache().get(key)
    if html is None:
        html = str(render())
        page_cache().set(key, html, HTML_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, which escape


# Every table a diary or report page shows, by its change marks: the number of nights, beds,
# medicines and PEG check-ins (a deletion), and the latest change to a night, a bed, the profile,
# a medicine or a check-in (an addition or an edit). A night's medicine doses change its updated_at
# (diary.services.set_night_medicines).
# Plain SQL over indexed columns, so the check costs a fraction of a millisecond at any diary size.
DATA_STAMP_SQL = (
    "SELECT (SELECT COUNT(*) FROM diary_night WHERE user_id = %s),"
    " (SELECT MAX(updated_at) FROM diary_night WHERE user_id = %s),"
    " (SELECT COUNT(*) FROM diary_bed WHERE user_id = %s),"
    " (SELECT MAX(updated_at) FROM diary_bed WHERE user_id = %s),"
    " (SELECT MAX(updated_at) FROM diary_profile WHERE user_id = %s),"
    " (SELECT COUNT(*) FROM diary_medicine WHERE user_id = %s),"
    " (SELECT MAX(updated_at) FROM diary_medicine WHERE user_id = %s),"
    " (SELECT COUNT(*) FROM diary_pegcheckin WHERE user_id = %s),"
    " (SELECT MAX(updated_at) FROM diary_pegcheckin WHERE user_id = %s),"
    " (SELECT COUNT(*) FROM diary_bedtrial WHERE user_id = %s),"
    " (SELECT MAX(updated_at) FROM diary_bedtrial WHERE user_id = %s)"
)


def data_stamp(user) -> str:
    """A mark that changes whenever any night, bed, medicine, check-in or the profile of `user` changes, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(DATA_STAMP_SQL, [user.pk] * DATA_STAMP_SQL.count("%s"))
        return repr(cursor.fetchone())


def cache_per_user(page: str):
    """Decorate a view: its whole page comes from the cache, per user, path, local day and data
    stamp, when nothing on it is made for this one request; the view knows nothing of it.

    Pages with a message waiting are rendered afresh (a message is shown once). The page shell
    holds no per-request token: the header's log-out is a link to the log-out page.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def cached_view(request, *args, **kwargs) -> HttpResponse:
            if len(get_messages(request)):
                return view(request, *args, **kwargs)
            parts = (page, request.user.pk, request.get_full_path(), timezone.localdate(), data_stamp(request.user))
            key = _html_cache_key(parts)
            content = page_cache().get(key)
            if content is not None:
                return HttpResponse(content)
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                page_cache().set(key, response.content, HTML_CACHE_SECONDS)
            return response

        return cached_view

    return decorator


def _html_cache_key(key_parts: tuple) -> str:
    # The active language is part of every key: the same data renders differently in each language.
    parts = (HTML_CACHE_VERSION, translation.get_language(), *key_parts)
    return "diary-html:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
