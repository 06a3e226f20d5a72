# Placeholder: full account backup (download) and restore (upload) views.
from django.http import HttpResponse


def account_backup(request):
    return HttpResponse("")


account_restore = account_backup
