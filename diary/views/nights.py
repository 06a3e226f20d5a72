# Placeholder: implemented by the nights work.
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def night_create(request):
    return HttpResponse("Log a night")


night_list = calendar = charts = night_create


def night_edit(request, pk):
    return HttpResponse("")


night_delete = night_edit
