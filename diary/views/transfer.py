# Placeholder: implemented by the transfer work.
from django.http import HttpResponse


def import_csv(request):
    return HttpResponse("")


export_csv = import_csv
