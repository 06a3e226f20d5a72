"""Medicines (list, add, edit, delete) and the weekly PEG check-in page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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


@login_required
def medicine_create(request):
    form = MedicineForm(request.POST or None, user=request.user)
    if form.is_valid():
        medicine = services.save_medicine(form.instance, user=request.user)
        messages.success(request, f"Added {medicine}. It is offered on the log form from now on.")
        return redirect("diary:medicine-list")
    return render(request, "diary/medicine_form.html", {"form": form})


@login_required
def medicine_edit(request, pk):
    medicine = get_object_or_404(Medicine.objects.for_user(request.user), pk=pk)
    form = MedicineForm(request.POST or None, instance=medicine, user=request.user)
    if form.is_valid():
        medicine = services.save_medicine(form.instance, user=request.user)
        messages.success(request, f"Saved {medicine}.")
        return redirect("diary:medicine-list")
    return render(request, "diary/medicine_form.html", {"form": form, "medicine": medicine})


@login_required
@require_http_methods(["GET", "POST"])
def medicine_delete(request, pk):
    medicine = get_object_or_404(_with_use(Medicine.objects.for_user(request.user)), pk=pk)
    if request.method == "POST":
        nights = services.delete_medicine(medicine)
        removed = f" and its record on {_nights(nights)}" if nights else ""
        messages.success(request, f"Deleted {medicine.name}{removed}. The nights themselves are kept.")
        return redirect("diary:medicine-list")
    return render(
        request, "diary/medicine_confirm_delete.html", {"medicine": medicine, "nights": _nights(medicine.night_count)}
    )


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
        messages.success(request, f"Saved this week's check-in: score {check_in.score} out of 10.")
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


def _nights(count: int) -> str:
    return "1 night" if count == 1 else f"{count} nights"
