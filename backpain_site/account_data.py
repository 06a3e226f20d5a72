"""Full account backup (a JSON download) and restore (an upload into an empty account).

The work is in diary/backup.py; these views only move the file in and out.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from diary.models import Bed, Night, Profile
from diary.transfer.backup import RESTORED_LINKS, UnreadableBackup, dump_account, parse_backup, restore_account


class RestoreForm(forms.Form):
    backup = forms.FileField(
        label="Backup file",
        help_text="A .json file made with “Download a full backup of my account” on this site.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_backup(self):
        upload = self.cleaned_data["backup"]
        if upload.size > settings.BACKUP_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is too large (the limit is {settings.BACKUP_MAX_BYTES // (1024 * 1024)} MB)."
            )
        try:
            return parse_backup(upload.read())
        except UnreadableBackup as error:
            raise forms.ValidationError(str(error)) from None


@login_required
def account_backup(request):
    backup = dump_account(request.user)
    response = HttpResponse(
        json.dumps(backup, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    filename = f"night-diary-backup-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def account_restore(request):
    form = RestoreForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if form.is_valid():
        result = restore_account(request.user, form.cleaned_data["backup"])
        if result.ok:
            # The restored profile may bring another time zone; the middleware caches it in the session.
            request.session["time_zone"] = Profile.time_zone_for(request.user)
            messages.success(
                request,
                f"Your backup is restored: {result.nights} night{'' if result.nights == 1 else 's'}, "
                f"{result.beds} bed{'' if result.beds == 1 else 's'} and your profile."
                + (f" {RESTORED_LINKS}" if result.share_links else ""),
            )
            return redirect("diary:night-list")
        problems = result.problems
    account_is_empty = not (
        Bed.objects.for_user(request.user).exists() or Night.objects.for_user(request.user).exists()
    )
    return render(
        request,
        "account/restore.html",
        {"form": form, "problems": problems, "account_is_empty": account_is_empty, "restored_links": RESTORED_LINKS},
    )
