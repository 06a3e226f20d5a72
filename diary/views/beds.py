"""Beds: list, add, rename/edit and delete (only a bed no night refers to)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from diary import services
from diary.forms_beds import BedForm
from diary.models import Bed, BedTrial, Night
from diary.rules import BEFORE_AFTER_CAUTION, figures_over
from diary.trials.services import refresh_status, trial_night


@login_required
def bed_list(request):
    beds = Bed.objects.for_user(request.user).annotate(night_count=Count("nights"), last_night=Max("nights__date"))
    today = timezone.localdate()
    # One query for every trial; the running one (if any) is among them.
    trials = [
        refresh_status(trial, today=today)
        for trial in BedTrial.objects.for_user(request.user).select_related("bed_a", "bed_b")
    ]
    running = next((trial for trial in trials if trial.status == BedTrial.Status.ACTIVE), None)
    tonight = running and trial_night(running, today)
    context = {
        "beds": beds,
        "running_trial": running,
        "tonight": tonight,
        "trials": trials,
        "bed_figures": figures_over(Night.objects.for_user(request.user).records()),
        "bed_caution": BEFORE_AFTER_CAUTION,
    }
    return render(request, "diary/bed_list.html", context)


def _save(request, form: BedForm) -> Bed | None:
    """The bed saved by diary.services.save_bed, or None with the form told why (a name race)."""
    try:
        return services.save_bed(form.save(commit=False), user=request.user)
    except ValidationError as race:
        form.add_error(None, race)
        return None


@login_required
def bed_create(request):
    form = BedForm(request.POST or None, user=request.user)
    if form.is_valid() and (bed := _save(request, form)):
        messages.success(request, gettext("Added the bed “%(name)s”.") % {"name": bed.name})
        return redirect("diary:bed-list")
    return render(request, "diary/bed_form.html", {"form": form})


@login_required
def bed_edit(request, pk):
    bed = get_object_or_404(Bed.objects.for_user(request.user), pk=pk)
    form = BedForm(request.POST or None, instance=bed, user=request.user)
    if form.is_valid() and (bed := _save(request, form)):
        messages.success(request, gettext("Saved the bed “%(name)s”.") % {"name": bed.name})
        return redirect("diary:bed-list")
    return render(request, "diary/bed_form.html", {"form": form, "bed": bed})


@login_required
@require_http_methods(["GET", "POST"])
def bed_delete(request, pk):
    bed = get_object_or_404(Bed.objects.for_user(request.user).annotate(night_count=Count("nights")), pk=pk)
    if request.method == "POST":
        try:
            bed.delete()
        except ProtectedError:
            # Night.bed is PROTECT: deleting a bed must never delete or orphan nights.
            messages.error(request, _in_use_message(bed))
            return redirect("diary:bed-list")
        messages.success(request, gettext("Deleted the bed “%(name)s”.") % {"name": bed.name})
        return redirect("diary:bed-list")
    return render(request, "diary/bed_confirm_delete.html", {"bed": bed, "in_use_message": _in_use_message(bed)})


def _in_use_message(bed: Bed) -> str:
    count = bed.night_count
    return ngettext(
        "“%(name)s” cannot be deleted because %(count)s night in your diary used it. "
        "Move those nights to another bed first, or keep the bed (you can rename it).",
        "“%(name)s” cannot be deleted because %(count)s nights in your diary used it. "
        "Move those nights to another bed first, or keep the bed (you can rename it).",
        count,
    ) % {"name": bed.name, "count": count}
