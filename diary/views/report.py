# Placeholder: implemented by the report work.
from django.http import HttpResponse


def report(request):
    return HttpResponse("")


report_pdf = report
