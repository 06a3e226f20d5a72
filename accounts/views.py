"""The account pages: profile, account deletion, full backup (a JSON download) and restore (an
upload into an empty account).

The backup work is in diary/transfer/backup.py and restore.py; these views only move the file in and out.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import DeleteAccountForm, ProfileForm, RestoreForm
from backpain_site.middleware import LANGUAGE_SESSION_KEY
from diary import units
from diary.models import Bed, Night, Profile
from diary.transfer.backup import dump_account
from diary.transfer.restore import RESTORED_LINKS, restore_account


@login_required
def profile(request):
    profile, _ = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if form.is_valid():
        form.save()
        request.session["time_zone"] = form.instance.time_zone
        request.session[units.SESSION_KEY] = form.instance.temperature_unit
        request.session[LANGUAGE_SESSION_KEY] = form.instance.language
        messages.success(request, gettext("Your profile is saved."))
        return redirect("profile")
    context = {"form": form, "active_time_zone": profile.time_zone, "today": timezone.localdate()}
    return render(request, "account/profile.html", context)


@sensitive_post_parameters("password")
@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if form.is_valid():
        user = request.user
        try:
            with transaction.atomic():
                # The account row is locked first, as the CSV import locks it: an import already
                # writing finishes before anything is deleted here, and its nights go too.
                get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
                # Nights first (they protect their beds), then the user: cascades remove the profile,
                # beds, share links, e-mail addresses and MFA keys. All or nothing.
                Night.objects.for_user(user).delete()
                user.delete()
        except (IntegrityError, ProtectedError, OperationalError):
            # Something still wrote to the diary in between (the transaction rolled back whole).
            form.add_error(
                None, gettext("Your diary changed while it was being deleted, so nothing was deleted. Try again.")
            )
            return render(request, "account/delete.html", {"form": form}, status=409)
        logout(request)
        messages.success(request, gettext("Your account and all of your diary data have been deleted."))
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})


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
            request.session[LANGUAGE_SESSION_KEY] = Profile.language_for(request.user)
            messages.success(request, restored_message(result.nights, result.beds, result.share_links))
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


def restored_message(nights: int, beds: int, share_links: int) -> str:
    """ "Your backup is restored: 12 nights, 2 beds and your profile.", with Russian plurals in Russian."""
    message = gettext("Your backup is restored: %(nights)s, %(beds)s and your profile.") % {
        "nights": ngettext("%(count)s night", "%(count)s nights", nights) % {"count": nights},
        "beds": ngettext("%(count)s bed", "%(count)s beds", beds) % {"count": beds},
    }
    return f"{message} {RESTORED_LINKS}" if share_links else message
