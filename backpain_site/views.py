"""Site-wide pages: the landing page, the language switch, the web-app manifest, robots.txt.

The account pages (profile, delete, backup/restore) are in accounts/."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from articles.views import same_article_in
from backpain_site.middleware import LANGUAGE_SESSION_KEY
from diary.models import Night
from diary.services import save_language


def home(request):
    # Where signing in lands (LOGIN_REDIRECT_URL): the log form only while last night (the one
    # ending this morning, in the person's time zone) is not logged yet, otherwise the diary.
    if request.user.is_authenticated:
        logged_last_night = Night.objects.for_user(request.user).filter(date=timezone.localdate()).exists()
        return redirect("diary:night-list" if logged_last_night else "diary:night-create")
    return render(request, "home.html")


# No CSRF token: the switcher sits in the footer of every page, including the whole pages served
# from the cache, which must carry no per-request token (caching.cache_per_user). A forged switch
# is refused from the browser's own headers instead, the rule of Go 1.25's CrossOriginProtection:
# Sec-Fetch-Site must say same-origin (or "none": typed by the user), else the Origin must be ours.
@csrf_exempt
@require_POST
def set_language(request):
    """Django's set_language (cookie, safe `next` redirect), and for a signed-in person the
    choice saved on the profile, so it follows them to every device."""
    if is_cross_site(request):
        return HttpResponseForbidden(gettext("A language can only be chosen on this site itself."))
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        save_language(user=request.user, language=language)
        request.session[LANGUAGE_SESSION_KEY] = language
    if response.has_header("Location"):
        # Articles keep their language in the address: from an article, go to the same one in the new language.
        response["Location"] = same_article_in(response["Location"], language)
    return response


def is_cross_site(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        # Browsers send Sec-Fetch-Site or Origin with every cross-site POST: this is not one.
        return False
    own_origin = f"{request.scheme}://{request.get_host()}"
    return origin != own_origin and origin not in settings.CSRF_TRUSTED_ORIGINS


# One manifest per language, each at its own address (/manifest.webmanifest, /ru/manifest.webmanifest):
# the address alone decides the text, so a shared cache may keep each for a day.
@cache_control(max_age=86400, public=True)
def manifest(request, language: str = settings.LANGUAGE_CODE):
    with translation.override(language):
        return JsonResponse(
            {
                "id": "/",  # the same installed app whichever language's manifest the browser read
                "lang": language,
                "dir": "ltr",
                "name": gettext("Night Back-Pain Diary"),
                "short_name": gettext("Pain Diary"),
                "description": gettext(
                    "Log your nights, understand your back pain, and take a clear report to your doctor."
                ),
                "start_url": reverse("home"),
                "scope": "/",
                "display": "standalone",
                "background_color": "#ffffff",
                "theme_color": "#1d4e89",
                "icons": [
                    {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                    {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                    {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
                ],
            },
            content_type="application/manifest+json",
            json_dumps_params={"ensure_ascii": False},
        )


def manifest_url(language: str) -> str:
    """The address of the web-app manifest in `language`."""
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return reverse("manifest")
    return reverse("manifest", kwargs={"language": language})


@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    response = render(request, "sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /diary/",
        "Disallow: /report/",
        "Disallow: /share/",
        "Disallow: /s/",
        "Disallow: /account/",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")
