# Placeholder: implemented by the share work.
from django.http import HttpResponse


def share_list(request):
    return HttpResponse("")


def share_revoke(request, pk):
    return HttpResponse("")


def shared_report(request, token):
    return HttpResponse("")


shared_report_pdf = shared_report
