# Placeholder until the articles work lands.
from django.http import HttpResponse


def article_list(request):
    return HttpResponse("Articles")


def article_detail(request, slug):
    return HttpResponse(slug)
