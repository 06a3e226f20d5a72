"""Bed trials: start one from the beds page, follow it, stop it early or abandon it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from diary.dates import long_date
from diary.models import BedTrial
from diary.trials import services
from diary.trials.forms import BedTrialForm
from diary.trials.schedule import DEFAULT_FALSE_ALARMS_UNDER_PERCENT, DEFAULT_POWER_PERCENT
from diary.trials.summary import trial_summary


@login_required
def trial_create(request):
    today = timezone.localdate()
    running = services.running_trial(request.user, today=today)
    if running is not None:
        messages.info(request, gettext("A bed trial is already running: stop or abandon it before starting another."))
        return redirect("diary:trial-detail", pk=running.pk)
    form = BedTrialForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            trial = services.start_trial(
                user=request.user,
                bed_a=form.cleaned_data["bed_a"],
                bed_b=form.cleaned_data["bed_b"],
                start=form.cleaned_data["start"],
                design=form.design(),
            )
        except services.TrialError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Bed trial started: %(count)s night from %(date)s.",
                    "Bed trial started: %(count)s nights from %(date)s.",
                    trial.nights,
                )
                % {"count": trial.nights, "date": long_date(trial.start, abbreviated=True, year=False)},
            )
            return redirect("diary:trial-detail", pk=trial.pk)
    design = services.propose_design()
    context = {
        "form": form,
        "design": design,
        "power_percent": DEFAULT_POWER_PERCENT,
        "false_alarms_percent": DEFAULT_FALSE_ALARMS_UNDER_PERCENT,
    }
    return render(request, "diary/trial_form.html", context)


@login_required
def trial_detail(request, pk):
    today = timezone.localdate()
    trial = get_object_or_404(BedTrial.objects.for_user(request.user).select_related("bed_a", "bed_b"), pk=pk)
    services.refresh_status(trial, today=today)
    return render(request, "diary/trial_detail.html", {"trial": trial, "summary": trial_summary(trial, today=today)})


@login_required
@require_POST
def trial_stop(request, pk):
    return _end(
        request,
        pk,
        services.stop_trial,
        gettext("Trial stopped early: the result uses the pairs completed so far."),
    )


@login_required
@require_POST
def trial_abandon(request, pk):
    return _end(
        request,
        pk,
        services.abandon_trial,
        gettext("Trial abandoned: it is kept, marked abandoned, with no verdict."),
    )


def _end(request, pk, end, message):
    trial = get_object_or_404(BedTrial.objects.for_user(request.user), pk=pk)
    try:
        end(trial, today=timezone.localdate())
    except services.TrialError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect("diary:trial-detail", pk=trial.pk)
