# Placeholder until the diary work lands.
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def night_create(request):
    return HttpResponse("Log a night")


@login_required
def night_list(request):
    return HttpResponse("Diary")


@login_required
def report(request):
    return HttpResponse("Report")
