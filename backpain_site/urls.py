from django.contrib import admin
from django.urls import include, path

from articles import urls as article_urls  # registers the "article_language" converter used below
from backpain_site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("<article_language:language>/manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("language/", views.set_language, name="set-language"),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # /articles/… in English and /<language>/articles/… in the other languages (articles/urls.py).
    path("", include(article_urls)),
    path("", include("diary.urls")),
]
