# Placeholder: implemented by the fhir work.
from django.http import HttpResponse


def report_fhir(request):
    return HttpResponse("")
