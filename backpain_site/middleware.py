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
                from diary.models import Profile

                # The language too, in the same query: UserLanguageMiddleware then finds it in the session.
                tz_name, language = Profile.preferences_for(user)
                request.session["time_zone"] = tz_name
                request.session.setdefault(LANGUAGE_SESSION_KEY, language)
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
