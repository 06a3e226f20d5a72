"""The site's URLs plus a bare "hello" view: the throughput baseline, served by the same gunicorn.

Used only by the benchmark, through ROOT_URLCONF=benchmarks.urls.
"""

from django.http import HttpResponse
from django.urls import path

from backpain_site.urls import urlpatterns as site_urlpatterns


def hello(request):
    # Through the full middleware stack like every page, but no template, query or session work.
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("hello/", hello, name="bench-hello"), *site_urlpatterns]
