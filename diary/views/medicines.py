"""Medicines (list, add, edit, delete) and the weekly PEG check-in page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from diary import services
from diary.forms_medicines import MedicineForm, PegDayForm, PegForm
from diary.models import Medicine, PegCheckIn, Profile
from diary.peg import next_check_in
from diary.views.nights import forget_peg_due


def _with_use(medicines):
    return medicines.annotate(
        night_count=Count("night_doses"),
        dose_count=Sum("night_doses__doses"),
        last_night=Max("night_doses__night__date"),
    )


@login_required
def medicine_list(request):
    medicines = _with_use(Medicine.objects.for_user(request.user)).order_by("-current", "name")
    return render(request, "diary/medicine_list.html", {"medicines": medicines})


def _save(form: MedicineForm, *, user) -> Medicine | None:
    """The medicine saved by diary.services.save_medicine, or None with the form told why (a name race)."""
    try:
        return services.save_medicine(form.instance, user=user)
    except ValidationError as race:
        form.add_error(None, race)
        return None


@login_required
def medicine_create(request):
    form = MedicineForm(request.POST or None, user=request.user)
    if form.is_valid() and (medicine := _save(form, user=request.user)):
        messages.success(
            request, gettext("Added %(medicine)s. It is offered on the log form from now on.") % {"medicine": medicine}
        )
        return redirect("diary:medicine-list")
    return render(request, "diary/medicine_form.html", {"form": form})


@login_required
def medicine_edit(request, pk):
    medicine = get_object_or_404(Medicine.objects.for_user(request.user), pk=pk)
    form = MedicineForm(request.POST or None, instance=medicine, user=request.user)
    if form.is_valid() and (medicine := _save(form, user=request.user)):
        messages.success(request, gettext("Saved %(medicine)s.") % {"medicine": medicine})
        return redirect("diary:medicine-list")
    return render(request, "diary/medicine_form.html", {"form": form, "medicine": medicine})


@login_required
@require_http_methods(["GET", "POST"])
def medicine_delete(request, pk):
    medicine = get_object_or_404(_with_use(Medicine.objects.for_user(request.user)), pk=pk)
    if request.method == "POST":
        nights = services.delete_medicine(medicine)
        if nights:
            text = ngettext(
                "Deleted %(name)s and its record on %(count)s night. The night itself is kept.",
                "Deleted %(name)s and its record on %(count)s nights. The nights themselves are kept.",
                nights,
            )
        else:
            text = gettext("Deleted %(name)s. The nights themselves are kept.")
        messages.success(request, text % {"name": medicine.name, "count": nights})
        return redirect("diary:medicine-list")
    return render(request, "diary/medicine_confirm_delete.html", {"medicine": medicine})


@login_required
def peg_check_in(request):
    """The three weekly PEG questions on a page of their own (linked from the diary when due)."""
    today = timezone.localdate()
    profile, _ = Profile.objects.get_or_create(user=request.user)
    form = PegForm(request.POST or None)
    day_form = PegDayForm(request.POST or None, instance=profile, prefix="day")
    if request.method == "POST" and form.is_valid() and day_form.is_valid():
        check_in = services.record_peg(user=request.user, day=today, **form.answers())
        if day_form.has_changed():
            services.save_peg_weekday(profile, day_form.cleaned_data["peg_weekday"])
        forget_peg_due(request)
        messages.success(
            request,
            gettext("Saved this week's check-in: score %(score)s out of 10.")
            % {"score": number_format(check_in.score, use_l10n=True)},
        )
        return redirect("diary:night-list")
    history = list(PegCheckIn.objects.for_user(request.user).order_by("-date")[:5])
    last = history[0].date if history else None
    context = {
        "form": form,
        "day_form": day_form,
        "history": history,
        "next_due": next_check_in(last, profile.peg_weekday, today),
        "today": today,
    }
    return render(request, "diary/peg_form.html", context)
