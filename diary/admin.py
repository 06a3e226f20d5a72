"""Django admin for the diary, scoped to protect health data.

Nights and profiles are health data (pain, symptoms, temperature, medical history), and bed notes
can be too. Being "staff" is not a reason to read them: only superusers may see or change any
of it, whatever model permissions a staff account has been granted. Everyone else does not even
see the Diary section. Lists leave out free-text notes, so a list page shows no more than needed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from diary.models import Bed, Night, Profile


class SuperusersOnly:
    """Admin permission checks that let only superusers see diary data."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class NightAdminForm(forms.ModelForm):
    class Meta:
        model = Night
        fields = "__all__"  # noqa: DJ007  # the admin edits every column

    def clean(self):
        cleaned = super().clean()
        user, bed = cleaned.get("user"), cleaned.get("bed")
        # A night must never point at somebody else's bed (it would show their bed's name).
        if user and bed and bed.user_id != user.pk:
            self.add_error("bed", gettext("This bed belongs to another user."))
        return cleaned


@admin.register(Night)
class NightAdmin(SuperusersOnly, admin.ModelAdmin):
    form = NightAdminForm
    list_display = ("date", "user", "night_pain", "woke_by_pain", "morning_pain_minutes", "bed", "temperature_c")
    list_select_related = ("user", "bed")
    list_filter = ("woke_by_pain", "night_pain", "bed__kind")
    date_hierarchy = "date"
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
    raw_id_fields = ("bed",)  # an autocomplete would list every user's beds
    readonly_fields = ("created_at", "updated_at")
    ordering = ("-date",)


@admin.register(Bed)
class BedAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ("name", "user", "kind", "firmness", "created_at")
    list_select_related = ("user",)
    list_filter = ("kind", "firmness")
    search_fields = ("user__email", "name")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Profile)
class ProfileAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ("user", "time_zone", "reminder_enabled")
    list_select_related = ("user",)
    list_filter = ("time_zone", "reminder_enabled")
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
