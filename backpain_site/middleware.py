"""Small project-wide middleware: the user's time zone and language, no caching of private pages."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

# The profile's language, kept in the session like the time zone: one query per session, not per page.
LANGUAGE_SESSION_KEY = "language"


class UserTimezoneMiddleware:
    """Render dates and "today" in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tz_name = request.session.get("time_zone")
            if tz_name is None:
                from diary import units
                from diary.models import Profile

                # The language and the temperature unit too, in the same query: UserLanguageMiddleware
                # and diary.units.unit_of then find them in the session.
                tz_name, language, unit = Profile.preferences_for(user)
                request.session["time_zone"] = tz_name
                request.session.setdefault(LANGUAGE_SESSION_KEY, language)
                if unit:
                    request.session.setdefault(units.SESSION_KEY, unit)
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the cookie and Accept-Language that
    LocaleMiddleware read: the choice follows them to every device they sign in on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(LANGUAGE_SESSION_KEY)
            if language is None:
                from diary.models import Profile

                language = Profile.language_for(user)
                request.session[LANGUAGE_SESSION_KEY] = language
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PrivatePagesNoStoreMiddleware:
    """Health data must not linger in shared caches, browser history caches or a service worker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_private = (user is not None and user.is_authenticated) or request.path.startswith(("/s/", "/share/"))
        if is_private and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than its view accepts, before anything reads it.

    Django reads (and spools to disk) a multipart body as soon as anything touches request.POST,
    the CSRF check included, and DATA_UPLOAD_MAX_MEMORY_SIZE does not count files. So the size
    is checked here, from Content-Length, in process_view, which runs before the CSRF middleware's
    (this middleware is listed first). Only the views in settings.UPLOAD_VIEWS take more than
    settings.REQUEST_MAX_BYTES, each up to its own file limit plus the form around the file.
    A body without Content-Length is never read by Django, so it needs no check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= max_request_bytes(view_name):
            return None
        from django.conf import settings
        from django.shortcuts import render

        file_limit = settings.UPLOAD_VIEWS.get(view_name)
        response = render(request, "413.html", {"file_limit": file_limit and _size(file_limit)}, status=413)
        response["Connection"] = "close"  # the unread body must not be taken for the next request
        return response


def max_request_bytes(view_name: str) -> int:
    """The largest request body the view named `view_name` accepts (docs/security.md)."""
    from django.conf import settings

    file_limit = settings.UPLOAD_VIEWS.get(view_name)
    if file_limit is None:
        return settings.REQUEST_MAX_BYTES
    return file_limit + settings.UPLOAD_ENVELOPE_BYTES


def _size(n: int) -> str:
    """A file limit as a person reads it, in the language of the request: "10 MB", "10 МБ"."""
    from django.utils import formats
    from django.utils.translation import gettext

    if n >= 1024 * 1024:
        megabytes = f"{n / (1024 * 1024):g}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))
        return gettext("%(size)s MB") % {"size": megabytes}
    return gettext("%(size)s kB") % {"size": n // 1024}
