"""The page cache of the diary and report pages: one decorator around a view.

`cache_per_user` wraps a view from outside, as djangoproject.com wraps its docs views in
cache_page: the whole page is kept per user, path, local day, language, temperature unit and
`data_stamp`. The view and its templates know nothing of it.

`data_stamp` is one indexed query over every table those pages show: each table's row count (an
addition or a deletion) and latest `updated_at` (an edit). The writes that move it:
- `Model.save()` and `bulk_create()` (updated_at is auto_now), and any deletion (the count);
- `QuerySet.update()` and `bulk_update()` through the models' managers, which stamp updated_at
  themselves (diary.models.OwnedQuerySet);
- a night's medicine doses, which bump the night (diary.services.set_night_medicines).
Raw SQL writes and `save_base(raw=True)` (a backup restore, which only fills an empty diary, so
the counts move) are the only ways around it. An edit moves the stamp only if its updated_at is
later than the latest one: app servers' clocks must agree (NTP), and rows restored from a backup
dated in the future would hide later edits until that time (or until entries expire). There is
no invalidation code to forget: any change gives a new key. Entries live HTML_CACHE_SECONDS, so
an article retitled in the admin shows in a cached report within that time (docs/performance.md).
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

from diary import units
from diary.models import Bed, BedTrial, Medicine, Night, PegCheckIn, Profile

# The version below is bumped when a template change must not be served stale.
HTML_CACHE_SECONDS = 10 * 60
HTML_CACHE_VERSION = 1

# Every table a diary or report page shows. Doses are not here: they bump their night. Profile is
# one row per user, so its count never moves; its updated_at does.
STAMPED_MODELS = (Night, Bed, Profile, Medicine, PegCheckIn, BedTrial)
# Plain SQL over indexed columns, built once from the models, so the check costs a fraction of a
# millisecond at any diary size (the ORM would cost more than the query itself on a cache hit).
# Table names come from the models, never from a request.
_STAMP_OF_TABLE = "(SELECT COUNT(*) FROM {0} WHERE user_id = %s), (SELECT MAX(updated_at) FROM {0} WHERE user_id = %s)"
DATA_STAMP_SQL = "SELECT " + ", ".join(
    _STAMP_OF_TABLE.format(connection.ops.quote_name(model._meta.db_table)) for model in STAMPED_MODELS
)


def page_cache():
    """The cache of rendered pages; security state is never kept there (docs/security.md)."""
    return caches[settings.PAGE_CACHE_ALIAS]


def data_stamp(user) -> str:
    """A mark that changes whenever anything a diary or report page of `user` shows changes, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(DATA_STAMP_SQL, [user.pk] * DATA_STAMP_SQL.count("%s"))
        return repr(cursor.fetchone())


def cache_per_user(page: str):
    """Decorate a view: its whole page comes from the cache when nothing on it is made for this
    one request; the view knows nothing of it.

    Pages with a message waiting are rendered afresh (a message is shown once). The page shell
    holds no per-request token: the header's log-out is a link to the log-out page.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def cached_view(request, *args, **kwargs) -> HttpResponse:
            if len(get_messages(request)):
                return view(request, *args, **kwargs)
            key = _page_key(page, request)
            content = page_cache().get(key)
            if content is not None:
                return HttpResponse(content)
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                page_cache().set(key, response.content, HTML_CACHE_SECONDS)
            return response

        return cached_view

    return decorator


def _page_key(page: str, request) -> str:
    # Language and temperature unit are per session (two devices of one person may differ), so
    # they are part of the key with everything else the same data renders differently by.
    parts = (
        HTML_CACHE_VERSION,
        page,
        request.user.pk,
        request.get_full_path(),
        timezone.localdate(),
        translation.get_language(),
        request.session.get(units.SESSION_KEY),
        data_stamp(request.user),
    )
    return "diary-html:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
