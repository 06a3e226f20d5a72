# Placeholder: implemented by the beds work.
from django.http import HttpResponse


def bed_list(request):
    return HttpResponse("")


bed_create = bed_list


def bed_edit(request, pk):
    return HttpResponse("")


bed_delete = bed_edit
